package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"overlap/planner"
	"overlap/store"
)

// TeamInput is the body of a team's creation or change. Absent fields keep
// their value (a change) or take their default (a creation).
type TeamInput struct {
	Name     *string      `json:"name"`
	Timezone *string      `json:"timezone"`
	Policy   *PolicyInput `json:"policy"`
	// Norms, when given, replace the team's norms whole.
	Norms *store.Norms `json:"norms"`
	// ConferenceURL is where the team meets live; "" removes it.
	ConferenceURL *string `json:"conference_url"`
}

// PolicyInput changes a team's policy field by field.
type PolicyInput struct {
	MaxCoreMinutesPerDay *int     `json:"max_core_minutes_per_day"`
	MinSlotMinutes       *int     `json:"min_slot_minutes"`
	Quorum               *float64 `json:"quorum"`
	CoreWeekdays         []string `json:"core_weekdays"`
	AgendaCutoffHours    *int     `json:"agenda_cutoff_hours"`
}

// newTeam is a team with the default policy, before its input is applied.
func newTeam() store.Team {
	d := planner.DefaultPolicy()
	days := make([]string, len(d.CoreWeekdays))
	for i, wd := range d.CoreWeekdays {
		days[i] = planner.WeekdayKey(wd)
	}
	return store.Team{Policy: store.Policy{
		MaxCoreMinutesPerDay: d.MaxCoreMinutesPerDay,
		MinSlotMinutes:       d.MinSlotMinutes,
		Quorum:               d.Quorum,
		CoreWeekdays:         days,
		AgendaCutoffHours:    d.AgendaCutoffHours,
	}, Norms: store.Norms{Live: []string{}, Async: []string{}, Channels: []store.ResponseNorm{}}}
}

// apply copies the given fields onto t and validates the result.
func (in *TeamInput) apply(t *store.Team) error {
	if in.Name != nil {
		t.Name = *in.Name
	}
	if in.Timezone != nil {
		t.Timezone = *in.Timezone
	}
	if p := in.Policy; p != nil {
		setIfGiven(&t.Policy.MaxCoreMinutesPerDay, p.MaxCoreMinutesPerDay)
		setIfGiven(&t.Policy.MinSlotMinutes, p.MinSlotMinutes)
		setIfGiven(&t.Policy.Quorum, p.Quorum)
		setIfGiven(&t.Policy.AgendaCutoffHours, p.AgendaCutoffHours)
		if p.CoreWeekdays != nil {
			t.Policy.CoreWeekdays = p.CoreWeekdays
		}
	}
	if in.Norms != nil {
		t.Norms = *in.Norms
	}
	setIfGiven(&t.ConferenceURL, in.ConferenceURL)
	var err error
	if t.Name, err = requireText("name", t.Name, 200); err != nil {
		return err
	}
	if _, err := LoadZone("timezone", t.Timezone); err != nil {
		return err
	}
	if err := checkNorms(&t.Norms); err != nil {
		return err
	}
	if t.ConferenceURL, err = checkWebURL("conference_url", t.ConferenceURL); err != nil {
		return err
	}
	_, err = plannerPolicy(t.Policy)
	return err
}

