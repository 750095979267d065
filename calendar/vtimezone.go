package calendar

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
)

// vtimezone is a VTIMEZONE of the file, turned into a *time.Location only
// when a TZID needs it (exact IANA names never do).
type vtimezone struct {
	comp *component
}

const (
	// Onsets are generated up to this year; later instants keep the last offset.
	vtimezoneLastYear  = 2100
	maxVtimezoneOnsets = 4000
	// vtimezoneBudget bounds the work of all the VTIMEZONEs of one file (see
	// generator): a thousand zones with rules from 1601, as Outlook writes them.
	vtimezoneBudget      = 1_000_000
	vtimezoneNameDefault = "VTZ"
)

type onset struct {
	at     int64 // Unix seconds
	offset int   // TZOFFSETTO, seconds east of UTC
	isDST  bool
	name   string
}

// location builds a zone from the STANDARD and DAYLIGHT rules (RFC 5545
// §3.6.5): each onset is DTSTART, RRULE and RDATE in local time of
// TZOFFSETFROM. Go can only build a *time.Location from TZif data, so the
// onsets are written as TZif. The error, a *ParseError, says what makes the
// definition unusable and where.
func (vt *vtimezone) location(tzid string, gen *generator) (*time.Location, error) {
	var onsets []onset
	firstOffset, firstAt := 0, int64(0)
	for _, sub := range vt.comp.children {
		if sub.name != ical.CompTimezoneStandard && sub.name != ical.CompTimezoneDaylight {
			continue
		}
		from, observed, err := readObservance(sub, gen)
		if err != nil {
			return nil, err
		}
		for _, o := range observed {
			if len(onsets) == 0 || o.at < firstAt {
				firstAt, firstOffset = o.at, from
			}
		}
		onsets = append(onsets, observed...)
		if len(onsets) > maxVtimezoneOnsets {
			return nil, &ParseError{Line: sub.line, Message: fmt.Sprintf("more than %d transitions", maxVtimezoneOnsets)}
		}
	}
	if len(onsets) == 0 {
		return nil, &ParseError{Line: vt.comp.line, Message: "no STANDARD or DAYLIGHT"}
	}
	slices.SortFunc(onsets, func(a, b onset) int { return int(min(max(a.at-b.at, -1), 1)) })
	data := tzif(onsets, firstOffset)
	if data == nil {
		return nil, &ParseError{Line: vt.comp.line, Message: "more than 255 distinct offsets or names"}
	}
	loc, err := time.LoadLocationFromTZData(tzid, data)
	if err != nil {
		return nil, &ParseError{Line: vt.comp.line, Message: err.Error()}
	}
	return loc, nil
}

// readObservance reads one STANDARD or DAYLIGHT: its TZOFFSETFROM and onsets.
func readObservance(sub *component, gen *generator) (int, []onset, error) {
	problem := func(line int, format string, args ...any) (int, []onset, error) {
		return 0, nil, &ParseError{Line: line, Message: sub.name + " " + fmt.Sprintf(format, args...)}
	}
	var offsets [2]int
	for i, name := range []string{ical.PropTimezoneOffsetFrom, ical.PropTimezoneOffsetTo} {
		prop := sub.get(name)
		if prop == nil {
			return problem(sub.line, "without %s", name)
		}
		var err error
		if offsets[i], err = parseUTCOffset(prop.Value); err != nil {
			return problem(prop.line, "%s: %v", name, err)
		}
	}
	from, to := offsets[0], offsets[1]
	startProp := sub.get(ical.PropDateTimeStart)
	if startProp == nil {
		return problem(sub.line, "without DTSTART")
	}
	start, err := parseICalTime(startProp.Value, false, nil)
	if err != nil {
		return problem(startProp.line, "DTSTART: %v", err)
	}
	walls := []time.Time{start.wall}
	if prop := sub.get(ical.PropRecurrenceRule); prop != nil {
		ruleWalls, err := onsetRule(prop, start.wall, from, gen)
		if err != nil {
			return problem(prop.line, "RRULE %s: %v", quote(prop.Value), err)
		}
		walls = append(walls, ruleWalls...)
	}
	for prop := range sub.each(ical.PropRecurrenceDates) {
		for _, v := range strings.Split(prop.Value, ",") {
			t, err := parseICalTime(v, false, nil)
			if err != nil {
				return problem(prop.line, "RDATE: %v", err)
			}
			walls = append(walls, t.wall)
		}
	}
	name := vtimezoneNameDefault
	if prop := sub.get(ical.PropTimezoneName); prop != nil && validAbbreviation(prop.Value) {
		name = prop.Value
	}
	onsets := make([]onset, 0, len(walls))
	for _, wall := range walls {
		onsets = append(onsets, onset{at: wall.Unix() - int64(from), offset: to, isDST: sub.name == ical.CompTimezoneDaylight, name: name})
	}
	return from, onsets, nil
}

