package planner

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
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

// zoneDays turns wall times in one zone into instants. Far from clock
// changes a date's offset is the same all day, so it is looked up once per
// zone and date and shared by every member of the zone; dates near a change
// take the careful path of wallToUnix.
type zoneDays struct {
	loc   *time.Location
	first int     // day number of offs[0]
	offs  []int64 // per date: the steady offset, or unknownOffset/changingOffset
}

const (
	unknownOffset  = math.MinInt64
	changingOffset = math.MaxInt64
)

// newZoneDays covers the dates that can touch [lo, hi) in any zone, with
// margin for ranges starting the day before or ending the day after.
func newZoneDays(loc *time.Location, lo, hi int64) *zoneDays {
	first := int(lo/secondsPerDay) - 3
	offs := make([]int64, int(hi/secondsPerDay)+3-first+1)
	for i := range offs {
		offs[i] = unknownOffset
	}
	return &zoneDays{loc, first, offs}
}

// unix is wallToUnix for the date with day number day, minutes 0..1440.
func (z *zoneDays) unix(day, minutes int) int64 {
	i := day - z.first
	if i < 0 || i >= len(z.offs) || minutes < 0 || minutes > minutesPerDay {
		return wallToUnix(dateFromDays(day), minutes, z.loc)
	}
	if z.offs[i] == unknownOffset {
		z.offs[i] = steadyOffset(z.loc, day)
	}
	if z.offs[i] == changingOffset {
		return wallToUnix(dateFromDays(day), minutes, z.loc)
	}
	return int64(day)*secondsPerDay + int64(minutes)*60 - z.offs[i]
}

// steadyOffset is the offset in force from two days before the date's
// midnight read as UTC to three days after: every instant wallToUnix examines
// for a time on that date lies in between, so when no change falls there it
// simply subtracts this offset.
func steadyOffset(loc *time.Location, day int) int64 {
	wall := int64(day) * secondsPerDay
	t := time.Unix(wall-2*secondsPerDay, 0).In(loc)
	_, off := t.Zone()
	_, end := t.ZoneBounds()
	if (end.IsZero() || end.Unix() > wall+3*secondsPerDay) && off > -secondsPerDay && off < secondsPerDay {
		return int64(off)
	}
	return changingOffset
}

// zoneCache shares zoneDays between members of the same zone.
type zoneCache struct {
	lo, hi int64
	zones  map[*time.Location]*zoneDays
}

func (c *zoneCache) get(loc *time.Location) *zoneDays {
	z, ok := c.zones[loc]
	if !ok {
		z = newZoneDays(loc, c.lo, c.hi)
		c.zones[loc] = z
	}
	return z
}

// weeklySpans lays weekly hours onto the dates that can touch [lo, hi) in
// the zone: overnight ranges end on the next date, "24:00" is the next
// midnight.
func weeklySpans(w WeeklyHours, z *zoneDays, lo, hi int64) []span {
	first := DateOf(time.Unix(lo, 0).In(z.loc)).days() - 1
	last := DateOf(time.Unix(hi, 0).In(z.loc)).days()
	perDay := 0
	for _, ranges := range w {
		perDay = max(perDay, len(ranges))
	}
	out := make([]span, 0, (last-first+1)*perDay)
	for d := first; d <= last; d++ {
		for _, r := range w[(d%7+7+4)%7] {
			endDay, endMin := d, int(r.End)
			if r.Overnight() || r.End == minutesPerDay {
				endDay = d + 1
				endMin %= minutesPerDay
			}
			out = append(out, span{z.unix(d, int(r.Start)), z.unix(endDay, endMin)})
		}
	}
	return clip(mergeSpans(out), lo, hi)
}

// timeline is one member's view of [lo, hi), all spans sorted and merged.
// Busy instances are read straight from Member.Busy when occurrences are
// evaluated.
type timeline struct {
	working   []span
	preferred []span
	timeOff   []span
	// free is working minus busy minus time off: when the member is available.
	free []span
}

// timelineScratch holds buffers reused from one member's timeline to the
// next.
type timelineScratch struct {
	busy, free, less []span
	working          []int32
}

