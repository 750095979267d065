package calendar

import (
	"fmt"
	"time"

	ical "github.com/emersion/go-ical"
)

// A feed's VTIMEZONE is generated from Go's tz database. time.Location does
// not expose its transitions, but Time.ZoneBounds gives the period around an
// instant, so the periods are walked one after the other.

// feedObservance is one STANDARD or DAYLIGHT sub-component (RFC 5545 §3.6.5).
type feedObservance struct {
	onset    time.Time // the instant the offset takes effect
	from, to int       // TZOFFSETFROM and TZOFFSETTO, seconds east of UTC
	name     string    // TZNAME
	daylight bool
}

// maxDaylightPeriod is the longest a period with a larger offset than the
// one before can last and still be daylight time. In the tz data since 1970,
// seasonal daylight time lasts at most 294 days (the US in 1974; Bogotá's
// 280 in 1992). A longer period is the zone's time all year round, so
// standard as the smaller offset of its year: Morocco's +01 between Ramadans
// (315 days), Chile's -03 through 2015, Moscow's +04 of 2011–2014,
// Kathmandu's +0545 since 1986.
const maxDaylightPeriod = 300 * 24 * time.Hour

func (fw *feedWriter) timezone(loc *time.Location, first, last time.Time) {
	fw.begin(ical.CompTimezone)
	fw.text(ical.PropTimezoneID, loc.String())
	// libical readers (Thunderbird, Evolution) map the zone by this name.
	fw.text("X-LIC-LOCATION", loc.String())
	for _, o := range feedObservances(loc, first, last) {
		kind := ical.CompTimezoneStandard
		if o.daylight {
			kind = ical.CompTimezoneDaylight
		}
		fw.begin(kind)
		// RFC 5545 §3.6.5: the onset is a local time in the offset before it.
		wall := o.onset.UTC().Add(time.Duration(o.from) * time.Second)
		fw.raw(ical.PropDateTimeStart, wall.Format("20060102T150405"))
		// Set as raw values: go-ical's SetText would add VALUE=TEXT.
		fw.raw(ical.PropTimezoneOffsetFrom, feedUTCOffset(o.from))
		fw.raw(ical.PropTimezoneOffsetTo, feedUTCOffset(o.to))
		fw.text(ical.PropTimezoneName, o.name)
		fw.end(kind)
	}
	fw.end(ical.CompTimezone)
}

// feedObservances lists loc's observances from the start of the year before
// first's to the end of the year after last's: the one in effect at that
// start, then one per transition. Whole years keep the VTIMEZONE the same
// while a feed's window moves within a year.
func feedObservances(loc *time.Location, first, last time.Time) []feedObservance {
	from := time.Date(max(first.In(loc).Year()-1, 1), 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(last.In(loc).Year()+2, 1, 1, 0, 0, 0, 0, loc)
	observances := []feedObservance{feedObservanceAt(loc, from)}
	for t := from; ; {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.Before(to) {
			return observances
		}
		// The tz data has transitions that change neither offset nor name
		// (only the DST flag): nothing for a VTIMEZONE to say.
		if o, prev := feedObservanceAt(loc, next), observances[len(observances)-1]; o.to != prev.to || o.name != prev.name {
			observances = append(observances, o)
		}
		t = next
	}
}

// feedObservanceAt is the observance in effect at onset. RFC 5545 leaves to
// the writer which offset is standard, and the tz data's DST flag does not
// help: it marks Ireland's winter time as daylight saving (negative DST).
// Here the smaller offset is standard: a period is daylight time when its
// offset is larger than the previous period's and it lasts less than
// maxDaylightPeriod.
func feedObservanceAt(loc *time.Location, onset time.Time) feedObservance {
	at := onset.In(loc)
	name, to := at.Zone()
	_, from := onset.Add(-time.Second).In(loc).Zone()
	daylight := false
	if start, end := at.ZoneBounds(); !start.IsZero() && !end.IsZero() && end.Sub(start) < maxDaylightPeriod {
		_, before := start.Add(-time.Second).Zone()
		daylight = to > before
	}
	return feedObservance{onset: onset, from: from, to: to, name: name, daylight: daylight}
}

// feedUTCOffset writes a UTC-OFFSET (RFC 5545 §3.3.14): ±HHMM, seconds only
// when not zero, and +0000 for zero, as -0000 is not allowed.
func feedUTCOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	s := fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds/60%60)
	if seconds%60 != 0 {
		s += fmt.Sprintf("%02d", seconds%60)
	}
	return s
}

// feedWallTime is t in loc, or in UTC when t's wall clock in loc occurs
// twice (a fall-back hour). RFC 5545 §3.3.5 reads a repeated local time as
// its first occurrence, so the second can only be named in UTC, and not all
// readers follow that rule (go-ical reads with time.ParseInLocation, which
// takes the second): UTC is read the same way by all.
func feedWallTime(t time.Time, loc *time.Location) time.Time {
	local := t.Truncate(time.Second).In(loc)
	if feedRepeated(local) {
		return local.UTC()
	}
	return local
}

// feedRepeated reports whether t's wall clock shows at another instant too,
// in another period of t's zone. Offsets change by at most a day (Apia in
// 2011), so the periods within two days of t are enough.
func feedRepeated(t time.Time) bool {
	_, offset := t.Zone()
	for at := t.Add(-48 * time.Hour); at.Before(t.Add(48 * time.Hour)); {
		_, other := at.Zone()
		start, end := at.ZoneBounds()
		same := t.Add(time.Duration(offset-other) * time.Second)
		if other != offset && !same.Before(start) && (end.IsZero() || same.Before(end)) {
			return true
		}
		if end.IsZero() {
			return false
		}
		at = end
	}
	return false
}
