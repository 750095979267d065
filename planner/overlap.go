package planner

import (
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
func Overlap(team Team, from, to time.Time) ([]Segment, error) {
	if err := validateRange(from, to); err != nil {
		return nil, err
	}
	if err := team.Validate(); err != nil {
		return nil, err
	}
	lo, hi := from.Unix(), to.Unix()
	return heatMap(team, buildTimelines(team, lo, hi), lo, hi), nil
}

// heatMap finds every instant at which someone's availability changes, then
// hands each member's spans to the segments they cover. Boundaries are
// collected in a bitset over the seconds of the range, which yields them
// sorted and deduplicated in one linear scan instead of a sort of all events,
// and with a running count of bits per word turns any boundary into its
// segment index without a search.
func heatMap(team Team, tls []timeline, lo, hi int64) []Segment {
	marks := make([]uint64, (hi-lo)/64+1)
	mark := func(t int64) { marks[(t-lo)/64] |= 1 << uint((t-lo)%64) }
	mark(lo)
	for _, tl := range tls {
		for _, s := range tl.free {
			mark(s.start)
			if s.end < hi {
				mark(s.end)
			}
		}
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

	// Count first (+1 where a span starts, -1 where it ends) so every list
	// is carved at its final size from one backing array.
	counts := make([]int, segments+1)
	for _, tl := range tls {
		for _, s := range tl.free {
			counts[index(s.start)]++
			counts[index(s.end)]--
		}
	}
	total := 0
	for i := range segments {
		if i > 0 {
			counts[i] += counts[i-1]
		}
		total += counts[i]
	}
	backing := make([]string, total)
	segs := make([]Segment, segments)
	for i := range segs {
		start, end := span{bounds[i], bounds[i+1]}.times()
		segs[i] = Segment{Start: start, End: end, Available: backing[:0:counts[i]], Count: counts[i]}
		backing = backing[counts[i]:]
	}
	for m, tl := range tls {
		id := team.Members[m].ID
		for _, s := range tl.free {
			for i, end := index(s.start), index(s.end); i < end; i++ {
				segs[i].Available = append(segs[i].Available, id)
			}
		}
	}
	return segs
}
