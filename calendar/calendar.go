// Package calendar reads iCalendar (RFC 5545) files as Outlook, Google,
// Apple Calendar and Thunderbird export them, and expands their events into
// concrete, bounded instances. READING.md says what is refused, skipped or
// read leniently.
//
// Properties are held in github.com/emersion/go-ical's types and recurrence
// rules run on github.com/teambition/rrule-go; this package adds what they
// lack: content lines split in linear time with their line numbers, RDATE,
// comma-separated EXDATE, RECURRENCE-ID overrides, the file's VTIMEZONE
// definitions, Windows time zone names, RFC 5545 §3.3.5 DST-gap times,
// UNTIL read in DTSTART's zone, and HOURLY, MINUTELY and SECONDLY rules.
//
// Time zones are read as DESIGN.md fixes them: a TZID that is an exact IANA
// name uses the tz database, else the file's VTIMEZONE, else CLDR's Windows
// name table, else a known path prefix (/mozilla.org/…/Europe/Berlin).
// Floating and all-day values use the calendar's X-WR-TIMEZONE when it names
// an IANA zone, else the zone the caller passes.
//
// Expansion is always bounded by a half-open window [from, to) and by a
// budget of work for the whole calendar (ExpandOptions.MaxInstances), and
// both Parse and Expand stop when their context is done, so no file can
// make them hang or exhaust memory.
package calendar

import (
	"fmt"
	"time"

	"overlap/planner"
)

// Limits bound what Parse accepts.
type Limits struct {
	MaxBytes  int64 // size of the whole file
	MaxEvents int   // VEVENT components, overrides included
}

// DefaultLimits suit one member's calendar export.
var DefaultLimits = Limits{MaxBytes: 20 << 20, MaxEvents: 100_000}

// DefaultMaxInstances is the budget of one Expand when
// ExpandOptions.MaxInstances is zero: 34 years of a heavy calendar (20
// meetings a day), twice what a year of the 5,000-event benchmark calendar
// needs, and at most about 100 MB and half a second of work (see
// BenchmarkHostile; a budget of 500,000 took up to 190 MB).
const DefaultMaxInstances = 250_000

// ParseError reports a file that is not iCalendar. The API answers it with 422.
type ParseError struct {
	Line    int // 1-based line of the offending content line in the file
	Message string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("calendar: line %d: %s", e.Line, e.Message)
}

// LimitError reports a file over one of the Limits (Limit "bytes" or
// "events"; the API answers it with 413), or an expansion stopped by its
// instance budget (Limit "instances", in Expansion.Cut).
type LimitError struct {
	Limit string // "bytes", "events" or "instances"
	Max   int64
	Line  int // 1-based line at fault; 0 when not tied to a line
}

func (e *LimitError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("calendar: file exceeds the limit of %d %s", e.Max, e.Limit)
	}
	return fmt.Sprintf("calendar: line %d: exceeds the limit of %d %s", e.Line, e.Max, e.Limit)
}

// Warning is a problem that did not stop the import, e.g. an unknown TZID or
// an expansion cut by the instance budget. One warning stands for every
// occurrence of its cause: the same message is never repeated.
type Warning struct {
	Line    int // 1-based line of the first occurrence; 0 when not tied to a line
	Message string
	Count   int // how many times the cause occurred
}

func (w Warning) String() string {
	s := "calendar: " + w.Message
	if w.Line != 0 {
		s = fmt.Sprintf("calendar: line %d: %s", w.Line, w.Message)
	}
	if w.Count > 1 {
		s += fmt.Sprintf(" (%d times)", w.Count)
	}
	return s
}

// Instance is one occurrence of an event inside the expansion window: the
// planner's Event, and whether it makes the member busy.
type Instance struct {
	planner.Event
	// Busy is false for TRANSP:TRANSPARENT, STATUS:CANCELLED, an instance
	// the member declined (ExpandOptions.SelfEmails), or one that takes no
	// time (a DATE-TIME DTSTART without DTEND or DURATION, RFC 5545 §3.6.1).
	// A busy instance always ends after it starts.
	Busy bool
}

// ExpandOptions tune Expand.
type ExpandOptions struct {
	// DefaultZone reads floating and all-day values (the member's zone) when
	// the calendar has no IANA X-WR-TIMEZONE; nil means UTC.
	DefaultZone *time.Location
	// SelfEmails are the member's addresses: an ATTENDEE with one of them and
	// PARTSTAT=DECLINED makes the instance free.
	SelfEmails []string
	// MaxInstances is the budget of one Expand, for the whole calendar:
	// every occurrence generated counts, in the window or before it (a rule
	// with COUNT runs from its DTSTART), and so do the periods a sparse rule
	// steps through without one. When it runs out, the expansion stops and
	// says so in Expansion.Cut. Zero means DefaultMaxInstances.
	MaxInstances int
}

// Expansion is the answer of Expand.
type Expansion struct {
	Instances []Instance // sorted by start, then UID, then end
	Warnings  []Warning  // this expansion's warnings (parse warnings stay in Calendar.Warnings())
	// Cut is non-nil when the instance budget stopped the expansion: Instances then
	// hold only what was found before it, and Cut.Line names the rule (or event) at fault.
	Cut *LimitError
}

// ctxCheckEvery is how many events Parse and Expand read between looks at
// their context: often enough to stop promptly, rarely enough to cost nothing.
const ctxCheckEvery = 256

// Calendar is a parsed file, ready to be expanded over any window.
type Calendar struct {
	events       []*event
	floatingZone *time.Location // from X-WR-TIMEZONE, nil if none
	warnings     warningList
}

// EventCount is the number of VEVENT components read, overrides included.
func (c *Calendar) EventCount() int { return len(c.events) }

// Warnings are the problems found while parsing.
func (c *Calendar) Warnings() []Warning { return c.warnings.list }
