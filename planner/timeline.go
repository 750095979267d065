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

func offsetAt(unix int64, loc *time.Location) int64 {
	_, off := time.Unix(unix, 0).In(loc).Zone()
	return int64(off)
}

// wallToUnix turns a wall-clock time on a date in loc into an instant, per
// DESIGN.md: a time inside a spring-forward gap moves forward by the gap, an
// ambiguous fall-back time takes its first occurrence. time.Date leaves both
// cases unspecified (and in practice differs east and west of UTC), so the
// offsets around the wall time are examined directly.
func wallToUnix(d Date, minutes int, loc *time.Location) int64 {
	wall := int64(d.days())*secondsPerDay + int64(minutes)*60
	before := offsetAt(wall-secondsPerDay, loc)
	after := offsetAt(wall+secondsPerDay, loc)
	if before == after && offsetAt(wall-before, loc) == before {
		return wall - before
	}
	// A larger offset gives an earlier instant, so trying it first picks the
	// first occurrence of an ambiguous time.
	for _, off := range []int64{max(before, after), min(before, after)} {
		if offsetAt(wall-off, loc) == off {
			return wall - off
		}
	}
	// In a gap: read the time with the offset in force before the change,
	// which lands as far after the change as the time was after its start.
	return wall - before
}

// mergeSpans sorts and unions spans in place, dropping empty ones.
func mergeSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
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

// subtract returns a minus b; both sorted and merged.
func subtract(a, b []span) []span {
	var out []span
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

// covered is how many seconds of [s.start, s.end) sorted, merged spans cover.
func covered(spans []span, s span) int64 {
	i, _ := slices.BinarySearchFunc(spans, s.start, func(x span, t int64) int {
		if x.end <= t {
			return -1
		}
		return 1
	})
	var total int64
	for ; i < len(spans) && spans[i].start < s.end; i++ {
		total += min(spans[i].end, s.end) - max(spans[i].start, s.start)
	}
	return total
}

func coversAll(spans []span, s span) bool { return covered(spans, s) == s.end-s.start }

// weeklySpans lays weekly hours onto the dates that can touch [lo, hi) in
// loc: overnight ranges end on the next date, "24:00" is the next midnight.
func weeklySpans(w WeeklyHours, loc *time.Location, lo, hi int64) []span {
	first := DateOf(time.Unix(lo, 0).In(loc)).AddDays(-1)
	last := DateOf(time.Unix(hi, 0).In(loc))
	var out []span
	for d := first; !last.Before(d); d = d.AddDays(1) {
		for _, r := range w[d.Weekday()] {
			endDate, endMin := d, int(r.End)
			if r.Overnight() || r.End == minutesPerDay {
				endDate = d.AddDays(1)
				endMin %= minutesPerDay
			}
			out = append(out, span{wallToUnix(d, int(r.Start), loc), wallToUnix(endDate, endMin, loc)})
		}
	}
	return clip(mergeSpans(out), lo, hi)
}

// timeline is one member's view of [lo, hi), all spans sorted and merged.
type timeline struct {
	working   []span
	preferred []span
	timeOff   []span
	busy      []span
	// events are the busy instances by start; maxEnd[i] is the latest end
	// among events[:i+1], which makes "first instance overlapping" a binary
	// search.
	events []busyEvent
	maxEnd []int64
	// free is working minus busy minus time off: when the member is available.
	free []span
}

func buildTimeline(m Member, lo, hi int64) timeline {
	var tl timeline
	tl.working = weeklySpans(m.Working, m.Location, lo, hi)
	if m.Preferred.IsZero() {
		tl.preferred = tl.working
	} else {
		tl.preferred = weeklySpans(m.Preferred, m.Location, lo, hi)
	}
	for _, r := range m.TimeOff {
		tl.timeOff = append(tl.timeOff, span{wallToUnix(r.Start, 0, m.Location), wallToUnix(r.End.AddDays(1), 0, m.Location)})
	}
	tl.timeOff = clip(mergeSpans(tl.timeOff), lo, hi)
	for _, b := range m.Busy {
		if b.End.Unix() > lo && b.Start.Unix() < hi {
			tl.events = append(tl.events, busyEvent{span{b.Start.Unix(), b.End.Unix()}, b.Summary})
		}
	}
	slices.SortFunc(tl.events, func(a, b busyEvent) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.summary, b.summary))
	})
	tl.maxEnd = make([]int64, len(tl.events))
	tl.busy = make([]span, len(tl.events))
	for i, e := range tl.events {
		tl.maxEnd[i] = e.end
		if i > 0 {
			tl.maxEnd[i] = max(e.end, tl.maxEnd[i-1])
		}
		tl.busy[i] = e.span
	}
	tl.busy = clip(mergeSpans(tl.busy), lo, hi)
	tl.free = subtract(subtract(tl.working, tl.busy), tl.timeOff)
	return tl
}

type busyEvent struct {
	span
	summary string
}

// conflict says why the member cannot attend s despite working hours:
// "time_off", or "busy" with the first overlapping instance's summary.
func (tl *timeline) conflict(s span) (reason, summary string) {
	if covered(tl.timeOff, s) > 0 {
		return "time_off", ""
	}
	i, _ := slices.BinarySearch(tl.maxEnd, s.start+1)
	if i < len(tl.events) && tl.events[i].start < s.end {
		return "busy", tl.events[i].summary
	}
	return "", ""
}

func buildTimelines(team Team, lo, hi int64) []timeline {
	out := make([]timeline, len(team.Members))
	for i, m := range team.Members {
		out[i] = buildTimeline(m, lo, hi)
	}
	return out
}

// Availability returns when the member is available in [from, to): working
// hours in the member's zone, minus busy instances, minus time off. Intervals
// are half-open, sorted, disjoint and in UTC.
func Availability(m Member, from, to time.Time) ([][2]time.Time, error) {
	if err := validateRange(from, to); err != nil {
		return nil, err
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	free := buildTimeline(m, from.Unix(), to.Unix()).free
	out := make([][2]time.Time, len(free))
	for i, s := range free {
		out[i][0], out[i][1] = s.times()
	}
	return out, nil
}
