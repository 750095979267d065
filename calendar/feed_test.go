package calendar_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // results must not depend on the host's zone data
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/google/go-cmp/cmp"

	"overlap/calendar"
)

var feedStamp = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustWriteFeed(t testing.TB, f calendar.Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := calendar.WriteFeed(&buf, f); err != nil {
		t.Fatalf("WriteFeed: %v", err)
	}
	return buf.Bytes()
}

// feedAround is a feed in zone over the local dates [from, to): hour-long
// slots before, across and after every transition, and a weekly 09:00 slot.
func feedAround(t testing.TB, zone, from, to string) calendar.Feed {
	t.Helper()
	loc := mustLoad(t, zone)
	start, err1 := time.ParseInLocation(time.DateOnly, from, loc)
	end, err2 := time.ParseInLocation(time.DateOnly, to, loc)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var starts []time.Time
	for at := start; at.Before(end); at = at.AddDate(0, 0, 7) {
		starts = append(starts, time.Date(at.Year(), at.Month(), at.Day(), 9, 0, 0, 0, loc))
	}
	for at := start; ; {
		_, next := at.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			break
		}
		starts = append(starts, next.Add(-90*time.Minute), next.Add(-30*time.Minute), next.Add(30*time.Minute))
		at = next
	}
	f := calendar.Feed{ProdID: "-//Overlap//Test//EN", Name: "Core hours " + zone, Zone: loc, Refresh: time.Hour}
	for i, s := range starts {
		f.Events = append(f.Events, calendar.FeedEvent{
			UID:      fmt.Sprintf("slot-%03d@overlap.test", i),
			Sequence: i % 3,
			Start:    s, End: s.Add(time.Hour),
			Summary: fmt.Sprintf("Core hours %d; Kraków, 会議", i),
			Status:  []string{"CONFIRMED", "TENTATIVE", "CANCELLED"}[i%3],
			Stamp:   feedStamp,
		})
	}
	return f
}

// feedKeys are the events as sorted "uid start/end summary" keys, in UTC.
func feedKeys(events []calendar.FeedEvent) []string {
	var keys []string
	for _, ev := range events {
		keys = append(keys, ev.UID+" "+ev.Start.UTC().Format(time.RFC3339)+"/"+ev.End.UTC().Format(time.RFC3339)+" "+ev.Summary)
	}
	slices.Sort(keys)
	return keys
}

// parsedKeys reads a feed back with this package's Parse and Expand.
func parsedKeys(t testing.TB, data []byte, events []calendar.FeedEvent) []string {
	t.Helper()
	cal, err := calendar.Parse(context.Background(), bytes.NewReader(data), calendar.DefaultLimits)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if w := cal.Warnings(); len(w) > 0 {
		t.Errorf("Parse warnings: %v", w)
	}
	from, to := events[0].Start, events[0].End
	for _, ev := range events {
		from, to = minTime(from, ev.Start), maxTime(to, ev.End)
	}
	found, err := cal.Expand(context.Background(), from.Add(-24*time.Hour), to.Add(24*time.Hour), calendar.ExpandOptions{})
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	if len(found.Warnings) > 0 {
		t.Errorf("Expand warnings: %v", found.Warnings)
	}
	var keys []string
	for _, in := range found.Instances {
		keys = append(keys, in.UID+" "+in.Start.Format(time.RFC3339)+"/"+in.End.Format(time.RFC3339)+" "+in.Summary)
	}
	slices.Sort(keys)
	return keys
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// decodedKeys reads a feed back with go-ical's decoder, which resolves TZIDs
// with the tz database, and checks that no time is floating.
func decodedKeys(t testing.TB, data []byte) []string {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("go-ical Decode: %v", err)
	}
	var keys []string
	for _, ev := range cal.Events() {
		for _, name := range []string{ical.PropDateTimeStart, ical.PropDateTimeEnd} {
			if p := ev.Props.Get(name); p.Params.Get(ical.PropTimezoneID) == "" && !strings.HasSuffix(p.Value, "Z") {
				t.Errorf("floating %s:%s", name, p.Value)
			}
		}
		uid, _ := ev.Props.Text(ical.PropUID)
		summary, _ := ev.Props.Text(ical.PropSummary)
		start, err1 := ev.DateTimeStart(nil)
		end, err2 := ev.DateTimeEnd(nil)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", uid, err1, err2)
		}
		keys = append(keys, uid+" "+start.UTC().Format(time.RFC3339)+"/"+end.UTC().Format(time.RFC3339)+" "+summary)
	}
	slices.Sort(keys)
	return keys
}

