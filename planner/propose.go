package planner

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"sync"
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

// Proposal is a ranked candidate for a team's core hours. CoreHours() gives
// the value to adopt.
type Proposal struct {
	Rank int `json:"rank"`
	// Kind is "fixed" (the same windows every week) or "rotation" (windows
	// alternating by cycle week, see RotationEpoch).
	Kind        string         `json:"kind"`
	CycleWeeks  int            `json:"cycle_weeks"`
	Windows     []Window       `json:"windows"`
	Score       Score          `json:"score"`
	Occurrences []Occurrence   `json:"occurrences"`
	Burden      []MemberBurden `json:"burden"`
	Fairness    Fairness       `json:"fairness"`
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

// Plan computes the heat map, ranked core-hours proposals and the DST
// preview for [from, to). Proposals are ranked by Score: quorum met, then
// required attendance, then minutes in preferred hours, then fewest minutes
// outside working hours, then fewest UTC shifts. When the best fixed window
// leaves someone outside working hours, a two-week rotation is among the
// proposals: of the rotations meeting the quorum (of all of them when none
// does), the one minimising the worst member's inconvenient minutes, then
// their spread. Errors are *FieldError.
func Plan(ctx context.Context, team Team, from, to time.Time) (TeamPlan, error) {
	if err := validateRange(from, to); err != nil {
		return TeamPlan{}, err
	}
	if err := team.Validate(); err != nil {
		return TeamPlan{}, err
	}
	lo, hi := from.Unix(), to.Unix()
	tls, err := buildTimelines(ctx, team, lo, hi)
	if err != nil {
		return TeamPlan{}, err
	}
	// The heat map and the proposals only read the timelines, so they are
	// worked out side by side.
	var wg sync.WaitGroup
	var overlap HeatMap
	var heatMapErr error
	wg.Go(func() { overlap, heatMapErr = heatMap(ctx, team, tls, lo, hi) })
	plan := TeamPlan{Proposals: []Proposal{}, DSTChanges: []DSTChange{}}
	plan.FullOverlapMinutes = fullOverlapMinutes(team, tls)
	plan.NoOverlap = plan.FullOverlapMinutes == 0
	var cores []CoreHours
	if len(team.Members) > 0 {
		cores, err = proposeCoreHours(ctx, team, tls, lo, hi)
	}
	var evals []evaluation
	if err == nil {
		evals, err = evaluate(ctx, team, tls, cores, lo, hi)
	}
	wg.Wait()
	if err = cmp.Or(err, heatMapErr); err != nil {
		return TeamPlan{}, err
	}
	plan.Overlap = overlap
	for i, core := range cores {
		ev := evals[i]
		kind := "fixed"
		if core.CycleWeeks > 1 {
			kind = "rotation"
		}
		plan.Proposals = append(plan.Proposals, Proposal{
			Kind: kind, CycleWeeks: core.CycleWeeks, Windows: core.Windows,
			Score: ev.score, Occurrences: ev.occurrences, Burden: ev.burden, Fairness: ev.fairness,
		})
	}
	order := make([]int, len(evals))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareScores(evals[a].score, evals[b].score) })
	ranked := make([]Proposal, len(order))
	changes := 0
	for _, ev := range evals {
		changes += len(ev.dstChanges)
	}
	plan.DSTChanges = make([]DSTChange, 0, changes)
	for rank, i := range order {
		ranked[rank] = plan.Proposals[i]
		ranked[rank].Rank = rank + 1
		for _, c := range evals[i].dstChanges {
			c.Rank = rank + 1
			plan.DSTChanges = append(plan.DSTChanges, c)
		}
	}
	plan.Proposals = ranked
	return plan, nil
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

func fullOverlapMinutes(team Team, tls []timeline) int {
	_, need := quorumNeed(Team{Policy: Policy{Quorum: 1}, Members: team.Members})
	var common []span
	started := false
	for m, tl := range tls {
		if need > 0 && !team.Members[m].Required {
			continue
		}
		if !started {
			common, started = tl.free, true
			continue
		}
		common = subtract(nil, common, subtract(nil, common, tl.free)) // intersection
	}
	var total int64
	for _, s := range common {
		total += s.end - s.start
	}
	return int(total / 60)
}

