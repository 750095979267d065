// Package planner computes availability, overlap heat maps and fair, limited
// core-hours proposals for distributed teams. It is pure: plain values in and
// out, no I/O, no clock, no reliance on the host's time zone.
package planner

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// FieldError names the offending field with a dotted/indexed path relative to
// the value parsed, e.g. "mon[1][0]" or "members[2].timezone".
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErrorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// prefixed re-roots a *FieldError under parent ("members[1]" + "mon[0]" →
// "members[1].mon[0]") so callers can report paths relative to their own value.
func prefixed(parent string, err error) error {
	fe, ok := err.(*FieldError)
	if !ok {
		return err
	}
	sep := "."
	if fe.Field == "" || fe.Field[0] == '[' {
		sep = ""
	}
	return &FieldError{Field: parent + sep + fe.Field, Message: fe.Message}
}

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

// Clock is minutes after local midnight, 0..1440. 1440 ("24:00") is only
// meaningful as the end of a range.
type Clock int

// ParseClock reads a strict "HH:MM" (two digits each, 00:00..24:00).
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day between 00:00 and 24:00", s)
	}
	return Clock(h*60 + m), nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "HH:MM" so Clock values are readable in JSON.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "HH:MM".
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ClockRange is a wall-clock range on one day. End <= Start means the range is
// overnight: it ends at End on the next day.
type ClockRange struct{ Start, End Clock }

// Overnight reports whether the range ends on the next day.
func (r ClockRange) Overnight() bool { return r.End <= r.Start }

// Minutes is the wall-clock length, ignoring DST.
func (r ClockRange) Minutes() int {
	if r.Overnight() {
		return int(r.End) + minutesPerDay - int(r.Start)
	}
	return int(r.End - r.Start)
}

// WeeklyHours holds each weekday's ranges, indexed by time.Weekday.
type WeeklyHours [7][]ClockRange

// DefaultWorkingHours are a new member's: Monday to Friday, 09:00–17:00.
func DefaultWorkingHours() WeeklyHours {
	var w WeeklyHours
	for _, d := range mondayFirst[:5] {
		w[d] = []ClockRange{{Start: 9 * 60, End: 17 * 60}}
	}
	return w
}

// IsZero reports whether no day has any range.
func (w WeeklyHours) IsZero() bool {
	for _, day := range w {
		if len(day) > 0 {
			return false
		}
	}
	return true
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseWeekday reads "mon".."sun".
func ParseWeekday(s string) (time.Weekday, error) {
	for d, k := range weekdayKeys {
		if k == s {
			return time.Weekday(d), nil
		}
	}
	return 0, fmt.Errorf("%q is not a weekday; want mon, tue, wed, thu, fri, sat or sun", s)
}

// WeekdayKey is the inverse of ParseWeekday.
func WeekdayKey(d time.Weekday) string { return weekdayKeys[d] }

// mondayFirst lists weekdays in the order people read a week, so errors are
// reported in a natural order.
var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// ParseWeeklyHours reads {"mon":[["09:00","12:00"],["13:00","17:00"]], ...}.
// Keys are mon..sun; each range is exactly two "HH:MM" values; "24:00" only as
// an end; zero-length ranges and overlapping ranges are rejected, including an
// overnight range spilling into the next day's ranges (and Sunday into
// Monday). Errors are *FieldError with Field like "tue[0][1]".
func ParseWeeklyHours(in map[string][][]string) (WeeklyHours, error) {
	var w WeeklyHours
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := ParseWeekday(k); err != nil {
			return WeeklyHours{}, &FieldError{Field: k, Message: err.Error()}
		}
	}
	for _, d := range mondayFirst {
		for i, pair := range in[WeekdayKey(d)] {
			r, err := parseClockRange(pair)
			if err != nil {
				return WeeklyHours{}, prefixed(fmt.Sprintf("%s[%d]", WeekdayKey(d), i), err)
			}
			w[d] = append(w[d], r)
		}
	}
	if err := w.Validate(); err != nil {
		return WeeklyHours{}, err
	}
	return w, nil
}

