package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
)

// Feed is a calendar to publish (RFC 5545, METHOD:PUBLISH).
type Feed struct {
	ProdID      string         // e.g. "-//Overlap//Overlap//EN"
	Name        string         // NAME (RFC 7986) and X-WR-CALNAME
	Description string         // DESCRIPTION (RFC 7986) and X-WR-CALDESC; may be multi-line
	Zone        *time.Location // X-WR-TIMEZONE; events are written in it with TZID and a VTIMEZONE (UTC: written with Z, no VTIMEZONE)
	Refresh     time.Duration  // REFRESH-INTERVAL;VALUE=DURATION (RFC 7986) and X-PUBLISHED-TTL, e.g. PT1H
	Events      []FeedEvent
}

// FeedEvent is one VEVENT of a Feed.
type FeedEvent struct {
	UID          string
	Sequence     int
	Start, End   time.Time // instants; written in Feed.Zone
	Summary      string
	Description  string    // multi-line text, escaped per RFC 5545 §3.3.11
	Location     string    // optional
	URL          string    // optional (URI)
	Status       string    // "CONFIRMED", "TENTATIVE" or "CANCELLED"
	Stamp        time.Time // DTSTAMP (UTC) — from stored data, never the clock
	LastModified time.Time // LAST-MODIFIED (UTC), optional (zero: left out)
	Categories   []string  // optional
}

// WriteFeed writes f as iCalendar text: CRLF line ends, content lines folded at 75 octets
// without splitting a UTF-8 sequence (§3.1), properties in a fixed order, events in the order
// given, so that the same Feed always gives byte-identical output. It returns an error for a
// feed it cannot write correctly (an event without UID, End not after Start, an unknown Status,
// a nil Zone).
//
// Further errors: an empty ProdID, a Zone without a tz database name
// (time.Local, an unnamed FixedZone), Refresh under a second, a duplicate UID,
// a negative Sequence, a zero Stamp, a URL that is not absolute, a time
// outside the years 0001–9999. Nothing is written for a refused feed.
//
// Times are written to the second, sub-second parts cut off. An event time
// whose wall clock in Zone occurs twice (a fall-back hour) is written in UTC,
// the one form every reader takes the same way (RFC 5545 §3.3.5). Text loses
// the control characters TEXT cannot hold (§3.3.11; tab and newline stay),
// and invalid UTF-8 becomes U+FFFD (§3.1). A feed without events has no
// component: RFC 5545 §3.6 asks for one, but there is no event time to build
// a VTIMEZONE around, and readers (ical.js, go-ical) accept it.
func WriteFeed(w io.Writer, f Feed) error {
	if err := checkFeed(f); err != nil {
		return err
	}
	fw := &feedWriter{}
	fw.begin(ical.CompCalendar)
	fw.calendarProps(f)
	if f.Zone != time.UTC && len(f.Events) > 0 {
		first, last := feedSpan(f.Events)
		fw.timezone(f.Zone, first, last)
	}
	for _, ev := range f.Events {
		fw.event(ev, f.Zone)
	}
	fw.end(ical.CompCalendar)
	_, err := w.Write(fw.buf.Bytes())
	return err
}

// feedStatuses are the VEVENT statuses of RFC 5545 §3.8.1.11.
var feedStatuses = []string{"CONFIRMED", "TENTATIVE", "CANCELLED"}

func checkFeed(f Feed) error {
	if strings.TrimSpace(f.ProdID) == "" {
		return errors.New("calendar: feed without PRODID") // RFC 5545 §3.7.3
	}
	if f.Zone == nil {
		return errors.New("calendar: feed without a time zone")
	}
	if !feedZoneName(f.Zone.String()) {
		return fmt.Errorf("calendar: feed time zone %q is not a tz database name", f.Zone.String())
	}
	if f.Refresh < time.Second {
		return fmt.Errorf("calendar: feed refresh interval %v is under a second", f.Refresh)
	}
	uids := make(map[string]bool, len(f.Events))
	for i, ev := range f.Events {
		if err := checkFeedEvent(ev, f.Zone); err != nil {
			return fmt.Errorf("calendar: feed event %d: %w", i, err)
		}
		uid := feedText(ev.UID)
		if uids[uid] {
			// RFC 5545 §3.8.4.7: a UID names one event; a second one would replace the first.
			return fmt.Errorf("calendar: feed event %d: duplicate UID %q", i, uid)
		}
		uids[uid] = true
	}
	return nil
}

