package calendar

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// vtimezone is a VTIMEZONE of the file, turned into a *time.Location only
// when a TZID needs it (exact IANA names never do).
type vtimezone struct {
	comp *ical.Component
	line int
}

// Onsets are generated up to this year; later instants keep the last offset.
const (
	vtimezoneLastYear    = 2100
	maxVtimezoneOnsets   = 4000
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
// onsets are written as TZif. Nil if the definition is unusable.
func (vt *vtimezone) location(tzid string) *time.Location {
	var onsets []onset
	firstOffset, firstAt := 0, int64(0)
	for _, sub := range vt.comp.Children {
		isDST := sub.Name == ical.CompTimezoneDaylight
		if !isDST && sub.Name != ical.CompTimezoneStandard {
			continue
		}
		from, errFrom := parseUTCOffset(sub.Props.Get(ical.PropTimezoneOffsetFrom))
		to, errTo := parseUTCOffset(sub.Props.Get(ical.PropTimezoneOffsetTo))
		startProp := sub.Props.Get(ical.PropDateTimeStart)
		if errFrom != nil || errTo != nil || startProp == nil {
			return nil
		}
		start, err := parseICalTime(startProp.Value, false, nil)
		if err != nil {
			return nil
		}
		name := vtimezoneNameDefault
		if prop := sub.Props.Get(ical.PropTimezoneName); prop != nil && validAbbreviation(prop.Value) {
			name = prop.Value
		}
		walls := []time.Time{start.wall}
		if prop := sub.Props.Get(ical.PropRecurrenceRule); prop != nil {
			walls = append(walls, onsetRule(prop.Value, start.wall, from)...)
		}
		for _, prop := range sub.Props.Values(ical.PropRecurrenceDates) {
			for _, v := range strings.Split(prop.Value, ",") {
				if t, err := parseICalTime(v, false, nil); err == nil {
					walls = append(walls, t.wall)
				}
			}
		}
		for _, wall := range walls {
			at := wall.Unix() - int64(from)
			if len(onsets) == 0 || at < firstAt {
				firstAt, firstOffset = at, from
			}
			onsets = append(onsets, onset{at: at, offset: to, isDST: isDST, name: name})
			if len(onsets) > maxVtimezoneOnsets {
				return nil
			}
		}
	}
	if len(onsets) == 0 {
		return nil
	}
	slices.SortFunc(onsets, func(a, b onset) int { return int(min(max(a.at-b.at, -1), 1)) })
	loc, err := time.LoadLocationFromTZData(tzid, tzif(onsets, firstOffset))
	if err != nil {
		return nil
	}
	return loc
}

// onsetRule expands a STANDARD/DAYLIGHT RRULE in wall time. Its UNTIL is
// UTC (RFC 5545 §3.6.5), i.e. the wall time UNTIL+TZOFFSETFROM.
func onsetRule(value string, dtstart time.Time, from int) []time.Time {
	r, _, err := parseRule(value)
	if err != nil {
		return nil
	}
	option := *r.option
	option.Dtstart = dtstart
	last := time.Date(vtimezoneLastYear, 12, 31, 0, 0, 0, 0, time.UTC)
	if r.untilUTC {
		option.Until = option.Until.Add(time.Duration(from) * time.Second)
	}
	if option.Until.IsZero() || option.Until.After(last) {
		option.Until = last
	}
	rr, err := rrule.NewRRule(option)
	if err != nil {
		return nil
	}
	var walls []time.Time
	next := rr.Iterator()
	for t, ok := next(); ok && len(walls) < maxVtimezoneOnsets; t, ok = next() {
		walls = append(walls, t)
	}
	return walls
}

// parseUTCOffset reads a UTC-OFFSET value (RFC 5545 §3.3.14): ±HHMM[SS].
func parseUTCOffset(prop *ical.Prop) (int, error) {
	if prop == nil {
		return 0, fmt.Errorf("missing UTC offset")
	}
	v := strings.TrimSpace(prop.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("invalid UTC offset %q", v)
	}
	seconds := 0
	for i, unit := range []int{3600, 60, 1} {
		if 1+2*i >= len(v) {
			break
		}
		a, b := v[1+2*i], v[2+2*i]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, fmt.Errorf("invalid UTC offset %q", v)
		}
		seconds += int(a-'0')*10*unit + int(b-'0')*unit
	}
	if seconds >= 24*3600 {
		return 0, fmt.Errorf("invalid UTC offset %q", v)
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
