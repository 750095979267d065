package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"overlap/store"
	"overlap/store/storetest"
)

// subscriptionAt is a subscription as the service creates it at now: just
// fetched, next due an hour later.
func subscriptionAt(teamID, memberID, url string, now time.Time) *store.Subscription {
	return &store.Subscription{
		TeamID: teamID, MemberID: memberID, Name: "Work",
		URL: store.Secret(url), MaskedURL: "https://example.com/c…",
		ICS: icsA, Events: 1, ImportedAt: now,
		ETag: `"v1"`, IntervalSeconds: 3600,
		LastSuccessAt: now, LastAttemptAt: now, NextAttemptAt: now.Add(time.Hour), StaleAt: now.Add(2 * time.Hour),
	}
}

var subscribedAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestSubscriptionLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com", "bo@example.com")
		ana := members[0]
		sub := subscriptionAt(team.ID, ana.ID, "https://example.com/calendar/private-s3cret/basic.ics", subscribedAt)
		if err := s.CreateSubscription(ctx, sub, 0); err != nil {
			t.Fatal(err)
		}
		if sub.ID == "" || sub.SHA256 != hexSHA256(icsA) || sub.URLSHA256 == "" {
			t.Fatalf("create did not fill id and digests: %+v", sub)
		}
		got, err := s.FindSubscription(ctx, team.ID, ana.ID, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sub, got); diff != "" {
			t.Errorf("round trip (-created +found):\n%s", diff)
		}
		if got.URL.Reveal() != "https://example.com/calendar/private-s3cret/basic.ics" {
			t.Errorf("URL read back as %q", got.URL.Reveal())
		}
		again := subscriptionAt(team.ID, ana.ID, "https://example.com/calendar/private-s3cret/basic.ics", subscribedAt)
		if err := s.CreateSubscription(ctx, again, 0); !errors.Is(err, store.ErrConflict) {
			t.Errorf("the same address again: err = %v, want ErrConflict", err)
		}
		if _, err := s.FindSubscription(ctx, team.ID, members[1].ID, sub.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("found under another member: %v", err)
		}
		stranger := subscriptionAt(team.ID, "no-such-member", "https://example.com/other", subscribedAt)
		if err := s.CreateSubscription(ctx, stranger, 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("for a member not in the team: err = %v, want ErrNotFound", err)
		}
		list, next, err := s.FindSubscriptions(ctx, team.ID, ana.ID, "", subscribedAt, store.Page{Limit: 10})
		if err != nil || len(list) != 1 || next != "" || list[0].ICS != "" || list[0].SHA256 != sub.SHA256 {
			t.Errorf("list: %+v, %q, %v; want one subscription without its text", list, next, err)
		}
		if err := s.DeleteSubscription(ctx, team.ID, ana.ID, sub.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSubscription(ctx, team.ID, ana.ID, sub.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}

func TestSubscriptionLimitPerMember(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				errs[i] = s.CreateSubscription(ctx, subscriptionAt(team.ID, members[0].ID, fmt.Sprintf("https://example.com/%d", i), subscribedAt), 3)
			})
		}
		wg.Wait()
		created, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				created++
			case errors.Is(err, store.ErrTooMany):
				refused++
			default:
				t.Errorf("create: %v", err)
			}
		}
		if created != 3 || refused != 3 {
			t.Errorf("created %d, refused %d; want 3 and 3", created, refused)
		}
	})
}

// TestSecretNeverPrints holds the subscription the way code might by
// mistake: printed, logged, encoded. The address shows in none of them.
func TestSecretNeverPrints(t *testing.T) {
	sub := subscriptionAt("t", "m", "https://example.com/private-s3cret", subscribedAt)
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("refresh", "subscription", sub, "url", sub.URL)
	encoded, err := json.Marshal(sub)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"%v": fmt.Sprintf("%v", sub), "%+v": fmt.Sprintf("%+v", sub), "%#v": fmt.Sprintf("%#v", sub),
		"%s": fmt.Sprintf("%s", sub.URL), "log": logged.String(), "json": string(encoded),
	} {
		if strings.Contains(text, "s3cret") {
			t.Errorf("%s shows the secret: %s", name, text)
		}
	}
}

