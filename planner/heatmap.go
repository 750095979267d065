package planner

import (
	"context"
	"iter"
	"math/bits"
	"slices"
	"time"
)

// HeatMap is who is available when over a range. Each segment lists only
// the members who join or leave at its start, so its size follows the
// changes rather than members × segments.
type HeatMap struct {
	// Members are the member ids in team order; Joined and Left index them.
	Members  []string  `json:"members"`
	Segments []Segment `json:"segments"`
}

// Segment is a stretch of the heat map in which the set of available
// members does not change. Joined and Left are indices into
// HeatMap.Members, ascending; the first segment's Joined is everyone
// available at its start.
type Segment struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Count  int       `json:"count"`
	Joined []int     `json:"joined"`
	Left   []int     `json:"left"`
	LocalTimes
}

// Available yields each segment's index with the ids of the members
// available throughout it, in team order; every slice is new.
func (h HeatMap) Available() iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		available := make([]bool, len(h.Members))
		for i, s := range h.Segments {
			for _, m := range s.Left {
				available[m] = false
			}
			for _, m := range s.Joined {
				available[m] = true
			}
			ids := make([]string, 0, s.Count)
			for m, ok := range available {
				if ok {
					ids = append(ids, h.Members[m])
				}
			}
			if !yield(i, ids) {
				return
			}
		}
	}
}

// Overlap returns the heat map of [from, to): consecutive segments covering
// the whole range. Errors are *FieldError ("to" for a bad range,
// "members[i]…" for a bad member), or ctx.Err().
func Overlap(ctx context.Context, team Team, from, to time.Time) (HeatMap, error) {
	if err := validateRange(from, to); err != nil {
		return HeatMap{}, err
	}
	if err := team.Validate(); err != nil {
		return HeatMap{}, err
	}
	lo, hi := from.Unix(), to.Unix()
	timelines, err := buildTimelines(ctx, team, span{lo, hi}, span{lo, hi})
	if err != nil {
		return HeatMap{}, err
	}
	return heatMap(ctx, team, timelines, lo, hi)
}

// heatMap finds every instant at which someone's availability changes, then
// files each change under the segment starting there. Boundaries are marked
// in a bitset over the seconds of the range, which yields them sorted and
// deduplicated in one linear scan, and with a running count of bits per
// word turns any instant into its segment index without a search.
func heatMap(ctx context.Context, team Team, timelines []timeline, lo, hi int64) (HeatMap, error) {
	marks := make([]uint64, (hi-lo)/64+1)
	mark := func(t int64) { marks[(t-lo)/64] |= 1 << uint((t-lo)%64) }
	mark(lo)
	for _, line := range timelines {
		for _, s := range line.free {
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
	segment := func(t int64) int {
		w, bit := (t-lo)/64, uint((t-lo)%64)
		return int(before[w]) + bits.OnesCount64(marks[w]&(1<<bit-1))
	}
	return fileChanges(ctx, team, timelines, bounds, segment)
}

// fileChanges builds the heat map's segments between bounds: members who
// join or leave at the start of segment i (as segment tells for an instant)
// are listed in it, in team order.
func fileChanges(ctx context.Context, team Team, timelines []timeline, bounds []int64, segment func(int64) int) (HeatMap, error) {
	segments, hi := len(bounds)-1, bounds[len(bounds)-1]
	// Segment i's changes take changes[first[i]:first[i+1]]: those who
	// leave, then those who join; counted here, placed below.
	first := make([]int, segments+1)
	joins := make([]int, segments)
	for _, line := range timelines {
		for _, s := range line.free {
			i := segment(s.start)
			first[i+1]++
			joins[i]++
			if s.end < hi {
				first[segment(s.end)+1]++
			}
		}
	}
	for i := range segments {
		first[i+1] += first[i]
	}
	changes := make([]int, first[segments])
	nextLeave := slices.Clone(first[:segments])
	nextJoin := make([]int, segments)
	for i := range nextJoin {
		nextJoin[i] = first[i+1] - joins[i]
	}
	for m, line := range timelines {
		if m%checkEvery == 0 && ctx.Err() != nil {
			return HeatMap{}, ctx.Err()
		}
		for _, s := range line.free {
			i := segment(s.start)
			changes[nextJoin[i]] = m
			nextJoin[i]++
			if s.end < hi {
				j := segment(s.end)
				changes[nextLeave[j]] = m
				nextLeave[j]++
			}
		}
	}
	h := HeatMap{Members: make([]string, len(timelines)), Segments: make([]Segment, segments)}
	for m := range timelines {
		h.Members[m] = team.Members[m].ID
	}
	count := 0
	for i := range h.Segments {
		split := first[i+1] - joins[i]
		s := &h.Segments[i]
		s.Start, s.End = span{bounds[i], bounds[i+1]}.times()
		s.Left, s.Joined = changes[first[i]:split:split], changes[split:first[i+1]:first[i+1]]
		count += len(s.Joined) - len(s.Left)
		s.Count = count
	}
	return h, nil
}