// onsetRule expands a STANDARD/DAYLIGHT RRULE in wall time up to
// vtimezoneLastYear. Its UNTIL is UTC (RFC 5545 §3.6.5), i.e. the wall
// time UNTIL+TZOFFSETFROM.
func onsetRule(prop *property, dtstart time.Time, from int, gen *generator) ([]time.Time, error) {
	r, _, err := parseRule(prop.Value)
	if err != nil {
		return nil, err
	}
	option := *r.option
	option.Dtstart = dtstart
	if r.untilUTC {
		option.Until = option.Until.Add(time.Duration(from) * time.Second)
	}
	walls := gen.ruleWalls(option, prop.line, dtstart, time.Date(vtimezoneLastYear, 12, 31, 0, 0, 0, 0, time.UTC), nil)
	if gen.cut != nil {
		return nil, fmt.Errorf("the file's VTIMEZONEs take more than %d steps", gen.max)
	}
	return walls, nil
}

// parseUTCOffset reads a UTC-OFFSET value (RFC 5545 §3.3.14): ±HHMM[SS].
func parseUTCOffset(value string) (int, error) {
	v := strings.TrimSpace(value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("invalid UTC offset %s", quote(v))
	}
	seconds := 0
	for i, unit := range []int{3600, 60, 1} {
		if 1+2*i >= len(v) {
			break
		}
		a, b := v[1+2*i], v[2+2*i]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, fmt.Errorf("invalid UTC offset %s", quote(v))
		}
		seconds += int(a-'0')*10*unit + int(b-'0')*unit
	}
	if seconds >= 24*3600 {
		return 0, fmt.Errorf("invalid UTC offset %s", quote(v))
	}
	if v[0] == '-' {
		seconds = -seconds
	}
	return seconds, nil
}

// validAbbreviation accepts what TZif allows as a zone abbreviation.
func validAbbreviation(s string) bool {
	if len(s) == 0 || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// tzif encodes onsets as TZif version 2 (RFC 8536): an empty 32-bit block,
// then the 64-bit block that Go reads. Local time type 0 is the offset before
// the first onset and no transition uses it, so Go applies it to earlier times.
func tzif(onsets []onset, firstOffset int) []byte {
	type localType struct {
		offset int
		isDST  bool
		name   string
	}
	types := []localType{{offset: firstOffset, name: vtimezoneNameDefault}}
	var abbrev []byte
	abbrevIndex := map[string]int{}
	typeIndex := map[localType]int{}
	indices := make([]byte, 0, len(onsets))
	for _, o := range onsets {
		lt := localType{o.offset, o.isDST, o.name}
		i, ok := typeIndex[lt]
		if !ok {
			i = len(types)
			types = append(types, lt)
			typeIndex[lt] = i
		}
		indices = append(indices, byte(i))
	}
	var data []byte
	header := func(timeCount, typeCount, charCount int) {
		data = append(data, "TZif2"...)
		data = append(data, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, timeCount, typeCount, charCount} {
			data = binary.BigEndian.AppendUint32(data, uint32(n))
		}
	}
	header(0, 0, 0)
	if len(types) > 255 {
		return nil // indices are one byte
	}
	var typeData []byte
	for _, lt := range types {
		at, ok := abbrevIndex[lt.name]
		if !ok {
			at = len(abbrev)
			abbrevIndex[lt.name] = at
			abbrev = append(append(abbrev, lt.name...), 0)
		}
		typeData = binary.BigEndian.AppendUint32(typeData, uint32(int32(lt.offset)))
		typeData = append(typeData, boolByte(lt.isDST), byte(at))
	}
	if len(abbrev) > 255 {
		return nil // abbreviation offsets are one byte
	}
	header(len(onsets), len(types), len(abbrev))
	for _, o := range onsets {
		data = binary.BigEndian.AppendUint64(data, uint64(o.at))
	}
	data = append(data, indices...)
	data = append(data, typeData...)
	data = append(data, abbrev...)
	return append(data, "\n\n"...)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