func TestSubscriptionStates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		byName := map[string]*store.Subscription{}
		for _, name := range []string{"fresh", "late", "failing"} {
			sub := subscriptionAt(team.ID, members[0].ID, "https://example.com/"+name, subscribedAt)
			sub.Name = name
			switch name {
			case "late":
				sub.StaleAt = subscribedAt.Add(-time.Minute)
			case "failing":
				sub.Failures, sub.LastError = 2, "the server answered 500 Internal Server Error"
			}
			if err := s.CreateSubscription(ctx, sub, 0); err != nil {
				t.Fatal(err)
			}
			byName[name] = sub
		}
		for state, want := range map[string]string{store.SubscriptionOK: "fresh", store.SubscriptionStale: "late", store.SubscriptionFailing: "failing"} {
			list, _, err := s.FindSubscriptions(ctx, team.ID, members[0].ID, state, subscribedAt, store.Page{Limit: 10})
			if err != nil || len(list) != 1 || list[0].Name != want {
				t.Errorf("state %s lists %+v, %v; want only %s", state, list, err, want)
			}
			if got := byName[want].State(subscribedAt); got != state {
				t.Errorf("%s.State() = %s, want %s", want, got, state)
			}
		}
	})
}

func TestSubscriptionLeases(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		var subs []*store.Subscription
		for i := range 3 {
			sub := subscriptionAt(team.ID, members[0].ID, fmt.Sprintf("https://example.com/%d", i), subscribedAt)
			sub.NextAttemptAt = subscribedAt.Add(time.Duration(i) * time.Minute)
			if err := s.CreateSubscription(ctx, sub, 0); err != nil {
				t.Fatal(err)
			}
			subs = append(subs, sub)
		}
		at := subscribedAt.Add(90 * time.Second) // the first two are due
		leaseEnd := at.Add(5 * time.Minute)
		claimed, err := s.ClaimDueSubscriptions(ctx, "replica-a", at, leaseEnd, 10)
		if err != nil || len(claimed) != 2 || claimed[0].ID != subs[0].ID || claimed[1].ID != subs[1].ID || claimed[0].ICS != icsA {
			t.Fatalf("claimed %d, %v; want the two due, oldest first, with their copies", len(claimed), err)
		}
		if again, err := s.ClaimDueSubscriptions(ctx, "replica-b", at, leaseEnd, 10); err != nil || len(again) != 0 {
			t.Errorf("another replica claimed %d leased subscriptions (%v)", len(again), err)
		}
		if _, err := s.ClaimSubscription(ctx, team.ID, members[0].ID, subs[0].ID, "replica-b", at, leaseEnd); !errors.Is(err, store.ErrConflict) {
			t.Errorf("claiming a leased one by id: err = %v, want ErrConflict", err)
		}

		// Replica A finishes the first, then dies holding the second.
		done := claimed[0]
		done.LastAttemptAt, done.NextAttemptAt = at, at.Add(time.Hour)
		done.ICS, done.Events, done.ImportedAt = icsB, 7, at
		if err := s.FinishSubscriptionRefresh(ctx, &done, "replica-b", true); !errors.Is(err, store.ErrConflict) {
			t.Errorf("finishing another replica's lease: err = %v, want ErrConflict", err)
		}
		if err := s.FinishSubscriptionRefresh(ctx, &done, "replica-a", true); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindSubscription(ctx, team.ID, members[0].ID, done.ID)
		if got.ICS != icsB || got.SHA256 != hexSHA256(icsB) || got.Events != 7 || got.LeaseOwner != "" || got.LeaseExpiresAt != nil || !got.NextAttemptAt.Equal(at.Add(time.Hour)) {
			t.Errorf("after finishing: %+v", got)
		}

		if early, _ := s.ClaimDueSubscriptions(ctx, "replica-b", leaseEnd.Add(-time.Second), leaseEnd.Add(time.Hour), 10); len(early) != 1 || early[0].ID != subs[2].ID {
			t.Errorf("before the dead replica's lease expires, claimed %d; want only the third", len(early))
		}
		late, err := s.ClaimDueSubscriptions(ctx, "replica-b", leaseEnd, leaseEnd.Add(5*time.Minute), 10)
		if err != nil || len(late) != 1 || late[0].ID != subs[1].ID {
			t.Errorf("after the lease expired, claimed %+v, %v; want the dead replica's", late, err)
		}
		if err := s.FinishSubscriptionRefresh(ctx, &claimed[1], "replica-a", false); !errors.Is(err, store.ErrConflict) {
			t.Errorf("the dead replica finishing late: err = %v, want ErrConflict", err)
		}
		if err := s.ReleaseSubscription(ctx, late[0].ID, "replica-b"); err != nil {
			t.Fatal(err)
		}
		if again, err := s.ClaimSubscription(ctx, team.ID, members[0].ID, late[0].ID, "replica-a", leaseEnd, leaseEnd.Add(time.Minute)); err != nil || again.LeaseOwner != "replica-a" {
			t.Errorf("claiming a released subscription: %v", err)
		}
	})
}

