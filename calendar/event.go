package calendar

import (
	"fmt"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// event is one VEVENT reduced to what expansion needs.
type event struct {
	line           int
	uid            string
	summary        string
	hasDescription bool
	organizer      string
	attendees      []attendee
	cancelled      bool // STATUS:CANCELLED
	transparent    bool // TRANSP:TRANSPARENT

	start    icalTime
	end      *icalTime // DTEND
	duration *duration // DURATION

	rules   []rule
	rdates  []rdate
	exdates []icalTime

	recurrenceID  *icalTime
	thisAndFuture bool // RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.2.13)
}

type attendee struct {
	address  string // lower-case, without "mailto:"
	declined bool
}

// rule is one RRULE. Its DTSTART and UNTIL are set at expansion, in the wall
// clock of the event's zone.
type rule struct {
	// option is shared by every event with the same RRULE text: read-only.
	option *rrule.ROption
	// untilUTC is true when UNTIL ends in Z: rrule-go reads every UNTIL as UTC,
	// but RFC 5545 §3.3.10 reads one without Z in DTSTART's zone.
	untilUTC bool
	line     int
}

// rdate is one RDATE value; end is set for VALUE=PERIOD (RFC 5545 §3.3.9).
type rdate struct {
	start icalTime
	end   *icalTime
	dur   *duration
}

func (ev *event) recurs() bool { return len(ev.rules) > 0 || len(ev.rdates) > 0 }

// readEvent converts a go-ical VEVENT; it returns nil (with a warning) for
// an event that cannot be placed in time.
func (p *parser) readEvent(comp *ical.Component, c componentLines) *event {
	ev := &event{line: c.line}
	ev.uid = textValue(comp, ical.PropUID)
	if ev.uid == "" {
		// Numbered like the oracle so both name such events alike.
		p.anonymousUIDs++
		ev.uid = fmt.Sprintf("(no-uid-%d)", p.anonymousUIDs)
		p.warn(c.line, "VEVENT without UID")
	}
	ev.summary = textValue(comp, ical.PropSummary)
	ev.hasDescription = textValue(comp, ical.PropDescription) != ""
	ev.organizer = p.intern(mailAddress(textValue(comp, ical.PropOrganizer)))
	ev.cancelled = strings.EqualFold(textValue(comp, ical.PropStatus), "CANCELLED")
	ev.transparent = strings.EqualFold(textValue(comp, ical.PropTransparency), "TRANSPARENT")
	for _, prop := range comp.Props.Values(ical.PropAttendee) {
		ev.attendees = append(ev.attendees, attendee{
			address:  p.intern(strings.ToLower(mailAddress(prop.Value))),
			declined: strings.EqualFold(prop.Params.Get(ical.ParamParticipationStatus), "DECLINED"),
		})
	}

	start, ok := p.readTimes(comp, c, ical.PropDateTimeStart)
	if !ok || len(start) == 0 {
		p.warn(c.line, "VEVENT %s without a valid DTSTART skipped", ev.uid)
		return nil
	}
	ev.start = start[0].start
	if end, ok := p.readTimes(comp, c, ical.PropDateTimeEnd); ok && len(end) > 0 {
		ev.end = &end[0].start
	} else if prop := comp.Props.Get(ical.PropDuration); prop != nil {
		d, err := parseDuration(prop.Value)
		if err != nil {
			p.warn(c.lineOf(ical.PropDuration, 0), "%v; ignored", err)
		} else {
			ev.duration = &d
		}
	}
	if rid, ok := p.readTimes(comp, c, ical.PropRecurrenceID); ok && len(rid) > 0 {
		ev.recurrenceID = &rid[0].start
		ev.thisAndFuture = strings.EqualFold(comp.Props.Get(ical.PropRecurrenceID).Params.Get(ical.ParamRange), "THISANDFUTURE")
	}
	ev.rdates, _ = p.readTimes(comp, c, ical.PropRecurrenceDates)
	exdates, _ := p.readTimes(comp, c, ical.PropExceptionDates)
	for _, ex := range exdates {
		ev.exdates = append(ev.exdates, ex.start)
	}
	for i, prop := range comp.Props.Values(ical.PropRecurrenceRule) {
		line := c.lineOf(ical.PropRecurrenceRule, i)
		r, ignored, err := p.parseRule(prop.Value)
		if len(ignored) > 0 {
			p.warn(line, "RRULE parts %s are not in RFC 5545; ignored", quote(strings.Join(ignored, ";")))
		}
		if err != nil {
			p.warn(line, "RRULE %s cannot be read (%v); rule ignored", quote(prop.Value), err)
			continue
		}
		r.line = line
		ev.rules = append(ev.rules, r)
	}
	return ev
}

// readTimes reads every value of every prop named name: comma lists (which
// go-ical does not split), TZID, VALUE=DATE and VALUE=PERIOD. Invalid values
// are warned about and dropped; ok is false if any was.
func (p *parser) readTimes(comp *ical.Component, c componentLines, name string) ([]rdate, bool) {
	var out []rdate
	ok := true
	for i, prop := range comp.Props.Values(name) {
		line := c.lineOf(name, i)
		var loc *time.Location
		if tzid := prop.Params.Get(ical.ParamTimezoneID); tzid != "" {
			loc = p.zone(tzid, line)
		}
		valueType := strings.ToUpper(prop.Params.Get(ical.ParamValue))
		for _, value := range strings.Split(prop.Value, ",") {
			r, err := parseRdate(value, valueType, loc)
			if err != nil {
				p.warn(line, "%s: %v; ignored", name, err)
				ok = false
				continue
			}
			out = append(out, r)
		}
	}
	return out, ok
}

func parseRdate(value, valueType string, loc *time.Location) (rdate, error) {
	if valueType != "PERIOD" {
		t, err := parseICalTime(value, valueType == "DATE", loc)
		return rdate{start: t}, err
	}
	startText, endText, found := strings.Cut(value, "/")
	if !found {
		return rdate{}, fmt.Errorf("invalid PERIOD %s", quote(value))
	}
	start, err := parseICalTime(startText, false, loc)
	if err != nil {
		return rdate{}, err
	}
	if strings.ContainsAny(endText, "Pp") {
		d, err := parseDuration(endText)
		return rdate{start: start, dur: &d}, err
	}
	end, err := parseICalTime(endText, false, loc)
	return rdate{start: start, end: &end}, err
}

// zone resolves a TZID, warning about one it cannot resolve. Values with
// such a TZID are then read as floating, in the member's zone, not silently as UTC.
func (p *parser) zone(tzid string, line int) *time.Location {
	if loc := p.resolver.resolve(tzid); loc != nil {
		return loc
	}
	p.warn(line, "unknown TZID %s (not IANA, not a VTIMEZONE in the file, not a Windows name); its times are read as floating", quote(tzid))
	return nil
}

// knownRuleParts are the recur-rule-parts of RFC 5545 §3.3.10.
var knownRuleParts = map[string]bool{
	"FREQ": true, "UNTIL": true, "COUNT": true, "INTERVAL": true, "BYSECOND": true, "BYMINUTE": true,
	"BYHOUR": true, "BYDAY": true, "BYMONTHDAY": true, "BYYEARDAY": true, "BYWEEKNO": true,
	"BYMONTH": true, "BYSETPOS": true, "WKST": true,
}

// parseRule reads an RRULE value. Unknown parts (a misspelt "UNTL=") are
// dropped, as ical.js does, and reported in ignored; rrule-go would reject the rule.
func parseRule(value string) (r rule, ignored []string, err error) {
	// RFC 5545 §3.1: names are case-insensitive; rrule-go rejects "freq=daily".
	var parts []string
	for _, part := range strings.Split(strings.ToUpper(strings.TrimSpace(value)), ";") {
		name, partValue, _ := strings.Cut(part, "=")
		switch {
		case part == "":
		case !knownRuleParts[name]:
			ignored = append(ignored, part)
		default:
			// A trailing comma ("BYMONTH=1,2,") is read as ical.js reads it.
			parts = append(parts, name+"="+strings.TrimRight(partValue, ","))
			r.untilUTC = r.untilUTC || name == "UNTIL" && strings.HasSuffix(partValue, "Z")
		}
	}
	if len(parts) == 0 {
		return rule{}, ignored, fmt.Errorf("empty rule")
	}
	option, err := rrule.StrToROption(strings.Join(parts, ";"))
	if err != nil {
		return rule{}, ignored, err
	}
	if option.Interval > maxInterval {
		return rule{}, ignored, fmt.Errorf("INTERVAL above %d", maxInterval)
	}
	probe := *option
	probe.Dtstart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := rrule.NewRRule(probe); err != nil {
		return rule{}, ignored, err
	}
	r.option = option
	return r, ignored, nil
}

// parsedRule is parseRule's answer for one RRULE text.
type parsedRule struct {
	r       rule
	ignored []string
	err     error
}

// parseRule is parseRule remembering answers: large calendars repeat a few
// rules many times, and one ROption is the size of several events.
func (p *parser) parseRule(value string) (rule, []string, error) {
	if parsed, ok := p.rules[value]; ok {
		return parsed.r, parsed.ignored, parsed.err
	}
	r, ignored, err := parseRule(value)
	p.rules[value] = parsedRule{r, ignored, err}
	return r, ignored, err
}

// maxInterval keeps period arithmetic far from overflow.
const maxInterval = 1_000_000

func textValue(comp *ical.Component, name string) string {
	prop := comp.Props.Get(name)
	if prop == nil {
		return ""
	}
	text, err := prop.Text()
	if err != nil {
		return strings.TrimSpace(prop.Value)
	}
	return strings.TrimSpace(text)
}

func mailAddress(value string) string {
	value = strings.TrimSpace(value)
	if len(value) >= len("mailto:") && strings.EqualFold(value[:len("mailto:")], "mailto:") {
		return value[len("mailto:"):]
	}
	return value
}
