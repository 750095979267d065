package service_test

import (
	"context"
	"testing"
	"time"

	"overlap/planner"
	"overlap/service"
	"overlap/service/servicetest"
	"overlap/store"
	"overlap/store/storetest"
)

var benchFrom = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// storedTeam imports a generated team of n members, each with their
// calendar, into a fresh SQLite store.
func storedTeam(b testing.TB, n int) (*store.Store, string) {
	b.Helper()
	s := storetest.OpenSQLite(b)
	ctx := context.Background()
	svc := service.New(s, service.Limits{}, func() time.Time { return benchFrom })
	gen := servicetest.NewTeam(1, n, benchFrom)
	team, err := svc.CreateTeam(ctx, service.TeamInput{Name: &gen.Name, Timezone: &gen.Timezone})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range gen.Members {
		member, err := svc.CreateMember(ctx, team.ID, service.MemberInput{Name: &m.Name, Email: &m.Email, Timezone: &m.Timezone})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.ImportCalendar(ctx, team.ID, member.ID, []byte(m.ICS)); err != nil {
			b.Fatal(err)
		}
	}
	return s, team.ID
}

// The three benchmarks below plan the same 1,000-member team over 90 days:
// through the service with its parsed calendars kept (what a planning
// request costs once a replica has read the team), through a fresh service
// each time (a cold replica: every calendar fetched and parsed), and the
// planner alone on the already loaded team. Compare them in one run:
//
//	go test ./service -run '^$' -bench 'Plan1000' -benchmem -count 6 | benchstat -col /path -
func BenchmarkPlan1000(b *testing.B) {
	s, teamID := storedTeam(b, 1000)
	to := benchFrom.AddDate(0, 0, 90)
	ctx := context.Background()
	warm := service.New(s, service.Limits{}, nil)
	loaded, err := warm.LoadTeam(ctx, teamID, benchFrom, to)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("path=service-warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := warm.Plan(ctx, teamID, benchFrom, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("path=service-cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := service.New(s, service.Limits{}, nil).Plan(ctx, teamID, benchFrom, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("path=planner", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := planner.Plan(ctx, loaded.Team, loaded.From, loaded.To); err != nil {
				b.Fatal(err)
			}
		}
	})
}
