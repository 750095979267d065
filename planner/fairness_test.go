package planner

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestBurdenSkipsTimeOff: "a" (required, 09:00-17:00) fixes the best window
// at 09:00-11:00 UTC; "b" (18:00-22:00) is outside working hours for all of
// it, but is on holiday Wednesday to Friday of the first week. Over the two
// weeks that leaves 7 of the 10 occurrences, 7 × 120 = 840 minutes, 420 a
// week; the holiday still shows as a conflict, and the score, which ranks
// the recurring window, still counts all 10.
func TestBurdenSkipsTimeOff(t *testing.T) {
	team := Team{Location: time.UTC, Policy: DefaultPolicy(), Members: []Member{
		utcMember(t, "a", "09:00", "17:00", true),
		utcMember(t, "b", "18:00", "22:00", false),
	}}
	team.Members[1].TimeOff = []DateRange{{Date{2026, time.January, 7}, Date{2026, time.January, 9}}}
	plan, err := Plan(context.Background(), team, utc("2026-01-05T00:00:00Z"), utc("2026-01-19T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	best := plan.Proposals[0]
	if best.Kind != "fixed" || best.Windows[0] != (Window{Weekday: "mon", Start: 9 * 60, End: 11 * 60}) {
		t.Fatalf("best = %s %+v, want fixed 09:00-11:00", best.Kind, best.Windows)
	}
	wantBurden := []MemberBurden{
		{Member: "a"},
		{Member: "b", OutsideWorkingMinutesPerWeek: 420, OutsidePreferredMinutesPerWeek: 420, InconvenientMinutes: 840},
	}
	if !reflect.DeepEqual(best.Burden, wantBurden) {
		t.Errorf("burden = %+v, want %+v", best.Burden, wantBurden)
	}
	if want := (Fairness{StdDevMinutes: 420, MaxMinutes: 840, MaxMember: "b"}); best.Fairness != want {
		t.Errorf("fairness = %+v, want %+v", best.Fairness, want)
	}
	if best.Score.OutsideWorkingMinutes != 1200 {
		t.Errorf("score outside working = %d, want 1200", best.Score.OutsideWorkingMinutes)
	}
	var off []string
	for _, o := range best.Occurrences {
		for _, c := range o.Conflicts {
			off = append(off, c.Member+" "+c.Reason+" "+o.Start.Format(time.DateOnly))
		}
	}
	if want := []string{"b time_off 2026-01-07", "b time_off 2026-01-08", "b time_off 2026-01-09"}; !reflect.DeepEqual(off, want) {
		t.Errorf("conflicts = %v, want %v", off, want)
	}
}

func TestWeeksAround(t *testing.T) {
	tests := []struct {
		name       string
		zone       string
		cycle      int
		from, to   string
		start, end string
		weeks      int
	}{
		{"midweek range, weekly cycle", "UTC", 1, "2026-01-14T00:00:00Z", "2026-01-17T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", 1},
		{"midweek range, two-week cycle", "UTC", 2, "2026-01-14T00:00:00Z", "2026-01-17T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-26T00:00:00Z", 2},
		{"three weeks round up to two cycles", "UTC", 2, "2026-01-05T00:00:00Z", "2026-01-26T00:00:00Z", "2026-01-05T00:00:00Z", "2026-02-02T00:00:00Z", 4},
		{"Sunday in UTC is Monday in Chatham (+13:45)", "Pacific/Chatham", 1, "2026-01-11T11:00:00Z", "2026-01-11T12:00:00Z", "2026-01-11T10:15:00Z", "2026-01-18T10:15:00Z", 1},
		{"across the year end in Berlin", "Europe/Berlin", 1, "2026-12-31T12:00:00Z", "2027-01-01T12:00:00Z", "2026-12-27T23:00:00Z", "2027-01-03T23:00:00Z", 1},
		{"spring forward inside: the last instant is Tuesday in Berlin", "Europe/Berlin", 1, "2026-03-25T00:00:00Z", "2026-03-31T00:00:00Z", "2026-03-22T23:00:00Z", "2026-04-05T22:00:00Z", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := weeksAround(mustLoad(t, tc.zone), tc.cycle, span{utc(tc.from).Unix(), utc(tc.to).Unix()})
			want := weeks{span{utc(tc.start).Unix(), utc(tc.end).Unix()}, tc.weeks}
			if got != want {
				start, end := got.times()
				t.Errorf("got %s to %s, %d weeks; want %s to %s, %d weeks", start.Format(time.RFC3339), end.Format(time.RFC3339), got.count, tc.start, tc.end, tc.weeks)
			}
		})
	}
}
