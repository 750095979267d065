package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"overlap/planner"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func mustTeam(t testing.TB, svc *service.Service, in service.TeamInput) *store.Team {
	t.Helper()
	if in.Name == nil {
		in.Name = ptr("Platform")
	}
	if in.Timezone == nil {
		in.Timezone = ptr("Europe/London")
	}
	team, err := svc.CreateTeam(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return team
}

func mustMember(t testing.TB, svc *service.Service, teamID, email, zone string) *store.Member {
	t.Helper()
	m, err := svc.CreateMember(context.Background(), teamID, service.MemberInput{Name: ptr(email), Email: ptr(email), Timezone: ptr(zone)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// twoHoursDaily is core hours of 120 minutes every weekday, the default
// policy's most.
var twoHoursDaily = planner.CoreHours{CycleWeeks: 1, Windows: []planner.Window{
	{Weekday: "mon", Start: 14 * 60, End: 16 * 60}, {Weekday: "tue", Start: 14 * 60, End: 16 * 60},
}}

// TestPolicyAndAdoptionCannotRace sends a policy change that the core hours
// would break and the adoption of those core hours at the same time, many
// times: whichever wins, the team must end with core hours its policy
// allows, and later writes must still succeed.
func TestPolicyAndAdoptionCannotRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service.New(s, service.Limits{}, nil)
		for round := range 25 {
			team := mustTeam(t, svc, service.TeamInput{})
			var wg sync.WaitGroup
			var adoptErr, policyErr error
			wg.Go(func() { _, adoptErr = svc.AdoptCoreHours(ctx, team.ID, twoHoursDaily) })
			wg.Go(func() {
				_, policyErr = svc.UpdateTeam(ctx, team.ID, service.TeamInput{Policy: &service.PolicyInput{MaxCoreMinutesPerDay: ptr(60)}})
			})
			wg.Wait()
			if adoptErr == nil && policyErr == nil {
				t.Fatalf("round %d: both writes succeeded; one must refuse the other's result", round)
			}
			stored, err := svc.FindTeam(ctx, team.ID)
			if err != nil {
				t.Fatal(err)
			}
			policy := planner.DefaultPolicy()
			policy.MaxCoreMinutesPerDay = stored.Policy.MaxCoreMinutesPerDay
			if adopted, err := svc.FindCoreHours(ctx, team.ID); err == nil {
				if err := adopted.CoreHours.Validate(policy); err != nil {
					t.Fatalf("round %d: the team's core hours break its policy: %v", round, err)
				}
			}
			if _, err := svc.UpdateTeam(ctx, team.ID, service.TeamInput{Name: ptr("Renamed")}); err != nil {
				t.Fatalf("round %d: a rename after the race: %v", round, err)
			}
		}
	})
}

// TestMemberLimit creates members concurrently past the team's limit: the
// limit holds exactly.
func TestMemberLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service.New(s, service.Limits{MaxMembers: 5}, nil)
		team := mustTeam(t, svc, service.TeamInput{})
		var created, refused atomic.Int32
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				email := fmt.Sprintf("m%d@example.com", i)
				_, err := svc.CreateMember(ctx, team.ID, service.MemberInput{Name: ptr(email), Email: ptr(email), Timezone: ptr("UTC")})
				var limit *service.LimitError
				switch {
				case err == nil:
					created.Add(1)
				case errors.As(err, &limit) && limit.Max == 5:
					refused.Add(1)
				default:
					t.Errorf("create: %v", err)
				}
			})
		}
		wg.Wait()
		members, _, err := svc.FindMembers(ctx, team.ID, store.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if created.Load() != 5 || refused.Load() != 7 || len(members) != 5 {
			t.Errorf("created %d, refused %d, stored %d; want 5, 7, 5", created.Load(), refused.Load(), len(members))
		}
	})
}

// countingStore counts the calendar texts and feed lookups the service asks for.
type countingStore struct {
	*store.Store
	texts, lookups atomic.Int32
}

func (c *countingStore) FindCalendarTexts(ctx context.Context, teamID string, digests []string) (map[string]string, error) {
	c.texts.Add(int32(len(digests)))
	return c.Store.FindCalendarTexts(ctx, teamID, digests)
}

const weeklyStandup = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:standup\r\nSUMMARY:Stand-up\r\n" +
	"DTSTART;TZID=Europe/London:20260105T150000\r\nDTEND;TZID=Europe/London:20260105T153000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE\r\n" +
	"ATTENDEE:mailto:ana@example.com\r\nATTENDEE:mailto:bo@example.com\r\nORGANIZER:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// TestStoredCalendarParsedOncePerVersion plans a team twice through one
