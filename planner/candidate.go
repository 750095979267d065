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
func coverage(tls []timeline, spans func(*timeline) []span, include func(int) bool, g grid, lengths []int) [][]int32 {
	out := make([][]int32, len(lengths))
	for k := range out {
		out[k] = make([]int32, g.cells+1)
	}
	for m := range tls {
		if !include(m) {
			continue
		}
		for _, s := range spans(&tls[m]) {
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

// candidate is a window at the same team-zone time on every core weekday.
type candidate struct {
	start, length int // in quarters of an hour
	score         Score
}

// coreDays are the team-zone dates of core weekdays touching a span, with
// the instant each quarter hour of the day starts.
type coreDays struct {
	dates  []Date
	starts [][quarters]int64
}

func newCoreDays(team Team, s span) coreDays {
	var cd coreDays
	last := DateOf(time.Unix(s.end, 0).In(team.Location))
	for d := DateOf(time.Unix(s.start, 0).In(team.Location)); !last.Before(d); d = d.AddDays(1) {
		if !team.Policy.isCoreWeekday(d.Weekday()) {
			continue
		}
		var starts [quarters]int64
		for q := range starts {
			starts[q] = wallToUnix(d, q*gridMinutes, team.Location)
		}
		cd.dates = append(cd.dates, d)
		cd.starts = append(cd.starts, starts)
	}
	return cd
}

// proposeCoreHours picks up to maxFixedProposals distinct fixed windows and,
// when the best of them leaves someone outside working hours, a rotation.
func proposeCoreHours(ctx context.Context, team Team, tls []timeline, rng span, horizon weeks) ([]CoreHours, error) {
	lo, hi := rng.start, rng.end
	g := newGrid(rng)
	days := newCoreDays(team, rng)
	p := team.Policy
	var lengths []int
	for l := p.MinSlotMinutes / gridMinutes; l <= p.MaxCoreMinutesPerDay/gridMinutes; l++ {
		lengths = append(lengths, l)
	}
	required := func(m int) bool { return team.Members[m].Required }
	everyone := func(int) bool { return true }
	free := func(tl *timeline) []span { return tl.free }
	working := func(tl *timeline) []span { return tl.working }
	preferred := func(tl *timeline) []span { return tl.preferred }
	attending := coverage(tls, free, required, g, lengths)
	inside := coverage(tls, working, required, g, lengths)
	preferredSums := prefixSums(coverage(tls, preferred, everyone, g, []int{1})[0])
	workingSums := prefixSums(coverage(tls, working, everyone, g, []int{1})[0])
	nRequired, need := quorumNeed(team)
	members := int64(len(tls))

	var cands []candidate
	for k, length := range lengths {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for q := 0; q+length <= quarters; q++ {
			c := candidate{start: q, length: length}
			occurrences, quorumOK, attendance := 0, 0, 0
			var firstUTC int64 = -1
			for _, starts := range days.starts {
				s := starts[q]
				cell := int((s - g.base) / gridSeconds)
				if s < lo || s+int64(length)*gridSeconds > hi || cell+length > g.cells {
					continue
				}
				occurrences++
				attendance += int(attending[k][cell])
				if int(inside[k][cell]) >= need {
					quorumOK++
				}
				c.score.PreferredMinutes += int(preferredSums[cell+length]-preferredSums[cell]) * gridMinutes
				c.score.OutsideWorkingMinutes += int(members*int64(length)-(workingSums[cell+length]-workingSums[cell])) * gridMinutes
				if firstUTC < 0 {
					firstUTC = s % secondsPerDay
				} else if s%secondsPerDay != firstUTC {
					c.score.UTCShifts++
				}
			}
			if occurrences == 0 {
				continue
			}
			c.score.MeetsQuorum = quorumOK == occurrences
			c.score.setAttendance(attendance, nRequired*occurrences)
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
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
	var out []CoreHours
	for _, c := range picked {
		out = append(out, CoreHours{CycleWeeks: 1, Windows: dailyWindows(p, 0, c.start, c.length)})
	}
	if best := picked[0]; best.score.OutsideWorkingMinutes > 0 {
		even, odd, ok, err := fairestRotation(ctx, team, tls, horizon.span, best.length)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, CoreHours{CycleWeeks: rotationWeeks, Windows: append(dailyWindows(p, 0, even, best.length), dailyWindows(p, 1, odd, best.length)...)})
		}
	}
	return out, nil
}