func buildTimeline(m Member, z *zoneDays, lo, hi int64, scratch *timelineScratch) timeline {
	var tl timeline
	tl.working = weeklySpans(m.Working, z, lo, hi)
	if m.Preferred.IsZero() {
		tl.preferred = tl.working
	} else {
		tl.preferred = weeklySpans(m.Preferred, z, lo, hi)
	}
	for _, r := range m.TimeOff {
		tl.timeOff = append(tl.timeOff, span{z.unix(r.Start.days(), 0), z.unix(r.End.days()+1, 0)})
	}
	tl.timeOff = clip(mergeSpans(tl.timeOff), lo, hi)
	// Only busy time inside working hours takes anything from free time, so
	// only those instances are sorted.
	busy := scratch.busy[:0]
	working := newDayIndex(lo, hi, len(tl.working), func(i int) int64 { return tl.working[i].end }, scratch.working)
	scratch.working = working.first
	for i := range m.Busy {
		b := &m.Busy[i]
		s := span{b.Start.Unix(), b.End.Unix()}
		// s overlaps working hours exactly when the first working span
		// ending after s starts begins before s ends.
		j := working.from(s.start + 1)
		for j < len(tl.working) && tl.working[j].end <= s.start {
			j++
		}
		if j < len(tl.working) && tl.working[j].start < s.end {
			busy = append(busy, s)
		}
	}
	busy = mergeSpans(busy)
	scratch.busy = busy
	free := subtract(scratch.free[:0], tl.working, busy)
	scratch.free = free
	if len(tl.timeOff) > 0 {
		free = subtract(scratch.less[:0], free, tl.timeOff)
		scratch.less = free
	}
	tl.free = slices.Clone(free)
	return tl
}

// dayIndex jumps into a list sorted by a non-decreasing key: first[d] is the
// first position whose key is at least lo plus d days. From there a scan
// reaches any instant of that day in a few steps, where a binary search
// would pay a mispredicted branch per halving.
type dayIndex struct {
	lo    int64
	first []int32
}

// newDayIndex indexes n positions with the given keys over the days of
// [lo, hi), reusing buf.
func newDayIndex(lo, hi int64, n int, key func(int) int64, buf []int32) dayIndex {
	first := buf[:0]
	i := 0
	for day := lo; day < hi+secondsPerDay; day += secondsPerDay {
		for i < n && key(i) < day {
			i++
		}
		first = append(first, int32(i))
	}
	return dayIndex{lo, first}
}

// from is a position at or before the first whose key is at least t.
func (x dayIndex) from(t int64) int {
	if t < x.lo {
		return 0
	}
	return int(x.first[min((t-x.lo)/secondsPerDay, int64(len(x.first)-1))])
}

// conflictReason is Conflict.Reason as a small value for per-occurrence
// tables.
type conflictReason uint8

const (
	noConflict conflictReason = iota
	busyConflict
	timeOffConflict
)

func (r conflictReason) String() string {
	return [...]string{noConflict: "", busyConflict: "busy", timeOffConflict: "time_off"}[r]
}

// buildTimelines builds every member's timeline, sharing the members out
// between processors; each share has its own buffers and zone cache.
func buildTimelines(ctx context.Context, team Team, lo, hi int64) ([]timeline, error) {
	out := make([]timeline, len(team.Members))
	inParallel(len(out), func(from, to int) {
		zones := zoneCache{lo, hi, map[*time.Location]*zoneDays{}}
		var scratch timelineScratch
		for i := from; i < to && ctx.Err() == nil; i++ {
			out[i] = buildTimeline(team.Members[i], zones.get(team.Members[i].Location), lo, hi, &scratch)
		}
	})
	return out, ctx.Err()
}

// minShare is the fewest members worth a goroutine of their own.
const minShare = 64

// checkEvery is how many steps of a cheap loop run between looks at the
// context: often enough to stop promptly, rarely enough to cost nothing.
const checkEvery = 256

// inParallel splits [0, n) into contiguous shares, one per processor but
// none smaller than minShare, and runs fn on them concurrently.
func inParallel(n int, fn func(from, to int)) {
	shares := min(runtime.GOMAXPROCS(0), n/minShare)
	if shares <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range shares {
		wg.Go(func() { fn(i*n/shares, (i+1)*n/shares) })
	}
	wg.Wait()
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
	lo, hi := from.Unix(), to.Unix()
	free := buildTimeline(m, newZoneDays(m.Location, lo, hi), lo, hi, &timelineScratch{}).free
	out := make([][2]time.Time, len(free))
	for i, s := range free {
		out[i][0], out[i][1] = s.times()
	}
	return out, nil
}
