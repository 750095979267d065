package planner

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Core windows start and end on a 15-minute grid; every zone in use today
// has an offset that is a multiple of 15 minutes, so the grid in UTC lines up
// with every member's local quarter hours.
const (
	gridMinutes = 15
	gridSeconds = gridMinutes * 60
	quarters    = minutesPerDay / gridMinutes
)

// maxFixedProposals is how many distinct fixed windows a plan offers.
const maxFixedProposals = 3

// grid is the 15-minute UTC cells covering a span; proposals are scored on
// per-cell member counts instead of rescanning members per candidate.
type grid struct {
	base  int64
	cells int
}

func newGrid(s span) grid {
	base := s.start - ((s.start%gridSeconds)+gridSeconds)%gridSeconds
	return grid{base, int((s.end - base + gridSeconds - 1) / gridSeconds)}
}

// run is the cells [c0, c1) of the grid lying wholly inside s.
func (g grid) run(s span) (int, int) {
	c0 := int((s.start - g.base + gridSeconds - 1) / gridSeconds)
	c1 := int((s.end - g.base) / gridSeconds)
	return max(c0, 0), min(c1, g.cells)
}

// coverage counts, for each window length in cells and each start cell, the
// members (those include accepts) whose spans cover the whole window. Each
// run of cells adds +1/-1 to a difference array per length, so the cost is
// members × runs × lengths, independent of the number of candidates.
func coverage(timelines []timeline, spans func(*timeline) []span, include func(int) bool, g grid, lengths []int) [][]int32 {
	out := make([][]int32, len(lengths))
	for k := range out {
		out[k] = make([]int32, g.cells+1)
	}
	for m := range timelines {
		if !include(m) {
			continue
		}
		for _, s := range spans(&timelines[m]) {
			c0, c1 := g.run(s)
			for k, length := range lengths {
				if c1-c0 >= length {
					out[k][c0]++
					out[k][c1-length+1]--
				}
			}
		}
	}
	for _, counts := range out {
		for c := 1; c < len(counts); c++ {
			counts[c] += counts[c-1]
		}
	}
	return out
}

// prefixSums turns per-cell counts into sums over any cell range.
func prefixSums(counts []int32) []int64 {
	out := make([]int64, len(counts)+1)
	for c, n := range counts {
		out[c+1] = out[c] + int64(n)
	}
	return out
}

// coreDays are the team-zone dates of core weekdays touching a span, with
// the instant each quarter hour of the day starts.
type coreDays struct {
	dates  []Date
	starts [][quarters]int64
}

func newCoreDays(team Team, s span) coreDays {
	var days coreDays
	last := DateOf(time.Unix(s.end, 0).In(team.Location))
	for d := DateOf(time.Unix(s.start, 0).In(team.Location)); !last.Before(d); d = d.AddDays(1) {
		if !team.Policy.isCoreWeekday(d.Weekday()) {
			continue
		}
		var starts [quarters]int64
		for q := range starts {
			starts[q] = wallToUnix(d, q*gridMinutes, team.Location)
		}
		days.dates = append(days.dates, d)
		days.starts = append(days.starts, starts)
	}
	return days
}

// proposeCoreHours picks up to maxFixedProposals distinct fixed windows and,
// when the best of them leaves someone outside working hours, a rotation.
func proposeCoreHours(ctx context.Context, team Team, timelines []timeline, period span, horizon weeks) ([]CoreHours, error) {
	cands, err := fixedCandidates(ctx, team, timelines, period)
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	p := team.Policy
	var out []CoreHours
	picked := bestDistinct(cands)
	for _, c := range picked {
		out = append(out, CoreHours{CycleWeeks: 1, Windows: dailyWindows(p, 0, c.start, c.length)})
	}
	if best := picked[0]; best.score.OutsideWorkingMinutes > 0 {
		even, odd, ok, err := fairestRotation(ctx, team, timelines, horizon.span, best.length)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, CoreHours{CycleWeeks: rotationWeeks, Windows: append(dailyWindows(p, 0, even, best.length), dailyWindows(p, 1, odd, best.length)...)})
		}
	}
	return out, nil
}

// candidate is a window at the same team-zone time on every core weekday.
type candidate struct {
	start, length int // in quarters of an hour
	score         Score
}

