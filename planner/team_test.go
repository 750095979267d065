package planner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func weekly(tb testing.TB, in map[string][][]string) WeeklyHours {
	tb.Helper()
	w, err := ParseWeeklyHours(in)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func weekdays(start, end string) map[string][][]string {
	r := [][]string{{start, end}}
	return map[string][][]string{"mon": r, "tue": r, "wed": r, "thu": r, "fri": r}
}

func officeTeam(tb testing.TB, ref string, zones ...string) Team {
	tb.Helper()
	team := Team{Location: mustLoad(tb, ref), Policy: DefaultPolicy()}
	for _, z := range zones {
		team.Members = append(team.Members, Member{ID: z, Location: mustLoad(tb, z), Working: weekly(tb, weekdays("09:00", "17:00")), Required: true})
	}
	return team
}

// utcMember works the given hours on weekdays in UTC, so that hand-worked
// windows need no zone arithmetic.
func utcMember(tb testing.TB, id, start, end string, required bool) Member {
	tb.Helper()
	return Member{ID: id, Location: time.UTC, Working: weekly(tb, weekdays(start, end)), Required: required}
}

// randomTeam builds a plausible team from r; shared by property tests,
// the fuzz target and benchmarks.
func randomTeam(tb testing.TB, r *rand.Rand, members int, zones []string, busyPerWeek int, from time.Time, days int) Team {
	tb.Helper()
	team := Team{Location: mustLoad(tb, zones[r.IntN(len(zones))]), Policy: DefaultPolicy()}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = mustLoad(tb, z)
	}
	for i := range members {
		start := Clock(r.IntN(48) * 30)
		end := (start + Clock(240+r.IntN(8)*60)) % minutesPerDay
		var w WeeklyHours
		for _, d := range mondayFirst[:5] {
			w[d] = []ClockRange{{start, end}}
		}
		m := Member{ID: "m" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676)), Location: locs[r.IntN(len(locs))], Working: w, Required: r.IntN(5) > 0}
		for range busyPerWeek * (days + 6) / 7 {
			s := from.Add(time.Duration(r.IntN(days*96)) * 15 * time.Minute)
			m.Busy = append(m.Busy, Event{Start: s, End: s.Add(time.Duration(1+r.IntN(4)) * 15 * time.Minute), Summary: "meeting"})
		}
		if r.IntN(4) == 0 {
			d := DateOf(from).AddDays(r.IntN(days))
			m.TimeOff = []DateRange{{d, d.AddDays(r.IntN(3))}}
		}
		team.Members = append(team.Members, m)
	}
	return team
}

func TestValidationErrors(t *testing.T) {
	policy := DefaultPolicy()
	window := func(week int, day string, start, end Clock) Window { return Window{week, day, start, end} }
	tests := []struct {
		name      string
		err       error
		wantField string
	}{
		{"quorum above 1", func() error { p := policy; p.Quorum = 1.5; return p.Validate() }(), "quorum"},
		{"max below min slot", func() error { p := policy; p.MaxCoreMinutesPerDay = 15; return p.Validate() }(), "max_core_minutes_per_day"},
		{"min slot off grid", func() error { p := policy; p.MinSlotMinutes = 20; return p.Validate() }(), "min_slot_minutes"},
		{"duplicate weekday", func() error {
			p := policy
			p.CoreWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Monday}
			return p.Validate()
		}(), "core_weekdays[2]"},
		{"window off grid", CoreHours{1, []Window{window(0, "mon", 14*60+10, 16*60)}}.Validate(policy), "windows[0].start"},
		{"window too short", CoreHours{1, []Window{window(0, "mon", 14*60, 14*60+15)}}.Validate(policy), "windows[0].end"},
		{"window on a weekend", CoreHours{1, []Window{window(0, "sat", 14*60, 16*60)}}.Validate(policy), "windows[0].weekday"},
		{"week outside cycle", CoreHours{1, []Window{window(1, "mon", 14*60, 16*60)}}.Validate(policy), "windows[0].week"},
		{"too many minutes a day", CoreHours{1, []Window{window(0, "mon", 9*60, 10*60), window(0, "mon", 14*60, 15*60+15)}}.Validate(policy), "windows[1]"},
		{"overlapping windows", CoreHours{1, []Window{window(0, "mon", 9*60, 10*60), window(0, "mon", 9*60+30, 10*60)}}.Validate(policy), "windows[1]"},
		{"to before from", func() error {
			_, err := Plan(context.Background(), Team{}, utc("2026-01-02T00:00:00Z"), utc("2026-01-01T00:00:00Z"))
			return err
		}(), "to"},
		{"range over 366 days", func() error {
			_, err := Overlap(context.Background(), Team{}, utc("2026-01-01T00:00:00Z"), utc("2027-01-03T00:00:00Z"))
			return err
		}(), "to"},
		{"member without zone", Team{Location: time.UTC, Policy: policy, Members: []Member{{ID: "a"}}}.Validate(), "members[0].timezone"},
		{"duplicate member id", Team{Location: time.UTC, Policy: policy, Members: []Member{
			{ID: "a", Location: time.UTC, Working: DefaultWorkingHours()}, {ID: "a", Location: time.UTC, Working: DefaultWorkingHours()}}}.Validate(), "members[1].id"},
		{"member without working hours", Team{Location: time.UTC, Policy: policy, Members: []Member{{ID: "a", Location: time.UTC}}}.Validate(), "members[0].working_hours"},
		{"member without id", Team{Location: time.UTC, Policy: policy, Members: []Member{{Location: time.UTC, Working: DefaultWorkingHours()}}}.Validate(), "members[0].id"},
		{"bad policy in team", Team{Location: time.UTC, Policy: Policy{}}.Validate(), "policy.min_slot_minutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fe *FieldError
			if !errors.As(tc.err, &fe) {
				t.Fatalf("error = %v, want *FieldError", tc.err)
			}
			if fe.Field != tc.wantField {
				t.Errorf("Field = %q (%v), want %q", fe.Field, tc.err, tc.wantField)
			}
		})
	}
}

