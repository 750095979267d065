package store_test

import (
	"context"
	"errors"
	"testing"

	"overlap/store"
	"overlap/store/storetest"
)

func TestDecisions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, m := newTeamAndMember(t, s)
		lead := store.Actor{KeyID: "k1", Label: "lead"}
		stranger := "not-a-member"
		if err := s.CreateDecision(ctx, &store.Decision{TeamID: team.ID, Title: "x", Status: "proposed", OwnerID: &stranger}, lead); !errors.Is(err, store.ErrUnknownOwner) {
			t.Errorf("a stranger as owner: err = %v", err)
		}
		var ids []string
		for i, status := range []string{"proposed", "blocked", "proposed"} {
			d := &store.Decision{TeamID: team.ID, Title: "d", Status: status}
			if i == 0 {
				d.OwnerID = &m.ID
			}
			if err := s.CreateDecision(ctx, d, lead); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		changed, err := s.UpdateDecision(ctx, team.ID, ids[0], store.Actor{KeyID: "k2", Label: "ana"}, func(d *store.Decision) error {
			d.Status = "decided"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(changed.Changes) != 2 || changed.Changes[1].FromStatus != "proposed" || changed.Changes[1].By.Label != "ana" {
			t.Errorf("history %+v", changed.Changes)
		}
		// A change that keeps the status adds no history.
		if _, err := s.UpdateDecision(ctx, team.ID, ids[0], lead, func(d *store.Decision) error { d.Title = "t"; return nil }); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindDecisionByID(ctx, team.ID, ids[0])
		if err != nil || len(got.Changes) != 2 || got.Title != "t" {
			t.Errorf("FindDecisionByID = %+v, %v", got, err)
		}
		filters := []struct {
			name   string
			filter store.DecisionFilter
			want   int
		}{
			{"all", store.DecisionFilter{}, 3},
			{"proposed", store.DecisionFilter{Status: "proposed"}, 1},
			{"owner", store.DecisionFilter{OwnerID: m.ID}, 1},
			{"owner and status", store.DecisionFilter{OwnerID: m.ID, Status: "blocked"}, 0},
		}
		for _, f := range filters {
			list, _, err := s.FindDecisions(ctx, team.ID, f.filter, store.Page{Limit: 10})
			if err != nil || len(list) != f.want {
				t.Errorf("%s: %d decisions, %v; want %d", f.name, len(list), err, f.want)
			}
		}
		page, next, err := s.FindDecisions(ctx, team.ID, store.DecisionFilter{}, store.Page{Limit: 2})
		if err != nil || len(page) != 2 || next != ids[1] {
			t.Errorf("first page: %d, next %q, %v", len(page), next, err)
		}
		if err := s.DeleteMember(ctx, team.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindDecisionByID(ctx, team.ID, ids[0]); got.OwnerID != nil {
			t.Errorf("owner after the member left: %v", *got.OwnerID)
		}
		if _, err := s.FindDecisionByID(ctx, "other", ids[0]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another team's decision: %v", err)
		}
	})
}
