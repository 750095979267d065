package planner

import (
	"context"
	"encoding/binary"
	"math"
	"slices"
)

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
