package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"overlap/store"
	"overlap/store/storetest"
)

func TestFeeds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, m := newTeamAndMember(t, s)
		teamFeed := &store.Feed{TeamID: team.ID, Label: "team"}
		token, err := s.CreateFeed(ctx, teamFeed)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, "ovf_") || len(token) < 4+32 {
			t.Errorf("token %q is too short for 128 random bits", token)
		}
		memberFeed := &store.Feed{TeamID: team.ID, MemberID: &m.ID}
		memberToken, err := s.CreateFeed(ctx, memberFeed)
		if err != nil {
			t.Fatal(err)
		}
		other := "someone-else"
		if _, err := s.CreateFeed(ctx, &store.Feed{TeamID: team.ID, MemberID: &other}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("feed for a stranger: %v", err)
		}
		found, err := s.FindFeedByToken(ctx, memberToken)
		if err != nil {
			t.Fatal(err)
		}
		if found.FeedID != memberFeed.ID || found.MemberID != m.ID || found.Revision != revision(t, s, team.ID) || found.RevisedAt.IsZero() {
			t.Errorf("lookup = %+v", found)
		}
		if found, err := s.FindFeedByToken(ctx, token); err != nil || found.MemberID != "" {
			t.Errorf("team feed lookup = %+v, %v", found, err)
		}
		_, rotated, err := s.RotateFeed(ctx, team.ID, teamFeed.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, token string
			want        error
		}{
			{"rotated away", token, store.ErrNotFound},
			{"new token", rotated, nil},
			{"unknown", "ovf_00", store.ErrNotFound},
			{"not a feed token", "ovl_00", store.ErrNotFound},
		} {
			if _, err := s.FindFeedByToken(ctx, tc.token); !errors.Is(err, tc.want) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			}
		}
		list, _, err := s.FindFeeds(ctx, team.ID, m.ID, store.Page{Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != memberFeed.ID {
			t.Errorf("member's feeds = %v, %v", list, err)
		}
		if err := s.DeleteFeed(ctx, team.ID, teamFeed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindFeedByToken(ctx, rotated); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked feed still found: %v", err)
		}
		if err := s.DeleteFeed(ctx, team.ID, teamFeed.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second revocation: %v", err)
		}
		// A member's feed goes with the member.
		if err := s.DeleteMember(ctx, team.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindFeedByToken(ctx, memberToken); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("feed of a removed member: %v", err)
		}
	})
}
