package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"overlap/store"
	"overlap/store/storetest"
)

const (
	icsA = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//a//EN\r\nEND:VCALENDAR\r\n"
	icsB = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//b//EN\r\nEND:VCALENDAR\r\n"
)

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// mustTeamWithMembers creates a team with one member per email.
func mustTeamWithMembers(t *testing.T, s *store.Store, emails ...string) (*store.Team, []*store.Member) {
	t.Helper()
	ctx := context.Background()
	team := newTeam("Platform")
	if err := s.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	var members []*store.Member
	for _, email := range emails {
		m := newMember(team.ID, email)
		if err := s.CreateMember(ctx, m, 0); err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
	}
	return team, members
}

// tickingClock returns a clock that advances a minute on every call, so a
// test can tell whether a write took a new stamp.
func tickingClock() func() time.Time {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { at = at.Add(time.Minute); return at }
}

func TestMemberCalendarLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = tickingClock()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		ana := members[0]

		if _, err := s.FindMemberCalendar(ctx, team.ID, ana.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("before import: err = %v, want ErrNotFound", err)
		}
		first := &store.MemberCalendar{MemberID: ana.ID, ICS: icsA, Events: 3}
		if err := s.PutMemberCalendar(ctx, team.ID, first); err != nil {
			t.Fatal(err)
		}
		if first.SHA256 != hexSHA256(icsA) || first.ImportedAt.IsZero() {
			t.Fatalf("put did not fill digest and stamp: %+v", first)
		}
		got, err := s.FindMemberCalendar(ctx, team.ID, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("round trip (-put +found):\n%s", diff)
		}

		again := &store.MemberCalendar{MemberID: ana.ID, ICS: icsA, Events: 99}
		if err := s.PutMemberCalendar(ctx, team.ID, again); err != nil {
			t.Fatal(err)
		}
		if !again.ImportedAt.Equal(first.ImportedAt) || again.Events != 3 {
			t.Errorf("re-import of the same bytes: %+v, want imported_at %v and 3 events kept", again, first.ImportedAt)
		}
		if got, _ := s.FindMemberCalendar(ctx, team.ID, ana.ID); !got.ImportedAt.Equal(first.ImportedAt) {
			t.Errorf("re-import of the same bytes rewrote imported_at: %v", got.ImportedAt)
		}

		replaced := &store.MemberCalendar{MemberID: ana.ID, ICS: icsB, Events: 1}
		if err := s.PutMemberCalendar(ctx, team.ID, replaced); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindMemberCalendar(ctx, team.ID, ana.ID)
		if got.ICS != icsB || got.SHA256 != hexSHA256(icsB) || got.Events != 1 || !got.ImportedAt.After(first.ImportedAt) {
			t.Errorf("after replacing: %+v", got)
		}

		if err := s.DeleteMemberCalendar(ctx, team.ID, ana.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindMemberCalendar(ctx, team.ID, ana.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteMemberCalendar(ctx, team.ID, ana.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: err = %v, want ErrNotFound", err)
		}
	})
}

func TestMemberCalendarScopedToTeam(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com")
		other, _ := mustTeamWithMembers(t, s)
		ana := members[0]
		if err := s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: ana.ID, ICS: icsA}); err != nil {
			t.Fatal(err)
		}

		if err := s.PutMemberCalendar(ctx, other.ID, &store.MemberCalendar{MemberID: ana.ID, ICS: icsB}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("put through another team: err = %v, want ErrNotFound", err)
		}
		if err := s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: "nobody", ICS: icsB}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("put for a missing member: err = %v, want ErrNotFound", err)
		}
		if _, err := s.FindMemberCalendar(ctx, other.ID, ana.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("find through another team: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteMemberCalendar(ctx, other.ID, ana.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete through another team: err = %v, want ErrNotFound", err)
		}
		if got, err := s.FindMemberCalendar(ctx, team.ID, ana.ID); err != nil || got.ICS != icsA {
			t.Errorf("calls through another team touched the calendar: %+v, %v", got, err)
		}
	})
}

func TestFindTeamCalendars(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com", "bo@example.com", "cy@example.com")
		other, outsiders := mustTeamWithMembers(t, s, "dee@example.com")
		ana, bo := members[0], members[1]
		for _, put := range []struct {
			team string
			cal  *store.MemberCalendar
		}{
			{team.ID, &store.MemberCalendar{MemberID: ana.ID, ICS: icsA, Events: 1}},
			{team.ID, &store.MemberCalendar{MemberID: bo.ID, ICS: icsB, Events: 2}},
			{other.ID, &store.MemberCalendar{MemberID: outsiders[0].ID, ICS: icsA, Events: 3}},
		} {
			if err := s.PutMemberCalendar(ctx, put.team, put.cal); err != nil {
				t.Fatal(err)
			}
		}

		got, err := s.FindTeamCalendars(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].MemberID != ana.ID || got[1].MemberID != bo.ID || got[1].Events != 2 || got[0].ICS != "" {
			t.Errorf("team calendars = %+v, want Ana's and Bo's versions only, without text", got)
		}
		texts, err := s.FindCalendarTexts(ctx, team.ID, []string{got[0].SHA256, got[1].SHA256, "no-such-digest"})
		if err != nil {
			t.Fatal(err)
		}
		if len(texts) != 2 || texts[got[0].SHA256] != icsA || texts[got[1].SHA256] != icsB {
			t.Errorf("texts = %v, want icsA and icsB by digest", texts)
		}
		if foreign, err := s.FindCalendarTexts(ctx, "no-such-team", []string{got[0].SHA256}); err != nil || len(foreign) != 0 {
			t.Errorf("texts through another team = %v, %v; want none", foreign, err)
		}
		if none, err := s.FindTeamCalendars(ctx, "no-such-team"); err != nil || len(none) != 0 {
			t.Errorf("calendars of a missing team = %v, %v; want none", none, err)
		}
	})
}

func TestMemberCalendarGoesWithItsMember(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team, members := mustTeamWithMembers(t, s, "ana@example.com", "bo@example.com")
		for _, m := range members {
			if err := s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: m.ID, ICS: icsA}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteMember(ctx, team.ID, members[0].ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindTeamCalendars(ctx, team.ID); len(got) != 1 || got[0].MemberID != members[1].ID {
			t.Errorf("after deleting a member: %v, want only the other member's calendar", got)
		}
		// Both deletes would fail on the foreign key if the calendars were not
		// removed with their member.
		if err := s.DeleteTeam(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.PutMemberCalendar(ctx, team.ID, &store.MemberCalendar{MemberID: members[1].ID, ICS: icsB}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("put after the team is gone: err = %v, want ErrNotFound", err)
		}
	})
}