// TestConcurrentClaimsNeverShare has many replicas claim the same due
// subscriptions at once: each is claimed exactly once.
func TestConcurrentClaimsNeverShare(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		const n = 60
		for i := range n {
			if err := s.CreateSubscription(ctx, subscriptionAt(team.ID, members[0].ID, fmt.Sprintf("https://example.com/%d", i), subscribedAt), 0); err != nil {
				t.Fatal(err)
			}
		}
		at := subscribedAt.Add(2 * time.Hour)
		var mu sync.Mutex
		owners := map[string]string{}
		var wg sync.WaitGroup
		for r := range 8 {
			wg.Go(func() {
				owner := fmt.Sprintf("replica-%d", r)
				for {
					claimed, err := s.ClaimDueSubscriptions(ctx, owner, at, at.Add(time.Minute), 5)
					if err != nil {
						t.Error(err)
						return
					}
					if len(claimed) == 0 {
						return
					}
					mu.Lock()
					for _, c := range claimed {
						if other, ok := owners[c.ID]; ok {
							t.Errorf("%s claimed by %s and %s", c.ID, other, owner)
						}
						owners[c.ID] = owner
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(owners) != n {
			t.Errorf("%d of %d subscriptions claimed", len(owners), n)
		}
	})
}

func TestTeamCalendarsIncludeSubscriptions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		if err := s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: members[0].ID, ICS: icsA, Events: 1}); err != nil {
			t.Fatal(err)
		}
		sub := subscriptionAt(team.ID, members[0].ID, "https://example.com/b", subscribedAt)
		sub.ICS = icsB
		if err := s.CreateSubscription(ctx, sub, 0); err != nil {
			t.Fatal(err)
		}
		copies, err := s.FindTeamSubscriptionCopies(ctx, team.ID)
		if err != nil || len(copies) != 1 || copies[0].SHA256 != hexSHA256(icsB) || copies[0].MemberID != members[0].ID || copies[0].ICS != "" {
			t.Errorf("copies: %+v, %v", copies, err)
		}
		texts, err := s.FindCalendarTexts(ctx, team.ID, []string{hexSHA256(icsA), hexSHA256(icsB), hexSHA256("gone")})
		if err != nil || len(texts) != 2 || texts[hexSHA256(icsA)] != icsA || texts[hexSHA256(icsB)] != icsB {
			t.Errorf("texts: %v, %v; want the upload's and the subscription's", texts, err)
		}
		oldest, ok, err := s.OldestSubscriptionSuccess(ctx)
		if err != nil || !ok || !oldest.Equal(subscribedAt) {
			t.Errorf("oldest success %s, %v, %v", oldest, ok, err)
		}
		if err := s.DeleteMember(ctx, team.ID, members[0].ID); err != nil {
			t.Fatal(err)
		}
		if copies, _ := s.FindTeamSubscriptionCopies(ctx, team.ID); len(copies) != 0 {
			t.Errorf("a deleted member's subscriptions remain: %d", len(copies))
		}
		if _, ok, _ := s.OldestSubscriptionSuccess(ctx); ok {
			t.Error("oldest success reported with no subscriptions")
		}
	})
}
