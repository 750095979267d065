package calendar

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// generator produces the occurrences of recurrence rules as wall clock
// times (the fields of a time in UTC), within a budget of work shared by
// one Expand or by the VTIMEZONEs of one Parse. A unit is about the work of
// one occurrence: an occurrence generated, in or out of the window; a
// period a sparse rule steps through without one (a YEARLY period, whose
// 366 days rrule-go looks at, costs more); a time of rrule-go's table of
// BYHOUR × BYMINUTE × BYSECOND; or checksPerUnit steps of arithmetic.
type generator struct {
	ctx       context.Context
	max, left int64
	// cut is set when the budget ran out, naming the rule at fault.
	cut *LimitError
	// cancelled is set when ctx was found done.
	cancelled bool
	checks    int64 // cheap steps not yet charged
	steps     int   // calls of stop, to look at ctx now and then
	warn      func(line int, format string, args ...any)
	probes    map[string]bool // matchesSomeDay's answers by day filters
}

// checksPerUnit is how many steps of the sub-daily arithmetic (a few
// nanoseconds each) cost as much as one occurrence.
const checksPerUnit = 64

func newGenerator(ctx context.Context, budget int64, warn func(line int, format string, args ...any)) *generator {
	return &generator{ctx: ctx, max: budget, left: budget, warn: warn}
}

// charge takes units from the budget; false means it ran out (and stays so).
func (g *generator) charge(units int64, line int) bool {
	if g.cut != nil {
		return false
	}
	if units > g.left {
		g.left = 0
		g.cut = &LimitError{Limit: "instances", Max: g.max, Line: line}
		return false
	}
	g.left -= units
	return true
}

// check counts a cheap step, charging a unit every checksPerUnit of them.
func (g *generator) check(line int) bool {
	g.checks++
	if g.checks < checksPerUnit {
		return true
	}
	g.checks = 0
	return g.charge(1, line)
}

// stop reports whether generation must stop: the budget ran out, or ctx
// is done (looked at every 1024 calls, which costs nothing).
func (g *generator) stop() bool {
	if g.cut != nil || g.cancelled {
		return true
	}
	g.steps++
	if g.steps%1024 == 0 && g.ctx.Err() != nil {
		g.cancelled = true
	}
	return g.cancelled
}

// ruleWalls appends to out the occurrences of a rule in [low, high]
// (walls). option.Dtstart is the event's DTSTART and option.Until, if set,
// its UNTIL, both as walls.
func (g *generator) ruleWalls(option rrule.ROption, line int, low, high time.Time, out []time.Time) []time.Time {
	end := high
	if !option.Until.IsZero() && option.Until.Before(end) {
		end = option.Until
	}
	if end.Before(low) || end.Before(option.Dtstart) || g.stop() {
		return out
	}
	materialize(&option)
	if !g.matchesSomeDay(option, line) {
		g.warn(line, "RRULE matches no date (its BYxxx parts exclude them all); it adds no instance")
		return out
	}
	if option.Freq >= rrule.HOURLY {
		return g.subDailyWalls(option, line, low, end, out)
	}
	return g.rruleWalls(option, line, low, end, out)
}

// materialize writes out the BYxxx values rrule-go takes from DTSTART when
// a rule has none, so that the rule keeps its meaning when DTSTART moves.
func materialize(o *rrule.ROption) {
	d := o.Dtstart
	if len(o.Byweekno) == 0 && len(o.Byyearday) == 0 && len(o.Bymonthday) == 0 && len(o.Byweekday) == 0 {
		switch o.Freq {
		case rrule.YEARLY:
			if len(o.Bymonth) == 0 {
				o.Bymonth = []int{int(d.Month())}
			}
			o.Bymonthday = []int{d.Day()}
		case rrule.MONTHLY:
			o.Bymonthday = []int{d.Day()}
		case rrule.WEEKLY:
			o.Byweekday = []rrule.Weekday{weekdays[d.Weekday()]}
		}
	}
	if len(o.Byhour) == 0 && o.Freq < rrule.HOURLY {
		o.Byhour = []int{d.Hour()}
	}
	if len(o.Byminute) == 0 && o.Freq < rrule.MINUTELY {
		o.Byminute = []int{d.Minute()}
	}
	if len(o.Bysecond) == 0 && o.Freq < rrule.SECONDLY {
		o.Bysecond = []int{d.Second()}
	}
}