func setIfGiven[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// plannerPolicy converts and validates a stored policy; errors name "policy.<field>".
func plannerPolicy(p store.Policy) (planner.Policy, error) {
	out := planner.Policy{
		MaxCoreMinutesPerDay: p.MaxCoreMinutesPerDay,
		MinSlotMinutes:       p.MinSlotMinutes,
		Quorum:               p.Quorum,
		AgendaCutoffHours:    p.AgendaCutoffHours,
	}
	for i, key := range p.CoreWeekdays {
		wd, err := planner.ParseWeekday(key)
		if err != nil {
			return out, fieldError(fmt.Sprintf("policy.core_weekdays[%d]", i), "%v", err)
		}
		out.CoreWeekdays = append(out.CoreWeekdays, wd)
	}
	if err := out.Validate(); err != nil {
		return out, under("policy", err)
	}
	return out, nil
}

// plannerTeamHeader converts a stored team's zone and policy.
func plannerTeamHeader(t store.Team) (planner.Team, error) {
	loc, err := LoadZone("timezone", t.Timezone)
	if err != nil {
		return planner.Team{}, err
	}
	policy, err := plannerPolicy(t.Policy)
	return planner.Team{Location: loc, Policy: policy}, err
}

// CreateTeam stores a new team from in, defaults filled in.
func (s *Service) CreateTeam(ctx context.Context, in TeamInput) (*store.Team, error) {
	t := newTeam()
	if err := in.apply(&t); err != nil {
		return nil, err
	}
	if err := s.store.CreateTeam(ctx, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindTeam returns a team or a *NotFoundError.
func (s *Service) FindTeam(ctx context.Context, id string) (*store.Team, error) {
	t, err := s.store.FindTeamByID(ctx, id)
	return t, notFoundAs(err, "team")
}

// FindTeams lists teams in creation order; only, when not nil, restricts
// the list to those ids.
func (s *Service) FindTeams(ctx context.Context, only []string, page store.Page) ([]store.Team, string, error) {
	return s.store.FindTeams(ctx, only, page)
}

// UpdateTeam applies in to a team. A policy the team's adopted core hours
// would break is refused (adopt new core hours first); the check and the
// write share one transaction holding the team's lock, so a concurrent
// adoption cannot slip between them.
func (s *Service) UpdateTeam(ctx context.Context, id string, in TeamInput) (*store.Team, error) {
	t, err := s.store.UpdateTeam(ctx, id, func(t *store.Team, adopted *store.CoreHours) error {
		cutoff := t.Policy.AgendaCutoffHours
		if err := in.apply(t); err != nil {
			return err
		}
		if t.Policy.AgendaCutoffHours != cutoff {
			// A shorter cutoff can make a slot cancelled for want of an
			// agenda live again: every SEQUENCE moves on (see planner.SlotSequence).
			t.SlotSequenceBase++
		}
		if adopted == nil {
			return nil
		}
		core, err := decodeCoreHours(adopted)
		if err != nil {
			return err
		}
		policy, err := plannerPolicy(t.Policy)
		if err != nil {
			return err
		}
		if err := core.Validate(policy); err != nil {
			return fieldError("policy", "the team's adopted core hours would break it (%v); adopt new core hours first", err)
		}
		return nil
	})
	return t, notFoundAs(err, "team")
}

// DeleteTeam removes a team with its members, calendars and core hours.
func (s *Service) DeleteTeam(ctx context.Context, id string) error {
	return notFoundAs(s.store.DeleteTeam(ctx, id), "team")
}

// decodeCoreHours reads stored core hours; a failure is the server's fault.
func decodeCoreHours(stored *store.CoreHours) (planner.CoreHours, error) {
	var core planner.CoreHours
	if err := json.Unmarshal([]byte(stored.Definition), &core); err != nil {
		return core, fmt.Errorf("service: stored core hours of team %s: %w", stored.TeamID, err)
	}
	return core, nil
}

// requireText trims s and checks its length, naming field on failure.
func requireText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fieldError(field, "is required")
	case len(s) > max:
		return "", fieldError(field, "is longer than %d bytes", max)
	}
	return s, nil
}

// under places a field error below its parent JSON field; other errors
// pass through.
func under(parent string, err error) error {
	fe, ok := err.(*planner.FieldError)
	if !ok {
		return err
	}
	sep := "."
	if fe.Field == "" || strings.HasPrefix(fe.Field, "[") {
		sep = ""
	}
	if fe.Field == "" {
		return &planner.FieldError{Field: parent, Message: fe.Message}
	}
	return &planner.FieldError{Field: parent + sep + fe.Field, Message: fe.Message}
}

// fieldFrom is under for a parser's error, which is about the field
// whatever its type.
func fieldFrom(field string, err error) error {
	if _, ok := err.(*planner.FieldError); ok {
		return under(field, err)
	}
	return fieldError(field, "%s", strings.TrimPrefix(err.Error(), "planner: "))
}
