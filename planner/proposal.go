package planner

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// Proposal is a ranked candidate for a team's core hours. CoreHours() gives
// the value to adopt.
type Proposal struct {
	Rank int `json:"rank"`
	// Kind is "fixed" (the same windows every week) or "rotation" (windows
	// alternating by cycle week, see RotationEpoch).
	Kind       string   `json:"kind"`
	CycleWeeks int      `json:"cycle_weeks"`
	Windows    []Window `json:"windows"`
	// Score and Occurrences cover the range.
	Score       Score        `json:"score"`
	Occurrences []Occurrence `json:"occurrences"`
	// Burden and Fairness cover BurdenWeeks whole weeks around the range,
	// a whole number of cycles (see MemberBurden).
	Burden      []MemberBurden `json:"burden"`
	Fairness    Fairness       `json:"fairness"`
	BurdenWeeks int            `json:"burden_weeks"`
}

// CoreHours is the proposal as a value to validate and store.
func (p Proposal) CoreHours() CoreHours {
	return CoreHours{CycleWeeks: p.CycleWeeks, Windows: slices.Clone(p.Windows)}
}

// TeamPlan is the planner's whole answer for a range.
type TeamPlan struct {
	Overlap HeatMap `json:"overlap"`
	// FullOverlapMinutes is how long every required member (every member when
	// none is required) is available at once; NoOverlap says it is zero.
	FullOverlapMinutes int         `json:"full_overlap_minutes"`
	NoOverlap          bool        `json:"no_overlap"`
	Proposals          []Proposal  `json:"proposals"`
	DSTChanges         []DSTChange `json:"dst_changes"`
}

// rotationWeeks is the cycle of the rotations proposed: alternate weeks.
const rotationWeeks = 2

// Plan computes the heat map, ranked core-hours proposals and the DST
// preview for [from, to). Proposals are ranked by Score: quorum met, then
// required attendance, then minutes in preferred hours, then fewest minutes
// outside working hours, then fewest UTC shifts. When the best fixed window
// leaves someone outside working hours, a two-week rotation is among the
// proposals: of the rotations meeting the quorum (of all of them when none
// does), the one minimising the worst member's inconvenient minutes, then
// their spread. Errors are *FieldError, or ctx.Err() when ctx is done first.
func Plan(ctx context.Context, team Team, from, to time.Time) (TeamPlan, error) {
	if err := validateRange(from, to); err != nil {
		return TeamPlan{}, err
	}
	if err := team.Validate(); err != nil {
		return TeamPlan{}, err
	}
	period := span{from.Unix(), to.Unix()}
	horizon := weeksAround(team.Location, rotationWeeks, period)
	timelines, err := buildTimelines(ctx, team, period, horizon.span)
	if err != nil {
		return TeamPlan{}, err
	}
	// The heat map and the proposals only read the timelines, so they are
	// worked out side by side.
	var wg sync.WaitGroup
	var heat HeatMap
	var heatErr error
	wg.Go(func() { heat, heatErr = heatMap(ctx, team, timelines, period.start, period.end) })
	proposals, changes, err := propose(ctx, team, timelines, period, horizon)
	wg.Wait()
	if err := cmp.Or(err, heatErr); err != nil {
		return TeamPlan{}, err
	}
	full := fullOverlapMinutes(team, timelines)
	return TeamPlan{Overlap: heat, FullOverlapMinutes: full, NoOverlap: full == 0, Proposals: proposals, DSTChanges: changes}, nil
}

