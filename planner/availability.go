package planner

import (
	"cmp"
	"slices"
	"time"
)

// span is a half-open interval [start, end) of Unix seconds. Plain integers
// keep the sweeps over thousands of members cheap.
type span struct{ start, end int64 }

func (s span) times() (time.Time, time.Time) {
	return time.Unix(s.start, 0).UTC(), time.Unix(s.end, 0).UTC()
}

const secondsPerDay = 86400

// busySpan is the seconds a busy event touches, rounded outwards so that a
// meeting ending at 10:30:00.5 still overlaps a window from 10:30; empty
// for an event that takes no time.
func busySpan(e *Event) span {
	if !e.End.After(e.Start) {
		return span{}
	}
	end := e.End.Unix()
	if e.End.Nanosecond() > 0 {
		end++
	}
	return span{e.Start.Unix(), end}
}

// mergeSpans sorts and unions spans in place, dropping empty ones.
func mergeSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return unionSorted(spans)
}

// unionSorted unions spans already sorted by start in place, dropping empty
// ones.
func unionSorted(spans []span) []span {
	out := spans[:0]
	for _, s := range spans {
		if s.end <= s.start {
			continue
		}
		if n := len(out); n > 0 && s.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// clip keeps the parts of sorted, merged spans inside [lo, hi).
func clip(spans []span, lo, hi int64) []span {
	out := spans[:0]
	for _, s := range spans {
		s.start, s.end = max(s.start, lo), min(s.end, hi)
		if s.end > s.start {
			out = append(out, s)
		}
	}
	return out
}

// subtract appends a minus b to out; a and b sorted and merged.
func subtract(out, a, b []span) []span {
	j := 0
	for _, s := range a {
		for j < len(b) && b[j].end <= s.start {
			j++
		}
		cur := s.start
		for k := j; k < len(b) && b[k].start < s.end; k++ {
			if b[k].start > cur {
				out = append(out, span{cur, b[k].start})
			}
			cur = max(cur, b[k].end)
		}
		if cur < s.end {
			out = append(out, span{cur, s.end})
		}
	}
	return out
}

// cursor remembers where each of one member's lookups stopped. Lookups made
// in order of start resume there instead of searching again, so visiting
// every occurrence costs one pass over the member's timeline.
type cursor struct{ working, preferred, timeOff int }

// covered is how many seconds of [s.start, s.end) sorted, merged spans
// cover. *at is where the scan starts and is left at the first span ending
// after s.start; s.start must not decrease between calls with the same *at.
func covered(spans []span, at *int, s span) int64 {
	i := *at
	for i < len(spans) && spans[i].end <= s.start {
		i++
	}
	*at = i
	var total int64
	for ; i < len(spans) && spans[i].start < s.end; i++ {
		total += min(spans[i].end, s.end) - max(spans[i].start, s.start)
	}
	return total
}

// Availability returns when the member is available in [from, to): working
// hours in the member's zone, minus busy instances, minus time off. Intervals
// are half-open, sorted, disjoint and in UTC.
func Availability(m Member, from, to time.Time) ([][2]time.Time, error) {
	if err := validateRange(from, to); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	period := span{from.Unix(), to.Unix()}
	free := buildTimeline(m, newZoneDays(m.Location, period.start, period.end), period, period, &timelineScratch{}).free
	out := make([][2]time.Time, len(free))
	for i, s := range free {
		out[i][0], out[i][1] = s.times()
	}
	return out, nil
}
