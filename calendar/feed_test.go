package calendar_test

import (
	"bytes"
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
	cal, err := calendar.Parse(bytes.NewReader(data), calendar.DefaultLimits)
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
	instances, warnings := cal.Expand(from.Add(-24*time.Hour), to.Add(24*time.Hour), calendar.ExpandOptions{})
	if len(warnings) > 0 {
		t.Errorf("Expand warnings: %v", warnings)
	}
	var keys []string
	for _, in := range instances {
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