// TestValidateLargeTeamReportsFirstError checks that a team with several
// faults reports the first in team order, whether it is a bad member or a
// repeated id.
func TestValidateLargeTeamReportsFirstError(t *testing.T) {
	from := utc("2026-03-02T00:00:00Z")
	team := randomTeam(t, rand.New(rand.NewPCG(8, 9)), 256, propertyZones, 1, from, 7)
	team.Members[192].TimeOff = []DateRange{{Start: Date{2026, 3, 5}, End: Date{2026, 3, 4}}}
	team.Members[128].Location = nil
	team.Members[69].ID = team.Members[65].ID
	fixes := []struct {
		want string
		fix  func()
	}{
		{fmt.Sprintf("members[%d].id", 69), func() { team.Members[69].ID = "unique" }},
		{fmt.Sprintf("members[%d].timezone", 128), func() { team.Members[128].Location = time.UTC }},
		{fmt.Sprintf("members[%d].time_off[0].end", 192), func() {}},
	}
	for _, f := range fixes {
		var fe *FieldError
		if err := team.Validate(); !errors.As(err, &fe) || fe.Field != f.want {
			t.Fatalf("got %v, want an error at %s", err, f.want)
		}
		f.fix()
	}
}

// TestBusyEventsTakingNoTimeAreIgnored: a calendar may hold an event that
// ends when it starts, or even before; such an event takes no time, so the
// plan is exactly the plan without it.
func TestBusyEventsTakingNoTimeAreIgnored(t *testing.T) {
	from, to := utc("2026-01-12T00:00:00Z"), utc("2026-01-17T00:00:00Z")
	tests := []struct {
		name       string
		start, end string
	}{
		{"zero length inside the best window", "2026-01-13T14:30:00Z", "2026-01-13T14:30:00Z"},
		{"zero length at the window's start", "2026-01-13T14:00:00Z", "2026-01-13T14:00:00Z"},
		{"end before start across the window", "2026-01-13T17:00:00Z", "2026-01-13T13:00:00Z"},
		{"end a second before start", "2026-01-13T15:00:00Z", "2026-01-13T14:59:59Z"},
	}
	clean := officeTeam(t, "UTC", "America/New_York", "Europe/London", "Europe/Berlin")
	want, err := Plan(context.Background(), clean, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := officeTeam(t, "UTC", "America/New_York", "Europe/London", "Europe/Berlin")
			team.Members[2].Busy = []Event{{UID: "odd", Start: utc(tc.start), End: utc(tc.end), Summary: "odd"}}
			got, err := Plan(context.Background(), team, from, to)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("plan with the event differs from the plan without it")
			}
		})
	}
}
