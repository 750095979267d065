package planner

import (
	"math"
	"slices"
	"time"
)

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

// DSTChange reports an occurrence whose local start time, for one member,
// differs from the previous occurrence of the same window because clocks
// changed somewhere.
type DSTChange struct {
	Rank          int       `json:"rank"`
	Window        Window    `json:"window"`
	Date          Date      `json:"date"`
	Start         time.Time `json:"start"`
	Member        string    `json:"member"`
	LocalBefore   Clock     `json:"local_before"`
	LocalAfter    Clock     `json:"local_after"`
	WorkingBefore bool      `json:"inside_working_hours_before"`
	WorkingAfter  bool      `json:"inside_working_hours_after"`
	// LocalTimes has the start alone.
	LocalTimes
}

func localClock(unix, offset int64) Clock {
	return Clock(((unix+offset)%secondsPerDay + secondsPerDay) % secondsPerDay / 60)
}

// zoneIndex shares offset lookups between members of the same zone, so a
// thousand members in 24 zones cost 24 lookups per instant.
type zoneIndex struct {
	member []int // member → index into locs
	locs   []*time.Location
}

func newZoneIndex(members []Member) zoneIndex {
	byName := map[string]int{}
	z := zoneIndex{member: make([]int, len(members))}
	for i, m := range members {
		idx, ok := byName[m.Location.String()]
		if !ok {
			idx = len(z.locs)
			byName[m.Location.String()] = idx
			z.locs = append(z.locs, m.Location)
		}
		z.member[i] = idx
	}
	return z
}

// clocksAt fills out, one entry per zone, with the local time at unix.
func (z zoneIndex) clocksAt(unix int64, out []Clock) {
	for i, loc := range z.locs {
		out[i] = localClock(unix, offsetAt(unix, loc))
	}
}

// dstChanges lists, for each occurrence in the range, the members whose
// local start time differs from the previous occurrence of the same window.
// Clocks change for whole zones at once, so local times are worked out per
// zone, and members are looked at only where some zone's clock moved.
func (t *tally) dstChanges(team Team, core CoreHours) []DSTChange {
	zones := newZoneIndex(team.Members)
	members := len(team.Members)
	before, after := make([]Clock, len(zones.locs)), make([]Clock, len(zones.locs))
	previous := map[int]int{} // per window, its latest occurrence so far
	out := []DSTChange{}
	for o, i := range t.occurrences {
		in := t.instances[i]
		p, seen := previous[in.window]
		previous[in.window] = o
		if !seen {
			continue
		}
		zones.clocksAt(t.instances[t.occurrences[p]].start, before)
		zones.clocksAt(in.start, after)
		if slices.Equal(before, after) {
			continue
		}
		start, _ := in.times()
		for m, z := range zones.member {
			if before[z] != after[z] {
				out = append(out, DSTChange{
					Window: core.Windows[in.window], Date: in.date, Start: start, Member: team.Members[m].ID,
					LocalBefore: before[z], LocalAfter: after[z],
					WorkingBefore: t.statuses[p*members+m].inside, WorkingAfter: t.statuses[o*members+m].inside,
				})
			}
		}
	}
	return out
}