func checkFeedEvent(ev FeedEvent, zone *time.Location) error {
	switch {
	case strings.TrimSpace(feedText(ev.UID)) == "":
		return errors.New("no UID") // RFC 5545 §3.6.1
	case ev.Stamp.IsZero():
		return errors.New("no DTSTAMP") // RFC 5545 §3.6.1
	case !ev.End.Truncate(time.Second).After(ev.Start.Truncate(time.Second)):
		return fmt.Errorf("end %v is not after start %v", ev.End, ev.Start)
	case !slices.Contains(feedStatuses, ev.Status):
		return fmt.Errorf("unknown status %q", ev.Status)
	case ev.Sequence < 0:
		return fmt.Errorf("negative sequence %d", ev.Sequence) // RFC 5545 §3.8.7.4 counts from 0
	}
	// RFC 5545 §3.3.4: a four-digit year, in any zone a time may be written in.
	for _, t := range []time.Time{ev.Start.In(zone), ev.End.In(zone), ev.Start.UTC(), ev.End.UTC(), ev.Stamp.UTC(), ev.LastModified.UTC()} {
		if t.Year() < 1 || t.Year() > 9999 {
			return fmt.Errorf("time %v outside the years 0001–9999", t)
		}
	}
	if ev.URL != "" {
		if u, err := url.Parse(ev.URL); err != nil || !u.IsAbs() {
			return fmt.Errorf("URL %q is not an absolute URI", ev.URL) // RFC 5545 §3.8.4.6
		}
	}
	return nil
}

// feedZoneName accepts tz database names (Europe/Berlin, Etc/GMT+5), which
// need no quoting as a TZID parameter, and refuses "Local" and "".
func feedZoneName(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_-+.", r)) {
			return false
		}
	}
	return true
}

// feedSpan is the earliest start and the latest end of events.
func feedSpan(events []FeedEvent) (first, last time.Time) {
	first, last = events[0].Start, events[0].End
	for _, ev := range events[1:] {
		if ev.Start.Before(first) {
			first = ev.Start
		}
		if ev.End.After(last) {
			last = ev.End
		}
	}
	return first, last
}

// feedWriter collects the output, so that nothing is written on an error.
type feedWriter struct {
	buf bytes.Buffer
}

func (fw *feedWriter) begin(name string) { fw.line("BEGIN:" + name) }
func (fw *feedWriter) end(name string)   { fw.line("END:" + name) }

// prop writes a property built with go-ical's setters, which escape TEXT
// (RFC 5545 §3.3.11) and format values. go-ical's own Encoder is not used: it
// sorts properties by name, does not fold, and refuses a VCALENDAR without
// components. Parameters are written sorted by name and need no quoting:
// their values are VALUE types and checked zone names.
func (fw *feedWriter) prop(p *ical.Prop) {
	var sb strings.Builder
	sb.WriteString(p.Name)
	names := make([]string, 0, len(p.Params))
	for name := range p.Params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		sb.WriteString(";" + name + "=" + strings.Join(p.Params[name], ","))
	}
	sb.WriteString(":" + p.Value)
	fw.line(sb.String())
}

// line writes one content line, folded so that no physical line is longer
// than 75 octets (RFC 5545 §3.1): a continuation starts with a space, which
// counts, and a fold never splits a UTF-8 sequence. Lines end with CRLF.
func (fw *feedWriter) line(s string) {
	const limit = 75
	for width := limit; len(s) > width; width = limit - 1 {
		cut := width
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		fw.buf.WriteString(s[:cut])
		fw.buf.WriteString("\r\n ")
		s = s[cut:]
	}
	fw.buf.WriteString(s)
	fw.buf.WriteString("\r\n")
}

// text writes a TEXT property; empty text is left out.
func (fw *feedWriter) text(name, value string) {
	value = feedText(value)
	if value == "" {
		return
	}
	p := ical.NewProp(name)
	p.SetText(value)
	// TEXT is the default type of every property written here, X- ones
	// included (RFC 5545 §3.8.8.2), but go-ical adds VALUE=TEXT to those.
	p.Params.Del(ical.ParamValue)
	fw.prop(p)
}

