package planner

import (
	"context"
	"math/bits"
	"time"
)

// Segment is a stretch of the heat map in which the set of available members
// does not change. Available lists member ids in team order.
type Segment struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Available []string  `json:"available"`
	Count     int       `json:"count"`
}

// Overlap returns the heat map of [from, to): consecutive segments covering
// the whole range, each with the members available throughout it. Errors are
// *FieldError ("to" for a bad range, "members[i]…" for a bad member).
func Overlap(ctx context.Context, team Team, from, to time.Time) ([]Segment, error) {
	if err := validateRange(from, to); err != nil {
		return nil, err
	}
	if err := team.Validate(); err != nil {
		return nil, err
	}
	lo, hi := from.Unix(), to.Unix()
	tls, err := buildTimelines(ctx, team, lo, hi)
	if err != nil {
		return nil, err
	}
	return heatMap(ctx, team, tls, lo, hi)
}

// heatMap finds every instant at which someone's availability changes, then
// sweeps the segments in order, each list made from the previous one and the
// members joining or leaving. Boundaries are collected in a bitset over the
// seconds of the range, which yields them sorted and deduplicated in one
// linear scan instead of a sort of all events, and with a running count of
// bits per word turns any boundary into its segment index without a search.
// Sweeping writes each list front to back, mostly by bulk copies, where
// handing out members one by one would scatter writes over every list.
func heatMap(ctx context.Context, team Team, tls []timeline, lo, hi int64) ([]Segment, error) {
	marks := make([]uint64, (hi-lo)/64+1)
	mark := func(t int64) { marks[(t-lo)/64] |= 1 << uint((t-lo)%64) }
	mark(lo)
	changes := 0
	for _, tl := range tls {
		for _, s := range tl.free {
			mark(s.start)
			if s.end < hi {
				mark(s.end)
			}
		}
		changes += 2 * len(tl.free)
	}
	// before[w] counts the boundaries in words before w.
	before := make([]int32, len(marks))
	var bounds []int64
	for w, word := range marks {
		before[w] = int32(len(bounds))
		for word != 0 {
			bounds = append(bounds, lo+int64(w)*64+int64(bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	bounds = append(bounds, hi)
	segments := len(bounds) - 1
	// index is the segment starting at boundary t; hi ends the last one.
	index := func(t int64) int {
		if t >= hi {
			return segments
		}
		w, bit := (t-lo)/64, uint((t-lo)%64)
		return int(before[w]) + bits.OnesCount64(marks[w]&(1<<bit-1))
	}

	// Bucket the changes by segment, in member order: member m joins (2m)
	// or leaves (2m+1) at the start of the segment. Counted two places
	// ahead, then placed one ahead, first[i] ends as where segment i's
	// changes begin; ends at hi fall in a last, unswept bucket.
	first := make([]int32, segments+3)
	at := make([]int32, 0, changes) // each change's segment, in member order
	for _, tl := range tls {
		for _, s := range tl.free {
			i, j := index(s.start), index(s.end)
			first[i+2]++
			first[j+2]++
			at = append(at, int32(i+1), int32(j+1))
		}
	}
	for i := 2; i < len(first); i++ {
		first[i] += first[i-1]
	}
	bucketed := make([]int32, changes)
	for m, tl := range tls {
		for range tl.free {
			i, j := at[0], at[1]
			at = at[2:]
			bucketed[first[i]], bucketed[first[j]] = int32(2*m), int32(2*m+1)
			first[i]++
			first[j]++
		}
	}
	// Now segment i's changes are bucketed[first[i]:first[i+1]]; count
	// first so every list is carved at its final size from one array.
	counts := make([]int, segments)
	total, count := 0, 0
	for i := range counts {
		for _, c := range bucketed[first[i]:first[i+1]] {
			count += 1 - 2*int(c&1)
		}
		counts[i] = count
		total += count
	}
	ids := make([]string, len(tls))
	for m := range ids {
		ids[m] = team.Members[m].ID
	}
	// Each list is the previous one with the segment's changes merged in
	// (both in team order), copying unchanged runs in bulk; members and
	// prevMembers hold the member index of each entry. A segment changes a
	// good share of its list, so a linear merge beats searching.
	backing := make([]string, total)
	var prev []string
	var prevMembers, members []int32
	segs := make([]Segment, segments)
	for i := range segs {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		list := backing[:0:counts[i]]
		backing = backing[counts[i]:]
		members = members[:0]
		j := 0
		for _, c := range bucketed[first[i]:first[i+1]] {
			m := c >> 1
			k := j
			for k < len(prevMembers) && prevMembers[k] < m {
				k++
			}
			list, members = append(list, prev[j:k]...), append(members, prevMembers[j:k]...)
			j = k
			if c&1 == 0 {
				list, members = append(list, ids[m]), append(members, m)
			} else {
				j++ // prev[j] is the member leaving
			}
		}
		list, members = append(list, prev[j:]...), append(members, prevMembers[j:]...)
		prev, prevMembers, members = list, members, prevMembers
		start, end := span{bounds[i], bounds[i+1]}.times()
		segs[i] = Segment{Start: start, End: end, Available: list, Count: counts[i]}
	}
	return segs, nil
}