// fixedCandidates scores every window the policy allows that has an
// occurrence in the range.
func fixedCandidates(ctx context.Context, team Team, timelines []timeline, period span) ([]candidate, error) {
	counts := newCellCounts(team, timelines, period)
	var cands []candidate
	for k, length := range counts.lengths {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for q := 0; q+length <= quarters; q++ {
			if score, ok := counts.score(q, k); ok {
				cands = append(cands, candidate{q, length, score})
			}
		}
	}
	return cands, nil
}

// bestDistinct is the best candidates, up to maxFixedProposals, no two
// overlapping; ties go to the earlier start.
func bestDistinct(cands []candidate) []candidate {
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(compareScores(a.score, b.score), cmp.Compare(a.start, b.start))
	})
	var picked []candidate
	for _, c := range cands {
		if len(picked) == maxFixedProposals {
			break
		}
		if !slices.ContainsFunc(picked, func(o candidate) bool { return o.start < c.start+c.length && c.start < o.start+o.length }) {
			picked = append(picked, c)
		}
	}
	return picked
}

// cellCounts are member counts per cell of the range's grid, from which
// any fixed window is scored without looking at members again. Whole cells
// are counted, so hours off the 15-minute grid are approximated here; the
// chosen windows are then measured exactly.
type cellCounts struct {
	period  span
	g       grid
	days    coreDays
	lengths []int // window lengths the policy allows, in cells
	// attending[k][c] and inside[k][c] count the required members free,
	// and inside working hours, throughout the window of lengths[k] cells
	// from cell c.
	attending, inside [][]int32
	// preferred and working are prefix sums of the members inside preferred
	// and working hours per cell.
	preferred, working []int64
	members            int64
	required, need     int
}

func newCellCounts(team Team, timelines []timeline, period span) cellCounts {
	p := team.Policy
	counts := cellCounts{period: period, g: newGrid(period), days: newCoreDays(team, period), members: int64(len(timelines))}
	for l := p.MinSlotMinutes / gridMinutes; l <= p.MaxCoreMinutesPerDay/gridMinutes; l++ {
		counts.lengths = append(counts.lengths, l)
	}
	required := func(m int) bool { return team.Members[m].Required }
	everyone := func(int) bool { return true }
	free := func(line *timeline) []span { return line.free }
	working := func(line *timeline) []span { return line.working }
	preferred := func(line *timeline) []span { return line.preferred }
	counts.attending = coverage(timelines, free, required, counts.g, counts.lengths)
	counts.inside = coverage(timelines, working, required, counts.g, counts.lengths)
	counts.preferred = prefixSums(coverage(timelines, preferred, everyone, counts.g, []int{1})[0])
	counts.working = prefixSums(coverage(timelines, working, everyone, counts.g, []int{1})[0])
	counts.required, counts.need = quorumNeed(team)
	return counts
}

// score scores the window starting at quarter q, lengths[k] cells long, on
// its occurrences in the range; false when it has none.
func (counts *cellCounts) score(q, k int) (Score, bool) {
	var s Score
	length := counts.lengths[k]
	occurrences, quorate, attended := 0, 0, 0
	var firstUTC int64 = -1
	for _, starts := range counts.days.starts {
		at := starts[q]
		cell := int((at - counts.g.base) / gridSeconds)
		if at < counts.period.start || at+int64(length)*gridSeconds > counts.period.end || cell+length > counts.g.cells {
			continue
		}
		occurrences++
		attended += int(counts.attending[k][cell])
		if int(counts.inside[k][cell]) >= counts.need {
			quorate++
		}
		s.PreferredMinutes += int(counts.preferred[cell+length]-counts.preferred[cell]) * gridMinutes
		s.OutsideWorkingMinutes += int(counts.members*int64(length)-(counts.working[cell+length]-counts.working[cell])) * gridMinutes
		if firstUTC < 0 {
			firstUTC = at % secondsPerDay
		} else if at%secondsPerDay != firstUTC {
			s.UTCShifts++
		}
	}
	s.MeetsQuorum = quorate == occurrences
	s.setAttendance(attended, counts.required*occurrences)
	return s, occurrences > 0
}
