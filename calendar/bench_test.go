package calendar

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// generateCalendar writes a deterministic calendar of n events shaped like a
// busy member's export: one-off meetings, weekly and daily series with
// EXDATEs and moved occurrences, monthly and all-day events, in IANA, Windows
// and UTC zones.
func generateCalendar(n int) string {
	zones := []string{"TZID=America/New_York", "TZID=Europe/Berlin", "TZID=W. Europe Standard Time",
		"TZID=Pacific Standard Time", "TZID=Asia/Kolkata", "TZID=Australia/Sydney"}
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//overlap//bench//EN\r\n")
	for i := 0; i < n; i++ {
		day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%540)
		hour := 7 + i%11
		start := fmt.Sprintf("%sT%02d%02d00", day.Format("20060102"), hour, (i%4)*15)
		zone := zones[i%len(zones)]
		uid := fmt.Sprintf("event-%d@bench.example", i)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:Meeting %d\r\n", uid, i)
		b.WriteString("DESCRIPTION:Agenda: status\\, risks\\, decisions\r\nORGANIZER;CN=Lead:mailto:lead@bench.example\r\n")
		b.WriteString("ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@bench.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:peer@bench.example\r\n")
		switch i % 10 {
		case 0, 1, 2, 3: // one-off
			fmt.Fprintf(&b, "DTSTART;%s:%s\r\nDURATION:PT45M\r\n", zone, start)
		case 4, 5: // weekly on DTSTART's weekday and two days later, open-ended, with an exception
			fmt.Fprintf(&b, "DTSTART;%s:%s\r\nDTEND;%s:%s\r\n", zone, start, zone, strings.Replace(start, fmt.Sprintf("T%02d", hour), fmt.Sprintf("T%02d", hour+1), 1))
			fmt.Fprintf(&b, "RRULE:FREQ=WEEKLY;BYDAY=%s,%s\r\nEXDATE;%s:%s\r\n", weekday(day), weekday(day.AddDate(0, 0, 2)), zone, day.AddDate(0, 0, 14).Format("20060102")+start[8:])
		case 6: // daily standup with COUNT
			fmt.Fprintf(&b, "DTSTART;%s:%s\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY;COUNT=60\r\n", zone, start)
		case 7: // monthly on DTSTART's nth weekday
			fmt.Fprintf(&b, "DTSTART;%s:%s\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYDAY=%d%s;UNTIL=20261231T000000Z\r\n", zone, start, (day.Day()+6)/7, weekday(day))
		case 8: // all-day
			fmt.Fprintf(&b, "DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\nTRANSP:TRANSPARENT\r\n", day.Format("20060102"), day.AddDate(0, 0, 1).Format("20060102"))
		case 9: // UTC weekly with a moved occurrence
			fmt.Fprintf(&b, "DTSTART:%sZ\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY;COUNT=30\r\nEND:VEVENT\r\n", start)
			moved := day.AddDate(0, 0, 7)
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:%sZ\r\n", uid, moved.Format("20060102")+start[8:])
			fmt.Fprintf(&b, "DTSTART:%sT180000Z\r\nDURATION:PT30M\r\nSUMMARY:Moved %d\r\n", moved.Format("20060102"), i)
		}
		b.WriteString("END:VEVENT\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// weekday is t's RFC 5545 weekday code; the generated DTSTARTs stay in step
// with their rules, since RFC 5545 §3.8.5.3 leaves other sets undefined.
func weekday(t time.Time) string {
	return strings.ToUpper(t.Weekday().String()[:2])
}

var benchFrom, benchTo = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkExpandYear expands ~5,000 generated events over 2025.
func BenchmarkExpandYear(b *testing.B) {
	cal, err := Parse(b.Context(), strings.NewReader(generateCalendar(5000)), DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := cal.Expand(b.Context(), benchFrom, benchTo, ExpandOptions{DefaultZone: time.UTC}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAndExpandYear adds parsing, as `overlap expand` and the oracle do.
func BenchmarkParseAndExpandYear(b *testing.B) {
	ics := generateCalendar(5000)
	b.SetBytes(int64(len(ics)))
	for b.Loop() {
		cal, err := Parse(b.Context(), strings.NewReader(ics), DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cal.Expand(b.Context(), benchFrom, benchTo, ExpandOptions{DefaultZone: time.UTC}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteGeneratedCalendar writes the generated calendar to
// $OVERLAP_WRITE_BENCH_ICS ($OVERLAP_BENCH_EVENTS events, default 5000) so
// the benchmark can be compared with the oracle and memory measured.
func TestWriteGeneratedCalendar(t *testing.T) {
	path := os.Getenv("OVERLAP_WRITE_BENCH_ICS")
	if path == "" {
		t.Skip("set OVERLAP_WRITE_BENCH_ICS to write the benchmark calendar")
	}
	n := 5000
	if s := os.Getenv("OVERLAP_BENCH_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, []byte(generateCalendar(n)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGeneratedCalendarExpands(t *testing.T) {
	got := mustExpand(t, mustParse(t, generateCalendar(100)), benchFrom, benchTo, ExpandOptions{})
	if len(got.Instances) == 0 {
		t.Fatal("the generated calendar has no instances in the benchmark window")
	}
}
