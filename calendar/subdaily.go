package calendar

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// subDailyWalls generates an HOURLY, MINUTELY or SECONDLY rule
// (materialized). rrule-go steps through such a rule one period at a time,
// spends 86,400 steps a day on FREQ=SECONDLY;BYHOUR=9, and loops forever
// inside one call when BYHOUR, BYMINUTE or BYSECOND never meet the
// rule's periods. Here the times of each day are computed, and rrule-go
// only finds the days that BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO and
// BYDAY allow.
func (g *generator) subDailyWalls(o rrule.ROption, line int, low, end time.Time, out []time.Time) []time.Time {
	times := newDayTimes(o)
	// Building the times looks at every period of a day.
	if !g.charge(int64(86400/times.unit)/checksPerUnit, line) {
		return out
	}
	if times.candidates == nil {
		g.warn(line, "RRULE matches no time of day (its BYHOUR, BYMINUTE or BYSECOND parts exclude them all); it adds no instance")
		return out
	}
	count := countLimit{count: o.Count, dtstart: o.Dtstart}
	from := o.Dtstart
	if o.Count == 0 && low.After(from) {
		from = low // without COUNT, earlier days change nothing
	}
	dtstart, last := o.Dtstart.Unix(), end.Unix()
	nextDay := g.days(o, line, from, end)
	for day, ok := nextDay(); ok; day, ok = nextDay() {
		for period := range times.periods(day, g, line) {
			for _, offset := range times.offsets {
				t := period + offset
				switch {
				case t < dtstart:
					continue
				case t > last:
					return out
				}
				wall := time.Unix(t, 0).UTC()
				if g.stop() || !count.take(wall) || !g.charge(1, line) {
					return out
				}
				if !wall.Before(low) {
					out = append(out, wall)
				}
			}
		}
	}
	return out
}

// dayTimes are the times of day a sub-daily rule can take.
type dayTimes struct {
	unit   int64 // seconds in a period: 3600, 60 or 1
	step   int64 // seconds between the starts of consecutive periods: unit × INTERVAL
	origin int64 // start of DTSTART's period, Unix seconds of the wall clock
	// allowed says, per period of the day, whether BYHOUR, BYMINUTE and
	// BYSECOND let it through.
	allowed []bool
	// candidates are the periods of the day allowed and on a remainder of
	// the rule's lattice: on some day, each falls on the lattice.
	candidates []int64
	// offsets are the seconds of an occurrence after its period's start:
	// BYMINUTE and BYSECOND expanded, then BYSETPOS applied.
	offsets []int64
}

// newDayTimes builds the times of day of a rule; candidates is nil when
// there are none.
func newDayTimes(o rrule.ROption) *dayTimes {
	unit := int64(fixedPeriod(o.Freq) / time.Second)
	d := &dayTimes{unit: unit, step: unit * int64(max(o.Interval, 1))}
	d.origin = floorDiv(o.Dtstart.Unix(), unit) * unit
	switch o.Freq {
	case rrule.HOURLY:
		for _, m := range o.Byminute {
			for _, s := range o.Bysecond {
				d.offsets = append(d.offsets, int64(m*60+s))
			}
		}
	case rrule.MINUTELY:
		for _, s := range o.Bysecond {
			d.offsets = append(d.offsets, int64(s))
		}
	default:
		d.offsets = []int64{0}
	}
	d.offsets = selectPositions(d.offsets, o.Bysetpos)

	// Periods of the day reach the lattice only on the remainder of DTSTART's
	// period modulo gcd(step, one day).
	residue := gcd(d.step, 86400)
	hours, minutes, seconds := setOf(o.Byhour, 24), setOf(o.Byminute, 60), setOf(o.Bysecond, 60)
	d.allowed = make([]bool, 86400/unit)
	for i := range d.allowed {
		start := int64(i) * unit
		d.allowed[i] = hours[start/3600] &&
			(o.Freq < rrule.MINUTELY || minutes[start/60%60]) &&
			(o.Freq < rrule.SECONDLY || seconds[start%60])
		if d.allowed[i] && floorMod(start-d.origin, residue) == 0 {
			d.candidates = append(d.candidates, int64(i))
		}
	}
	if len(d.offsets) == 0 {
		d.candidates = nil
	}
	return d
}

// periods yields the starts of the day's periods on the rule's lattice that
// BYHOUR, BYMINUTE and BYSECOND allow, walking whichever is shorter: the
// lattice through the day, or the candidate periods.
func (d *dayTimes) periods(day int64, g *generator, line int) func(yield func(int64) bool) {
	return func(yield func(int64) bool) {
		if 86400%d.step == 0 {
			// Every candidate is on the lattice every day.
			for _, i := range d.candidates {
				if !yield(day + i*d.unit) {
					return
				}
			}
			return
		}
		if 86400/d.step < int64(len(d.candidates)) {
			first := d.origin + ceilDiv(day-d.origin, d.step)*d.step
			for p := first; p < day+86400; p += d.step {
				if !g.check(line) {
					return
				}
				if d.allowed[(p-day)/d.unit] && !yield(p) {
					return
				}
			}
			return
		}
		for _, i := range d.candidates {
			if !g.check(line) {
				return
			}
			if p := day + i*d.unit; floorMod(p-d.origin, d.step) == 0 && !yield(p) {
				return
			}
		}
	}
}

// days returns an iterator over the days from from to end (walls) that the
// rule's day filters allow, as Unix seconds of their midnight.
func (g *generator) days(o rrule.ROption, line int, from, end time.Time) func() (int64, bool) {
	first := floorDiv(from.Unix(), 86400) * 86400
	last := end.Unix()
	if len(o.Bymonth) == 0 && len(o.Bymonthday) == 0 && len(o.Byyearday) == 0 && len(o.Byweekno) == 0 && len(o.Byweekday) == 0 {
		day := first - 86400
		return func() (int64, bool) {
			day += 86400
			return day, day <= last && g.check(line)
		}
	}
	run := g.newRRuleRun(rrule.ROption{Freq: rrule.DAILY, Dtstart: time.Unix(first, 0).UTC(), Wkst: o.Wkst,
		Bymonth: o.Bymonth, Bymonthday: o.Bymonthday, Byyearday: o.Byyearday, Byweekno: o.Byweekno, Byweekday: o.Byweekday,
		Byhour: []int{0}, Byminute: []int{0}, Bysecond: []int{0}}, line, end)
	return func() (int64, bool) {
		if run == nil {
			return 0, false
		}
		t, ok := run.pull()
		return t.Unix(), ok && t.Unix() <= last
	}
}

// selectPositions applies BYSETPOS (RFC 5545 §3.3.10) to one period's
// sorted occurrences: 1 is the first, -1 the last.
func selectPositions(sorted []int64, positions []int) []int64 {
	if len(positions) == 0 {
		return sorted
	}
	var selected []int64
	for _, pos := range positions {
		switch n := len(sorted); {
		case pos > 0 && pos <= n:
			selected = append(selected, sorted[pos-1])
		case pos < 0 && -pos <= n:
			selected = append(selected, sorted[n+pos])
		}
	}
	slices.Sort(selected)
	return slices.Compact(selected)
}

// setOf says which of 0…n-1 a BYxxx list allows; an empty list allows all.
func setOf(list []int, n int) []bool {
	set := make([]bool, n)
	for v := range set {
		set[v] = len(list) == 0 || slices.Contains(list, v)
	}
	return set
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}

func ceilDiv(a, b int64) int64 {
	return -floorDiv(-a, b)
}