// raw writes a property whose value needs no escaping.
func (fw *feedWriter) raw(name, value string) {
	fw.prop(&ical.Prop{Name: name, Value: value})
}

func (fw *feedWriter) dateTime(name string, t time.Time) {
	p := ical.NewProp(name)
	p.SetDateTime(t.Truncate(time.Second))
	fw.prop(p)
}

func (fw *feedWriter) calendarProps(f Feed) {
	fw.raw(ical.PropVersion, "2.0")
	fw.text(ical.PropProductID, f.ProdID)
	fw.raw(ical.PropCalendarScale, "GREGORIAN")
	fw.raw(ical.PropMethod, "PUBLISH")
	// RFC 7986 §5.1 and §5.2 name and describe the calendar; many clients
	// read only the older X-WR- properties.
	fw.text(ical.PropName, f.Name)
	fw.text("X-WR-CALNAME", f.Name)
	fw.text(ical.PropDescription, f.Description)
	fw.text("X-WR-CALDESC", f.Description)
	fw.text("X-WR-TIMEZONE", f.Zone.String())
	// RFC 7986 §5.7: REFRESH-INTERVAL requires VALUE=DURATION, which go-ical
	// drops as the default type, so the parameter is set here.
	refresh := &ical.Prop{Name: ical.PropRefreshInterval, Params: ical.Params{}, Value: feedDuration(f.Refresh)}
	refresh.Params.Set(ical.ParamValue, string(ical.ValueDuration))
	fw.prop(refresh)
	fw.raw("X-PUBLISHED-TTL", feedDuration(f.Refresh))
}

func (fw *feedWriter) event(ev FeedEvent, zone *time.Location) {
	fw.begin(ical.CompEvent)
	fw.text(ical.PropUID, ev.UID)
	fw.dateTime(ical.PropDateTimeStamp, ev.Stamp.UTC()) // in UTC: RFC 5545 §3.8.7.2
	fw.dateTime(ical.PropDateTimeStart, feedWallTime(ev.Start, zone))
	fw.dateTime(ical.PropDateTimeEnd, feedWallTime(ev.End, zone))
	fw.raw(ical.PropSequence, strconv.Itoa(ev.Sequence))
	fw.raw(ical.PropStatus, ev.Status)
	fw.text(ical.PropSummary, ev.Summary)
	fw.text(ical.PropDescription, ev.Description)
	fw.text(ical.PropLocation, ev.Location)
	if ev.URL != "" {
		u, _ := url.Parse(ev.URL) // checked by checkFeedEvent
		p := ical.NewProp(ical.PropURL)
		p.SetURI(u)
		// URI is URL's default type (RFC 5545 §3.8.4.6); VALUE=URI is written
		// anyway, as Apple Calendar does, since go-ical's SetURI drops it.
		p.Params.Set(ical.ParamValue, string(ical.ValueURI))
		fw.prop(p)
	}
	if !ev.LastModified.IsZero() {
		fw.dateTime(ical.PropLastModified, ev.LastModified.UTC())
	}
	var categories []string
	for _, c := range ev.Categories {
		if c = feedText(c); c != "" {
			categories = append(categories, c)
		}
	}
	if len(categories) > 0 {
		p := ical.NewProp(ical.PropCategories)
		p.SetTextList(categories)
		fw.prop(p)
	}
	// TRANSP (RFC 5545 §3.8.2.7): a cancelled slot leaves subscribers' time free.
	transp := "OPAQUE"
	if ev.Status == "CANCELLED" {
		transp = "TRANSPARENT"
	}
	fw.raw(ical.PropTransparency, transp)
	fw.end(ical.CompEvent)
}

// feedText makes s valid TEXT (RFC 5545 §3.3.11): UTF-8 (§3.1), newlines
// as LF for go-ical to escape, and no control characters but tab.
func feedText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// feedDuration writes d as a DURATION (RFC 5545 §3.3.6) in hours, minutes
// and seconds, e.g. PT1H or PT1H0M30S (the grammar allows no gap).
func feedDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	h, m, s := secs/3600, secs/60%60, secs%60
	out := "PT"
	if h > 0 {
		out += strconv.FormatInt(h, 10) + "H"
	}
	if m > 0 || h > 0 && s > 0 {
		out += strconv.FormatInt(m, 10) + "M"
	}
	if s > 0 {
		out += strconv.FormatInt(s, 10) + "S"
	}
	return out
}
