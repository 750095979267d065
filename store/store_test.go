package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"overlap/store"
	"overlap/store/storetest"
)

func newTeam(name string) *store.Team {
	return &store.Team{Name: name, Timezone: "Europe/Berlin", Policy: store.Policy{
		MaxCoreMinutesPerDay: 120, MinSlotMinutes: 30, Quorum: 1,
		CoreWeekdays: []string{"mon", "tue"}, AgendaCutoffHours: 24,
	}}
}

func newMember(teamID, email string) *store.Member {
	return &store.Member{
		TeamID: teamID, Name: "Ana", Email: email, Timezone: "Asia/Kathmandu",
		WorkingHours: store.WeeklyHours{"mon": {{"09:00", "12:00"}, {"13:00", "17:00"}}},
		Required:     true,
		TimeOff:      []store.DateRange{{Start: "2026-12-24", End: "2026-12-31"}},
	}
}

func TestTeams(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		created := newTeam("Platform")
		if err := s.CreateTeam(ctx, created); err != nil {
			t.Fatal(err)
		}
		if created.ID == "" || created.CreatedAt.IsZero() {
			t.Fatalf("created team lacks id or stamp: %+v", created)
		}
		got, err := s.FindTeamByID(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(created, got); diff != "" {
			t.Errorf("round trip (-created +found):\n%s", diff)
		}

		updated, err := s.UpdateTeam(ctx, created.ID, func(tm *store.Team, _ *store.CoreHours) error {
			tm.Name = "Platform EMEA"
			tm.Policy.Quorum = 0.5
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindTeamByID(ctx, created.ID)
		if got.Name != "Platform EMEA" || got.Policy.Quorum != 0.5 || !got.UpdatedAt.Equal(updated.UpdatedAt) {
			t.Errorf("update not stored: %+v", got)
		}

		refused := errors.New("refused")
		if _, err := s.UpdateTeam(ctx, created.ID, func(tm *store.Team, _ *store.CoreHours) error { tm.Name = "lost"; return refused }); !errors.Is(err, refused) {
			t.Errorf("UpdateTeam error = %v, want the apply error", err)
		}
		if got, _ := s.FindTeamByID(ctx, created.ID); got.Name != "Platform EMEA" {
			t.Errorf("a refused update was written: %q", got.Name)
		}

		if err := s.DeleteTeam(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindTeamByID(ctx, created.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteTeam(ctx, created.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: err = %v, want ErrNotFound", err)
		}
		if _, err := s.UpdateTeam(ctx, created.ID, func(*store.Team, *store.CoreHours) error { return nil }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of deleted team: err = %v, want ErrNotFound", err)
		}
	})
}

func TestFindTeamsPaginates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var want []string
		for _, name := range []string{"a", "b", "c", "d", "e"} {
			tm := newTeam(name)
			if err := s.CreateTeam(ctx, tm); err != nil {
				t.Fatal(err)
			}
			want = append(want, tm.ID)
		}
		var got []string
		page := store.Page{Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			teams, next, err := s.FindTeams(ctx, nil, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range teams {
				got = append(got, tm.ID)
			}
			if next == "" {
				break
			}
			page.After = next
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
		only, _, err := s.FindTeams(ctx, []string{want[3]}, store.Page{Limit: 10})
		if err != nil || len(only) != 1 || only[0].ID != want[3] {
			t.Errorf("restricted list = %v, %v; want just %s", only, err, want[3])
		}
	})
}

func TestMembers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := newTeam("Platform")
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		m := newMember(team.ID, "ana@example.com")
		if err := s.CreateMember(ctx, m, 0); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMemberByID(ctx, team.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(m, got); diff != "" {
			t.Errorf("round trip (-created +found):\n%s", diff)
		}
		if got.PreferredHours != nil {
			t.Errorf("absent preferred hours came back as %v", got.PreferredHours)
		}

		if err := s.CreateMember(ctx, newMember(team.ID, "ana@example.com"), 0); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate email: err = %v, want ErrConflict", err)
		}
		if err := s.CreateMember(ctx, newMember("no-such-team", "bo@example.com"), 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("member of missing team: err = %v, want ErrNotFound", err)
		}
		other := newTeam("Other")
		if err := s.CreateTeam(ctx, other); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindMemberByID(ctx, other.ID, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("member read through another team: err = %v, want ErrNotFound", err)
		}
		if err := s.CreateMember(ctx, newMember(other.ID, "ana@example.com"), 0); err != nil {
			t.Errorf("same email in another team: %v", err)
		}

		second := newMember(team.ID, "bo@example.com")
		if err := s.CreateMember(ctx, second, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateMember(ctx, team.ID, second.ID, func(x *store.Member) error { x.Email = "ana@example.com"; return nil }); !errors.Is(err, store.ErrConflict) {
			t.Errorf("update to a taken email: err = %v, want ErrConflict", err)
		}

		if err := s.DeleteTeam(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindMemberByID(ctx, team.ID, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("members must go with their team: err = %v", err)
		}
	})
}

func TestAPIKeys(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		k, token, err := s.CreateAPIKey(ctx, "admin", "bootstrap")
		if err != nil {
			t.Fatal(err)
		}
		if k.TokenHash == token || len(token) < 40 {
			t.Fatalf("token %q must be long and not stored as is", token)
		}
		found, err := s.FindAPIKeyByToken(ctx, token)
		if err != nil || found.ID != k.ID || found.Scope != "admin" {
			t.Fatalf("FindAPIKeyByToken = %+v, %v", found, err)
		}
		if _, err := s.FindAPIKeyByToken(ctx, token+"x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("wrong token: err = %v, want ErrNotFound", err)
		}
		if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindAPIKeyByToken(ctx, token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked key still authenticates: %v", err)
		}
		if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
			t.Errorf("second revoke: %v", err)
		}
		if err := s.RevokeAPIKey(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoke unknown: err = %v, want ErrNotFound", err)
		}
		keys, err := s.FindAPIKeys(ctx)
		if err != nil || len(keys) != 1 || keys[0].RevokedAt == nil {
			t.Errorf("FindAPIKeys = %+v, %v", keys, err)
		}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Errorf("second Migrate applied %v, %v; want nothing", applied, err)
		}
		pending, err := s.HasPendingMigrations(ctx)
		if err != nil || pending {
			t.Errorf("HasPendingMigrations = %v, %v", pending, err)
		}
	})
}

func TestFreshDatabaseHasPendingMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fresh.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if pending, err := s.HasPendingMigrations(ctx); err != nil || !pending {
		t.Fatalf("fresh database: pending = %v, %v; want true", pending, err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil || len(applied) == 0 {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not created: %v", err)
	}
}

// TestWriteGeneration: every kind of write, in or out of a transaction,
// moves the generation on; reads do not. Only SQLite is exclusive.
func TestWriteGeneration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		gen := func() uint64 { g, _ := s.WriteGeneration(); return g }
		moved := func(what string, write func()) {
			t.Helper()
			before := gen()
			write()
			if gen() == before {
				t.Errorf("%s did not move the write generation", what)
			}
		}
		team := newTeam("Platform")
		moved("create", func() { mustDo(t, s.CreateTeam(ctx, team)) })
		moved("update in a transaction", func() {
			_, err := s.UpdateTeam(ctx, team.ID, func(tm *store.Team, _ *store.CoreHours) error { tm.Name = "Renamed"; return nil })
			mustDo(t, err)
		})
		moved("a refused transaction", func() {
			s.UpdateTeam(ctx, team.ID, func(*store.Team, *store.CoreHours) error { return errors.New("no") })
		})
		moved("delete", func() { mustDo(t, s.DeleteTeam(ctx, team.ID)) })
		before := gen()
		if _, _, err := s.FindTeams(ctx, nil, store.Page{Limit: 10}); err != nil {
			t.Fatal(err)
		}
		if gen() != before {
			t.Error("a read moved the write generation")
		}
		if _, exclusive := s.WriteGeneration(); exclusive != (s.Engine() == store.SQLite) {
			t.Errorf("exclusive = %v on %s", exclusive, s.Engine())
		}
	})
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
