package service

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"overlap/planner"
	"overlap/store"
)

// AdoptedCoreHours is a team's adopted core hours, with their occurrences
// over a range when one was asked for.
type AdoptedCoreHours struct {
	planner.CoreHours
	AdoptedAt time.Time `json:"adopted_at"`
	// Occurrences is present exactly when a range was asked for.
	Occurrences *[]planner.Occurrence `json:"occurrences,omitempty"`
	Notices     []CalendarNotice      `json:"notices,omitempty"`
	// OrphanedSlots is present in the answer to an adoption: the slots
	// from then on that carry an agenda or a cancellation and that the new
	// core hours no longer make. Their state is kept (see OrphanedSlots).
	OrphanedSlots *[]OrphanedSlot `json:"orphaned_slots,omitempty"`
}

// AdoptCoreHours makes core the team's core hours from now on, replacing
// earlier ones: slots that started before stay as they were, later ones are
// derived anew, and the agendas and cancellations of those that moved are
// reported in the answer. It is checked against the team's policy under the
// team's lock, so a concurrent policy change cannot leave them breaking it.
func (s *Service) AdoptCoreHours(ctx context.Context, teamID string, core planner.CoreHours) (*AdoptedCoreHours, error) {
	stored, err := s.store.PutCoreHours(ctx, teamID, func(t *store.Team) (string, error) {
		policy, err := plannerPolicy(t.Policy)
		if err != nil {
			return "", err
		}
		if err := core.Validate(policy); err != nil {
			return "", err
		}
		definition, err := json.Marshal(core)
		return string(definition), err
	})
	if err != nil {
		return nil, notFoundAs(err, "team")
	}
	orphaned, err := s.orphanedSince(ctx, teamID, stored.AdoptedAt)
	if err != nil {
		return nil, err
	}
	return &AdoptedCoreHours{CoreHours: core, AdoptedAt: stored.AdoptedAt, OrphanedSlots: &orphaned}, nil
}

// FindCoreHours returns a team's adopted core hours; a team that has
// adopted none is a *NotFoundError naming them.
func (s *Service) FindCoreHours(ctx context.Context, teamID string) (*AdoptedCoreHours, error) {
	stored, err := s.store.FindCoreHours(ctx, teamID)
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.FindTeam(ctx, teamID); err != nil {
			return nil, err
		}
		return nil, &NotFoundError{What: "adopted core hours"}
	}
	if err != nil {
		return nil, err
	}
	core, err := decodeCoreHours(stored)
	if err != nil {
		return nil, err
	}
	return &AdoptedCoreHours{CoreHours: core, AdoptedAt: stored.AdoptedAt}, nil
}

// CoreHoursOver returns a team's adopted core hours with their occurrences
// in [from, to): who attends, who has a conflict and who is outside hours.
func (s *Service) CoreHoursOver(ctx context.Context, teamID string, from, to time.Time) (*AdoptedCoreHours, error) {
	adopted, err := s.FindCoreHours(ctx, teamID)
	if err != nil {
		return nil, err
	}
	pt, err := s.LoadTeam(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	occurrences, err := planner.CoreOccurrences(ctx, pt.Team, adopted.CoreHours, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	if occurrences == nil {
		occurrences = []planner.Occurrence{}
	}
	adopted.Occurrences, adopted.Notices = &occurrences, pt.Notices
	return adopted, nil
}
