package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"overlap/store"
	"overlap/store/storetest"
)

// newTeamAndMember stores a team with one member, Ana.
func newTeamAndMember(t *testing.T, s *store.Store) (*store.Team, *store.Member) {
	t.Helper()
	ctx := context.Background()
	team := newTeam("Platform")
	if err := s.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := newMember(team.ID, "ana@example.com")
	if err := s.CreateMember(ctx, m, 0); err != nil {
		t.Fatal(err)
	}
	return team, m
}

// revision reads a team's feed revision.
func revision(t *testing.T, s *store.Store, teamID string) int64 {
	t.Helper()
	tm, err := s.FindTeamByID(context.Background(), teamID)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Revision
}

func TestRevisionMovesWithEveryFeedChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := newTeam("Platform")
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		m := newMember(team.ID, "ana@example.com")
		writes := []struct {
			name  string
			write func() error
		}{
			{"member created", func() error { return s.CreateMember(ctx, m, 0) }},
			{"member changed", func() error {
				_, err := s.UpdateMember(ctx, team.ID, m.ID, func(m *store.Member) error { m.Name = "Ana B"; return nil })
				return err
			}},
			{"calendar imported", func() error {
				return s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: m.ID, ICS: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"})
			}},
			{"calendar removed", func() error { return s.DeleteMemberCalendar(ctx, team.ID, m.ID) }},
			{"core hours adopted", func() error { _, err := s.PutCoreHours(ctx, team.ID, definition(`{}`)); return err }},
			{"team changed", func() error {
				_, err := s.UpdateTeam(ctx, team.ID, func(tm *store.Team, _ *store.CoreHours) error { tm.Name = "P"; return nil })
				return err
			}},
			{"member removed", func() error { return s.DeleteMember(ctx, team.ID, m.ID) }},
		}
		last := revision(t, s, team.ID)
		for _, w := range writes {
			if err := w.write(); err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			if got := revision(t, s, team.ID); got != last+1 {
				t.Errorf("after %s the revision is %d, want %d", w.name, got, last+1)
			}
			last++
		}
		// The same bytes again change nothing, so the revision stays.
		if err := s.CreateMember(ctx, newMember(team.ID, "bo@example.com"), 0); err != nil {
			t.Fatal(err)
		}
		last++
		ms, _ := s.FindAllMembers(ctx, team.ID)
		same := func() error {
			return s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: ms[0].ID, ICS: "X"})
		}
		for range 2 {
			if err := same(); err != nil {
				t.Fatal(err)
			}
		}
		if got := revision(t, s, team.ID); got != last+1 {
			t.Errorf("importing the same calendar twice: revision %d, want %d", got, last+1)
		}
	})
}

func TestAdoptionHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := newTeam("Platform")
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return clock }
		for _, def := range []string{`{"a":1}`, `{"a":2}`} {
			if _, err := s.PutCoreHours(ctx, team.ID, definition(def)); err != nil {
				t.Fatal(err)
			}
			clock = clock.Add(7 * 24 * time.Hour)
		}
		// A new zone re-states the adopted core hours from then on.
		if _, err := s.UpdateTeam(ctx, team.ID, func(tm *store.Team, _ *store.CoreHours) error { tm.Timezone = "Asia/Tokyo"; return nil }); err != nil {
			t.Fatal(err)
		}
		day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
		tests := []struct {
			name     string
			from, to time.Time
			want     []string
		}{
			{"before any", day(1), day(2).Add(-4 * time.Hour), nil},
			{"first only", day(3), day(8), []string{`{"a":1} Europe/Berlin`}},
			{"all", day(1), day(30), []string{`{"a":1} Europe/Berlin`, `{"a":2} Europe/Berlin`, `{"a":2} Asia/Tokyo`}},
			{"last two", day(10), day(30), []string{`{"a":2} Europe/Berlin`, `{"a":2} Asia/Tokyo`}},
			{"last", day(20), day(30), []string{`{"a":2} Asia/Tokyo`}},
		}
		for _, tc := range tests {
			got, err := s.FindAdoptions(ctx, team.ID, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, a := range got {
				names = append(names, a.Definition+" "+a.Timezone)
			}
			if len(names) != len(tc.want) || len(names) > 0 && names[len(names)-1] != tc.want[len(tc.want)-1] || len(names) > 0 && names[0] != tc.want[0] {
				t.Errorf("%s: adoptions %v, want %v", tc.name, names, tc.want)
			}
		}
	})
}

func TestSlotStateChanges(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, m := newTeamAndMember(t, s)
		start := time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC)
		ref := store.SlotRef{ID: "s1", Start: start, End: start.Add(2 * time.Hour)}
		accept := func(*store.SlotState) error { return nil }
		rev := revision(t, s, team.ID)
		if _, err := s.AddAgendaItem(ctx, team.ID, ref, rev-1, &store.AgendaItem{Title: "x"}, accept); !errors.Is(err, store.ErrStale) {
			t.Errorf("a stale revision: err = %v, want ErrStale", err)
		}
		item := &store.AgendaItem{Title: "Roadmap", OwnerID: &m.ID, Minutes: 30, Kind: "decision", AddedBy: store.Actor{KeyID: "k", Label: "lead"}}
		st, err := s.AddAgendaItem(ctx, team.ID, ref, rev, item, accept)
		if err != nil {
			t.Fatal(err)
		}
		if st.Revision != 1 || len(st.Items) != 1 || revision(t, s, team.ID) != rev+1 {
			t.Errorf("after one item: %+v, team revision %d", st, revision(t, s, team.ID))
		}
		refused := errors.New("refused")
		if _, err := s.AddAgendaItem(ctx, team.ID, ref, rev+1, &store.AgendaItem{Title: "y"}, func(*store.SlotState) error { return refused }); !errors.Is(err, refused) {
			t.Errorf("refused item: %v", err)
		}
		if _, err := s.CancelSlot(ctx, team.ID, ref, rev+1, "offsite", store.Actor{KeyID: "k"}, accept); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAgendaItem(ctx, team.ID, ref, rev+2, "nope", accept); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown item: %v", err)
		}
		// Removing the owner keeps the item, ownerless, and counts a change of the slot.
		if err := s.DeleteMember(ctx, team.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindSlotStates(ctx, team.ID, start, start.Add(time.Minute))
		if err != nil || len(got) != 1 {
			t.Fatalf("FindSlotStates = %v, %v", got, err)
		}
		if g := got[0]; g.Revision != 3 || g.CancelReason == nil || *g.CancelReason != "offsite" || len(g.Items) != 1 || g.Items[0].OwnerID != nil || g.Items[0].AddedBy.Label != "lead" {
			t.Errorf("stored slot %+v", g)
		}
		eventful, err := s.FindEventfulSlotStates(ctx, team.ID)
		if err != nil || len(eventful) != 1 {
			t.Errorf("FindEventfulSlotStates = %v, %v", eventful, err)
		}
		if err := s.DeleteAgendaItem(ctx, team.ID, ref, revision(t, s, team.ID), item.ID, accept); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindSlotState(ctx, team.ID, "s1"); len(got.Items) != 0 || got.Revision != 4 {
			t.Errorf("after removing the item: %+v", got)
		}
	})
}
