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

// hostileCalendars are files written to make Parse and Expand work without
// bound: many or dense rules, rules that never match, a huge COUNT. Each
// must take well under 2 s and 256 MB over a year.
func hostileCalendars() []struct{ name, ics string } {
	lines := func(n int, line string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = line
		}
		return out
	}
	events := func(n int, lines ...string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%d\r\nDTSTART:%s\r\n%s\r\nEND:VEVENT\r\n", i,
				time.Date(2000, 1, 3, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%5000).Format("20060102T150405Z"), strings.Join(lines, "\r\n"))
		}
		return strings.TrimSuffix(b.String(), "\r\n")
	}
	oneEvent := func(lines ...string) string {
		return vevent(append([]string{"UID:a", "DTSTART:20000101T000000Z", "DURATION:PT1S"}, lines...)...)
	}
	maxed := "FREQ=YEARLY;BYMONTH=" + numbers(1, 12) + ";BYMONTHDAY=" + numbers(1, 31) + ";BYHOUR=" + numbers(0, 23) +
		";BYMINUTE=" + numbers(0, 59) + ";BYSECOND=" + numbers(0, 59)
	return []struct{ name, ics string }{
		{"40 SECONDLY rules", vcal(oneEvent(lines(40, "RRULE:FREQ=SECONDLY")...))},
		{"100 SECONDLY rules", vcal(oneEvent(lines(100, "RRULE:FREQ=SECONDLY")...))},
		{"100 MINUTELY rules", vcal(oneEvent(lines(100, "RRULE:FREQ=MINUTELY")...))},
		{"100 sparse SECONDLY rules", vcal(oneEvent(lines(100, "RRULE:FREQ=SECONDLY;BYHOUR=23;BYMINUTE=59;BYSECOND=59")...))},
		{"YEARLY rule with every BYxxx maxed", vcal(oneEvent("RRULE:" + maxed))},
		{"10,000 events with a MINUTELY rule", vcal(events(10_000, "DURATION:PT1M", "RRULE:FREQ=MINUTELY"))},
		{"10,000 events with a DAILY rule", vcal(events(10_000, "DURATION:PT1H", "RRULE:FREQ=DAILY"))},
		{"10,000 events on no date", vcal(events(10_000, "DURATION:PT1M", "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30"))},
		{"10,000 events on a lattice that misses", vcal(events(10_000, "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=SU"))},
		{"10,000 events on Feb 29 Mondays", vcal(events(10_000, "DURATION:PT1H", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"))},
		{"huge COUNT", vcal(oneEvent("RRULE:FREQ=SECONDLY;COUNT=2000000000"))},
		{"megabytes of parameter", vcal(oneEvent(`X-P;X-Q="` + strings.Repeat("x", 8<<20) + `":v`))},
	}
}

// BenchmarkHostile parses and expands each hostile calendar over 2025 with
// the default budget.
func BenchmarkHostile(b *testing.B) {
	for _, tc := range hostileCalendars() {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cal, err := Parse(b.Context(), strings.NewReader(tc.ics), DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := cal.Expand(b.Context(), benchFrom, benchTo, ExpandOptions{DefaultZone: time.UTC}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHostileCalendars expands each hostile calendar once: it must end,
// within its budget, with the invariants of every expansion.
func TestHostileCalendars(t *testing.T) {
	for _, tc := range hostileCalendars() {
		t.Run(tc.name, func(t *testing.T) {
			cal := mustParse(t, tc.ics)
			checkExpansion(t, mustExpand(t, cal, benchFrom, benchTo, ExpandOptions{DefaultZone: time.UTC}), DefaultMaxInstances)
		})
	}
}
