package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReading has one case per rule of READING.md, in its order.
func TestReading(t *testing.T) {
	const dtstart = "DTSTART:20240105T090000Z"
	hour := []string{dtstart, "DURATION:PT1H"}
	ev := func(lines ...string) string { return vevent(append([]string{"UID:a"}, lines...)...) }
	tests := []struct {
		name   string
		ics    string
		limits Limits
		budget int
		// wantErr is part of Parse's error; else want are the instances
		// ("uid start/end busy") and wantWarnings parts of the warnings.
		wantErr      string
		want         []string
		wantWarnings []string
	}{
		// The file is refused.
		{name: "a byte that is not UTF-8", ics: vcal(ev(dtstart, "SUMMARY:caf\xe9")), wantErr: "line 7: byte 108 of the file is not UTF-8"},
		{name: "a NUL", ics: vcal(ev(dtstart, "SUMMARY:a\x00b")), wantErr: "line 7: byte 106 of the file is a NUL"},
		{name: "a line without a colon", ics: vcal(ev(dtstart, "SUMMARY")), wantErr: "line 7: malformed content line: missing colon"},
		{name: "a parameter without a value", ics: vcal(ev(dtstart, "ATTENDEE;PARTSTAT:mailto:a@example.com")), wantErr: "line 7: malformed parameter: missing equal sign"},
		{name: "a component name with a space", ics: vcal("BEGIN:V EVENT", "END:V EVENT"), wantErr: `line 4: BEGIN with an invalid component name "V EVENT"`},
		{name: "a component not closed", ics: vcal("BEGIN:VEVENT", "UID:a", dtstart), wantErr: "line 4: BEGIN:VEVENT is not closed: END:VCALENDAR on line 7 comes first"},
		{name: "an END without BEGIN", ics: "END:VEVENT\r\n", wantErr: `line 1: END:"VEVENT" without BEGIN`},
		{name: "a content line outside any component", ics: "UID:a\r\n", wantErr: `line 1: content line "UID:a" outside VCALENDAR`},
		{name: "no VCALENDAR", ics: "\r\n", wantErr: "line 1: no VCALENDAR"},
		{name: "over MaxBytes", ics: vcal(ev(hour...)), limits: Limits{MaxBytes: 100, MaxEvents: 10}, wantErr: "file exceeds the limit of 100 bytes"},
		{name: "over MaxEvents", ics: vcal(ev(hour...), ev(hour...)), limits: Limits{MaxBytes: 1000, MaxEvents: 1}, wantErr: "file exceeds the limit of 1 events"},

		// Read as other clients read it.
		{name: "a misspelt END closes the innermost component",
			ics:  vcal("BEGIN:VTODO", "UID:t", "END:VTOOD", ev(hour...)),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"}},
		{name: "a VEVENT without VCALENDAR, a file without VERSION",
			ics:  ev(hour...) + "\r\n",
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"}},
		{name: "RRULE part names in any case, an unknown part dropped",
			ics:          vcal(ev(dtstart, "DURATION:PT1H", "RRULE:freq=daily;count=2;UNTL=20240106")),
			want:         []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-06T09:00:00Z/2024-01-06T10:00:00Z busy"},
			wantWarnings: []string{`line 8: RRULE parts "UNTL=20240106" are not in RFC 5545; ignored`}},

		// One event or value is left out, with a warning on its line.
		{name: "a VEVENT without DTSTART", ics: vcal(ev("DURATION:PT1H"), vevent("UID:b", dtstart, "DURATION:PT1H")),
			want: []string{"b 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"}, wantWarnings: []string{"line 4: VEVENT without DTSTART; event skipped"}},
		{name: "an unreadable DTSTART", ics: vcal(ev("DTSTART:20240105T0900", "DURATION:PT1H")),
			wantWarnings: []string{`line 6: DTSTART: invalid DATE-TIME "20240105T0900"; event skipped`}},
		{name: "an unreadable DTEND", ics: vcal(ev(dtstart, "DTEND:20240105T2500")),
			wantWarnings: []string{`line 7: DTEND: invalid DATE-TIME "20240105T2500"; event skipped`}},
		{name: "an unreadable DURATION", ics: vcal(ev(dtstart, "DURATION:1H")),
			wantWarnings: []string{`line 7: invalid DURATION "1H"; event skipped`}},
		{name: "an unreadable RECURRENCE-ID", ics: vcal(ev(dtstart, "DURATION:PT1H", "RECURRENCE-ID:2024")),
			wantWarnings: []string{`line 8: RECURRENCE-ID: invalid DATE-TIME "2024"; event skipped`}},
		{name: "DTEND not after DTSTART", ics: vcal(ev(dtstart, "DTEND:20240105T080000Z")),
			wantWarnings: []string{"line 7: DTEND is not after DTSTART; event skipped"}},
		{name: "a negative DURATION", ics: vcal(ev(dtstart, "DURATION:-PT1H")),
			wantWarnings: []string{"line 7: DURATION is not positive; event skipped"}},
		{name: "an RDATE period that ends before it starts", ics: vcal(ev(dtstart, "DURATION:PT1H", "RDATE;VALUE=PERIOD:20240106T090000Z/20240106T080000Z")),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"}, wantWarnings: []string{"line 8: RDATE period ends at or before its start; value skipped"}},
		{name: "unreadable RDATE and EXDATE values", ics: vcal(ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3", "RDATE:20240110T090000Z,x", "EXDATE:y,20240106T090000Z")),
			want:         []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-07T09:00:00Z/2024-01-07T10:00:00Z busy", "a 2024-01-10T09:00:00Z/2024-01-10T10:00:00Z busy"},
			wantWarnings: []string{`line 9: RDATE: invalid DATE-TIME "x"; value ignored`, `line 10: EXDATE: invalid DATE-TIME "y"; value ignored`}},
		{name: "an unreadable RRULE", ics: vcal(ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=FORTNIGHTLY", "RDATE:20240110T090000Z")),
			want:         []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-10T09:00:00Z/2024-01-10T10:00:00Z busy"},
			wantWarnings: []string{`line 8: RRULE "FREQ=FORTNIGHTLY" cannot be read`}},
		{name: "an RRULE that matches no date", ics: vcal(ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "RDATE:20240110T090000Z")),
			want:         []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-10T09:00:00Z/2024-01-10T10:00:00Z busy"},
			wantWarnings: []string{"line 8: RRULE matches no date"}},
		{name: "an unknown TZID is read in the member's zone", ics: vcal(ev("DTSTART;TZID=Nowhere:20240105T090000", "DURATION:PT1H")),
			want: []string{"a 2024-01-05T08:00:00Z/2024-01-05T09:00:00Z busy"}, wantWarnings: []string{`line 6: unknown TZID "Nowhere"`}},
		{name: "a VTIMEZONE that cannot be used", ics: vcal("BEGIN:VTIMEZONE", "TZID:Office", "END:VTIMEZONE", ev("DTSTART;TZID=Office:20240105T090000", "DURATION:PT1H")),
			want: []string{"a 2024-01-05T08:00:00Z/2024-01-05T09:00:00Z busy"}, wantWarnings: []string{`line 4: VTIMEZONE "Office" cannot be used (no STANDARD or DAYLIGHT)`}},
		{name: "an X-WR-TIMEZONE that is not an IANA zone", ics: vcal("X-WR-TIMEZONE:Berlin", ev("DTSTART:20240105T090000", "DURATION:PT1H")),
			want: []string{"a 2024-01-05T08:00:00Z/2024-01-05T09:00:00Z busy"}, wantWarnings: []string{`line 4: X-WR-TIMEZONE "Berlin" is not an IANA zone`}},

		// Kept, with a warning.
		{name: "a VEVENT without UID", ics: vcal(vevent(hour...), vevent(hour...)),
			want:         []string{"(no-uid-1) 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "(no-uid-2) 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"},
			wantWarnings: []string{"line 4: VEVENT without UID (2 times)"}},
		{name: "RECURRENCE-IDs without master and off the rule",
			ics: vcal(vevent("UID:orphan", "RECURRENCE-ID:20240105T090000Z", "DTSTART:20240105T100000Z", "DURATION:PT1H"),
				ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=2"), ev("RECURRENCE-ID:20240106T090000Z", "DTSTART:20240106T100000Z", "DURATION:PT1H")),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "orphan 2024-01-05T10:00:00Z/2024-01-05T11:00:00Z busy",
				"a 2024-01-06T10:00:00Z/2024-01-06T11:00:00Z busy", "a 2024-01-12T09:00:00Z/2024-01-12T10:00:00Z busy"},
			wantWarnings: []string{"line 4: RECURRENCE-ID without a master event", "line 16: RECURRENCE-ID is not an occurrence of its master event"}},

		// Without a warning.
		{name: "a DTSTART alone is a point in time", ics: vcal(ev(dtstart)),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T09:00:00Z free"}},
		{name: "DTSTART counts toward COUNT", ics: vcal(ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3;BYHOUR=6,18")),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-05T18:00:00Z/2024-01-05T19:00:00Z busy", "a 2024-01-06T06:00:00Z/2024-01-06T07:00:00Z busy"}},
		{name: "a rule without end", ics: vcal(ev("DTSTART:20200105T090000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY")),
			want: []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy"}},

		// The expansion is bounded.
		{name: "the budget", ics: vcal(ev(dtstart, "DURATION:PT1H", "RRULE:FREQ=DAILY")), budget: 4,
			want:         []string{"a 2024-01-05T09:00:00Z/2024-01-05T10:00:00Z busy", "a 2024-01-06T09:00:00Z/2024-01-06T10:00:00Z busy"},
			wantWarnings: []string{"line 8: the expansion stopped here, at its budget of 4 instances"}},
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			limits := tc.limits
			if limits == (Limits{}) {
				limits = DefaultLimits
			}
			cal, err := Parse(t.Context(), strings.NewReader(tc.ics), limits)
			if tc.wantErr != "" || err != nil {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want …%s…", err, tc.wantErr)
				}
				return
			}
			x := mustExpand(t, cal, utc("2024-01-01T00:00:00Z"), utc("2024-02-01T00:00:00Z"), ExpandOptions{DefaultZone: berlin, MaxInstances: tc.budget})
			got := []string{}
			for _, in := range x.Instances {
				got = append(got, in.UID+" "+in.Start.Format(time.RFC3339)+"/"+in.End.Format(time.RFC3339)+" "+map[bool]string{true: "busy", false: "free"}[in.Busy])
			}
			if diff := cmp.Diff(append([]string{}, tc.want...), got); diff != "" {
				t.Errorf("instances (-want +got):\n%s", diff)
			}
			warnings := warningText(append(cal.Warnings(), x.Warnings...))
			for _, w := range tc.wantWarnings {
				if !strings.Contains(warnings, w) {
					t.Errorf("warnings %q lack %q", warnings, w)
				}
			}
			if n := strings.Count(warnings, "\n"); n != len(tc.wantWarnings) {
				t.Errorf("%d warnings, want %d: %q", n, len(tc.wantWarnings), warnings)
			}
		})
	}
}
