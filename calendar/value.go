package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeKind is the form of a DATE or DATE-TIME value (RFC 5545 §3.3.4, §3.3.5).
type timeKind uint8

const (
	kindDate     timeKind = iota // VALUE=DATE: all-day, read in the floating zone
	kindFloating                 // no Z and no (resolvable) TZID
	kindUTC                      // trailing Z
	kindZoned                    // TZID resolved to loc
)

// icalTime is a parsed DATE or DATE-TIME. wall holds the written fields as a
// UTC-located time; the instant depends on kind and, for floating and DATE
// values, on the zone chosen at expansion.
type icalTime struct {
	wall time.Time
	kind timeKind
	loc  *time.Location // set for kindZoned
}

// instant resolves t to an absolute time, reading floating and DATE values in floating.
func (t icalTime) instant(floating *time.Location) time.Time {
	switch t.kind {
	case kindUTC:
		return t.wall
	case kindZoned:
		return wallToInstant(t.wall, t.loc)
	default:
		return wallToInstant(t.wall, floating)
	}
}

// zone is the location in which t's wall clock is read.
func (t icalTime) zone(floating *time.Location) *time.Location {
	switch t.kind {
	case kindUTC:
		return time.UTC
	case kindZoned:
		return t.loc
	default:
		return floating
	}
}

// parseICalTime parses one DATE or DATE-TIME value; dateOnly is VALUE=DATE.
// Like ical.js, an 8-digit value is read as a DATE even without VALUE=DATE.
func parseICalTime(value string, dateOnly bool, loc *time.Location) (icalTime, error) {
	value = strings.TrimSpace(value)
	// "20131210Z" (a DATE with a stray Z, as Google writes in RDATE) is a DATE too.
	if dateOnly || len(value) == len("20060102") || len(value) == len("20060102Z") && value[8] == 'Z' {
		value = strings.TrimSuffix(value, "Z")
		d, ok := parseBasic(value, false)
		if !ok {
			return icalTime{}, fmt.Errorf("invalid DATE %s", quote(value))
		}
		return icalTime{wall: d, kind: kindDate}, nil
	}
	if utc, ok := strings.CutSuffix(value, "Z"); ok {
		t, ok := parseBasic(utc, true)
		if !ok {
			return icalTime{}, fmt.Errorf("invalid DATE-TIME %s", quote(value))
		}
		return icalTime{wall: t, kind: kindUTC}, nil
	}
	t, ok := parseBasic(value, true)
	if !ok {
		return icalTime{}, fmt.Errorf("invalid DATE-TIME %s", quote(value))
	}
	if loc == nil {
		return icalTime{wall: t, kind: kindFloating}, nil
	}
	return icalTime{wall: t, kind: kindZoned, loc: loc}, nil
}

// parseBasic reads the basic ISO 8601 forms RFC 5545 uses, "YYYYMMDD" and,
// withTime, "YYYYMMDDTHHMMSS", as time.Parse with those layouts would
// (the same dates and clocks accepted), without its general layout
// machinery: a large calendar holds hundreds of thousands of them.
func parseBasic(s string, withTime bool) (time.Time, bool) {
	want := len("20060102")
	if withTime {
		want = len("20060102T150405")
	}
	if len(s) != want || withTime && s[8] != 'T' {
		return time.Time{}, false
	}
	number := func(from, to int) (int, bool) {
		n := 0
		for _, c := range []byte(s[from:to]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, okY := number(0, 4)
	month, okM := number(4, 6)
	day, okD := number(6, 8)
	hour, minute, second, okT := 0, 0, 0, true
	if withTime {
		var okH, okMin, okS bool
		hour, okH = number(9, 11)
		minute, okMin = number(11, 13)
		second, okS = number(13, 15)
		okT = okH && okMin && okS && hour < 24 && minute < 60 && second < 60
	}
	if !okY || !okM || !okD || !okT || month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	if t.Day() != day { // past the month's last day
		return time.Time{}, false
	}
	return t, true
}

// duration is an RFC 5545 §3.3.6 DURATION: weeks and days are nominal
// (calendar days in the event's zone), hours, minutes and seconds exact.
type duration struct {
	days    int
	seconds int64
}

// positive reports whether d is longer than zero; its parts share one sign.
func (d duration) positive() bool {
	return d.days > 0 || d.seconds > 0
}

// addTo returns the end of an instance that starts at wall in loc (start is
// that instant): nominal days move the wall clock, then exact seconds are added.
func (d duration) addTo(wall, start time.Time, loc *time.Location) time.Time {
	if d.days != 0 {
		start = wallToInstant(wall.AddDate(0, 0, d.days), loc)
	}
	return start.Add(time.Duration(d.seconds) * time.Second)
}

// maxDurationPart keeps a DURATION far from time.Duration overflow (about 292 years).
const maxDurationPart = 1_000_000

func parseDuration(s string) (duration, error) {
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	sign := 1
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = -1, rest
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return duration{}, fmt.Errorf("invalid DURATION %s", quote(orig))
	}
	var d duration
	inTime := false
	for rest != "" {
		if rest[0] == 'T' {
			inTime, rest = true, rest[1:]
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if i <= 0 {
			return duration{}, fmt.Errorf("invalid DURATION %s", quote(orig))
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > maxDurationPart {
			return duration{}, fmt.Errorf("invalid DURATION %s", quote(orig))
		}
		switch unit := rest[i]; {
		case unit == 'W' && !inTime:
			d.days += 7 * n
		case unit == 'D' && !inTime:
			d.days += n
		case unit == 'H' && inTime:
			d.seconds += int64(n) * 3600
		case unit == 'M' && inTime:
			d.seconds += int64(n) * 60
		case unit == 'S' && inTime:
			d.seconds += int64(n)
		default:
			return duration{}, fmt.Errorf("invalid DURATION %s", quote(orig))
		}
		rest = rest[i+1:]
	}
	d.days *= sign
	d.seconds *= int64(sign)
	return d, nil
}