// customZone unfolds a feed and renames its zone to a name that is not in
// the tz database, so that readers must use the feed's VTIMEZONE.
func customZone(data []byte, zone string) []byte {
	s := strings.ReplaceAll(string(data), "\r\n ", "")
	s = strings.ReplaceAll(s, "X-LIC-LOCATION:"+zone+"\r\n", "")
	s = strings.ReplaceAll(s, "TZID="+zone+":", "TZID=Custom/Test:")
	s = strings.ReplaceAll(s, "TZID:"+zone+"\r\n", "TZID:Custom/Test\r\n")
	return []byte(s)
}

// checkLines checks RFC 5545 §3.1: CRLF line ends only, physical lines of
// at most 75 octets, each valid UTF-8 on its own.
func checkLines(t testing.TB, data []byte) {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\r\n")), []byte("\r\n")) {
		switch {
		case bytes.ContainsAny(line, "\r\n"):
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		case len(line) > 75:
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		case !utf8.Valid(line):
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, line)
		}
	}
}

func TestWriteFeedRoundTrip(t *testing.T) {
	tests := []struct{ name, zone, from, to string }{
		{"Berlin both transitions", "Europe/Berlin", "2024-01-01", "2025-01-01"},
		{"New York both transitions", "America/New_York", "2024-01-01", "2025-01-01"},
		{"Sydney, southern hemisphere", "Australia/Sydney", "2024-01-01", "2025-01-01"},
		{"Santiago, southern hemisphere", "America/Santiago", "2024-01-01", "2025-01-01"},
		{"Dublin, negative DST in the tz data", "Europe/Dublin", "2024-01-01", "2025-01-01"},
		{"Kolkata +0530", "Asia/Kolkata", "2024-01-01", "2024-03-01"},
		{"Kathmandu +0545", "Asia/Kathmandu", "2024-01-01", "2024-03-01"},
		{"Kathmandu 1986 change of base offset", "Asia/Kathmandu", "1985-10-01", "1986-03-01"},
		{"Chatham +1245/+1345", "Pacific/Chatham", "2024-01-01", "2025-01-01"},
		{"Lord Howe 30-minute DST", "Australia/Lord_Howe", "2024-01-01", "2025-01-01"},
		{"St Johns -0330/-0230", "America/St_Johns", "2024-01-01", "2025-01-01"},
		{"Sao Paulo across the end of DST in 2019", "America/Sao_Paulo", "2018-06-01", "2020-06-01"},
		{"Apia skips 2011-12-30", "Pacific/Apia", "2011-06-01", "2012-06-01"},
		{"Apia ends DST in 2021", "Pacific/Apia", "2020-06-01", "2021-12-01"},
		{"Moscow 2014 back to +03", "Europe/Moscow", "2014-01-01", "2015-03-01"},
		{"UTC", "UTC", "2024-01-01", "2024-04-01"},
		{"Berlin across a year end", "Europe/Berlin", "2024-12-01", "2025-02-01"},
		{"Sydney across a year end, in daylight time", "Australia/Sydney", "2024-12-01", "2025-02-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := feedAround(t, tc.zone, tc.from, tc.to)
			data := mustWriteFeed(t, f)
			checkLines(t, data)
			want := feedKeys(f.Events)
			if diff := cmp.Diff(want, decodedKeys(t, data)); diff != "" {
				t.Errorf("go-ical reads (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, parsedKeys(t, data, f.Events)); diff != "" {
				t.Errorf("calendar.Parse reads (-want +got):\n%s", diff)
			}
			if tc.zone == "UTC" {
				if bytes.Contains(data, []byte("TZID")) {
					t.Error("a UTC feed has a TZID")
				}
				return
			}
			custom := customZone(data, tc.zone)
			if diff := cmp.Diff(want, parsedKeys(t, custom, f.Events)); diff != "" {
				t.Errorf("calendar.Parse reads the VTIMEZONE (-want +got):\n%s", diff)
			}
		})
	}
}

