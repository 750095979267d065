package service_test

import (
	"context"
	"syscall"
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
	s, team, _ := storeGenerated(b, servicetest.NewTeam(1, n, benchFrom))
	return s, team
}

// storeGenerated imports a generated team into a fresh SQLite store,
// through a service it returns.
func storeGenerated(b testing.TB, gen servicetest.Team) (*store.Store, string, *service.Service) {
	b.Helper()
	s := storetest.OpenSQLite(b)
	ctx := context.Background()
	svc := service.New(s, service.Limits{}, func() time.Time { return benchFrom })
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
	return s, team.ID, svc
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

// storedMeetingTeam imports a generated team of n members who share their
// meetings (servicetest.NewMeetingTeam) into a fresh SQLite store, and
// adopts core hours for it.
func storedMeetingTeam(b *testing.B, n int) (*store.Store, string) {
	b.Helper()
	s, team, svc := storeGenerated(b, servicetest.NewMeetingTeam(1, n, benchFrom))
	core := planner.CoreHours{CycleWeeks: 1, Windows: []planner.Window{
		{Weekday: "tue", Start: 14 * 60, End: 16 * 60}, {Weekday: "thu", Start: 14 * 60, End: 16 * 60},
	}}
	if _, err := svc.AdoptCoreHours(context.Background(), team, core); err != nil {
		b.Fatal(err)
	}
	return s, team
}

// The benchmarks below review the meetings of the same 1,000-member team
// (about 25 busy instances a member a week) over 28 days: the review
// alone on the already loaded team, and through the service with its
// parsed calendars kept (what a review request costs once a replica has
// read the team). Compare them in one run:
//
//	go test ./service -run '^$' -bench 'Review1000' -benchmem -count 6 | benchstat -col /path -
func BenchmarkReview1000(b *testing.B) {
	s, teamID := storedMeetingTeam(b, 1000)
	to := benchFrom.AddDate(0, 0, 28)
	ctx := context.Background()
	warm := service.New(s, service.Limits{}, nil)
	loaded, err := warm.LoadTeam(ctx, teamID, benchFrom, to)
	if err != nil {
		b.Fatal(err)
	}
	adopted, err := warm.FindCoreHours(ctx, teamID)
	if err != nil {
		b.Fatal(err)
	}
	rules := service.ReviewRules{CoreHours: &adopted.CoreHours, Settings: planner.DefaultReviewSettings()}
	instances := 0
	for _, m := range loaded.Team.Members {
		instances += len(m.Busy)
	}
	b.Run("path=review", func(b *testing.B) {
		b.ReportAllocs()
		var a *service.Analysis
		cpu := startCPUTime(b)
		for b.Loop() {
			if a, err = service.Analyze(ctx, loaded, rules); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(instances)/1000/4, "instances/member/week")
		b.ReportMetric(float64(len(a.Meetings)), "meetings")
	})
	b.Run("path=service-warm", func(b *testing.B) {
		b.ReportAllocs()
		cpu := startCPUTime(b)
		for b.Loop() {
			if _, err := warm.Review(ctx, teamID, benchFrom, to); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
	})
}

// cpuTime measures the processor time the process spends, garbage
// collection included: on a shared machine it tells the work done apart
// from the wait for a processor, which ns/op adds in.
type cpuTime time.Duration

func startCPUTime(b *testing.B) cpuTime { return cpuTime(processCPU(b)) }

// report adds the processor milliseconds per operation.
func (start cpuTime) report(b *testing.B) {
	b.ReportMetric(float64(processCPU(b)-time.Duration(start))/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
