package planner

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestRotationCostsWeeksTheRangeMisses: New York and Sydney, both
// required, never share working hours, so a two-week rotation alternates a
// window inside Sydney's hours with one inside New York's. A range of five
// days reaches only one week of the cycle; the rotation must still be
// chosen and costed over both weeks, exactly as over the whole fortnight:
// 600 minutes outside working hours each (5 × 120), 300 a week.
func TestRotationCostsWeeksTheRangeMisses(t *testing.T) {
	tests := []struct {
		name                string
		from, to, fortnight string
	}{
		{"an even week", "2026-01-12T00:00:00Z", "2026-01-17T00:00:00Z", "2026-01-26T00:00:00Z"},
		{"an odd week", "2026-01-05T00:00:00Z", "2026-01-10T00:00:00Z", "2026-01-19T00:00:00Z"},
		{"three days from Wednesday", "2026-01-14T00:00:00Z", "2026-01-17T00:00:00Z", "2026-01-26T00:00:00Z"},
	}
	team := officeTeam(t, "UTC", "America/New_York", "Australia/Sydney")
	wantBurden := []MemberBurden{
		{Member: "America/New_York", OutsideWorkingMinutesPerWeek: 300, OutsidePreferredMinutesPerWeek: 300, InconvenientMinutes: 600},
		{Member: "Australia/Sydney", OutsideWorkingMinutesPerWeek: 300, OutsidePreferredMinutesPerWeek: 300, InconvenientMinutes: 600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			short, err := Plan(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			whole, err := Plan(context.Background(), team, utc(tc.from[:10]+"T00:00:00Z"), utc(tc.fortnight))
			if err != nil {
				t.Fatal(err)
			}
			got, want := findRotation(t, short), findRotation(t, whole)
			if !reflect.DeepEqual(got.Windows, want.Windows) {
				t.Errorf("windows over the short range %+v, want those over the fortnight %+v", got.Windows, want.Windows)
			}
			if got.BurdenWeeks != 2 || !reflect.DeepEqual(got.Burden, wantBurden) {
				t.Errorf("burden over %d weeks = %+v, want 2 weeks of %+v", got.BurdenWeeks, got.Burden, wantBurden)
			}
			if want := (Fairness{MaxMinutes: 600, MaxMember: "America/New_York"}); got.Fairness != want {
				t.Errorf("fairness = %+v, want %+v", got.Fairness, want)
			}
		})
	}
}

// TestProposalsAlwaysHaveOccurrences: whatever the range, no proposal comes
// without an occurrence in it (an empty rotation costs nothing and used to
// rank first), and occurrences are always a JSON array.
func TestProposalsAlwaysHaveOccurrences(t *testing.T) {
	tests := []struct {
		name          string
		from, to      string
		wantRotations int
	}{
		{"four hours of a Monday: the rotation's windows fall outside", "2026-01-12T14:00:00Z", "2026-01-12T18:00:00Z", 0},
		{"Monday evening into Tuesday morning", "2026-01-12T20:00:00Z", "2026-01-13T04:00:00Z", 1},
		{"a weekend: nothing to propose", "2026-01-10T00:00:00Z", "2026-01-12T00:00:00Z", 0},
		{"a working week", "2026-01-12T00:00:00Z", "2026-01-17T00:00:00Z", 1},
		{"across the year end", "2026-12-30T00:00:00Z", "2027-01-02T00:00:00Z", 1},
	}
	team := officeTeam(t, "UTC", "America/New_York", "Australia/Sydney")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Plan(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			rotations := 0
			for _, p := range plan.Proposals {
				if len(p.Occurrences) == 0 {
					t.Errorf("%s proposal %d has no occurrence in the range", p.Kind, p.Rank)
				}
				if p.Kind == "rotation" {
					rotations++
				}
			}
			if rotations != tc.wantRotations {
				t.Errorf("%d rotations proposed, want %d", rotations, tc.wantRotations)
			}
			out, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), "null") {
				t.Errorf("plan JSON holds a null: %s", out)
			}
		})
	}
}

func TestCoreOccurrencesOfNoneIsAnArray(t *testing.T) {
	team := officeTeam(t, "UTC", "Europe/London")
	core := CoreHours{CycleWeeks: 1, Windows: dailyWindows(team.Policy, 0, 56, 8)}
	occs, err := CoreOccurrences(context.Background(), team, core, utc("2026-01-10T00:00:00Z"), utc("2026-01-12T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := json.Marshal(occs); string(out) != "[]" {
		t.Errorf("occurrences over a weekend = %s, want []", out)
	}
}