// vtimezoneTests pin the generated observances: which offset is standard
// (the smaller one, also where the tz data says otherwise), local onsets in
// the offset before them, and UTC-OFFSET values.
var vtimezoneTests = []struct {
	zone, date string // one event on date; the VTIMEZONE covers a year either side
	want       []string
}{{
	zone: "Asia/Kathmandu", date: "2024-06-01",
	want: []string{"STANDARD 20230101T000000 +0545 +0545 +0545"},
}, {
	zone: "America/Sao_Paulo", date: "2021-06-01", // no DST since 2019
	want: []string{"STANDARD 20200101T000000 -0300 -0300 -03"},
}, {
	zone: "America/Sao_Paulo", date: "2019-06-01",
	want: []string{
		"DAYLIGHT 20180101T000000 -0200 -0200 -02",
		"STANDARD 20180218T000000 -0200 -0300 -03",
		"DAYLIGHT 20181104T000000 -0300 -0200 -02",
		"STANDARD 20190217T000000 -0200 -0300 -03",
	},
}, {
	zone: "Pacific/Apia", date: "2012-01-15", // from daylight -10 to daylight +14, then standard +13
	want: []string{
		"DAYLIGHT 20110101T000000 -1000 -1000 -10",
		"STANDARD 20110402T040000 -1000 -1100 -11",
		"DAYLIGHT 20110924T030000 -1100 -1000 -10",
		"DAYLIGHT 20111230T000000 -1000 +1400 +14",
		"STANDARD 20120401T040000 +1400 +1300 +13",
		"DAYLIGHT 20120930T030000 +1300 +1400 +14",
		"STANDARD 20130407T040000 +1400 +1300 +13",
		"DAYLIGHT 20130929T030000 +1300 +1400 +14",
	},
}, {
	zone: "Europe/Moscow", date: "2014-06-01", // +04 for three years was standard time
	want: []string{
		"STANDARD 20130101T000000 +0400 +0400 MSK",
		"STANDARD 20141026T020000 +0400 +0300 MSK",
	},
}, {
	zone: "Europe/Dublin", date: "2024-06-01", // the tz data flags winter GMT as DST
	want: []string{
		"STANDARD 20230101T000000 +0000 +0000 GMT",
		"DAYLIGHT 20230326T010000 +0000 +0100 IST",
		"STANDARD 20231029T020000 +0100 +0000 GMT",
		"DAYLIGHT 20240331T010000 +0000 +0100 IST",
		"STANDARD 20241027T020000 +0100 +0000 GMT",
		"DAYLIGHT 20250330T010000 +0000 +0100 IST",
		"STANDARD 20251026T020000 +0100 +0000 GMT",
	},
}, {
	zone: "Australia/Lord_Howe", date: "2024-06-01", // 30-minute DST
	want: []string{
		"DAYLIGHT 20230101T000000 +1100 +1100 +11",
		"STANDARD 20230402T020000 +1100 +1030 +1030",
		"DAYLIGHT 20231001T020000 +1030 +1100 +11",
		"STANDARD 20240407T020000 +1100 +1030 +1030",
		"DAYLIGHT 20241006T020000 +1030 +1100 +11",
		"STANDARD 20250406T020000 +1100 +1030 +1030",
		"DAYLIGHT 20251005T020000 +1030 +1100 +11",
	},
}, {
	zone: "Pacific/Chatham", date: "2024-06-01",
	want: []string{
		"DAYLIGHT 20230101T000000 +1345 +1345 +1345",
		"STANDARD 20230402T034500 +1345 +1245 +1245",
		"DAYLIGHT 20230924T024500 +1245 +1345 +1345",
		"STANDARD 20240407T034500 +1345 +1245 +1245",
		"DAYLIGHT 20240929T024500 +1245 +1345 +1345",
		"STANDARD 20250406T034500 +1345 +1245 +1245",
		"DAYLIGHT 20250928T024500 +1245 +1345 +1345",
	},
}, {
	zone: "America/St_Johns", date: "2024-06-01",
	want: []string{
		"STANDARD 20230101T000000 -0330 -0330 NST",
		"DAYLIGHT 20230312T020000 -0330 -0230 NDT",
		"STANDARD 20231105T020000 -0230 -0330 NST",
		"DAYLIGHT 20240310T020000 -0330 -0230 NDT",
		"STANDARD 20241103T020000 -0230 -0330 NST",
		"DAYLIGHT 20250309T020000 -0330 -0230 NDT",
		"STANDARD 20251102T020000 -0230 -0330 NST",
	},
}}

