package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"overlap/planner"
	"overlap/store"
)

// MemberInput is the body of a member's creation or change. Absent fields
// keep their value (a change) or take their default (a creation); an empty
// preferred_hours object clears the preferred hours.
type MemberInput struct {
	Name           *string            `json:"name"`
	Email          *string            `json:"email"`
	Timezone       *string            `json:"timezone"`
	WorkingHours   store.WeeklyHours  `json:"working_hours"`
	PreferredHours store.WeeklyHours  `json:"preferred_hours"`
	Required       *bool              `json:"required"`
	TimeOff        *[]store.DateRange `json:"time_off"`
}

// newMember is a required member with the default working hours, before
// its input is applied.
func newMember(teamID string) store.Member {
	return store.Member{TeamID: teamID, Required: true, WorkingHours: planner.DefaultWorkingHours().Format()}
}

func (in *MemberInput) apply(m *store.Member) error {
	if in.Name != nil {
		m.Name = *in.Name
	}
	if in.Email != nil {
		m.Email = *in.Email
	}
	if in.Timezone != nil {
		m.Timezone = *in.Timezone
	}
	if in.WorkingHours != nil {
		m.WorkingHours = in.WorkingHours
	}
	if in.PreferredHours != nil {
		m.PreferredHours = in.PreferredHours
		if len(m.PreferredHours) == 0 {
			m.PreferredHours = nil
		}
	}
	setIfGiven(&m.Required, in.Required)
	setIfGiven(&m.TimeOff, in.TimeOff)
	if m.TimeOff == nil {
		m.TimeOff = []store.DateRange{}
	}
	var err error
	if m.Name, err = requireText("name", m.Name, 200); err != nil {
		return err
	}
	if m.Email, err = normalEmail(m.Email); err != nil {
		return err
	}
	_, err = plannerMember(*m)
	return err
}

// normalEmail accepts a bare address and lower-cases it, so that uniqueness
// within a team ignores case.
func normalEmail(s string) (string, error) {
	s, err := requireText("email", s, 254)
	if err != nil {
		return "", err
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", fieldError("email", "%q is not a bare email address", Excerpt(s))
	}
	return strings.ToLower(s), nil
}

// plannerMember converts and validates a stored member, naming the JSON
// field at fault. Busy events are the caller's to add.
func plannerMember(m store.Member) (planner.Member, error) {
	out := planner.Member{ID: m.ID, Name: m.Name, Email: m.Email, Required: m.Required}
	var err error
	if out.Location, err = LoadZone("timezone", m.Timezone); err != nil {
		return out, err
	}
	if out.Working, err = planner.ParseWeeklyHours(m.WorkingHours); err != nil {
		return out, fieldFrom("working_hours", err)
	}
	if m.PreferredHours != nil {
		if out.Preferred, err = planner.ParseWeeklyHours(m.PreferredHours); err != nil {
			return out, fieldFrom("preferred_hours", err)
		}
	}
	for i, r := range m.TimeOff {
		field := fmt.Sprintf("time_off[%d]", i)
		var dr planner.DateRange
		if dr.Start, err = planner.ParseDate(r.Start); err != nil {
			return out, fieldFrom(field+".start", err)
		}
		if dr.End, err = planner.ParseDate(r.End); err != nil {
			return out, fieldFrom(field+".end", err)
		}
		out.TimeOff = append(out.TimeOff, dr)
	}
	return out, out.Validate()
}

// CreateMember adds a member to a team, defaults filled in, within the
// team's member limit.
func (s *Service) CreateMember(ctx context.Context, teamID string, in MemberInput) (*store.Member, error) {
	m := newMember(teamID)
	if err := in.apply(&m); err != nil {
		return nil, err
	}
	err := s.store.CreateMember(ctx, &m, s.limits.MaxMembers)
	if errors.Is(err, store.ErrTooMany) {
		return nil, &LimitError{What: "members per team", Max: s.limits.MaxMembers}
	}
	if err != nil {
		return nil, notFoundAs(err, "team")
	}
	return &m, nil
}

// FindMember returns a member of the team or a *NotFoundError.
func (s *Service) FindMember(ctx context.Context, teamID, id string) (*store.Member, error) {
	m, err := s.store.FindMemberByID(ctx, teamID, id)
	return m, notFoundAs(err, "member")
}

// FindMembers lists a team's members in creation order; a missing team is
// a *NotFoundError, not an empty page.
func (s *Service) FindMembers(ctx context.Context, teamID string, page store.Page) ([]store.Member, string, error) {
	if _, err := s.FindTeam(ctx, teamID); err != nil {
		return nil, "", err
	}
	return s.store.FindMembers(ctx, teamID, page)
}

// UpdateMember applies in to a member of the team.
func (s *Service) UpdateMember(ctx context.Context, teamID, id string, in MemberInput) (*store.Member, error) {
	m, err := s.store.UpdateMember(ctx, teamID, id, in.apply)
	return m, notFoundAs(err, "member")
}

// DeleteMember removes a member of the team with their calendar.
func (s *Service) DeleteMember(ctx context.Context, teamID, id string) error {
	return notFoundAs(s.store.DeleteMember(ctx, teamID, id), "member")
}
