package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
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

	// people are the addresses of the attendees who are people and did
	// not decline.
	people []string

	start    icalTime
	end      *icalTime // DTEND
	duration *duration // DURATION
	endLine  int       // of DTEND or DURATION

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

// isPerson tells people from the rooms and equipment that calendar apps
// invite as attendees (RFC 5545 §3.2.3 CUTYPE, §3.2.16 ROLE): a 1:1 booked
// in a meeting room is still two people.
func isPerson(params ical.Params) bool {
	switch strings.ToUpper(params.Get(ical.ParamCalendarUserType)) {
	case "ROOM", "RESOURCE":
		return false
	}
	return !strings.EqualFold(params.Get(ical.ParamRole), "NON-PARTICIPANT")
}

// attendeeAddress is an ATTENDEE's email address. CalDAV servers (Apple
// Calendar's among them) may name the attendee by a URN and give the
// address in the EMAIL parameter (RFC 7986 §6.2).
func attendeeAddress(prop *property) string {
	value := strings.TrimSpace(prop.Value)
	if email := prop.Params.Get("EMAIL"); email != "" && !strings.HasPrefix(strings.ToLower(value), "mailto:") {
		value = email
	}
	return strings.ToLower(mailAddress(value))
}

// rdate is one RDATE value; end or dur is set for VALUE=PERIOD (RFC 5545 §3.3.9).
type rdate struct {
	start icalTime
	end   *icalTime
	dur   *duration
	line  int
}

func (ev *event) recurs() bool { return len(ev.rules) > 0 || len(ev.rdates) > 0 }

// readEvent converts a VEVENT; it returns nil (with a warning) for an event
// that cannot be placed in time.
func (p *parser) readEvent(comp *component) *event {
	ev := &event{line: comp.line}
	ev.uid = comp.text(ical.PropUID)
	if ev.uid == "" {
		// Numbered like the oracle so both name such events alike.
		p.anonymousUIDs++
		ev.uid = fmt.Sprintf("(no-uid-%d)", p.anonymousUIDs)
		p.warn(comp.line, "VEVENT without UID")
	}
	ev.summary = comp.text(ical.PropSummary)
	ev.hasDescription = hasAgenda(comp.text(ical.PropDescription))
	ev.organizer = p.intern(mailAddress(comp.value(ical.PropOrganizer)))
	ev.cancelled = strings.EqualFold(comp.text(ical.PropStatus), "CANCELLED")
	ev.transparent = strings.EqualFold(comp.text(ical.PropTransparency), "TRANSPARENT")
	for prop := range comp.each(ical.PropAttendee) {
		a := attendee{
			address:  p.intern(attendeeAddress(prop)),
			declined: strings.EqualFold(prop.Params.Get(ical.ParamParticipationStatus), "DECLINED"),
		}
		ev.attendees = append(ev.attendees, a)
		if !a.declined && a.address != "" && isPerson(prop.Params) {
			ev.people = append(ev.people, a.address)
		}
	}
	if !p.readEventTimes(comp, ev) {
		return nil
	}
	ev.rdates = p.readTimes(comp, ical.PropRecurrenceDates)
	for _, ex := range p.readTimes(comp, ical.PropExceptionDates) {
		ev.exdates = append(ev.exdates, ex.start)
	}
	for prop := range comp.each(ical.PropRecurrenceRule) {
		r, ignored, err := p.parseRule(prop.Value)
		if len(ignored) > 0 {
			p.warn(prop.line, "RRULE parts %s are not in RFC 5545; ignored", quote(strings.Join(ignored, ";")))
		}
		if err != nil {
			p.warn(prop.line, "RRULE %s cannot be read (%v); rule ignored", quote(prop.Value), err)
			continue
		}
		r.line = prop.line
		ev.rules = append(ev.rules, r)
	}
	return ev
}

// readEventTimes reads DTSTART, DTEND or DURATION, and RECURRENCE-ID, and
// reports false (with a warning) when the event cannot be placed in time:
// without DTSTART, or with one of them unreadable.
func (p *parser) readEventTimes(comp *component, ev *event) bool {
	start := comp.get(ical.PropDateTimeStart)
	if start == nil {
		p.warn(comp.line, "VEVENT without DTSTART; event skipped")
		return false
	}
	var ok bool
	if ev.start, ok = p.readTime(start); !ok {
		return false
	}
	if end := comp.get(ical.PropDateTimeEnd); end != nil {
		t, ok := p.readTime(end)
		if !ok {
			return false
		}
		ev.end, ev.endLine = &t, end.line
	} else if prop := comp.get(ical.PropDuration); prop != nil {
		d, err := parseDuration(prop.Value)
		if err != nil {
			p.warn(prop.line, "%v; event skipped", err)
			return false
		}
		ev.duration, ev.endLine = &d, prop.line
	}
	if rid := comp.get(ical.PropRecurrenceID); rid != nil {
		t, ok := p.readTime(rid)
		if !ok {
			return false
		}
		ev.recurrenceID = &t
		ev.thisAndFuture = strings.EqualFold(rid.Params.Get(ical.ParamRange), "THISANDFUTURE")
	}
	return true
}

// readTime reads a single DATE or DATE-TIME property, warning that the
// event is skipped when it cannot.
func (p *parser) readTime(prop *property) (icalTime, bool) {
	if strings.Contains(prop.Value, ",") {
		p.warn(prop.line, "%s has several values; event skipped", prop.Name)
		return icalTime{}, false
	}
	value, ok := p.readValue(prop, prop.Value, "event skipped")
	return value.start, ok
}

// readTimes reads every value of every property named name (RDATE, EXDATE),
// dropping with a warning those it cannot read.
func (p *parser) readTimes(comp *component, name string) []rdate {
	var out []rdate
	for prop := range comp.each(name) {
		out = append(out, p.readValues(prop, "value ignored")...)
	}
	return out
}

// readValues reads the comma-separated values of a property (which go-ical
// does not split) with its TZID and VALUE=DATE or PERIOD; consequence says
// what the warning about an unreadable value adds.
func (p *parser) readValues(prop *property, consequence string) []rdate {
	var out []rdate
	for value := range strings.SplitSeq(prop.Value, ",") {
		if r, ok := p.readValue(prop, value, consequence); ok {
			out = append(out, r)
		}
	}
	return out
}

// readValue reads one of a property's values, warning when it cannot.
func (p *parser) readValue(prop *property, value, consequence string) (rdate, bool) {
	var loc *time.Location
	if tzid := prop.Params.Get(ical.ParamTimezoneID); tzid != "" {
		loc = p.zone(tzid, prop.line)
	}
	r, err := parseRdate(value, strings.ToUpper(prop.Params.Get(ical.ParamValue)), loc)
	if err != nil {
		p.warn(prop.line, "%s: %v; %s", prop.Name, err, consequence)
		return rdate{}, false
	}
	r.line = prop.line
	return r, true
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
	loc, err := p.resolver.resolve(tzid)
	var problem *ParseError
	switch {
	case loc != nil:
	case errors.As(err, &problem):
		p.warn(problem.Line, "VTIMEZONE %s cannot be used (%s); its times are read as floating", quote(tzid), problem.Message)
	default:
		p.warn(line, "unknown TZID %s (not IANA, not a VTIMEZONE in the file, not a Windows name); its times are read as floating", quote(tzid))
	}
	return loc
}

func mailAddress(value string) string {
	value = strings.TrimSpace(value)
	if len(value) >= len("mailto:") && strings.EqualFold(value[:len("mailto:")], "mailto:") {
		return value[len("mailto:"):]
	}
	return value
}