func TestWriteFeedVTIMEZONE(t *testing.T) {
	for _, tc := range vtimezoneTests {
		t.Run(tc.zone+" "+tc.date, func(t *testing.T) {
			loc := mustLoad(t, tc.zone)
			day, err := time.ParseInLocation(time.DateOnly, tc.date, loc)
			if err != nil {
				t.Fatal(err)
			}
			start := day.Add(9 * time.Hour)
			data := mustWriteFeed(t, calendar.Feed{ProdID: "-//Overlap//Test//EN", Zone: loc, Refresh: time.Hour, Events: []calendar.FeedEvent{
				{UID: "a", Start: start, End: start.Add(time.Hour), Status: "CONFIRMED", Stamp: feedStamp},
			}})
			if diff := cmp.Diff(tc.want, observances(t, data, tc.zone)); diff != "" {
				t.Errorf("observances (-want +got):\n%s", diff)
			}
		})
	}
}

// observances reads a feed's VTIMEZONE for zone as "KIND DTSTART FROM TO
// NAME" lines, checking that no value carries a parameter (VALUE=TEXT).
func observances(t *testing.T, data []byte, zone string) []string {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tz := range cal.Children {
		if tz.Name != ical.CompTimezone {
			continue
		}
		if id, _ := tz.Props.Text(ical.PropTimezoneID); id != zone {
			t.Errorf("TZID %q", id)
		}
		for _, o := range tz.Children {
			line := o.Name
			for _, name := range []string{ical.PropDateTimeStart, ical.PropTimezoneOffsetFrom, ical.PropTimezoneOffsetTo, ical.PropTimezoneName} {
				p := o.Props.Get(name)
				if len(p.Params) > 0 {
					t.Errorf("%s has parameters %v", name, p.Params)
				}
				line += " " + p.Value
			}
			got = append(got, line)
		}
	}
	return got
}

// unfold joins folded lines (RFC 5545 §3.1).
func unfold(data []byte) string {
	return strings.ReplaceAll(string(data), "\r\n ", "")
}

func TestWriteFeedTimes(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	f := calendar.Feed{ProdID: "-//Overlap//Test//EN", Zone: berlin, Refresh: time.Hour, Events: []calendar.FeedEvent{{
		UID: "seconds", Start: at("2024-03-05T08:00:30.75Z"), End: at("2024-03-05T09:00:59.999Z"), Status: "CONFIRMED",
		Stamp: at("2024-03-01T10:00:00.5+01:00"), LastModified: at("2024-03-01T10:00:07+01:00"),
	}, {
		// 02:30 occurs twice on 27 October 2024 in Berlin: both are written in UTC.
		UID: "fall-back", Start: at("2024-10-27T00:30:00Z"), End: at("2024-10-27T01:30:00Z"), Status: "CONFIRMED", Stamp: feedStamp,
	}, {
		UID: "after", Start: at("2024-10-27T02:00:00Z"), End: at("2024-10-27T03:00:00Z"), Status: "CONFIRMED", Stamp: feedStamp,
	}}}
	text := unfold(mustWriteFeed(t, f))
	for _, want := range []string{
		"UID:seconds\r\nDTSTAMP:20240301T090000Z\r\nDTSTART;TZID=Europe/Berlin:20240305T090030\r\nDTEND;TZID=Europe/Berlin:20240305T100059\r\n",
		"LAST-MODIFIED:20240301T090007Z\r\n",
		"UID:fall-back\r\nDTSTAMP:20240501T120000Z\r\nDTSTART:20241027T003000Z\r\nDTEND:20241027T013000Z\r\n",
		"UID:after\r\nDTSTAMP:20240501T120000Z\r\nDTSTART;TZID=Europe/Berlin:20241027T030000\r\nDTEND;TZID=Europe/Berlin:20241027T040000\r\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestWriteFeedDeterministic(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "Pacific/Chatham", "UTC"} {
		first := mustWriteFeed(t, feedAround(t, zone, "2024-01-01", "2025-01-01"))
		for range 3 {
			if again := mustWriteFeed(t, feedAround(t, zone, "2024-01-01", "2025-01-01")); !bytes.Equal(first, again) {
				t.Fatalf("%s: two writes of the same feed differ", zone)
			}
		}
	}
}

