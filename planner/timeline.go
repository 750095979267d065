package planner

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// timeline is one member's view of a range and of the horizon around it,
// all spans sorted and merged. Busy instances are read straight from
// Member.Busy when occurrences are measured.
type timeline struct {
	// working, preferred and timeOff cover the horizon: burden is measured
	// over whole weeks, beyond the range.
	working   []span
	preferred []span
	timeOff   []span
	// free is working minus busy minus time off inside the range: when the
	// member is available.
	free []span
}

// timelineScratch holds buffers reused from one member's timeline to the
// next.
type timelineScratch struct {
	busy, inRange, free, less []span
}

// buildTimeline lays the member's hours over horizon, which must hold period,
// and their free time over period.
func buildTimeline(m Member, z *zoneDays, period, horizon span, scratch *timelineScratch) timeline {
	lo, hi := horizon.start, horizon.end
	var line timeline
	line.working = weeklySpans(m.Working, z, lo, hi)
	if m.Preferred.IsZero() {
		line.preferred = line.working
	} else {
		line.preferred = weeklySpans(m.Preferred, z, lo, hi)
	}
	for _, r := range m.TimeOff {
		line.timeOff = append(line.timeOff, span{z.unix(r.Start.days(), 0), z.unix(r.End.days()+1, 0)})
	}
	line.timeOff = clip(mergeSpans(line.timeOff), lo, hi)
	// Only busy time inside working hours takes anything from free time, so
	// only those instances are sorted.
	busy := scratch.busy[:0]
	for i := range m.Busy {
		s := busySpan(&m.Busy[i])
		// s overlaps working hours exactly when the first working span
		// ending after s starts begins before s ends.
		j := sort.Search(len(line.working), func(j int) bool { return line.working[j].end > s.start })
		if j < len(line.working) && line.working[j].start < s.end {
			busy = append(busy, s)
		}
	}
	busy = mergeSpans(busy)
	scratch.busy = busy
	inRange := clip(append(scratch.inRange[:0], line.working...), period.start, period.end)
	scratch.inRange = inRange
	free := subtract(scratch.free[:0], inRange, busy)
	scratch.free = free
	if len(line.timeOff) > 0 {
		free = subtract(scratch.less[:0], free, line.timeOff)
		scratch.less = free
	}
	line.free = slices.Clone(free)
	return line
}

// weeklySpans lays weekly hours onto the dates that can touch [lo, hi) in
// the zone: overnight ranges end on the next date, "24:00" is the next
// midnight.
func weeklySpans(w WeeklyHours, z *zoneDays, lo, hi int64) []span {
	first := DateOf(time.Unix(lo, 0).In(z.loc)).days() - 1
	last := DateOf(time.Unix(hi, 0).In(z.loc)).days()
	var out []span
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

// buildTimelines builds every member's timeline, sharing the members out
// between processors; each share has its own buffers and zone cache.
func buildTimelines(ctx context.Context, team Team, period, horizon span) ([]timeline, error) {
	out := make([]timeline, len(team.Members))
	inParallel(len(out), minShare, func(from, to int) {
		var scratch timelineScratch
		zones := zoneCache{horizon.start, horizon.end, map[*time.Location]*zoneDays{}}
		for i := from; i < to && ctx.Err() == nil; i++ {
			out[i] = buildTimeline(team.Members[i], zones.get(team.Members[i].Location), period, horizon, &scratch)
		}
	})
	return out, ctx.Err()
}

// minShare is the fewest members worth a goroutine of their own.
const minShare = 64

// inParallel splits [0, n) into contiguous shares, one per processor but
// none smaller than least, and runs fn on them concurrently.
func inParallel(n, least int, fn func(from, to int)) {
	shares := min(runtime.GOMAXPROCS(0), n/least)
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

// checkEvery is how many steps of a cheap loop run between looks at the
// context: often enough to stop promptly, rarely enough to cost nothing.
const checkEvery = 256