// grid is the 15-minute UTC cells covering the range; proposals are scored
// on per-cell member counts instead of rescanning members per candidate.
type grid struct {
	base  int64
	cells int
}

func newGrid(lo, hi int64) grid {
	base := lo - ((lo%gridSeconds)+gridSeconds)%gridSeconds
	return grid{base, int((hi - base + gridSeconds - 1) / gridSeconds)}
}

// run is the cells [c0, c1) lying wholly inside s.
func (g grid) run(s span) (int, int) {
	c0 := int((s.start - g.base + gridSeconds - 1) / gridSeconds)
	c1 := int((s.end - g.base) / gridSeconds)
	return c0, min(c1, g.cells)
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

// coreDays are the team-zone dates of core weekdays touching the range, with
// the instant each quarter hour of the day starts.
type coreDays struct {
	dates  []Date
	starts [][quarters]int64
}

func newCoreDays(team Team, lo, hi int64) coreDays {
	var cd coreDays
	last := DateOf(time.Unix(hi, 0).In(team.Location))
	for d := DateOf(time.Unix(lo, 0).In(team.Location)); !last.Before(d); d = d.AddDays(1) {
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
func proposeCoreHours(ctx context.Context, team Team, tls []timeline, lo, hi int64) ([]CoreHours, error) {
	g := newGrid(lo, hi)
	days := newCoreDays(team, lo, hi)
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
		a, b, ok, err := fairestRotation(ctx, team, tls, g, days, best.length, inside[best.length-lengths[0]], need, lo, hi)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, CoreHours{CycleWeeks: 2, Windows: append(dailyWindows(p, 0, a, best.length), dailyWindows(p, 1, b, best.length)...)})
		}
	}
	return out, nil
}

// dailyWindows is one window per core weekday, Monday first.
func dailyWindows(p Policy, week, start, length int) []Window {
	var out []Window
	for _, d := range mondayFirst {
		if p.isCoreWeekday(d) {
			out = append(out, Window{Week: week, Weekday: WeekdayKey(d), Start: Clock(start * gridMinutes), End: Clock((start + length) * gridMinutes)})
		}
	}
	return out
}