func TestWriteFeedFolding(t *testing.T) {
	long := strings.Repeat("Kraków – 会議 – 🎉 ", 12)
	description := "Agenda:\n" + strings.Repeat("- décision à prendre; 決定, 🎉🎉\n", 8)
	// Each padding moves the multi-byte characters across the 75-octet boundaries.
	for pad := range 5 {
		summary := strings.Repeat("x", pad) + long
		f := calendar.Feed{ProdID: "-//Overlap//Test//EN", Name: summary, Description: description, Zone: time.UTC, Refresh: time.Hour,
			Events: []calendar.FeedEvent{{
				UID: "fold@overlap.test", Start: feedStamp, End: feedStamp.Add(time.Hour), Status: "CONFIRMED", Stamp: feedStamp,
				Summary: summary, Description: description, Location: strings.Repeat("Zürich ", 20),
				Categories: []string{long, "1:1", "a,b"},
			}}}
		data := mustWriteFeed(t, f)
		checkLines(t, data)
		if !strings.Contains(unfold(data), "\r\nSUMMARY:"+summary+"\r\n") {
			t.Errorf("pad %d: unfolding does not give back SUMMARY:%s", pad, summary)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		ev := cal.Events()[0]
		gotSummary, _ := ev.Props.Text(ical.PropSummary)
		gotDescription, _ := ev.Props.Text(ical.PropDescription)
		gotName, _ := cal.Props.Text(ical.PropName)
		gotCategories, _ := ev.Props.Get(ical.PropCategories).TextList()
		if gotSummary != summary || gotDescription != description || gotName != summary {
			t.Errorf("pad %d: read back summary %q, description %q, name %q", pad, gotSummary, gotDescription, gotName)
		}
		if diff := cmp.Diff(f.Events[0].Categories, gotCategories); diff != "" {
			t.Errorf("categories (-want +got):\n%s", diff)
		}
	}
}

func TestWriteFeedEscaping(t *testing.T) {
	tests := []struct {
		name, text string
		line       string // the unfolded SUMMARY value
		back       string
	}{
		{"comma, semicolon, backslash", `a,b;c\d`, `a\,b\;c\\d`, `a,b;c\d`},
		{"newline", "line 1\nline 2", `line 1\nline 2`, "line 1\nline 2"},
		{"CRLF and CR become newlines", "one\r\ntwo\rthree", `one\ntwo\nthree`, "one\ntwo\nthree"},
		{"colon and quotes need no escape", `Re: "plan" 10:00`, `Re: "plan" 10:00`, `Re: "plan" 10:00`},
		{"tab kept", "a\tb", "a\tb", "a\tb"},
		{"control characters left out", "bell\x07\x00 and \x1b", "bell and ", "bell and "},
		{"invalid UTF-8 replaced", "bad \xff byte", "bad \uFFFD byte", "bad \uFFFD byte"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustWriteFeed(t, calendar.Feed{ProdID: "-//Overlap//Test//EN", Zone: time.UTC, Refresh: time.Hour, Events: []calendar.FeedEvent{{
				UID: "esc", Start: feedStamp, End: feedStamp.Add(time.Hour), Status: "CONFIRMED", Stamp: feedStamp,
				Summary: tc.text, Description: tc.text,
			}}})
			checkLines(t, data)
			text := unfold(data)
			for _, name := range []string{"SUMMARY", "DESCRIPTION"} {
				if !strings.Contains(text, "\r\n"+name+":"+tc.line+"\r\n") {
					t.Errorf("no line %s:%s in\n%s", name, tc.line, text)
				}
			}
			cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{ical.PropSummary, ical.PropDescription} {
				if got, _ := cal.Events()[0].Props.Text(name); got != tc.back {
					t.Errorf("%s reads back as %q, want %q", name, got, tc.back)
				}
			}
		})
	}
}

