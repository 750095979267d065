package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"overlap/store"
	"overlap/store/storetest"
)

// summaryNow is the injected clock of these tests: the summary counts busy
// instances from Monday 2 March 2026 00:00 UTC to Monday 30 March, across
// New York's switch to daylight time on 8 March.
var summaryNow = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func withNow(now time.Time) func(*testConfig) {
	return func(c *testConfig) { c.Now = func() time.Time { return now } }
}

// toCRLF writes a fixture the way calendar clients export it.
func toCRLF(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// anaCalendar belongs to a New York member, ana@example.com. Busy in
// [summaryNow, +28 days): the stand-up on Mondays and Wednesdays at 09:30
// New York time (8 occurrences, less the EXDATE of 11 March and the
// cancelled 16 March: 6), the floating dinner read in New York time
// (2 March 03:00 UTC; read in UTC it would fall before the window), the
// all-day offsite on 20 March: 8. Free or outside: the cancelled,
// transparent and declined events, the events before and after the window.
var anaCalendar = toCRLF(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Overlap//test//EN
BEGIN:VEVENT
UID:standup
DTSTAMP:20260101T000000Z
DTSTART;TZID=America/New_York:20260105T093000
DTEND;TZID=America/New_York:20260105T094500
RRULE:FREQ=WEEKLY;BYDAY=MO,WE
EXDATE;TZID=America/New_York:20260311T093000
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:standup
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=America/New_York:20260316T093000
DTSTART;TZID=America/New_York:20260316T093000
DTEND;TZID=America/New_York:20260316T094500
STATUS:CANCELLED
SUMMARY:Stand-up (cancelled)
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTAMP:20260101T000000Z
DTSTART:20260310T150000Z
DTEND:20260310T160000Z
STATUS:CANCELLED
SUMMARY:Cancelled review
END:VEVENT
BEGIN:VEVENT
UID:transparent
DTSTAMP:20260101T000000Z
DTSTART:20260312T150000Z
DTEND:20260312T160000Z
TRANSP:TRANSPARENT
SUMMARY:Focus time
END:VEVENT
BEGIN:VEVENT
UID:declined
DTSTAMP:20260101T000000Z
DTSTART:20260313T150000Z
DTEND:20260313T160000Z
ORGANIZER:mailto:bo@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:Ana@Example.com
SUMMARY:Vendor pitch
END:VEVENT
BEGIN:VEVENT
UID:floating-in
DTSTAMP:20260101T000000Z
DTSTART:20260301T220000
DTEND:20260301T230000
SUMMARY:Dinner
END:VEVENT
BEGIN:VEVENT
UID:offsite
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260320
DTEND;VALUE=DATE:20260321
SUMMARY:Offsite
END:VEVENT
BEGIN:VEVENT
UID:before
DTSTAMP:20260101T000000Z
DTSTART:20260220T150000Z
DTEND:20260220T160000Z
SUMMARY:Before
END:VEVENT
BEGIN:VEVENT
UID:martian
DTSTAMP:20260101T000000Z
DTSTART;TZID=Mars/Olympus:20260501T100000
DURATION:PT1H
SUMMARY:After, in an unknown zone
END:VEVENT
END:VCALENDAR
`)

// smallCalendar is a one-event file for tests that only need a previous import.
var smallCalendar = toCRLF(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Overlap//test//EN
BEGIN:VEVENT
UID:one
DTSTAMP:20260101T000000Z
DTSTART:20260303T150000Z
DTEND:20260303T160000Z
SUMMARY:One
END:VEVENT
END:VCALENDAR
`)

// lineOf is the 1-based line of the first line of ics containing s.
func lineOf(t *testing.T, ics, s string) int {
	t.Helper()
	for i, line := range strings.Split(ics, "\n") {
		if strings.Contains(line, s) {
			return i + 1
		}
	}
	t.Fatalf("no line contains %q", s)
	return 0
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

type calendarSummary struct {
	Events              int       `json:"events"`
	InstancesNext28Days int       `json:"instances_next_28_days"`
	ImportedAt          time.Time `json:"imported_at"`
	SHA256              string    `json:"sha256"`
	Warnings            []struct {
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"warnings"`
}

// newCalendarMember makes a team with one New York member, Ana.
func newCalendarMember(t *testing.T, ts *testServer, key string) (store.Team, string) {
	t.Helper()
	team := createTeam(t, ts, key, map[string]any{"name": "Platform", "timezone": "America/New_York"})
	res := ts.do(key, "POST", "/v1/teams/"+team.ID+"/members", map[string]any{
		"name": "Ana", "email": "ana@example.com", "timezone": "America/New_York",
	})
	if res.Status != http.StatusCreated {
		t.Fatalf("create member: %d %s", res.Status, res.Body)
	}
	var m store.Member
	res.decode(t, &m)
	return team, "/v1/teams/" + team.ID + "/members/" + m.ID
}

// putCalendar imports ics and returns the summary, failing on any status but 200.
func putCalendar(t *testing.T, ts *testServer, key, memberPath, ics string) calendarSummary {
	t.Helper()
	res := ts.do(key, "PUT", memberPath+"/calendar", ics, "text/calendar; charset=utf-8")
	if res.Status != http.StatusOK {
		t.Fatalf("import: %d %s", res.Status, res.Body)
	}
	var s calendarSummary
	res.decode(t, &s)
	return s
}

func getCalendar(t *testing.T, ts *testServer, key, memberPath string) calendarSummary {
	t.Helper()
	res := ts.do(key, "GET", memberPath+"/calendar", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("summary: %d %s", res.Status, res.Body)
	}
	var s calendarSummary
	res.decode(t, &s)
	return s
}

func TestMemberCalendarImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ts := newTestServer(t, s, withNow(summaryNow))
		admin := ts.key("admin")
		_, ana := newCalendarMember(t, ts, admin)

		if res := ts.do(admin, "GET", ana+"/calendar", nil); res.Status != http.StatusNotFound {
			t.Fatalf("summary before any import: %d %s", res.Status, res.Body)
		}

		imported := putCalendar(t, ts, admin, ana, anaCalendar)
		if imported.Events != 9 || imported.InstancesNext28Days != 8 || imported.SHA256 != sha256Hex(anaCalendar) {
			t.Errorf("summary: %d events, %d busy instances, sha256 %s; want 9, 8, %s",
				imported.Events, imported.InstancesNext28Days, imported.SHA256, sha256Hex(anaCalendar))
		}
		if imported.ImportedAt.IsZero() || imported.ImportedAt.Location() != time.UTC {
			t.Errorf("imported_at = %v, want a UTC instant", imported.ImportedAt)
		}
		wantLine := lineOf(t, anaCalendar, "TZID=Mars/Olympus")
		var unknownZone []string
		for _, w := range imported.Warnings {
			if strings.Contains(w.Message, "Mars/Olympus") {
				unknownZone = append(unknownZone, fmt.Sprintf("line %d: %s", w.Line, w.Message))
				if w.Line != wantLine {
					t.Errorf("warning %q on line %d, want line %d", w.Message, w.Line, wantLine)
				}
			}
		}
		if len(unknownZone) == 0 {
			t.Errorf("no warning names the unknown TZID: %+v", imported.Warnings)
		}

		if got := getCalendar(t, ts, admin, ana); fmt.Sprint(got) != fmt.Sprint(imported) {
			t.Errorf("GET differs from the PUT answer:\n got %+v\nwant %+v", got, imported)
		}

		// Idempotent: the same bytes again store nothing new.
		again := putCalendar(t, ts, admin, ana, anaCalendar)
		if fmt.Sprint(again) != fmt.Sprint(imported) {
			t.Errorf("re-import changed the summary:\n got %+v\nwant %+v", again, imported)
		}

		replaced := putCalendar(t, ts, admin, ana, smallCalendar)
		if replaced.Events != 1 || replaced.InstancesNext28Days != 1 || len(replaced.Warnings) != 0 ||
			replaced.SHA256 != sha256Hex(smallCalendar) || !replaced.ImportedAt.After(imported.ImportedAt) {
			t.Errorf("after replacing: %+v (first import at %v)", replaced, imported.ImportedAt)
		}
		if got := getCalendar(t, ts, admin, ana); got.SHA256 != replaced.SHA256 {
			t.Errorf("GET after replacing shows sha256 %s, want %s", got.SHA256, replaced.SHA256)
		}
	})
}

// TestMemberCalendarSummaryWindow moves the clock: the same stored file
// answers for the 28 days after each now.
func TestMemberCalendarSummaryWindow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		before := newTestServer(t, s, withNow(summaryNow))
		admin := before.key("admin")
		_, ana := newCalendarMember(t, before, admin)
		putCalendar(t, before, admin, ana, anaCalendar)

		// From Saturday 28 March: the stand-ups of Mondays and Wednesdays
		// 30 March to 22 April, nothing else.
		after := newTestServer(t, s, withNow(time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)))
		if got := getCalendar(t, after, admin, ana); got.InstancesNext28Days != 8 {
			t.Errorf("instances from 28 March = %d, want 8", got.InstancesNext28Days)
		}
	})
}

func TestMemberCalendarRefusedImportKeepsPrevious(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ts := newTestServer(t, s, withNow(summaryNow), func(c *testConfig) {
			c.Limits.MaxCalendarBytes = 2 << 10
			c.Limits.MaxCalendarEvents = 3
		})
		admin := ts.key("admin")
		_, ana := newCalendarMember(t, ts, admin)
		previous := putCalendar(t, ts, admin, ana, smallCalendar)

		malformed := toCRLF("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nDTSTART:20260303T150000Z\nthis is not a content line\nEND:VEVENT\nEND:VCALENDAR\n")
		event := "BEGIN:VEVENT\nUID:%d\nDTSTART:20260303T150000Z\nEND:VEVENT\n"
		var fourEvents strings.Builder
		fourEvents.WriteString("BEGIN:VCALENDAR\nVERSION:2.0\n")
		for i := range 4 {
			fmt.Fprintf(&fourEvents, event, i)
		}
		fourEvents.WriteString("END:VCALENDAR\n")
		padded := strings.Replace(smallCalendar, "SUMMARY:One", "SUMMARY:"+strings.Repeat("x", 70)+strings.Repeat("\r\n "+strings.Repeat("x", 70), 40), 1)

		tests := []struct {
			name        string
			body        string
			contentType string
			status      int
			kind        string
			line        int
		}{
			{"malformed", malformed, "text/calendar", 422, "invalid-calendar", 6},
			{"not UTF-8", strings.Replace(smallCalendar, "SUMMARY:One", "SUMMARY:\xffOne", 1), "text/calendar", 422, "invalid-calendar", lineOf(t, smallCalendar, "SUMMARY")},
			{"NUL byte", strings.Replace(smallCalendar, "UID:one", "UID:o\x00ne", 1), "text/calendar", 422, "invalid-calendar", lineOf(t, smallCalendar, "UID")},
			{"empty", "", "text/calendar", 422, "invalid-calendar", 1},
			{"over the byte limit", padded, "text/calendar", 413, "too-large", 0},
			{"over the event limit", toCRLF(fourEvents.String()), "text/calendar", 413, "too-large", 0},
			{"not text/calendar", anaCalendar, "text/plain", 415, "unsupported-media-type", 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := ts.do(admin, "PUT", ana+"/calendar", tc.body, tc.contentType)
				if res.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
				}
				p := res.problem(t)
				if p["type"] != "urn:overlap:problem:"+tc.kind {
					t.Errorf("type %v, want %s", p["type"], tc.kind)
				}
				if line, _ := p["line"].(float64); int(line) != tc.line {
					t.Errorf("line %v, want %d (%v)", p["line"], tc.line, p["detail"])
				}
				if got := getCalendar(t, ts, admin, ana); fmt.Sprint(got) != fmt.Sprint(previous) {
					t.Errorf("the refused import changed the calendar:\n got %+v\nwant %+v", got, previous)
				}
			})
		}
	})
}

func TestMemberCalendarScopes(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, ana := newCalendarMember(t, ts, admin)
		other := createTeam(t, ts, admin, map[string]any{"name": "Other", "timezone": "UTC"})
		lead, reader, outsider := ts.key("team:"+team.ID), ts.key("read"), ts.key("team:"+other.ID)

		putCalendar(t, ts, lead, ana, smallCalendar)
		getCalendar(t, ts, reader, ana)
		tests := []struct {
			name, key, method string
			status            int
		}{
			{"read key imports", reader, "PUT", 403},
			{"read key deletes", reader, "DELETE", 403},
			{"other team's key reads", outsider, "GET", 403},
			{"other team's key imports", outsider, "PUT", 403},
			{"other team's key deletes", outsider, "DELETE", 403},
			{"no key", "", "GET", 401},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var body any
				if tc.method == "PUT" {
					body = anaCalendar
				}
				if res := ts.do(tc.key, tc.method, ana+"/calendar", body, "text/calendar"); res.Status != tc.status {
					t.Errorf("status %d, want %d: %s", res.Status, tc.status, res.Body)
				}
			})
		}
		if got := getCalendar(t, ts, admin, ana); got.SHA256 != sha256Hex(smallCalendar) {
			t.Errorf("a refused caller changed the calendar: %+v", got)
		}
	})
}

func TestMemberCalendarDelete(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, ana := newCalendarMember(t, ts, admin)
		putCalendar(t, ts, admin, ana, smallCalendar)

		if res := ts.do(admin, "DELETE", ana+"/calendar", nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		for _, method := range []string{"GET", "DELETE"} {
			if res := ts.do(admin, method, ana+"/calendar", nil); res.Status != http.StatusNotFound {
				t.Errorf("%s after delete: %d %s", method, res.Status, res.Body)
			}
		}

		missing := "/v1/teams/" + team.ID + "/members/nobody/calendar"
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			var body any
			if method == "PUT" {
				body = smallCalendar
			}
			if res := ts.do(admin, method, missing, body, "text/calendar"); res.Status != http.StatusNotFound {
				t.Errorf("%s for a missing member: %d %s", method, res.Status, res.Body)
			}
		}
	})
}

func TestMemberCalendarGoesWithItsMember(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, ana := newCalendarMember(t, ts, admin)
		putCalendar(t, ts, admin, ana, smallCalendar)

		if res := ts.do(admin, "DELETE", ana, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete member: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "GET", ana+"/calendar", nil); res.Status != http.StatusNotFound {
			t.Errorf("calendar of a deleted member: %d %s", res.Status, res.Body)
		}
		if cals, err := ts.Store.FindTeamCalendars(t.Context(), team.ID); err != nil || len(cals) != 0 {
			t.Errorf("team calendars after the member left: %v, %v", cals, err)
		}
	})
}

// TestMemberCalendarWarningsCapped keeps the summary short when every event
// warns (each names a zone of its own: a repeated one warns once).
func TestMemberCalendarWarningsCapped(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		_, ana := newCalendarMember(t, ts, admin)
		var ics strings.Builder
		ics.WriteString("BEGIN:VCALENDAR\nVERSION:2.0\n")
		for i := range 150 {
			fmt.Fprintf(&ics, "BEGIN:VEVENT\nUID:%d\nDTSTART;TZID=Mars/Crater-%d:20260303T150000\nEND:VEVENT\n", i, i)
		}
		ics.WriteString("END:VCALENDAR\n")

		got := putCalendar(t, ts, admin, ana, toCRLF(ics.String()))
		if got.Events != 150 || len(got.Warnings) != 101 {
			t.Fatalf("%d events, %d warnings; want 150 events and 100 warnings plus a count", got.Events, len(got.Warnings))
		}
		if first := got.Warnings[0]; first.Line != 5 || !strings.Contains(first.Message, "Mars/Crater-0") {
			t.Errorf("first warning: %+v", first)
		}
		if last := got.Warnings[100]; last.Line != 0 || last.Message != "50 more warnings not shown" {
			t.Errorf("last warning: %+v", last)
		}
	})
}

// TestDenseCalendarRefused: a small file whose rules would expand past the
// instance budget is refused with the line of the rule, and the previous
// calendar stays.
func TestDenseCalendarRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ts := newTestServer(t, s, withNow(summaryNow))
		admin := ts.key("admin")
		_, ana := newCalendarMember(t, ts, admin)
		previous := putCalendar(t, ts, admin, ana, smallCalendar)
		dense := toCRLF("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\nBEGIN:VEVENT\nUID:dense\nDTSTART:20260101T000000Z\nDURATION:PT1S\n" +
			strings.Repeat("RRULE:FREQ=SECONDLY\n", 40) + "END:VEVENT\nEND:VCALENDAR\n")
		res := ts.do(admin, "PUT", ana+"/calendar", dense, "text/calendar")
		p := res.problem(t)
		if res.Status != http.StatusUnprocessableEntity || p["type"] != "urn:overlap:problem:invalid-calendar" || p["line"] != float64(8) {
			t.Errorf("dense calendar: %d %s; want 422 invalid-calendar at line 8", res.Status, res.Body)
		}
		if kept := getCalendar(t, ts, admin, ana); kept.SHA256 != previous.SHA256 {
			t.Errorf("the refused import replaced the calendar")
		}
	})
}
