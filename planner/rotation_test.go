package planner

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestRotationKeepsQuorum: "r" is the only required member, 08:00-18:00
// UTC; "x" works 00:00-09:00 and "y" 17:00-24:00. No window keeps everyone
// inside, so a rotation is proposed. Alternating 07:00-09:00 with
// 17:00-19:00 would cost each member 120 minutes a fortnight but leave "r"
// outside, breaking the quorum. Inside r's hours each window leaves x or y
// outside for at least 60 minutes and the other for 120, so the fairest that
// keeps the quorum alternates 08:00-10:00 (x inside for an hour) with
// 16:00-18:00 (y inside for an hour): 180 minutes a fortnight each for x and
// y, 5 × 180 = 900 over two weeks. The tie between the two orders goes to
// the earlier window in even weeks.
func TestRotationKeepsQuorum(t *testing.T) {
	team := Team{Location: time.UTC, Policy: DefaultPolicy(), Members: []Member{
		utcMember(t, "r", "08:00", "18:00", true),
		utcMember(t, "x", "00:00", "09:00", false),
		utcMember(t, "y", "17:00", "24:00", false),
	}}
	plan, err := Plan(context.Background(), team, utc("2026-01-05T00:00:00Z"), utc("2026-01-19T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	rotation := findRotation(t, plan)
	if got := [2]Window{rotation.Windows[0], rotation.Windows[5]}; got != [2]Window{{0, "mon", 8 * 60, 10 * 60}, {1, "mon", 16 * 60, 18 * 60}} {
		t.Errorf("rotation windows = %+v, want 08:00-10:00 in week 0 and 16:00-18:00 in week 1", got)
	}
	if !rotation.Score.MeetsQuorum {
		t.Errorf("rotation score = %+v, want the quorum met", rotation.Score)
	}
	if want := (Fairness{StdDevMinutes: 424.26, MaxMinutes: 900, MaxMember: "x"}); rotation.Fairness != want {
		t.Errorf("fairness = %+v, want %+v", rotation.Fairness, want)
	}
}

// TestRotationWithoutQuorumSaysSo: New York and Sydney, both required, never
// share working hours, so no rotation can keep the quorum; the fairest one is
// still proposed and its score says it misses the quorum.
func TestRotationWithoutQuorumSaysSo(t *testing.T) {
	team := officeTeam(t, "UTC", "America/New_York", "Australia/Sydney")
	plan, err := Plan(context.Background(), team, utc("2026-01-05T00:00:00Z"), utc("2026-01-19T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if rotation := findRotation(t, plan); rotation.Score.MeetsQuorum {
		t.Errorf("rotation score = %+v, want the quorum missed", rotation.Score)
	}
}

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

func findRotation(t *testing.T, plan TeamPlan) Proposal {
	t.Helper()
	for _, p := range plan.Proposals {
		if p.Kind == "rotation" {
			return p
		}
	}
	t.Fatalf("no rotation among %d proposals", len(plan.Proposals))
	return Proposal{}
}