func parseClockRange(pair []string) (ClockRange, error) {
	if len(pair) != 2 {
		return ClockRange{}, &FieldError{Message: fmt.Sprintf("want [start, end], got %d values", len(pair))}
	}
	var clocks [2]Clock
	for j, s := range pair {
		c, err := ParseClock(s)
		if err != nil {
			return ClockRange{}, fieldErrorf(fmt.Sprintf("[%d]", j), "%v", err)
		}
		clocks[j] = c
	}
	return ClockRange{Start: clocks[0], End: clocks[1]}, nil
}

// Validate checks ranges built in code the same way ParseWeeklyHours checks
// parsed ones: valid clocks, no zero-length range, no overlap on the weekly
// circle.
func (w WeeklyHours) Validate() error {
	type placed struct {
		start, end int // minutes on the week circle starting Sunday 00:00
		day        time.Weekday
		index      int
	}
	field := func(p placed) string { return fmt.Sprintf("%s[%d]", WeekdayKey(p.day), p.index) }
	var all []placed
	for _, d := range mondayFirst {
		for i, r := range w[d] {
			// Names are formatted only for errors: teams validate thousands
			// of ranges.
			p := placed{day: d, index: i}
			switch {
			case r.Start < 0 || r.Start >= minutesPerDay:
				return fieldErrorf(field(p)+"[0]", "start must be between 00:00 and 23:59")
			case r.End < 0 || r.End > minutesPerDay:
				return fieldErrorf(field(p)+"[1]", "end must be between 00:00 and 24:00")
			case r.Start == r.End:
				return fieldErrorf(field(p), "range is empty: start equals end")
			}
			p.start = int(d)*minutesPerDay + int(r.Start)
			p.end = p.start + r.Minutes()
			all = append(all, p)
		}
	}
	slices.SortStableFunc(all, func(a, b placed) int { return a.start - b.start })
	for i := range all {
		next := all[(i+1)%len(all)]
		nextStart := next.start
		if i == len(all)-1 {
			nextStart += minutesPerWeek // the week is a circle: Saturday night runs into Sunday
		}
		if len(all) > 1 && all[i].end > nextStart {
			later, earlier := field(next), field(all[i])
			if fieldOrder(later) < fieldOrder(earlier) {
				later, earlier = earlier, later
			}
			return fieldErrorf(later, "overlaps %s", earlier)
		}
	}
	return nil
}

// fieldOrder ranks "tue[1]"-style fields in reading order (Monday first) so the
// range reported as overlapping is the one written later.
func fieldOrder(field string) int {
	d, _ := ParseWeekday(field[:3])
	i, _ := strconv.Atoi(field[4 : len(field)-1])
	return ((int(d)+6)%7)*1000 + i
}

// Format is the inverse of ParseWeeklyHours: ranges sorted by start, keys only
// for days with ranges.
func (w WeeklyHours) Format() map[string][][]string {
	out := map[string][][]string{}
	for d, ranges := range w {
		if len(ranges) == 0 {
			continue
		}
		sorted := slices.Clone(ranges)
		slices.SortFunc(sorted, func(a, b ClockRange) int { return int(a.Start - b.Start) })
		pairs := make([][]string, len(sorted))
		for i, r := range sorted {
			pairs[i] = []string{r.Start.String(), r.End.String()}
		}
		out[WeekdayKey(time.Weekday(d))] = pairs
	}
	return out
}

// Date is a civil calendar date, without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a strict "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MarshalText writes "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// days counts days since 1970-01-01; civil arithmetic, independent of zones.
func (d Date) days() int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateFromDays(n int) Date { return DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

// AddDays moves by n calendar days.
func (d Date) AddDays(n int) Date { return dateFromDays(d.days() + n) }

// Weekday of the date.
func (d Date) Weekday() time.Weekday { return time.Weekday((d.days()%7 + 7 + 4) % 7) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.days() < e.days() }

// DateRange is an inclusive range of calendar dates in the member's zone.
type DateRange struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// Validate checks that the range is not reversed.
func (r DateRange) Validate() error {
	if r.End.Before(r.Start) {
		return fieldErrorf("end", "must not be before start %s", r.Start)
	}
	return nil
}
