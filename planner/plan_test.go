package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func officeTeam(tb testing.TB, ref string, zones ...string) Team {
	tb.Helper()
	team := Team{Location: mustLoad(tb, ref), Policy: DefaultPolicy()}
	for _, z := range zones {
		team.Members = append(team.Members, Member{ID: z, Location: mustLoad(tb, z), Working: weekly(tb, weekdays("09:00", "17:00")), Required: true})
	}
	return team
}

// fullSpans lists the segments in which all members are available.
func fullSpans(heat HeatMap) [][2]string {
	var out [][2]string
	for _, s := range heat.Segments {
		if s.Count == len(heat.Members) {
			out = append(out, [2]string{s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339)})
		}
	}
	return out
}

func TestOverlapHandWorked(t *testing.T) {
	tests := []struct {
		name     string
		zones    []string
		from, to string
		want     [][2]string
	}{
		{"NY London Berlin in January", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-01-13T00:00:00Z", "2026-01-14T00:00:00Z", [][2]string{{"2026-01-13T14:00:00Z", "2026-01-13T16:00:00Z"}}},
		{"NY London Berlin in July", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-07-14T00:00:00Z", "2026-07-15T00:00:00Z", [][2]string{{"2026-07-14T13:00:00Z", "2026-07-14T15:00:00Z"}}},
		{"NY London Berlin in the March mismatch weeks: three hours", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", [][2]string{{"2026-03-10T13:00:00Z", "2026-03-10T16:00:00Z"}}},
		{"Kathmandu +05:45 with Kolkata +05:30", []string{"Asia/Kathmandu", "Asia/Kolkata"},
			"2026-01-13T00:00:00Z", "2026-01-14T00:00:00Z", [][2]string{{"2026-01-13T03:30:00Z", "2026-01-13T11:15:00Z"}}},
		{"Lord Howe and Sydney both +11 in summer", []string{"Australia/Lord_Howe", "Australia/Sydney"},
			"2026-01-13T12:00:00Z", "2026-01-14T12:00:00Z", [][2]string{{"2026-01-13T22:00:00Z", "2026-01-14T06:00:00Z"}}},
		{"Lord Howe and Sydney in winter: half an hour apart", []string{"Australia/Lord_Howe", "Australia/Sydney"},
			"2026-07-13T12:00:00Z", "2026-07-14T12:00:00Z", [][2]string{{"2026-07-13T23:00:00Z", "2026-07-14T06:30:00Z"}}},
		{"Los Angeles day crosses midnight UTC, with Tokyo", []string{"America/Los_Angeles", "Asia/Tokyo"},
			"2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", [][2]string{
				{"2026-01-13T00:00:00Z", "2026-01-13T01:00:00Z"},
				{"2026-01-14T00:00:00Z", "2026-01-14T01:00:00Z"},
				{"2026-01-15T00:00:00Z", "2026-01-15T01:00:00Z"},
				{"2026-01-16T00:00:00Z", "2026-01-16T01:00:00Z"},
			}},
		{"New York and Sydney: none", []string{"America/New_York", "Australia/Sydney"},
			"2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := officeTeam(t, "UTC", tc.zones...)
			heat, err := Overlap(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			if got := fullSpans(heat); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("full overlap = %v, want %v", got, tc.want)
			}
			segs := heat.Segments
			if !segs[0].Start.Equal(utc(tc.from)) || !segs[len(segs)-1].End.Equal(utc(tc.to)) {
				t.Errorf("segments cover %v..%v, want %s..%s", segs[0].Start, segs[len(segs)-1].End, tc.from, tc.to)
			}
			for i := 1; i < len(segs); i++ {
				if !segs[i].Start.Equal(segs[i-1].End) || len(segs[i].Joined)+len(segs[i].Left) == 0 {
					t.Fatalf("segments %d and %d are not contiguous with distinct sets: %+v %+v", i-1, i, segs[i-1], segs[i])
				}
			}
		})
	}
}

func TestPlanPicksTheCommonWindow(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string
		wantWindow Window
	}{
		{"January", "2026-01-12T00:00:00Z", "2026-01-17T00:00:00Z", Window{Weekday: "mon", Start: 14 * 60, End: 16 * 60}},
		{"July", "2026-07-13T00:00:00Z", "2026-07-18T00:00:00Z", Window{Weekday: "mon", Start: 13 * 60, End: 15 * 60}},
		// Three common hours; the tie goes to the earliest start.
		{"March mismatch", "2026-03-09T00:00:00Z", "2026-03-14T00:00:00Z", Window{Weekday: "mon", Start: 13 * 60, End: 15 * 60}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := officeTeam(t, "UTC", "America/New_York", "Europe/London", "Europe/Berlin")
			plan, err := Plan(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			best := plan.Proposals[0]
			if best.Rank != 1 || best.Kind != "fixed" || len(best.Windows) != 5 || best.Windows[0] != tc.wantWindow {
				t.Fatalf("best = rank %d %s %+v, want fixed %+v on 5 weekdays", best.Rank, best.Kind, best.Windows, tc.wantWindow)
			}
			if !best.Score.MeetsQuorum || best.Score.RequiredAttendance != 1 || best.Score.OutsideWorkingMinutes != 0 {
				t.Errorf("score = %+v", best.Score)
			}
			if len(best.Occurrences) != 5 || len(best.Occurrences[0].Attendees) != 3 {
				t.Errorf("occurrences = %+v", best.Occurrences)
			}
			for _, p := range plan.Proposals {
				if p.Kind == "rotation" {
					t.Errorf("rotation proposed although a window keeps everyone inside working hours")
				}
			}
			if plan.NoOverlap {
				t.Error("no_overlap set")
			}
		})
	}
}

func TestPlanNoOverlapProposesRotation(t *testing.T) {
	team := officeTeam(t, "UTC", "America/New_York", "Australia/Sydney")
	plan, err := Plan(context.Background(), team, utc("2026-01-05T00:00:00Z"), utc("2026-02-02T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if !plan.NoOverlap || plan.FullOverlapMinutes != 0 {
		t.Fatalf("no_overlap = %v, full = %d", plan.NoOverlap, plan.FullOverlapMinutes)
	}
	var rotation *Proposal
	bestFixedMax := 1 << 30
	for i, p := range plan.Proposals {
		switch p.Kind {
		case "rotation":
			rotation = &plan.Proposals[i]
		case "fixed":
			bestFixedMax = min(bestFixedMax, p.Fairness.MaxMinutes)
		}
	}
	if rotation == nil {
		t.Fatal("no rotation proposed")
	}
	if rotation.CycleWeeks != 2 || len(rotation.Windows) != 10 || rotation.Windows[0].Week != 0 || rotation.Windows[5].Week != 1 {
		t.Errorf("rotation windows = %+v", rotation.Windows)
	}
	if rotation.Fairness.MaxMinutes > bestFixedMax {
		t.Errorf("rotation max %d is worse than the best fixed max %d", rotation.Fairness.MaxMinutes, bestFixedMax)
	}
	if err := rotation.CoreHours().Validate(team.Policy); err != nil {
		t.Errorf("rotation does not validate: %v", err)
	}
}

func TestPlanDSTPreview(t *testing.T) {
	team := officeTeam(t, "Europe/London", "America/New_York", "Europe/London", "Europe/Berlin")
	plan, err := Plan(context.Background(), team, utc("2026-03-02T00:00:00Z"), utc("2026-04-04T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if w := plan.Proposals[0].Windows[0]; w.Start != 14*60 || w.End != 16*60 {
		t.Fatalf("best window = %+v, want 14:00-16:00 London", w)
	}
	var got []string
	for _, c := range plan.DSTChanges {
		if c.Rank == 1 && c.Window.Weekday == "mon" {
			got = append(got, c.Member+" "+c.Date.String()+" "+c.LocalBefore.String()+"->"+c.LocalAfter.String())
		}
	}
	want := []string{
		"America/New_York 2026-03-09 09:00->10:00",
		"America/New_York 2026-03-30 10:00->09:00",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DST changes = %v, want %v", got, want)
	}
}

func TestCoreHoursJSONAndOccurrences(t *testing.T) {
	in := `{"cycle_weeks":2,"windows":[{"week":0,"weekday":"tue","start":"14:00","end":"16:00"},{"week":1,"weekday":"tue","start":"22:00","end":"24:00"}]}`
	var core CoreHours
	if err := json.Unmarshal([]byte(in), &core); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(core)
	if string(out) != in {
		t.Errorf("round trip = %s", out)
	}
	team := officeTeam(t, "UTC", "Europe/London")
	team.Members[0].Busy = []Event{{Start: utc("2026-01-13T15:00:00Z"), End: utc("2026-01-13T15:30:00Z"), Summary: "1:1"}}
	// 2026-01-12 is 9142 days (1306 weeks) after 2001-01-01: an even week.
	occs, err := CoreOccurrences(context.Background(), team, core, utc("2026-01-12T00:00:00Z"), utc("2026-01-26T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range occs {
		got = append(got, o.Start.Format(time.RFC3339)+" "+o.End.Format(time.RFC3339))
	}
	want := []string{"2026-01-13T14:00:00Z 2026-01-13T16:00:00Z", "2026-01-20T22:00:00Z 2026-01-21T00:00:00Z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("occurrences = %v, want %v", got, want)
	}
	if len(occs[1].OutsideHours) != 1 || len(occs[1].Attendees) != 0 {
		t.Errorf("late occurrence = %+v, want London outside working hours", occs[1])
	}
	if want := []Conflict{{Member: "Europe/London", Reason: "busy", Summary: "1:1"}}; !reflect.DeepEqual(occs[0].Conflicts, want) {
		t.Errorf("conflicts = %+v, want %+v", occs[0].Conflicts, want)
	}
}

func TestCycleWeek(t *testing.T) {
	tests := []struct {
		date Date
		n    int
		want int
	}{
		{Date{2001, 1, 1}, 2, 0},
		{Date{2001, 1, 7}, 2, 0},
		{Date{2001, 1, 8}, 2, 1},
		{Date{2000, 12, 31}, 2, 1},
		{Date{2026, 1, 12}, 2, 0},
		{Date{2026, 1, 19}, 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.date.String(), func(t *testing.T) {
			if got := CycleWeek(tc.date, tc.n); got != tc.want {
				t.Errorf("CycleWeek(%v, %d) = %d, want %d", tc.date, tc.n, got, tc.want)
			}
		})
	}
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

func TestPlanJSONIsUTC(t *testing.T) {
	team := officeTeam(t, "Europe/Berlin", "Europe/Berlin")
	plan, err := Plan(context.Background(), team, utc("2026-01-12T00:00:00Z"), utc("2026-01-13T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(plan.Proposals[0].Occurrences[0])
	want := `{"start":"2026-01-12T08:00:00Z","end":"2026-01-12T10:00:00Z","window":0,"attendees":["Europe/Berlin"],"conflicts":[],"outside_hours":[]}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

// TestValidateLargeTeamReportsFirstError checks that members checked on
// several processors still report the first error in team order, whether it
// is a bad member or a repeated id.
func TestValidateLargeTeamReportsFirstError(t *testing.T) {
	from := utc("2026-03-02T00:00:00Z")
	team := randomTeam(t, rand.New(rand.NewPCG(8, 9)), 4*minShare, propertyZones, 1, from, 7)
	team.Members[3*minShare].TimeOff = []DateRange{{Start: Date{2026, 3, 5}, End: Date{2026, 3, 4}}}
	team.Members[2*minShare].Location = nil
	team.Members[minShare+5].ID = team.Members[minShare+1].ID
	fixes := []struct {
		want string
		fix  func()
	}{
		{fmt.Sprintf("members[%d].id", minShare+5), func() { team.Members[minShare+5].ID = "unique" }},
		{fmt.Sprintf("members[%d].timezone", 2*minShare), func() { team.Members[2*minShare].Location = time.UTC }},
		{fmt.Sprintf("members[%d].time_off[0].end", 3*minShare), func() {}},
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

// TestRankOnExactAttendance: 150 required members work 09:00-13:00 UTC and
// windows last exactly two hours. One member is busy across 11:00, so no
// window has everyone; another is busy 09:00-09:15, so the 09:00 window has
// 148 of 150 and every later one 149. Both show as 0.99; the ranking must
// still put 149 first.
func TestRankOnExactAttendance(t *testing.T) {
	team := Team{Location: time.UTC, Policy: DefaultPolicy()}
	team.Policy.MinSlotMinutes, team.Policy.MaxCoreMinutesPerDay = 120, 120
	for i := range 150 {
		team.Members = append(team.Members, utcMember(t, fmt.Sprintf("m%03d", i), "09:00", "13:00", true))
	}
	team.Members[0].Busy = []Event{{Start: utc("2026-01-12T10:45:00Z"), End: utc("2026-01-12T11:15:00Z")}}
	team.Members[1].Busy = []Event{{Start: utc("2026-01-12T09:00:00Z"), End: utc("2026-01-12T09:15:00Z")}}
	plan, err := Plan(context.Background(), team, utc("2026-01-12T00:00:00Z"), utc("2026-01-13T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	best := plan.Proposals[0]
	if got := best.Windows[0]; got.Start != 9*60+15 {
		t.Errorf("best window starts %s, want 09:15 (149 of 150 attend) over 09:00 (148)", got.Start)
	}
	if got := len(best.Occurrences[0].Attendees); got != 149 {
		t.Errorf("best window has %d attendees, want 149", got)
	}
	if best.Score.RequiredAttendance != 0.99 {
		t.Errorf("required_attendance = %v, want 0.99 for display", best.Score.RequiredAttendance)
	}
}

func TestFractionCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b fraction
		want int
	}{
		{"148/150 below 149/150", fraction{148, 150}, fraction{149, 150}, -1},
		{"equal values over different wholes", fraction{2, 3}, fraction{100, 150}, 0},
		{"nothing counts as zero", fraction{0, 0}, fraction{0, 7}, 0},
		{"nothing is below any share", fraction{0, 0}, fraction{1, 1000}, -1},
		{"all above almost all", fraction{10000, 10000}, fraction{9999, 10000}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.compare(tc.b); got != tc.want {
				t.Errorf("compare = %d, want %d", got, tc.want)
			}
			if got := tc.b.compare(tc.a); got != -tc.want {
				t.Errorf("reversed compare = %d, want %d", got, -tc.want)
			}
		})
	}
}