// weekdays are rrule-go's weekdays by time.Weekday.
var weekdays = [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// countLimit applies COUNT to a rule's occurrences in order. RFC 5545
// §3.3.10: DTSTART counts as the first occurrence, also when the rule does
// not produce it (then the rule gives COUNT-1).
type countLimit struct {
	count, taken int // no limit when count is 0
	dtstart      time.Time
}

func (c *countLimit) take(t time.Time) bool {
	if c.count == 0 {
		return true
	}
	if c.taken == 0 && !t.Equal(c.dtstart) {
		c.taken++ // DTSTART's place
	}
	c.taken++
	return c.taken <= c.count
}

// rruleWalls runs a YEARLY, MONTHLY, WEEKLY or DAILY rule with rrule-go.
func (g *generator) rruleWalls(option rrule.ROption, line int, low, end time.Time, out []time.Time) []time.Time {
	// rrule-go builds a whole period's occurrences before it yields one:
	// a period larger than the budget is cut before it is allocated.
	if size := periodSize(option); size > g.left {
		g.charge(size, line)
		return out
	}
	count := countLimit{count: option.Count, dtstart: option.Dtstart}
	if option.Count == 0 {
		jumpTo(&option, low)
	}
	run := g.newRRuleRun(option, line, end)
	if run == nil {
		return out
	}
	for {
		t, ok := run.pull()
		if !ok || t.After(end) || !count.take(t) {
			return out
		}
		if !t.Before(low) {
			out = append(out, t)
		}
	}
}

// jumpTo moves the DTSTART of a rule without COUNT to the start of the last
// period at or before low on the rule's lattice of periods: without COUNT,
// the occurrences of a period do not depend on those before it. The rule
// must be materialized.
func jumpTo(o *rrule.ROption, low time.Time) {
	d, interval := o.Dtstart, max(o.Interval, 1)
	switch o.Freq {
	case rrule.YEARLY:
		if k := (low.Year() - d.Year()) / interval * interval; k > 0 {
			o.Dtstart = time.Date(d.Year()+k, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	case rrule.MONTHLY:
		months := low.Year()*12 + int(low.Month()) - (d.Year()*12 + int(d.Month()))
		if k := months / interval * interval; k > 0 {
			o.Dtstart = time.Date(d.Year(), d.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		}
	default:
		period := fixedPeriod(o.Freq) * time.Duration(interval)
		if low.After(d) {
			o.Dtstart = d.Add(low.Sub(d) / period * period)
		}
	}
}

// fixedPeriod is the length of one WEEKLY or finer period in wall clock time.
func fixedPeriod(f rrule.Frequency) time.Duration {
	switch f {
	case rrule.WEEKLY:
		return 7 * 24 * time.Hour
	case rrule.DAILY:
		return 24 * time.Hour
	case rrule.HOURLY:
		return time.Hour
	case rrule.MINUTELY:
		return time.Minute
	}
	return time.Second
}

// periodSize bounds the occurrences of one period of a YEARLY, MONTHLY,
// WEEKLY or DAILY rule (materialized): the days its BYxxx parts can
// select, times its BYHOUR × BYMINUTE × BYSECOND times.
func periodSize(o rrule.ROption) int64 {
	days := periodDays(o.Freq)
	months := int64(12)
	if n := int64(len(o.Bymonth)); n > 0 {
		months = n
		if o.Freq == rrule.YEARLY {
			days = min(days, 31*n)
		}
	}
	if n := int64(len(o.Bymonthday)); n > 0 && o.Freq <= rrule.MONTHLY {
		days = min(days, n*[...]int64{rrule.YEARLY: months, rrule.MONTHLY: 1}[o.Freq])
	}
	if n := int64(len(o.Byyearday)); n > 0 {
		days = min(days, 2*n) // a period can span two years
	}
	if n := int64(len(o.Byweekno)); n > 0 && o.Freq == rrule.YEARLY {
		days = min(days, 7*(n+2))
	}
	if len(o.Byweekday) > 0 {
		var plain, nth int64
		for _, w := range o.Byweekday {
			if w.N() == 0 || o.Freq > rrule.MONTHLY {
				plain++
			} else {
				nth++
			}
		}
		switch o.Freq {
		case rrule.YEARLY:
			if len(o.Bymonth) > 0 {
				days = min(days, (5*plain+nth)*months)
			} else {
				days = min(days, 53*plain+nth)
			}
		case rrule.MONTHLY:
			days = min(days, 5*plain+nth)
		case rrule.WEEKLY:
			days = min(days, plain)
		}
	}
	size := days * int64(len(o.Byhour)*len(o.Byminute)*len(o.Bysecond))
	if n := int64(len(o.Bysetpos)); n > 0 {
		size = min(size, n)
	}
	return size
}

// matchesSomeDay reports whether the day filters of a rule (materialized)
// allow any date, and whether BYSETPOS can select anything: rrule-go would
// otherwise step through every period up to year 9999 in one call. Between
// century years the Gregorian calendar repeats its weekdays and leap days
// every 28 years, so a YEARLY rule with the same day filters over 9972–9999
// finds a date if any year has one. Answers are kept for the next rules with
// the same filters.
func (g *generator) matchesSomeDay(o rrule.ROption, line int) bool {
	if len(o.Bysetpos) > 0 && o.Freq < rrule.HOURLY {
		all := o
		all.Bysetpos = nil
		size := periodSize(all)
		if !slices.ContainsFunc(o.Bysetpos, func(pos int) bool { return abs(int64(pos)) <= size }) {
			return false
		}
	}
	probe, filtered := dayProbe(o)
	if !filtered {
		return true
	}
	key := fmt.Sprint(probe.Wkst, probe.Bymonth, probe.Bymonthday, probe.Byyearday, probe.Byweekno, probe.Byweekday)
	if ok, known := g.probes[key]; known {
		return ok
	}
	rr, err := rrule.NewRRule(probe)
	if err != nil {
		return true // rrule-go will report it
	}
	t, ok := rr.Iterator()()
	years := int64(28)
	if ok {
		years = int64(t.Year()-probe.Dtstart.Year()) + 1
	}
	g.charge(years*periodCost(rrule.YEARLY), line)
	if g.probes == nil {
		g.probes = map[string]bool{}
	}
	g.probes[key] = ok
	return ok
}

// dayProbe is the YEARLY rule of matchesSomeDay, and whether the rule has
// day filters that could exclude every date.
func dayProbe(o rrule.ROption) (rrule.ROption, bool) {
	probe := rrule.ROption{Freq: rrule.YEARLY, Dtstart: time.Date(9972, 1, 1, 0, 0, 0, 0, time.UTC), Count: 1, Wkst: o.Wkst,
		Bymonth: o.Bymonth, Bymonthday: o.Bymonthday, Byyearday: o.Byyearday, Byweekno: o.Byweekno,
		Byhour: []int{0}, Byminute: []int{0}, Bysecond: []int{0}}
	filtered := len(o.Bymonth) > 0 || len(o.Bymonthday) > 0 || len(o.Byyearday) > 0 || len(o.Byweekno) > 0
	for _, w := range o.Byweekday {
		if w.N() != 0 && o.Freq <= rrule.MONTHLY {
			filtered = true
			probe.Byweekday = append(probe.Byweekday, w)
		} else {
			probe.Byweekday = append(probe.Byweekday, w.Nth(0))
		}
	}
	if len(probe.Byweekday) == 0 {
		// Any weekday: also keeps rrule-go from taking BYMONTHDAY from DTSTART.
		probe.Byweekday = weekdays[:]
	}
	if o.Freq == rrule.MONTHLY && len(probe.Bymonth) == 0 {
		probe.Bymonth = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} // BYDAY=2MO is per month
	}
	return probe, filtered
}

// periodDays is the number of days rrule-go looks at in one period.
func periodDays(f rrule.Frequency) int64 {
	return [...]int64{rrule.YEARLY: 366, rrule.MONTHLY: 31, rrule.WEEKLY: 7, rrule.DAILY: 1}[f]
}

// periodCost is the units charged for a period rrule-go steps through:
// its days cost as much as checks.
func periodCost(f rrule.Frequency) int64 {
	return 1 + periodDays(f)/checksPerUnit
}

// rruleRun pulls a rule's occurrences from rrule-go, charging each and the
// periods rrule-go steps through between them. rrule-go does not stop at
// UNTIL until it finds an occurrence after it, so a rule that matches rarely
// is run 400·k years later, close to rrule-go's last year 9999: Gregorian
// years repeat every 400 years, and no call then steps through more than
// 400 years beyond the window.
type rruleRun struct {
	g     *generator
	line  int
	next  rrule.Next
	years int // added to every time given to rrule-go
	freq  rrule.Frequency
	step  int // INTERVAL
	last  int64
	// periodCost is the units charged per period: periodCost(freq), and
	// BYSETPOS's work of looking up each position among a period's days.
	periodCost int64
}

// newRRuleRun starts a run that is read up to end at most.
func (g *generator) newRRuleRun(option rrule.ROption, line int, end time.Time) *rruleRun {
	start := option.Dtstart
	years := 0
	if y := end.Year(); y < 9999 {
		years = (9999 - y) / 400 * 400
	}
	option.Dtstart = start.AddDate(years, 0, 0)
	if option.Dtstart.IsZero() {
		// rrule-go reads a zero DTSTART as now.
		g.warn(line, "DTSTART 0001-01-01 cannot carry a rule; rule ignored")
		return nil
	}
	// rrule-go's own UNTIL without one is 292 years after DTSTART.
	option.Until = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	option.Count = 0
	// rrule-go builds the table of BYHOUR × BYMINUTE × BYSECOND times.
	if !g.charge(int64(len(option.Byhour)*len(option.Byminute)*len(option.Bysecond)), line) {
		return nil
	}
	rr, err := rrule.NewRRule(option)
	if err != nil {
		g.warn(line, "RRULE cannot be expanded (%v); rule ignored", err)
		return nil
	}
	r := &rruleRun{g: g, line: line, next: rr.Iterator(), years: years, freq: option.Freq, step: max(option.Interval, 1),
		periodCost: periodCost(option.Freq) + int64(len(option.Bysetpos))*periodDays(option.Freq)/checksPerUnit}
	r.last = r.period(start)
	return r
}

// period numbers the rule's periods, in steps of INTERVAL.
func (r *rruleRun) period(t time.Time) int64 {
	var units int64
	switch days := floorDiv(t.Unix(), 86400); r.freq {
	case rrule.YEARLY:
		units = int64(t.Year())
	case rrule.MONTHLY:
		units = int64(t.Year())*12 + int64(t.Month())
	case rrule.WEEKLY:
		units = floorDiv(days, 7)
	default:
		units = days
	}
	return floorDiv(units, int64(r.step))
}

// pull returns the next occurrence, or false when there is none or the
// budget or ctx stops the run.
func (r *rruleRun) pull() (time.Time, bool) {
	if r.g.stop() {
		return time.Time{}, false
	}
	t, ok := r.next()
	if !ok {
		// rrule-go stepped through every period up to its last year.
		r.g.charge((r.period(time.Date(9999-r.years, 12, 31, 0, 0, 0, 0, time.UTC))-r.last)*r.periodCost, r.line)
		return time.Time{}, false
	}
	t = t.AddDate(-r.years, 0, 0)
	p := r.period(t)
	if !r.g.charge(max(1, (p-r.last)*r.periodCost), r.line) {
		return time.Time{}, false
	}
	r.last = p
	return t, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func abs(n int64) int64 {
	return max(n, -n)
}
