package store_test

import (
	"context"
	"errors"
	"testing"

	"overlap/store"
	"overlap/store/storetest"
)

func TestCoreHours(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := newTeam("Platform")
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindCoreHours(ctx, team.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("before adoption: err = %v, want ErrNotFound", err)
		}
		if _, err := s.PutCoreHours(ctx, team.ID, definition(`{"cycle_weeks":1}`)); err != nil {
			t.Fatal(err)
		}
		second, err := s.PutCoreHours(ctx, team.ID, definition(`{"cycle_weeks":2}`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindCoreHours(ctx, team.ID)
		if err != nil || got.Definition != `{"cycle_weeks":2}` || !got.AdoptedAt.Equal(second.AdoptedAt) {
			t.Errorf("FindCoreHours = %+v, %v; want the second adoption", got, err)
		}
		if _, err := s.PutCoreHours(ctx, "no-such-team", definition("{}")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("adoption for a missing team: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteTeam(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindCoreHours(ctx, team.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("core hours must go with their team: err = %v", err)
		}
	})
}

func definition(text string) func(*store.Team) (string, error) {
	return func(*store.Team) (string, error) { return text, nil }
}