// service and once through a second (another replica): each replica reads
// each calendar's text once, and both plan alike; a new import is read anew.
func TestStoredCalendarParsedOncePerVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
		first := &countingStore{Store: s}
		svc := service.New(first, service.Limits{}, now)
		team := mustTeam(t, svc, service.TeamInput{})
		ana := mustMember(t, svc, team.ID, "ana@example.com", "Europe/London")
		bo := mustMember(t, svc, team.ID, "bo@example.com", "America/New_York")
		for _, m := range []*store.Member{ana, bo} {
			if _, err := svc.ImportCalendar(ctx, team.ID, m.ID, []byte(weeklyStandup)); err != nil {
				t.Fatal(err)
			}
		}
		from, to := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
		plan := func(svc *service.Service) *service.PlanningTeam {
			t.Helper()
			pt, err := svc.LoadTeam(ctx, team.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			return pt
		}
		// The import keeps its parsed form: no text is fetched at all.
		plan(svc)
		plan(svc)
		if n := first.texts.Load(); n != 0 {
			t.Errorf("fetched %d calendar texts after importing through the same service; want 0", n)
		}
		replica := &countingStore{Store: s}
		other := service.New(replica, service.Limits{}, now)
		got := plan(other)
		plan(other)
		// Both members imported the same bytes: one digest, fetched once.
		if n := replica.texts.Load(); n != 1 {
			t.Errorf("a second replica fetched %d texts over two plans; want 1", n)
		}
		for i, m := range got.Team.Members {
			if len(m.Busy) != 2 || m.Busy[0].UID != "standup" || m.Busy[0].Organizer != "ana@example.com" || m.Busy[0].AttendeeCount != 2 || !m.Busy[0].Recurring {
				t.Errorf("member %d busy = %+v; want the two stand-ups with their UID, organizer and attendees", i, m.Busy)
			}
		}
	})
}

func (c *countingStore) FindFeedByToken(ctx context.Context, token string) (*store.FeedLookup, error) {
	c.lookups.Add(1)
	return c.Store.FindFeedByToken(ctx, token)
}

// TestFeedLookupKeptUntilAWrite: on a database only this process writes,
// a feed's token is looked up once until something is written; on one
// shared with replicas, every request asks the database.
func TestFeedLookupKeptUntilAWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		counting := &countingStore{Store: s}
		svc := service.New(counting, service.Limits{}, nil)
		team := mustTeam(t, svc, service.TeamInput{})
		_, token, err := svc.CreateFeed(ctx, team.ID, "", service.FeedInput{})
		if err != nil {
			t.Fatal(err)
		}
		look := func() {
			t.Helper()
			if _, err := svc.FeedVersion(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		look()
		look()
		_, exclusive := s.WriteGeneration()
		if want := map[bool]int32{true: 1, false: 2}[exclusive]; counting.lookups.Load() != want {
			t.Errorf("two lookups asked the database %d times, want %d", counting.lookups.Load(), want)
		}
		if _, err := svc.UpdateTeam(ctx, team.ID, service.TeamInput{Name: ptr("Renamed")}); err != nil {
			t.Fatal(err)
		}
		before := counting.lookups.Load()
		look()
		if counting.lookups.Load() != before+1 {
			t.Error("a lookup after a write did not ask the database")
		}
	})
}

// TestCancelledRequestStops: a request whose context is done stops reading
// calendars and planning, and says why.
func TestCancelledRequestStops(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	svc := service.New(s, service.Limits{}, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	team := mustTeam(t, svc, service.TeamInput{})
	for i := range 20 {
		m := mustMember(t, svc, team.ID, fmt.Sprintf("m%d@example.com", i), "Asia/Kolkata")
		if _, err := svc.ImportCalendar(ctx, team.ID, m.ID, []byte(weeklyStandup)); err != nil {
			t.Fatal(err)
		}
	}
	from, to := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	// A fresh service, so that nothing is kept from the imports.
	fresh := service.New(s, service.Limits{}, nil)
	if _, err := fresh.Plan(cancelled, team.ID, from, to); !errors.Is(err, context.Canceled) {
		t.Errorf("plan with a cancelled context: %v, want context.Canceled", err)
	}
	expired, stop := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer stop()
	if _, err := fresh.Overlap(expired, team.ID, from, to); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("overlap past its deadline: %v, want context.DeadlineExceeded", err)
	}
	if _, err := fresh.ImportCalendar(cancelled, team.ID, "anyone", []byte(weeklyStandup)); err == nil {
		t.Error("an import with a cancelled context succeeded")
	}
}

// TestFarSlotTakesAgenda: a slot the list shows a year ahead takes an
// agenda item like one next week; its id alone names its times.
func TestFarSlotTakesAgenda(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		svc := service.New(s, service.Limits{}, func() time.Time { return now })
		team := mustTeam(t, svc, service.TeamInput{})
		owner := mustMember(t, svc, team.ID, "ana@example.com", "Europe/London")
		if _, err := svc.AdoptCoreHours(ctx, team.ID, twoHoursDaily); err != nil {
			t.Fatal(err)
		}
		from := now.AddDate(0, 11, 0)
		list, err := svc.Slots(ctx, team.ID, from, from.AddDate(0, 0, 7))
		if err != nil || len(list.Slots) == 0 {
			t.Fatalf("slots eleven months ahead: %v, %v", list, err)
		}
		far := list.Slots[0]
		in := service.AgendaInput{Title: "Quarterly plan", Owner: owner.ID, Minutes: 30, Kind: "decision"}
		if _, err := svc.AddAgendaItem(ctx, team.ID, far.ID, in, store.Actor{KeyID: "k", Label: "test"}); err != nil {
			t.Fatalf("agenda for slot %s: %v", far.ID, err)
		}
		if _, err := svc.AddAgendaItem(ctx, team.ID, "20261201T1200Z-120-00000000", in, store.Actor{KeyID: "k", Label: "test"}); !errors.As(err, new(*service.NotFoundError)) {
			t.Errorf("a slot id of no slot: %v, want not found", err)
		}
	})
}
