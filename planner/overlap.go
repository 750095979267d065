package planner

import (
	"math/bits"
	"slices"
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
// sorted and deduplicated in one linear scan instead of a sort of all events.
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
	var bounds []int64
	for w, word := range marks {
		for word != 0 {
			bounds = append(bounds, lo+int64(w)*64+int64(bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	bounds = append(bounds, hi)

	// Count first so each list is allocated once at its final size.
	counts := make([]int, len(bounds)-1)
	eachSegment(tls, bounds, func(_, i int) { counts[i]++ })
	segs := make([]Segment, len(bounds)-1)
	for i := range segs {
		start, end := span{bounds[i], bounds[i+1]}.times()
		segs[i] = Segment{Start: start, End: end, Available: make([]string, 0, counts[i]), Count: counts[i]}
	}
	eachSegment(tls, bounds, func(m, i int) { segs[i].Available = append(segs[i].Available, team.Members[m].ID) })
	return segs
}

// eachSegment calls fn for every member m and segment i the member is free
// throughout.
func eachSegment(tls []timeline, bounds []int64, fn func(m, i int)) {
	for m, tl := range tls {
		for _, s := range tl.free {
			i, _ := slices.BinarySearch(bounds, s.start)
			for ; bounds[i] < s.end; i++ {
				fn(m, i)
			}
		}
	}
}
