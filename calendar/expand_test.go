package calendar

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // results must not depend on the host's zone data

	"github.com/google/go-cmp/cmp"
)

// vcal wraps content lines in a VCALENDAR with CRLF line ends.
func vcal(lines ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VCALENDAR\r\n"
}

// vevent wraps content lines in a VEVENT.
func vevent(lines ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT"
}

func mustParse(t *testing.T, ics string) *Calendar {
	t.Helper()
	cal, err := Parse(t.Context(), strings.NewReader(ics), DefaultLimits)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cal
}

// mustExpand expands cal over [from, to), failing the test on an error.
func mustExpand(t *testing.T, cal *Calendar, from, to time.Time, opts ExpandOptions) Expansion {
	t.Helper()
	x, err := cal.Expand(t.Context(), from, to, opts)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	return x
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// spans renders instances as "start/end" in UTC for compact expectations.
func spans(instances []Instance) []string {
	out := []string{}
	for _, in := range instances {
		out = append(out, in.Start.Format(time.RFC3339)+"/"+in.End.Format(time.RFC3339))
	}
	return out
}

func TestExpandTimeZones(t *testing.T) {
	newYork, _ := time.LoadLocation("America/New_York")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	tests := []struct {
		name     string
		ics      string
		from, to string
		zone     *time.Location
		want     []string
	}{{
		// RFC 5545 §3.3.5: 02:30 on the spring-forward day is 03:30 EDT; rrule-go alone gives 01:30 EST.
		name: "New York spring forward gap moves forward",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=America/New_York:20240303T023000", "DURATION:PT30M",
			"RRULE:FREQ=WEEKLY;COUNT=3")),
		from: "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z",
		want: []string{"2024-03-03T07:30:00Z/2024-03-03T08:00:00Z", "2024-03-10T07:30:00Z/2024-03-10T08:00:00Z", "2024-03-17T06:30:00Z/2024-03-17T07:00:00Z"},
	}, {
		name: "Berlin fall back takes the first of the repeated times",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=Europe/Berlin:20241026T023000", "DTEND;TZID=Europe/Berlin:20241026T030000",
			"RRULE:FREQ=DAILY;COUNT=3")),
		from: "2024-10-01T00:00:00Z", to: "2024-11-01T00:00:00Z",
		want: []string{"2024-10-26T00:30:00Z/2024-10-26T01:00:00Z", "2024-10-27T00:30:00Z/2024-10-27T01:00:00Z", "2024-10-28T01:30:00Z/2024-10-28T02:00:00Z"},
	}, {
		name: "Sydney first Monday of the month, in daylight time",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=Australia/Sydney:20240401T090000", "DTEND;TZID=Australia/Sydney:20240401T100000",
			"RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=10")),
		from: "2024-03-01T00:00:00Z", to: "2024-04-09T00:00:00Z",
		want: []string{"2024-03-31T22:00:00Z/2024-03-31T23:00:00Z"},
	}, {
		name: "Sydney weekly across the April change",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=Australia/Sydney:20240401T090000", "DTEND;TZID=Australia/Sydney:20240401T100000",
			"RRULE:FREQ=WEEKLY;COUNT=2")),
		from: "2024-03-01T00:00:00Z", to: "2024-05-01T00:00:00Z",
		want: []string{"2024-03-31T22:00:00Z/2024-03-31T23:00:00Z", "2024-04-07T23:00:00Z/2024-04-08T00:00:00Z"},
	}, {
		// Chile springs forward at midnight: 00:30 on 2024-09-08 does not exist.
		name: "Santiago midnight gap",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=America/Santiago:20240907T003000", "DURATION:PT1H",
			"RRULE:FREQ=DAILY;COUNT=3")),
		from: "2024-09-01T00:00:00Z", to: "2024-10-01T00:00:00Z",
		want: []string{"2024-09-07T04:30:00Z/2024-09-07T05:30:00Z", "2024-09-08T04:30:00Z/2024-09-08T05:30:00Z", "2024-09-09T03:30:00Z/2024-09-09T04:30:00Z"},
	}, {
		name: "Kolkata and Kathmandu half and quarter hours",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=Asia/Kolkata:20240105T090000", "DURATION:PT1H"),
			vevent("UID:b", "DTSTART;TZID=Asia/Kathmandu:20240105T090000", "DURATION:PT1H")),
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-05T03:15:00Z/2024-01-05T04:15:00Z", "2024-01-05T03:30:00Z/2024-01-05T04:30:00Z"},
	}, {
		name: "Chatham +13:45 to +12:45",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=Pacific/Chatham:20240406T100000", "DURATION:PT1H",
			"RRULE:FREQ=DAILY;COUNT=2")),
		from: "2024-04-01T00:00:00Z", to: "2024-05-01T00:00:00Z",
		want: []string{"2024-04-05T20:15:00Z/2024-04-05T21:15:00Z", "2024-04-06T21:15:00Z/2024-04-06T22:15:00Z"},
	}, {
		// Brazil dropped daylight time in 2019: January was -02 in 2019, -03 since.
		name: "Sao Paulo changed its rules, yearly across year ends",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=America/Sao_Paulo:20190115T090000", "DURATION:PT1H",
			"RRULE:FREQ=YEARLY;COUNT=3")),
		from: "2019-01-01T00:00:00Z", to: "2022-01-01T00:00:00Z",
		want: []string{"2019-01-15T11:00:00Z/2019-01-15T12:00:00Z", "2020-01-15T12:00:00Z/2020-01-15T13:00:00Z", "2021-01-15T12:00:00Z/2021-01-15T13:00:00Z"},
	}, {
		// The organizer's clock decides; the attendee's zone (Kolkata, no DST) does not.
		name: "weekly New York meeting seen from Kolkata",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=America/New_York:20240305T100000", "DTEND;TZID=America/New_York:20240305T110000",
			"RRULE:FREQ=WEEKLY;UNTIL=20240312T150000Z")),
		from: "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z", zone: kolkata,
		want: []string{"2024-03-05T15:00:00Z/2024-03-05T16:00:00Z", "2024-03-12T14:00:00Z/2024-03-12T15:00:00Z"},
	}, {
		name: "all-day events follow the member's calendar days across DST",
		ics:  vcal(vevent("UID:a", "DTSTART;VALUE=DATE:20240309", "DTEND;VALUE=DATE:20240310", "RRULE:FREQ=DAILY;COUNT=2")),
		from: "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z", zone: newYork,
		want: []string{"2024-03-09T05:00:00Z/2024-03-10T05:00:00Z", "2024-03-10T05:00:00Z/2024-03-11T04:00:00Z"},
	}, {
		name: "X-WR-TIMEZONE wins over the member's zone for floating times",
		ics:  vcal("X-WR-TIMEZONE:Europe/Berlin", vevent("UID:a", "DTSTART:20240105T090000", "DURATION:PT1H")),
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z", zone: newYork,
		want: []string{"2024-01-05T08:00:00Z/2024-01-05T09:00:00Z"},
	}, {
		name: "floating times use the member's zone",
		ics:  vcal(vevent("UID:a", "DTSTART:20240105T090000", "DURATION:PT1H")),
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z", zone: newYork,
		want: []string{"2024-01-05T14:00:00Z/2024-01-05T15:00:00Z"},
	}, {
		name: "Windows names via CLDR",
		ics: vcal(vevent("UID:a", "DTSTART;TZID=W. Europe Standard Time:20240705T090000", "DURATION:PT1H"),
			vevent("UID:b", "DTSTART;TZID=Pacific Standard Time:20240705T090000", "DURATION:PT1H")),
		from: "2024-07-01T00:00:00Z", to: "2024-08-01T00:00:00Z",
		want: []string{"2024-07-05T07:00:00Z/2024-07-05T08:00:00Z", "2024-07-05T16:00:00Z/2024-07-05T17:00:00Z"},
	}, {
		name: "mozilla.org prefixed TZID",
		ics:  vcal(vevent("UID:a", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20240105T090000", "DURATION:PT1H")),
		from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z",
		want: []string{"2024-01-05T08:00:00Z/2024-01-05T09:00:00Z"},
	}, {
		// A custom TZID defined only by the file: US Eastern rules since 2007.
		name: "VTIMEZONE-only custom TZID",
		ics: vcal("BEGIN:VTIMEZONE", "TZID:Office Time",
			"BEGIN:STANDARD", "DTSTART:20071104T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST",
			"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
			"BEGIN:DAYLIGHT", "DTSTART:20070311T020000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT",
			"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT", "END:VTIMEZONE",
			vevent("UID:a", "DTSTART;TZID=Office Time:20240308T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=2")),
		from: "2024-03-01T00:00:00Z", to: "2024-04-01T00:00:00Z",
		want: []string{"2024-03-08T14:00:00Z/2024-03-08T15:00:00Z", "2024-03-11T13:00:00Z/2024-03-11T14:00:00Z"},
	}, {
		// Exported VTIMEZONEs are often truncated or wrong: an IANA TZID uses the tz database.
		name: "IANA TZID ignores the file's VTIMEZONE for it",
		ics: vcal("BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
			"BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0000", "END:STANDARD", "END:VTIMEZONE",
			vevent("UID:a", "DTSTART;TZID=Europe/Berlin:20240705T090000", "DURATION:PT1H")),
		from: "2024-07-01T00:00:00Z", to: "2024-08-01T00:00:00Z",
		want: []string{"2024-07-05T07:00:00Z/2024-07-05T08:00:00Z"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := mustParse(t, tc.ics)
			got := mustExpand(t, cal, utc(tc.from), utc(tc.to), ExpandOptions{DefaultZone: tc.zone})
			if diff := cmp.Diff(tc.want, spans(got.Instances)); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
		})
	}
}
