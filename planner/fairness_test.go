package planner

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// utcMember works the given hours on weekdays in UTC, so that hand-worked
// windows need no zone arithmetic.
func utcMember(tb testing.TB, id, start, end string, required bool) Member {
	tb.Helper()
	return Member{ID: id, Location: time.UTC, Working: weekly(tb, weekdays(start, end)), Required: required}
}

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