func TestWriteFeedEmpty(t *testing.T) {
	data := mustWriteFeed(t, calendar.Feed{ProdID: "-//Overlap//Test//EN", Name: "No slots yet", Zone: mustLoad(t, "Europe/Berlin"), Refresh: 90 * time.Minute})
	checkLines(t, data)
	want := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Overlap//Test//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n" +
		"NAME:No slots yet\r\nX-WR-CALNAME:No slots yet\r\nX-WR-TIMEZONE:Europe/Berlin\r\n" +
		"REFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\nX-PUBLISHED-TTL:PT1H30M\r\nEND:VCALENDAR\r\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	cal, err := calendar.Parse(context.Background(), bytes.NewReader(data), calendar.DefaultLimits)
	if err != nil || cal.EventCount() != 0 {
		t.Errorf("Parse: %v, %d events", err, cal.EventCount())
	}
}

func TestWriteFeedErrors(t *testing.T) {
	valid := func() calendar.Feed {
		return calendar.Feed{ProdID: "-//Overlap//Test//EN", Zone: time.UTC, Refresh: time.Hour, Events: []calendar.FeedEvent{{
			UID: "a", Start: feedStamp, End: feedStamp.Add(time.Hour), Status: "CONFIRMED", Stamp: feedStamp,
		}}}
	}
	tests := []struct {
		name   string
		change func(f *calendar.Feed)
	}{
		{"nil zone", func(f *calendar.Feed) { f.Zone = nil }},
		{"Local zone", func(f *calendar.Feed) { f.Zone = time.Local }},
		{"unnamed fixed zone", func(f *calendar.Feed) { f.Zone = time.FixedZone("", 3600) }},
		{"no PRODID", func(f *calendar.Feed) { f.ProdID = " " }},
		{"no refresh interval", func(f *calendar.Feed) { f.Refresh = 0 }},
		{"refresh under a second", func(f *calendar.Feed) { f.Refresh = time.Millisecond }},
		{"no UID", func(f *calendar.Feed) { f.Events[0].UID = "" }},
		{"blank UID", func(f *calendar.Feed) { f.Events[0].UID = " \t" }},
		{"duplicate UID", func(f *calendar.Feed) { f.Events = append(f.Events, f.Events[0]) }},
		{"end equals start", func(f *calendar.Feed) { f.Events[0].End = f.Events[0].Start }},
		{"end before start", func(f *calendar.Feed) { f.Events[0].End = f.Events[0].Start.Add(-time.Hour) }},
		{"end within the start's second", func(f *calendar.Feed) { f.Events[0].End = f.Events[0].Start.Add(time.Millisecond) }},
		{"no status", func(f *calendar.Feed) { f.Events[0].Status = "" }},
		{"lower-case status", func(f *calendar.Feed) { f.Events[0].Status = "confirmed" }},
		{"unknown status", func(f *calendar.Feed) { f.Events[0].Status = "DECLINED" }},
		{"negative sequence", func(f *calendar.Feed) { f.Events[0].Sequence = -1 }},
		{"no DTSTAMP", func(f *calendar.Feed) { f.Events[0].Stamp = time.Time{} }},
		{"relative URL", func(f *calendar.Feed) { f.Events[0].URL = "/slots/1" }},
		{"malformed URL", func(f *calendar.Feed) { f.Events[0].URL = "https://exa mple.com/" }},
		{"year 10000", func(f *calendar.Feed) { f.Events[0].End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
	}
	var buf bytes.Buffer
	if err := calendar.WriteFeed(&buf, valid()); err != nil {
		t.Fatalf("the valid feed: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.change(&f)
			var buf bytes.Buffer
			err := calendar.WriteFeed(&buf, f)
			if err == nil || !strings.HasPrefix(err.Error(), "calendar: ") {
				t.Errorf("error %v, want one from package calendar", err)
			}
			if buf.Len() > 0 {
				t.Errorf("wrote %d bytes along with the error", buf.Len())
			}
		})
	}
}