// fairestRotation chooses the window for even cycle weeks (a) and odd ones
// (b) that minimise the largest per-member minutes outside working hours,
// then their standard deviation, then their total. Like a fixed window, the
// pair must keep need required members inside working hours at every
// occurrence (inside counts them per start cell) unless no pair can; only
// then is the fairest pair of all taken. Members sharing a zone and
// working hours form one group, costed once from its working runs near each
// core day, so the cost is groups × (runs + quarters) plus quarters² × kinds
// (groups with equal costs) for the pair search. Whole cells are counted, so
// hours off the 15-minute grid are approximated here, and time off is left
// out as in Score's ranking; the chosen rotation is then measured exactly by
// evaluate.
func fairestRotation(ctx context.Context, team Team, tls []timeline, g grid, days coreDays, length int, inside []int32, need int, lo, hi int64) (a, b int, ok bool, err error) {
	type group struct {
		working []span
		weight  int64
	}
	var groups []group
	index := map[string]int{}
	var key []byte
	for m, member := range team.Members {
		key = appendHoursKey(append(key[:0], member.Location.String()...), member.Working)
		i, seen := index[string(key)]
		if !seen {
			i = len(groups)
			index[string(key)] = i
			groups = append(groups, group{working: tls[m].working})
		}
		groups[i].weight++
	}
	starts := quarters - length + 1
	// cells[i*starts+q] is the first cell of the window starting at quarter
	// q on core day i, or -1 when that occurrence falls outside the range.
	// On a regular day every start is valid and the cells run on one by one
	// from the day's first; only the team zone's clock changes and the
	// range's edges make days irregular.
	cells := make([]int, len(days.dates)*starts)
	parities := make([]int, len(days.dates))
	regular := make([]bool, len(days.dates))
	// Valid windows of day i start in cells [low[i], high[i]].
	low, high := make([]int, len(days.dates)), make([]int, len(days.dates))
	// counted[parity*starts+q] counts the valid occurrences of start q, and
	// quorate says whether all of them meet the quorum.
	counted := make([]int64, 2*starts)
	quorate := make([]bool, 2*starts)
	for i := range quorate {
		quorate[i] = true
	}
	for i, d := range days.dates {
		parities[i] = CycleWeek(d, 2)
		regular[i] = true
		low[i], high[i] = math.MaxInt, -1
		for q := range starts {
			s := days.starts[i][q]
			cell := int((s - g.base) / gridSeconds)
			if s < lo || s+int64(length)*gridSeconds > hi || cell+length > g.cells {
				cell = -1
			} else {
				at := parities[i]*starts + q
				counted[at]++
				quorate[at] = quorate[at] && int(inside[cell]) >= need
				low[i], high[i] = min(low[i], cell), max(high[i], cell)
			}
			cells[i*starts+q] = cell
			regular[i] = regular[i] && cell >= 0 && cell == cells[i*starts]+q
		}
	}
	// The working cells a window starting at q shares with a run [c0, c1)
	// form a trapezoid in q: on a regular day starting at cell b, with
	// ramp(x) = max(0, x), they number ramp(t-c0+L) - ramp(t-c0) -
	// ramp(t-c1+L) + ramp(t-c1) for t = b+q. Each ramp is added in O(1):
	// one starting inside [0, starts) as a change of slope, one starting
	// earlier as a value at q = 0 and a slope. Irregular days are counted
	// window by window.
	var slopes [2][]int64
	var value0, slope0 [2]int64
	for parity := range slopes {
		slopes[parity] = make([]int64, starts)
	}
	ramp := func(parity, at int, sign int64) {
		switch {
		case at >= starts:
		case at >= 0:
			slopes[parity][at] += sign
		default:
			value0[parity] -= sign * int64(at)
			slope0[parity] += sign
		}
	}
	// Groups whose costs come out the same (say, hours that differ only on
	// days without core hours) merge into one kind, with their weights
	// added: the pair search below goes over kinds.
	var kinds [][]int64 // per kind: minutes outside working hours per parity and start
	var weights []int64
	kindOf := map[string]int{}
	var runs [][2]int
	insideSums := make([]int64, 2*starts)
	for _, gr := range groups {
		if ctx.Err() != nil {
			return 0, 0, false, ctx.Err()
		}
		runs = runs[:0]
		for _, s := range gr.working {
			if c0, c1 := g.run(s); c1 > c0 {
				runs = append(runs, [2]int{c0, c1})
			}
		}
		for parity := range slopes {
			clear(slopes[parity])
		}
		value0, slope0 = [2]int64{}, [2]int64{}
		clear(insideSums)
		r := 0 // runs before r end before every later day's windows
		for i, parity := range parities {
			if high[i] < 0 {
				continue // no valid window that day
			}
			for r < len(runs) && runs[r][1] <= low[i] {
				r++
			}
			near := runs[r:]
			for k, run := range near {
				if run[0] >= high[i]+length {
					near = near[:k]
					break
				}
			}
			if regular[i] {
				first := cells[i*starts]
				for _, run := range near {
					ramp(parity, run[0]-length-first, 1)
					ramp(parity, run[0]-first, -1)
					ramp(parity, run[1]-length-first, -1)
					ramp(parity, run[1]-first, 1)
				}
				continue
			}
			for q, cell := range cells[i*starts : (i+1)*starts] {
				if cell < 0 {
					continue
				}
				for _, run := range near {
					insideSums[parity*starts+q] += int64(max(0, min(cell+length, run[1])-max(cell, run[0])))
				}
			}
		}
		costs := make([]int64, 2*starts)
		key = key[:0]
		for parity := range slopes {
			value, slope := value0[parity], slope0[parity]
			for q, change := range slopes[parity] {
				inside := insideSums[parity*starts+q] + value
				costs[parity*starts+q] = (int64(length)*counted[parity*starts+q] - inside) * gridMinutes
				key = binary.LittleEndian.AppendUint64(key, uint64(costs[parity*starts+q]))
				slope += change
				value += slope
			}
		}
		k, seen := kindOf[string(key)]
		if !seen {
			k = len(kinds)
			kindOf[string(key)] = k
			kinds, weights = append(kinds, costs), append(weights, 0)
		}
		weights[k] += gr.weight
	}
	// outside[parity][q*len(kinds)+k]: minutes a member of kind k spends
	// outside working hours if the window starts at quarter q in weeks of
	// that parity. Integer minutes keep every sum below exact; kinds are
	// innermost for the pair search.
	var outside [2][]int64
	for parity := range outside {
		outside[parity] = make([]int64, starts*len(kinds))
		for k, costs := range kinds {
			for q := range starts {
				outside[parity][q*len(kinds)+k] = costs[parity*starts+q]
			}
		}
	}
	// Per pair the weighted sum and sum of squares split into per-start
	// parts and one cross term, Σ w·x·y, computed with the worst case in a
	// single pass over groups.
	var total int64
	for _, w := range weights {
		total += w
	}
	var sums, squares [2][]int64
	for parity := range outside {
		sums[parity], squares[parity] = make([]int64, starts), make([]int64, starts)
		for q := range starts {
			for k, x := range outside[parity][q*len(kinds) : (q+1)*len(kinds)] {
				sums[parity][q] += weights[k] * x
				squares[parity][q] += weights[k] * x * x
			}
		}
	}
	best := [3]float64{math.Inf(1)}
	wxs := make([]int64, len(kinds))
	// killer is a kind that was worse off than the best pair's worst case
	// in the last pair ruled out; it often rules out the next pair at once.
	killer := 0
	// The first search takes only pairs meeting the quorum; the second, all
	// pairs, runs only when the first found none.
	for search := 0; search < 2 && !ok; search++ {
		withQuorum := search == 0
		for qa := range starts {
			if ctx.Err() != nil {
				return 0, 0, false, ctx.Err()
			}
			if withQuorum && !quorate[qa] {
				continue
			}
			xs := outside[0][qa*len(kinds) : (qa+1)*len(kinds)]
			for k, x := range xs {
				wxs[k] = weights[k] * x
			}
			for qb := range starts {
				if qa == qb || withQuorum && !quorate[starts+qb] {
					continue
				}
				ys := outside[1][qb*len(kinds) : (qb+1)*len(kinds)]
				if float64(xs[killer]+ys[killer]) > best[0] {
					continue
				}
				worst, cross := worstAndCross(xs, ys, wxs)
				if float64(worst) > best[0] {
					for k := range xs {
						if xs[k]+ys[k] == worst {
							killer = k
							break
						}
					}
					continue
				}
				sum := float64(sums[0][qa] + sums[1][qb])
				sumSq := float64(squares[0][qa] + squares[1][qb] + 2*cross)
				mean := sum / float64(total)
				key := [3]float64{float64(worst), math.Sqrt(max(0, sumSq/float64(total)-mean*mean)), sum}
				if slices.Compare(key[:], best[:]) < 0 {
					best, a, b, ok = key, qa, qb, true
				}
			}
		}
	}
	return a, b, ok, nil
}

// worstAndCross returns max(x+y) and Σ wx·y over kinds. It is the inner
// loop of the pair search, so four independent accumulators keep the
// processor's pipelines busy.
func worstAndCross(xs, ys, wxs []int64) (worst, cross int64) {
	ys, wxs = ys[:len(xs)], wxs[:len(xs)]
	var w [4]int64
	var c [4]int64
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		x, y, wx := xs[i:i+4:i+4], ys[i:i+4:i+4], wxs[i:i+4:i+4]
		w[0], c[0] = max(w[0], x[0]+y[0]), c[0]+wx[0]*y[0]
		w[1], c[1] = max(w[1], x[1]+y[1]), c[1]+wx[1]*y[1]
		w[2], c[2] = max(w[2], x[2]+y[2]), c[2]+wx[2]*y[2]
		w[3], c[3] = max(w[3], x[3]+y[3]), c[3]+wx[3]*y[3]
	}
	for ; i < len(xs); i++ {
		w[0], c[0] = max(w[0], xs[i]+ys[i]), c[0]+wxs[i]*ys[i]
	}
	return max(w[0], w[1], w[2], w[3]), c[0] + c[1] + c[2] + c[3]
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
