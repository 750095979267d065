package store_test

import (
	"context"
	"errors"
	"testing"

	"overlap/store"
	"overlap/store/storetest"
)

func TestReviewSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := newTeam("Platform")
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindReviewSettings(ctx, team.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("before any: err = %v, want ErrNotFound", err)
		}
		if _, err := s.PutReviewSettings(ctx, team.ID, `{"go_async_score":5}`); err != nil {
			t.Fatal(err)
		}
		second, err := s.PutReviewSettings(ctx, team.ID, `{"go_async_score":6}`)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindReviewSettings(ctx, team.ID)
		if err != nil || got.Settings != `{"go_async_score":6}` || !got.UpdatedAt.Equal(second.UpdatedAt) {
			t.Errorf("FindReviewSettings = %+v, %v; want the second settings", got, err)
		}
		if _, err := s.PutReviewSettings(ctx, "no-such-team", "{}"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("settings of a missing team: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteTeam(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindReviewSettings(ctx, team.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("settings must go with their team: err = %v", err)
		}
	})
}
