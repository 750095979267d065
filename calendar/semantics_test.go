package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"overlap/planner"
)

// TestExpandRecurrence pins RFC 5545 recurrence features and each trap of
// go-ical and rrule-go listed in LIBRARY-NOTES.md.
func TestExpandRecurrence(t *testing.T) {
	tests := []struct {
		name     string
		events   []string
		from, to string
		want     []string
	}{{
		// rrule-go#67 reads UNTIL without Z as UTC, which would drop the 09:00 EST instance of Jan 3.
		name:   "UNTIL without Z is in DTSTART's zone",
		events: []string{vevent("UID:a", "DTSTART;TZID=America/New_York:20240101T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY;UNTIL=20240103T090000")},
		from:   "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-01T14:00:00Z/2024-01-01T15:00:00Z", "2024-01-02T14:00:00Z/2024-01-02T15:00:00Z", "2024-01-03T14:00:00Z/2024-01-03T15:00:00Z"},
	}, {
		// rrule-go#63 duplicates an hourly instance across the gap; 02:00 becomes 03:00 EDT once.
		name:   "HOURLY across spring forward has no duplicate",
		events: []string{vevent("UID:a", "DTSTART;TZID=America/New_York:20240310T000000", "RRULE:FREQ=HOURLY;COUNT=5")},
		from:   "2024-03-10T00:00:00Z", to: "2024-03-11T00:00:00Z",
		want: []string{"2024-03-10T05:00:00Z/2024-03-10T05:00:00Z", "2024-03-10T06:00:00Z/2024-03-10T06:00:00Z",
			"2024-03-10T07:00:00Z/2024-03-10T07:00:00Z", "2024-03-10T08:00:00Z/2024-03-10T08:00:00Z"},
	}, {
		// go-ical's RecurrenceSet ignores RDATE.
		name: "RDATE date-times, dates and periods add instances",
		events: []string{vevent("UID:a", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z",
			"RDATE:20240105T100000Z,20240106T100000Z", "RDATE;VALUE=PERIOD:20240107T080000Z/PT30M,20240108T080000Z/20240108T120000Z")},
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-01T10:00:00Z/2024-01-01T11:00:00Z", "2024-01-05T10:00:00Z/2024-01-05T11:00:00Z",
			"2024-01-06T10:00:00Z/2024-01-06T11:00:00Z", "2024-01-07T08:00:00Z/2024-01-07T08:30:00Z", "2024-01-08T08:00:00Z/2024-01-08T12:00:00Z"},
	}, {
		// go-ical fails on comma-separated EXDATE values.
		name: "EXDATE with TZID and a comma list",
		events: []string{vevent("UID:a", "DTSTART;TZID=Europe/Berlin:20240103T090000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=4",
			"EXDATE;TZID=Europe/Berlin:20240110T090000,20240124T090000")},
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-03T08:00:00Z/2024-01-03T09:00:00Z", "2024-01-17T08:00:00Z/2024-01-17T09:00:00Z"},
	}, {
		name:   "EXDATE in UTC removes a zoned occurrence",
		events: []string{vevent("UID:a", "DTSTART;TZID=Europe/Berlin:20240103T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=2", "EXDATE:20240104T080000Z")},
		from:   "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-03T08:00:00Z/2024-01-03T09:00:00Z"},
	}, {
		// go-ical does not apply RECURRENCE-ID: one override leaves the window, another enters it.
		name: "RECURRENCE-ID moves occurrences out of and into the window",
		events: []string{
			vevent("UID:a", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=DAILY;COUNT=10"),
			vevent("UID:a", "RECURRENCE-ID:20240103T100000Z", "DTSTART:20240120T100000Z", "DTEND:20240120T110000Z"),
			vevent("UID:a", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240104T150000Z", "DTEND:20240104T160000Z"),
		},
		from: "2024-01-03T00:00:00Z", to: "2024-01-05T00:00:00Z",
		want: []string{"2024-01-04T10:00:00Z/2024-01-04T11:00:00Z", "2024-01-04T15:00:00Z/2024-01-04T16:00:00Z"},
	}, {
		name: "RANGE=THISANDFUTURE shifts later occurrences",
		events: []string{
			vevent("UID:a", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=DAILY;COUNT=4"),
			vevent("UID:a", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240103T100000Z", "DTSTART:20240103T120000Z", "DTEND:20240103T123000Z"),
		},
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-01T10:00:00Z/2024-01-01T11:00:00Z", "2024-01-02T10:00:00Z/2024-01-02T11:00:00Z",
			"2024-01-03T12:00:00Z/2024-01-03T12:30:00Z", "2024-01-04T12:00:00Z/2024-01-04T12:30:00Z"},
	}, {
		// rrule-go rejects lower-case names; RFC 5545 §3.1 makes them case-insensitive.
		name:   "lower-case RRULE",
		events: []string{vevent("UID:a", "DTSTART:20240101T100000Z", "RRULE:freq=daily;count=2")},
		from:   "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-01T10:00:00Z/2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z/2024-01-02T10:00:00Z"},
	}, {
		// DTSTART is off the rule: it is the first of COUNT=3 (RFC 5545 §3.3.10).
		name:   "BYSETPOS with BYHOUR picks the last hour",
		events: []string{vevent("UID:a", "DTSTART:20240101T090000Z", "RRULE:FREQ=DAILY;COUNT=3;BYHOUR=9,17;BYSETPOS=-1")},
		from:   "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-01T09:00:00Z/2024-01-01T09:00:00Z", "2024-01-01T17:00:00Z/2024-01-01T17:00:00Z", "2024-01-02T17:00:00Z/2024-01-02T17:00:00Z"},
	}, {
		name:   "last weekday of the month, WKST and BYWEEKNO",
		events: []string{vevent("UID:a", "DTSTART:20240131T090000Z", "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"), vevent("UID:b", "DTSTART:20240101T090000Z", "RRULE:FREQ=YEARLY;COUNT=2;BYWEEKNO=20;BYDAY=MO;WKST=SU")},
		from:   "2024-01-01T00:00:00Z", to: "2024-06-01T00:00:00Z",
		want: []string{"2024-01-01T09:00:00Z/2024-01-01T09:00:00Z", "2024-01-31T09:00:00Z/2024-01-31T09:00:00Z", "2024-02-29T09:00:00Z/2024-02-29T09:00:00Z",
			"2024-03-29T09:00:00Z/2024-03-29T09:00:00Z", "2024-05-13T09:00:00Z/2024-05-13T09:00:00Z"},
	}, {
		// RFC 5545 §3.8.5.1: DTSTART is the first instance even when the rule does not produce it.
		name:   "DTSTART off the rule still counts",
		events: []string{vevent("UID:a", "DTSTART:20240102T090000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20240109T090000Z")},
		from:   "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-02T09:00:00Z/2024-01-02T09:00:00Z", "2024-01-08T09:00:00Z/2024-01-08T09:00:00Z"},
	}, {
		// DURATION days are nominal: P1D across spring forward is 23 hours.
		name:   "DURATION days follow the wall clock",
		events: []string{vevent("UID:a", "DTSTART;TZID=America/New_York:20240309T120000", "DURATION:P1DT1H")},
		from:   "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z",
		want: []string{"2024-03-09T17:00:00Z/2024-03-10T17:00:00Z"},
	}, {
		// DTEND−DTSTART is exact (RFC 5545 §3.8.5.3): 25 hours stay 25 hours after the change.
		name: "DTEND duration is exact for generated instances",
		events: []string{vevent("UID:a", "DTSTART;TZID=America/New_York:20240302T120000", "DTEND;TZID=America/New_York:20240303T130000",
			"RRULE:FREQ=WEEKLY;COUNT=2")},
		from: "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z",
		want: []string{"2024-03-02T17:00:00Z/2024-03-03T18:00:00Z", "2024-03-09T17:00:00Z/2024-03-10T18:00:00Z"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := mustParse(t, vcal(tc.events...))
			got := mustExpand(t, cal, utc(tc.from), utc(tc.to), ExpandOptions{})
			if diff := cmp.Diff(tc.want, spans(got.Instances)); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpandWindow pins the half-open window [from, to).
func TestExpandWindow(t *testing.T) {
	cal := mustParse(t, vcal(
		vevent("UID:ends-at-from", "DTSTART:20240101T090000Z", "DTEND:20240101T100000Z"),
		vevent("UID:overlaps-from", "DTSTART:20240101T093000Z", "DTEND:20240101T103000Z"),
		vevent("UID:zero-at-from", "DTSTART:20240101T100000Z"),
		vevent("UID:zero-at-to", "DTSTART:20240101T120000Z"),
		vevent("UID:starts-at-to", "DTSTART:20240101T120000Z", "DTEND:20240101T130000Z"),
	))
	got := mustExpand(t, cal, utc("2024-01-01T10:00:00Z"), utc("2024-01-01T12:00:00Z"), ExpandOptions{})
	var uids []string
	for _, in := range got.Instances {
		uids = append(uids, in.UID)
	}
	if diff := cmp.Diff([]string{"overlaps-from", "zero-at-from"}, uids); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestExpandBusy(t *testing.T) {
	cal := mustParse(t, vcal(
		vevent("UID:opaque", "SUMMARY:Standup", "DESCRIPTION:agenda", "ORGANIZER:mailto:lead@example.com",
			"ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com", "ATTENDEE:mailto:other@example.com",
			"DTSTART:20240101T090000Z", "DURATION:PT15M", "RRULE:FREQ=DAILY;COUNT=2"),
		vevent("UID:opaque", "RECURRENCE-ID:20240102T090000Z", "STATUS:CANCELLED", "DTSTART:20240102T090000Z", "DURATION:PT15M"),
		vevent("UID:transparent", "TRANSP:TRANSPARENT", "DTSTART:20240101T100000Z", "DURATION:PT1H"),
		vevent("UID:declined", "ATTENDEE;PARTSTAT=DECLINED:MAILTO:Me@Example.com", "DTSTART:20240101T110000Z", "DURATION:PT1H"),
		vevent("UID:declined-by-other", "ATTENDEE;PARTSTAT=DECLINED:mailto:other@example.com", "DTSTART:20240101T120000Z", "DURATION:PT1H"),
	))
	got := mustExpand(t, cal, utc("2024-01-01T00:00:00Z"), utc("2024-01-03T00:00:00Z"), ExpandOptions{SelfEmails: []string{"me@example.com"}}).Instances
	first, rid := utc("2024-01-01T09:00:00Z"), utc("2024-01-02T09:00:00Z")
	ev := func(e planner.Event, busy bool) Instance { return Instance{Event: e, Busy: busy} }
	want := []Instance{
		ev(planner.Event{UID: "opaque", RecurrenceID: first, Summary: "Standup", HasDescription: true, Organizer: "lead@example.com", AttendeeCount: 2,
			Attendees: []string{"me@example.com", "other@example.com"},
			Recurring: true, Frequency: "DAILY", Start: first, End: utc("2024-01-01T09:15:00Z")}, true),
		ev(planner.Event{UID: "transparent", Start: utc("2024-01-01T10:00:00Z"), End: utc("2024-01-01T11:00:00Z")}, false),
		ev(planner.Event{UID: "declined", AttendeeCount: 1, Start: utc("2024-01-01T11:00:00Z"), End: utc("2024-01-01T12:00:00Z")}, false),
		ev(planner.Event{UID: "declined-by-other", AttendeeCount: 1, Start: utc("2024-01-01T12:00:00Z"), End: utc("2024-01-01T13:00:00Z")}, true),
		ev(planner.Event{UID: "opaque", RecurrenceID: rid, Recurring: true, Frequency: "DAILY", Start: rid, End: utc("2024-01-02T09:15:00Z")}, false),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

// TestExpandBounded pins the instance budget: what it cuts is reported
// with the rule's line, and rules that rrule-go alone would step through
// for seconds, or forever, end at once.
func TestExpandBounded(t *testing.T) {
	tests := []struct {
		name        string
		dtstart     string
		rule        string
		from, to    string
		max         int
		wantCount   int
		wantCut     bool
		wantWarning string
	}{
		{name: "the budget cuts a daily rule", dtstart: "20000101T000000Z", rule: "FREQ=DAILY",
			from: "2000-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z", max: 5, wantCount: 3, wantCut: true, wantWarning: "line 7: the expansion stopped here"},
		{name: "a SECONDLY rule from long ago fills today's window", dtstart: "20000101T000000Z", rule: "FREQ=SECONDLY",
			from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z", wantCount: 86400},
		{name: "a MINUTELY rule from long ago fills a week", dtstart: "20000101T000030Z", rule: "FREQ=MINUTELY;INTERVAL=7",
			from: "2025-03-01T00:00:00Z", to: "2025-03-08T00:00:00Z", wantCount: 1440},
		{name: "a sparse SECONDLY rule", dtstart: "20000101T000000Z", rule: "FREQ=SECONDLY;BYHOUR=9;BYMINUTE=30;BYSECOND=0",
			from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", wantCount: 365},
		{name: "MINUTELY on no date", dtstart: "20000101T000000Z", rule: "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
			from: "2000-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z", wantCount: 1, wantWarning: "RRULE matches no date"},
		{name: "HOURLY on no hour", dtstart: "20000101T000000Z", rule: "FREQ=HOURLY;INTERVAL=24;BYHOUR=1",
			from: "2000-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z", wantCount: 1, wantWarning: "RRULE matches no time of day"},
		{name: "BYSETPOS beyond every period", dtstart: "20000101T090000Z", rule: "FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=3",
			from: "2000-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z", wantCount: 1, wantWarning: "RRULE matches no date"},
		{name: "weekly lattice that misses its weekday", dtstart: "20000103T090000Z", rule: "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
			from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", wantCount: 0},
		{name: "a YEARLY period larger than the budget", dtstart: "20250101T000000Z",
			rule: "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=" + numbers(1, 31) + ";BYHOUR=" + numbers(0, 23) + ";BYMINUTE=" + numbers(0, 59) + ";BYSECOND=" + numbers(0, 59),
			from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", wantCount: 1, wantCut: true, wantWarning: "line 7: the expansion stopped here"},
		{name: "a huge COUNT", dtstart: "20240601T000000Z", rule: "FREQ=SECONDLY;COUNT=1000000000",
			from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", wantCount: 0, wantCut: true, wantWarning: "line 7: the expansion stopped here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := mustParse(t, vcal(vevent("UID:a", "DTSTART:"+tc.dtstart, "RRULE:"+tc.rule)))
			got := mustExpand(t, cal, utc(tc.from), utc(tc.to), ExpandOptions{MaxInstances: tc.max})
			if len(got.Instances) != tc.wantCount {
				t.Errorf("got %d instances, want %d", len(got.Instances), tc.wantCount)
			}
			if cut := got.Cut != nil; cut != tc.wantCut || cut && (got.Cut.Line != 7 || got.Cut.Limit != "instances") {
				t.Errorf("cut %+v, want cut %v on line 7", got.Cut, tc.wantCut)
			}
			if text := warningText(got.Warnings); tc.wantWarning == "" && text != "" || !strings.Contains(text, tc.wantWarning) {
				t.Errorf("warnings %q, want %q", text, tc.wantWarning)
			}
		})
	}
}

// numbers is "from,from+1,…,to".
func numbers(from, to int) string {
	var list []string
	for n := from; n <= to; n++ {
		list = append(list, strconv.Itoa(n))
	}
	return strings.Join(list, ",")
}

func warningText(warnings []Warning) string {
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

func TestParseErrors(t *testing.T) {
	crOnly := strings.Repeat("BEGIN:VEVENT\rUID:a\rDTSTART:20240101T000000Z\rEND:VEVENT\r", 5<<20/60)
	tests := []struct {
		name        string
		ics         string
		limits      Limits
		wantLine    int
		wantMessage string // part of the error
		wantLimit   string
	}{
		{name: "line without colon", ics: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", wantLine: 4, wantMessage: "missing colon"},
		{name: "folded line counts its physical lines", ics: "BEGIN:VCALENDAR\r\nX-A:1\r\n 2\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY;CN=\"x:y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", wantLine: 6, wantMessage: "unterminated quoted string"},
		// go-ical panics on a parameter that ends the line.
		{name: "parameter without colon", ics: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nX-P;A=\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", wantLine: 4, wantMessage: "the line ends in it"},
		{name: "VEVENT not closed at the end of the file", ics: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n", wantLine: 2, wantMessage: "BEGIN:VEVENT is not closed: the file ends first"},
		{name: "VEVENT not closed before END:VCALENDAR", ics: vcal(vevent("UID:a", "DTSTART:20240101T000000Z"), "BEGIN:VEVENT", "UID:b", "DTSTART:20240101T000000Z"),
			wantLine: 8, wantMessage: "BEGIN:VEVENT is not closed: END:VCALENDAR on line 11 comes first"},
		{name: "VALARM not closed before END:VEVENT", ics: vcal(vevent("UID:a", "DTSTART:20240101T000000Z", "BEGIN:VALARM", "TRIGGER:-PT5M")),
			wantLine: 7, wantMessage: "BEGIN:VALARM is not closed: END:VEVENT on line 9 comes first"},
		{name: "END without BEGIN", ics: vcal(vevent("UID:a", "DTSTART:20240101T000000Z")) + "END:VEVENT\r\n", wantLine: 9, wantMessage: `END:"VEVENT" without BEGIN`},
		{name: "not iCalendar", ics: "hello\r\n", wantLine: 1, wantMessage: `content line "hello" outside VCALENDAR`},
		{name: "empty", ics: "", wantLine: 1, wantMessage: "no VCALENDAR"},
		// A file with CR line ends is one line: the message quotes 80 bytes of it.
		{name: "CR line ends", ics: "BEGIN:VCALENDAR\r" + crOnly + "END:VCALENDAR\r", wantLine: 1, wantMessage: `BEGIN with an invalid component name "VCALENDAR\rBEGIN:VEVENT\rUID:a\rDTSTART:20240101T000000Z\rEND:VEVENT\rBEGIN:VEVENT\rUI…"`},
		{name: "too many bytes", ics: vcal(vevent("UID:a", "DTSTART:20240101T000000Z")), limits: Limits{MaxBytes: 10, MaxEvents: 10}, wantLimit: "bytes"},
		{name: "too many events", ics: vcal(vevent("UID:a", "DTSTART:20240101T000000Z"), vevent("UID:b", "DTSTART:20240101T000000Z")), limits: Limits{MaxBytes: 1 << 20, MaxEvents: 1}, wantLimit: "events"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			limits := tc.limits
			if limits == (Limits{}) {
				limits = DefaultLimits
			}
			_, err := Parse(t.Context(), strings.NewReader(tc.ics), limits)
			var parseErr *ParseError
			var limitErr *LimitError
			switch {
			case tc.wantLimit != "" && errors.As(err, &limitErr):
				if limitErr.Limit != tc.wantLimit {
					t.Errorf("limit %q, want %q", limitErr.Limit, tc.wantLimit)
				}
			case tc.wantLimit == "" && errors.As(err, &parseErr):
				if parseErr.Line != tc.wantLine || !strings.Contains(parseErr.Message, tc.wantMessage) {
					t.Errorf("line %d: %q, want line %d: …%s…", parseErr.Line, parseErr.Message, tc.wantLine, tc.wantMessage)
				}
				if len(parseErr.Message) > 4*maxExcerpt+100 {
					t.Errorf("message of %d bytes echoes the input", len(parseErr.Message))
				}
			default:
				t.Fatalf("error %v (%T)", err, err)
			}
			if !strings.HasPrefix(err.Error(), "calendar: ") {
				t.Errorf("error %q lacks the calendar: prefix", err)
			}
		})
	}
}

// TestLongParameterValue reads a parameter of megabytes in linear time
// (go-ical's decoder would take hours) and quotes only its start.
func TestLongParameterValue(t *testing.T) {
	long := strings.Repeat("x", 4<<20)
	cal := mustParse(t, vcal(vevent("UID:a", `DTSTART;TZID="`+long+`":20240105T090000`, "DURATION:PT1H")))
	w := cal.Warnings()
	if len(w) != 1 || !strings.Contains(w[0].Message, `"`+strings.Repeat("x", maxExcerpt)+`…"`) || len(w[0].Message) > 300 {
		t.Errorf("warnings %.300v, want one quoting the TZID's first %d bytes", w, maxExcerpt)
	}
}

func TestUnknownTZIDWarns(t *testing.T) {
	ics := vcal(vevent("UID:a", "DTSTART;TZID=Mars/Olympus_Mons:20240105T090000", "DURATION:PT1H"))
	cal := mustParse(t, ics)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	got := mustExpand(t, cal, utc("2024-01-01T00:00:00Z"), utc("2024-02-01T00:00:00Z"), ExpandOptions{DefaultZone: berlin}).Instances
	want := []Warning{{Line: 6, Message: `unknown TZID "Mars/Olympus_Mons" (not IANA, not a VTIMEZONE in the file, not a Windows name); its times are read as floating`, Count: 1}}
	if diff := cmp.Diff(want, cal.Warnings()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// Read in the member's zone, not silently in UTC.
	if diff := cmp.Diff([]string{"2024-01-05T08:00:00Z/2024-01-05T09:00:00Z"}, spans(got)); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

// TestWarningsMerged reports each cause once, at its first line, with a
// count; an open-ended rule, normal in every export, is no cause.
func TestWarningsMerged(t *testing.T) {
	cal := mustParse(t, vcal(
		vevent("DTSTART;TZID=Mars/Olympus_Mons:20240105T090000", "DURATION:PT1H"),
		vevent("DTSTART;TZID=Mars/Olympus_Mons:20240106T090000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY"),
		vevent("UID:c", "DTSTART;TZID=Venus/Maxwell:20240107T090000", "DURATION:PT1H"),
		vevent("DTSTART:20240108T090000Z", "DURATION:PT1H"),
	))
	unknown := func(zone string) string {
		return `unknown TZID "` + zone + `" (not IANA, not a VTIMEZONE in the file, not a Windows name); its times are read as floating`
	}
	want := []Warning{
		{Line: 4, Message: "VEVENT without UID", Count: 3},
		{Line: 5, Message: unknown("Mars/Olympus_Mons"), Count: 2},
		{Line: 15, Message: unknown("Venus/Maxwell"), Count: 1},
	}
	if diff := cmp.Diff(want, cal.Warnings()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if got := mustExpand(t, cal, utc("2024-01-01T00:00:00Z"), utc("2025-01-01T00:00:00Z"), ExpandOptions{}); len(got.Warnings) != 0 {
		t.Errorf("expansion warnings %v, want none", got.Warnings)
	}
	if got, want := want[0].String(), "calendar: line 4: VEVENT without UID (3 times)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestInvalidVTIMEZONE says what is wrong with a VTIMEZONE that cannot be
// used, on the line at fault, instead of calling its TZID unknown.
func TestInvalidVTIMEZONE(t *testing.T) {
	tests := []struct {
		name        string
		observance  []string // content lines inside the VTIMEZONE, which starts on line 4
		wantLine    int
		wantProblem string
	}{
		{name: "no observance", wantLine: 4, wantProblem: "no STANDARD or DAYLIGHT"},
		{name: "offset missing", observance: []string{"BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "END:STANDARD"},
			wantLine: 6, wantProblem: "STANDARD without TZOFFSETTO"},
		{name: "offset invalid", observance: []string{"BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:2", "END:DAYLIGHT"},
			wantLine: 9, wantProblem: `DAYLIGHT TZOFFSETTO: invalid UTC offset "2"`},
		{name: "DTSTART missing", observance: []string{"BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD"},
			wantLine: 6, wantProblem: "STANDARD without DTSTART"},
		{name: "RRULE unreadable", observance: []string{"BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "RRULE:FREQ=SOMETIMES", "END:STANDARD"},
			wantLine: 10, wantProblem: `STANDARD RRULE "FREQ=SOMETIMES": `},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := append(append([]string{"BEGIN:VTIMEZONE", "TZID:Office"}, tc.observance...), "END:VTIMEZONE",
				vevent("UID:a", "DTSTART;TZID=Office:20240105T090000", "DURATION:PT1H"))
			w := mustParse(t, vcal(lines...)).Warnings()
			prefix := `VTIMEZONE "Office" cannot be used (` + tc.wantProblem
			if len(w) != 1 || w[0].Line != tc.wantLine || !strings.HasPrefix(w[0].Message, prefix) {
				t.Errorf("warnings %v, want one on line %d starting %q", w, tc.wantLine, prefix)
			}
		})
	}
}

// TestExpandNoTime pins events that take no time: a DATE-TIME DTSTART alone
// is a point in time, returned but never busy (RFC 5545 §3.6.1); a DTEND
// or DURATION that ends at or before DTSTART makes the event skipped, with
// a warning on that line (RFC 5545 §3.8.2.2).
func TestExpandNoTime(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		name        string
		events      []string
		want        []string // start/end busy
		wantWarning string
	}{
		{name: "DTSTART alone is a point in time", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z")},
			want: []string{"2024-01-05T09:00:00Z/2024-01-05T09:00:00Z free"}},
		{name: "a recurring point in time", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z", "RRULE:FREQ=DAILY;COUNT=2")},
			want: []string{"2024-01-05T09:00:00Z/2024-01-05T09:00:00Z free", "2024-01-06T09:00:00Z/2024-01-06T09:00:00Z free"}},
		{name: "DTEND equal to DTSTART", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z", "DTEND:20240105T090000Z")},
			wantWarning: "line 7: DTEND is not after DTSTART; event skipped"},
		{name: "DTEND before DTSTART, recurring", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z", "DTEND:20240105T080000Z", "RRULE:FREQ=DAILY")},
			wantWarning: "line 7: DTEND is not after DTSTART; event skipped"},
		{name: "all-day DTEND on DTSTART", events: []string{vevent("UID:a", "DTSTART;VALUE=DATE:20240105", "DTEND;VALUE=DATE:20240105")},
			wantWarning: "line 7: DTEND is not after DTSTART; event skipped"},
		// 10:00 in Tokyo and 02:00 floating in Berlin are both 01:00 UTC.
		{name: "DTEND equal to DTSTART once the floating zone is known", events: []string{vevent("UID:a", "DTSTART;TZID=Asia/Tokyo:20240105T100000", "DTEND:20240105T020000")},
			wantWarning: "line 7: DTEND is not after DTSTART; event skipped"},
		{name: "negative DURATION", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z", "DURATION:-PT1H")},
			wantWarning: "line 7: DURATION is not positive; event skipped"},
		{name: "zero DURATION", events: []string{vevent("UID:a", "DTSTART:20240105T090000Z", "DURATION:PT0S")},
			wantWarning: "line 7: DURATION is not positive; event skipped"},
		{name: "an override that runs backwards replaces its occurrence with nothing", events: []string{
			vevent("UID:a", "DTSTART:20240105T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=2"),
			vevent("UID:a", "RECURRENCE-ID:20240106T090000Z", "DTSTART:20240106T100000Z", "DTEND:20240106T093000Z")},
			want:        []string{"2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"},
			wantWarning: "line 14: DTEND is not after DTSTART; event skipped"},
		{name: "the overrides of a master that runs backwards stay", events: []string{
			vevent("UID:a", "DTSTART:20240105T090000Z", "DURATION:-PT1H", "RRULE:FREQ=DAILY;COUNT=2"),
			vevent("UID:a", "RECURRENCE-ID:20240106T090000Z", "DTSTART:20240106T100000Z", "DTEND:20240106T103000Z")},
			want:        []string{"2024-01-06T10:00:00Z/2024-01-06T10:30:00Z busy"},
			wantWarning: "line 7: DURATION is not positive; event skipped"},
		{name: "an RDATE period that runs backwards", events: []string{
			vevent("UID:a", "DTSTART:20240105T090000Z", "DURATION:PT1H", "RDATE;VALUE=PERIOD:20240107T090000Z/20240107T080000Z,20240108T090000Z/PT2H")},
			want:        []string{"2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "2024-01-08T09:00:00Z/2024-01-08T11:00:00Z busy"},
			wantWarning: "line 8: RDATE period ends at or before its start; value skipped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustExpand(t, mustParse(t, vcal(tc.events...)), utc("2024-01-01T00:00:00Z"), utc("2024-02-01T00:00:00Z"), ExpandOptions{DefaultZone: berlin})
			instances := []string{}
			for _, in := range got.Instances {
				busy := map[bool]string{true: "busy", false: "free"}[in.Busy]
				instances = append(instances, in.Start.Format(time.RFC3339)+"/"+in.End.Format(time.RFC3339)+" "+busy)
			}
			if diff := cmp.Diff(append([]string{}, tc.want...), instances); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
			if text := warningText(got.Warnings); tc.wantWarning == "" && text != "" || !strings.Contains(text, tc.wantWarning) {
				t.Errorf("warnings %q, want %q", text, tc.wantWarning)
			}
		})
	}
}

// TestWarningsBounded keeps maxWarnings causes, the last counting the rest.
func TestWarningsBounded(t *testing.T) {
	var events []string
	for i := range maxWarnings + 500 {
		events = append(events, vevent(fmt.Sprintf("UID:%d", i), fmt.Sprintf("DTSTART;TZID=Mars/Crater-%d:20240105T090000", i), "DURATION:PT1H"))
	}
	w := mustParse(t, vcal(events...)).Warnings()
	if len(w) != maxWarnings {
		t.Fatalf("%d warnings, want %d", len(w), maxWarnings)
	}
	if last := w[len(w)-1]; last != (Warning{Message: "more problems of other kinds", Count: 501}) {
		t.Errorf("last warning %+v", last)
	}
}

// TestExpandWindowMargin keeps instances that start before the window and
// overlap it, in the zones furthest from UTC and across DST changes in both
// hemispheres: rules run from just early enough.
func TestExpandWindowMargin(t *testing.T) {
	newYork, _ := time.LoadLocation("America/New_York")
	sydney, _ := time.LoadLocation("Australia/Sydney")
	tests := []struct {
		name  string
		event string
		from  string
		zone  *time.Location
		want  string
	}{
		{name: "Kiritimati, UTC+14", event: vevent("UID:a", "DTSTART;TZID=Pacific/Kiritimati:20240101T000000", "DURATION:PT20H", "RRULE:FREQ=DAILY"),
			from: "2024-01-11T05:00:00Z", want: "2024-01-10T10:00:00Z/2024-01-11T06:00:00Z"},
		{name: "Pago Pago, UTC-11", event: vevent("UID:a", "DTSTART;TZID=Pacific/Pago_Pago:20240101T200000", "DURATION:PT10H", "RRULE:FREQ=DAILY"),
			from: "2024-01-11T16:00:00Z", want: "2024-01-11T07:00:00Z/2024-01-11T17:00:00Z"},
		{name: "all day across New York's spring forward", event: vevent("UID:a", "DTSTART;VALUE=DATE:20240301", "DURATION:P1D", "RRULE:FREQ=DAILY"),
			from: "2024-03-11T03:30:00Z", zone: newYork, want: "2024-03-10T05:00:00Z/2024-03-11T04:00:00Z"},
		{name: "all day across Sydney's fall back", event: vevent("UID:a", "DTSTART;VALUE=DATE:20240401", "DURATION:P1D", "RRULE:FREQ=DAILY"),
			from: "2024-04-07T13:30:00Z", zone: sydney, want: "2024-04-06T13:00:00Z/2024-04-07T14:00:00Z"},
		{name: "MINUTELY from years ago", event: vevent("UID:a", "DTSTART:20100101T000100Z", "DURATION:PT90S", "RRULE:FREQ=MINUTELY;INTERVAL=7"),
			from: "2024-01-01T00:00:30Z", want: "2024-01-01T00:00:00Z/2024-01-01T00:01:30Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from := utc(tc.from)
			got := mustExpand(t, mustParse(t, vcal(tc.event)), from, from.Add(time.Minute), ExpandOptions{DefaultZone: tc.zone})
			if diff := cmp.Diff([]string{tc.want}, spans(got.Instances)); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}
