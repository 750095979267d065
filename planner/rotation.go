package planner

import (
	"context"
	"math"
	"sync"
)

// fairestRotation chooses the starts, for even and for odd cycle weeks, of
// windows length cells long that minimise the worst-off member's minutes
// outside working hours, then their variance, then their total; pairs that
// keep the quorum inside working hours come first. Windows are costed over
// the horizon's whole cycles so that a week the range misses still counts;
// only working hours are known there, so busy time and time off are left
// out, as in Score's ranking.
func fairestRotation(ctx context.Context, team Team, timelines []timeline, horizon span, length int) (even, odd int, ok bool, err error) {
	p := placeWindows(team, horizon, length)
	quorate := p.quorate(team, timelines)
	costs, weights, err := p.groupCosts(ctx, team, timelines)
	if err != nil {
		return 0, 0, false, err
	}
	// Over whole weeks every start has occurrences in both parities, so no
	// window is empty and free.
	for _, withQuorum := range []bool{true, false} {
		even, odd, ok, err = searchPairs(ctx, costs, weights, p.starts, func(at int) bool { return !withQuorum || quorate[at] })
		if ok || err != nil {
			break
		}
	}
	return even, odd, ok, err
}

// placement is where each window start of a rotation falls on the grid,
// day by day over the horizon.
type placement struct {
	g      grid
	length int // in cells
	starts int // window starts a day: every quarter leaving room for length
	// parity[i] is the cycle week of core day i.
	parity []int
	// cells[i*starts+q] is the first cell of the window starting at quarter
	// q on core day i, or -1 when that occurrence falls outside the horizon.
	cells []int
	// regular[i] says that every window of core day i lies in the horizon,
	// one cell after the other: the team zone's clock does not change then.
	regular []bool
	// reach[i] runs from the start of core day i's first window in the
	// horizon to the end of its last; empty when it has none.
	reach []span
}

func placeWindows(team Team, horizon span, length int) placement {
	days := newCoreDays(team, horizon)
	p := placement{g: newGrid(horizon), length: length, starts: quarters - length + 1}
	p.parity = make([]int, len(days.dates))
	p.cells = make([]int, len(days.dates)*p.starts)
	p.regular = make([]bool, len(days.dates))
	p.reach = make([]span, len(days.dates))
	for i, d := range days.dates {
		p.parity[i] = CycleWeek(d, rotationWeeks)
		p.regular[i] = true
		low, high := math.MaxInt, -1
		for q := range p.starts {
			s := days.starts[i][q]
			cell := int((s - p.g.base) / gridSeconds)
			if s < horizon.start || s+int64(length)*gridSeconds > horizon.end || cell+length > p.g.cells {
				cell = -1
			} else {
				low, high = min(low, cell), max(high, cell)
			}
			p.cells[i*p.starts+q] = cell
			p.regular[i] = p.regular[i] && cell >= 0 && cell == p.cells[i*p.starts]+q
		}
		if high >= 0 {
			p.reach[i] = span{p.at(low), p.at(high + length)}
		}
	}
	return p
}

// at is the instant cell starts.
func (p *placement) at(cell int) int64 { return p.g.base + int64(cell)*gridSeconds }

// quorate says, per parity and start, whether every occurrence keeps the
// quorum of required members inside working hours.
func (p *placement) quorate(team Team, timelines []timeline) []bool {
	_, need := quorumNeed(team)
	required := func(m int) bool { return team.Members[m].Required }
	inside := coverage(timelines, func(line *timeline) []span { return line.working }, required, p.g, []int{p.length})[0]
	out := make([]bool, rotationWeeks*p.starts)
	for i := range out {
		out[i] = true
	}
	for i, parity := range p.parity {
		for q, cell := range p.cells[i*p.starts : (i+1)*p.starts] {
			if cell >= 0 && int(inside[cell]) < need {
				out[parity*p.starts+q] = false
			}
		}
	}
	return out
}

// groupCosts costs every window start once per group of members sharing a
// zone and working hours. costs[at*groups+g] is the minutes outside working
// hours of group g for the window at = parity*starts+q, groups innermost
// for the pair search; weights[g] counts the members of group g.
func (p *placement) groupCosts(ctx context.Context, team Team, timelines []timeline) (costs, weights []int64, err error) {
	groups := memberGroups(team, timelines)
	costs = make([]int64, rotationWeeks*p.starts*len(groups))
	weights = make([]int64, len(groups))
	for g, group := range groups {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		for at, x := range p.windowCosts(group.working) {
			costs[at*len(groups)+g] = x
		}
		weights[g] = group.members
	}
	return costs, weights, nil
}

// group is members sharing a zone and working hours.
type group struct {
	working []span
	members int64
}

func memberGroups(team Team, timelines []timeline) []group {
	var groups []group
	index := map[string]int{}
	var key []byte
	for m, member := range team.Members {
		key = appendHoursKey(append(key[:0], member.Location.String()...), member.Working)
		i, seen := index[string(key)]
		if !seen {
			i = len(groups)
			index[string(key)] = i
			groups = append(groups, group{working: timelines[m].working})
		}
		groups[i].members++
	}
	return groups
}

