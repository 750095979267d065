package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

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