// propose measures the candidate core hours and ranks them, leaving out any
// without an occurrence in the range: there is nothing there to show.
func propose(ctx context.Context, team Team, timelines []timeline, period span, horizon weeks) ([]Proposal, []DSTChange, error) {
	proposals, changes := []Proposal{}, []DSTChange{}
	if len(team.Members) == 0 {
		return proposals, changes, nil
	}
	cores, err := proposeCoreHours(ctx, team, timelines, period, horizon)
	if err != nil {
		return nil, nil, err
	}
	measured, err := measure(ctx, team, timelines, cores, period)
	if err != nil {
		return nil, nil, err
	}
	type ranked struct {
		Proposal
		dstChanges []DSTChange
	}
	var list []ranked
	for i, core := range cores {
		result := measured[i]
		if len(result.occurrences) == 0 {
			continue
		}
		kind := "fixed"
		if core.CycleWeeks > 1 {
			kind = "rotation"
		}
		list = append(list, ranked{Proposal{
			Kind: kind, CycleWeeks: core.CycleWeeks, Windows: core.Windows, Score: result.score, Occurrences: result.occurrences,
			Burden: result.burden, Fairness: result.fairness, BurdenWeeks: result.burdenWeeks,
		}, result.dstChanges})
	}
	slices.SortStableFunc(list, func(a, b ranked) int { return compareScores(a.Score, b.Score) })
	for i, r := range list {
		r.Rank = i + 1
		proposals = append(proposals, r.Proposal)
		for _, c := range r.dstChanges {
			c.Rank = r.Rank
			changes = append(changes, c)
		}
	}
	return proposals, changes, nil
}

// Score explains a proposal's rank; fields are compared in this order.
type Score struct {
	MeetsQuorum bool `json:"meets_quorum"`
	// RequiredAttendance is the mean share of required members who attend,
	// rounded for display; proposals rank on the exact share.
	RequiredAttendance float64 `json:"required_attendance"`
	// PreferredMinutes sums member-minutes inside preferred hours.
	PreferredMinutes int `json:"preferred_minutes"`
	// OutsideWorkingMinutes sums member-minutes outside working hours. Unlike
	// MemberBurden it counts time off too: it ranks the recurring windows,
	// which should not turn on who happens to be away in the range.
	OutsideWorkingMinutes int `json:"outside_working_minutes"`
	// UTCShifts counts occurrences whose UTC time of day differs from the
	// first occurrence of the same window.
	UTCShifts int `json:"utc_shifts"`

	attendance fraction
}

// setAttendance records that required members attended attended of
// possible times (members × occurrences).
func (s *Score) setAttendance(attended, possible int) {
	s.attendance = fraction{int64(attended), int64(possible)}
	s.RequiredAttendance = round2(s.attendance.float())
}

// fraction is a share kept as integers: rounded shares of large teams tie
// where the exact ones do not (148/150 and 149/150 both show 0.99). A
// fraction of nothing (whole 0) is 0.
type fraction struct{ part, whole int64 }

func (f fraction) float() float64 {
	if f.whole == 0 {
		return 0
	}
	return float64(f.part) / float64(f.whole)
}

// compare orders fractions by value, cross-multiplying.
func (f fraction) compare(g fraction) int {
	return cmp.Compare(f.part*max(g.whole, 1), g.part*max(f.whole, 1))
}

// compareScores orders better scores first.
func compareScores(a, b Score) int {
	if a.MeetsQuorum != b.MeetsQuorum {
		if a.MeetsQuorum {
			return -1
		}
		return 1
	}
	return cmp.Or(
		b.attendance.compare(a.attendance),
		cmp.Compare(b.PreferredMinutes, a.PreferredMinutes),
		cmp.Compare(a.OutsideWorkingMinutes, b.OutsideWorkingMinutes),
		cmp.Compare(a.UTCShifts, b.UTCShifts),
	)
}

func fullOverlapMinutes(team Team, timelines []timeline) int {
	_, need := quorumNeed(Team{Policy: Policy{Quorum: 1}, Members: team.Members})
	var common []span
	started := false
	for m, line := range timelines {
		if need > 0 && !team.Members[m].Required {
			continue
		}
		if !started {
			common, started = line.free, true
			continue
		}
		common = subtract(nil, common, subtract(nil, common, line.free)) // intersection
	}
	var total int64
	for _, s := range common {
		total += s.end - s.start
	}
	return int(total / 60)
}

// quorumNeed returns the number of required members and how many of them a
// window must keep inside working hours.
func quorumNeed(team Team) (required, need int) {
	for _, m := range team.Members {
		if m.Required {
			required++
		}
	}
	return required, int(math.Ceil(team.Policy.Quorum*float64(required) - 1e-9))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