// windowCosts is the minutes outside working hours, summed over the
// horizon, of the window at each parity and start. On a regular day the
// window at start q begins at t = t0 + 900q, and shares with a working run
// [a, b) the seconds R(t+L-a) - R(t-a) - R(t+L-b) + R(t-b), where
// R(x) = max(0, x): each term is x0 + 900q from the first q where it is
// positive, so it is added for all starts at once, as a constant and a
// slope from there. Other days are counted window by window.
func (p *placement) windowCosts(working []span) []int64 {
	length := int64(p.length) * gridSeconds
	out := make([]int64, rotationWeeks*p.starts)
	constant, slope := make([]int64, len(out)), make([]int64, len(out))
	var regularDays [rotationWeeks]int64
	ramp := func(parity int, x0, sign int64) {
		k := int64(0)
		if x0 <= 0 {
			k = -x0/gridSeconds + 1
		}
		if k < int64(p.starts) {
			constant[parity*p.starts+int(k)] += sign * x0
			slope[parity*p.starts+int(k)] += sign
		}
	}
	r := 0 // runs before r end before every later day's windows
	for i, parity := range p.parity {
		reach := p.reach[i]
		if reach.end <= reach.start {
			continue
		}
		for r < len(working) && working[r].end <= reach.start {
			r++
		}
		near := working[r:]
		for k, run := range near {
			if run.start >= reach.end {
				near = near[:k]
				break
			}
		}
		cells := p.cells[i*p.starts : (i+1)*p.starts]
		if p.regular[i] {
			regularDays[parity]++
			t0 := p.at(cells[0])
			for _, run := range near {
				ramp(parity, t0+length-run.start, -1)
				ramp(parity, t0-run.start, 1)
				ramp(parity, t0+length-run.end, 1)
				ramp(parity, t0-run.end, -1)
			}
			continue
		}
		for q, cell := range cells {
			if cell < 0 {
				continue
			}
			t := p.at(cell)
			cost := length
			for _, run := range near {
				cost -= max(0, min(run.end, t+length)-max(run.start, t))
			}
			out[parity*p.starts+q] += cost
		}
	}
	for parity, days := range regularDays {
		var c, s int64
		for q := range p.starts {
			i := parity*p.starts + q
			c, s = c+constant[i], s+slope[i]
			out[i] = (out[i] + days*length + c + gridSeconds*int64(q)*s) / 60
		}
	}
	return out
}

// searchPairs tries every pair of an even-week start a and a different
// odd-week start b that eligible accepts (at = parity*starts+q), and
// returns the fairest. The even-week starts are shared out between
// processors; of equally fair pairs the first in order of a, then b, wins.
func searchPairs(ctx context.Context, costs, weights []int64, starts int, eligible func(at int) bool) (even, odd int, ok bool, err error) {
	var members int64
	for _, w := range weights {
		members += w
	}
	var mu sync.Mutex
	var shares []pairChoice
	inParallel(starts, minPairShare, func(from, to int) {
		share := pairChoice{key: rotationKey{worst: math.MaxInt64}}
		for a := from; a < to && ctx.Err() == nil; a++ {
			if eligible(a) {
				share.tryWith(costs, weights, members, starts, a, eligible)
			}
		}
		mu.Lock()
		shares = append(shares, share)
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return 0, 0, false, err
	}
	best := pairChoice{key: rotationKey{worst: math.MaxInt64}}
	for _, share := range shares {
		if share.ok && (share.key.less(best.key) || !best.key.less(share.key) && share.even < best.even) {
			best = share
		}
	}
	return best.even, best.odd, best.ok, nil
}

// minPairShare is the fewest even-week starts worth a goroutine.
const minPairShare = 16

// pairChoice is the fairest pair of starts found so far.
type pairChoice struct {
	key       rotationKey
	even, odd int
	ok        bool
}

// tryWith pairs even-week start a with every odd-week start.
func (c *pairChoice) tryWith(costs, weights []int64, members int64, starts, a int, eligible func(at int) bool) {
	groups := len(weights)
	xs := costs[a*groups : (a+1)*groups]
	for b := range starts {
		if a == b || !eligible(starts+b) {
			continue
		}
		ys := costs[(starts+b)*groups : (starts+b+1)*groups]
		var worst, sum, sumSq int64
		for g, w := range weights {
			x := xs[g] + ys[g]
			worst = max(worst, x)
			sum += w * x
			sumSq += w * x * x
		}
		if key := (rotationKey{worst, variance(members, sum, sumSq), sum}); key.less(c.key) {
			c.key, c.even, c.odd, c.ok = key, a, b, true
		}
	}
}

// rotationKey orders rotations: the worst-off member's minutes, then their
// variance, then the total.
type rotationKey struct {
	worst    int64
	variance float64
	sum      int64
}

func (k rotationKey) less(o rotationKey) bool {
	if k.worst != o.worst {
		return k.worst < o.worst
	}
	if k.variance != o.variance {
		return k.variance < o.variance
	}
	return k.sum < o.sum
}

// appendHoursKey appends a canonical encoding of weekly hours, for grouping
// members: fixed-width entries, so equal keys mean equal hours.
func appendHoursKey(key []byte, w WeeklyHours) []byte {
	key = append(key, '|')
	for _, d := range mondayFirst {
		for _, r := range w[d] {
			key = append(key, byte(d), byte(r.Start>>8), byte(r.Start), byte(r.End>>8), byte(r.End))
		}
	}
	return key
}
