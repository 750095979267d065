package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"overlap/calendar"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

// hostileCalendars are small inputs that once cost minutes and gigabytes,
// and the everyday events that once broke planning for a whole team.
var hostileCalendars = []struct {
	name string
	ics  string
	// refused says the import must be refused (over the instance budget or
	// not iCalendar); otherwise it must be accepted.
	refused bool
}{
	{"secondly-x40", oneEvent("DTSTART:20260101T000000Z", "DTEND:20260101T000001Z", strings.Repeat("RRULE:FREQ=SECONDLY\r\n", 40)), true},
	{"secondly-x100", oneEvent("DTSTART:20260101T000000Z", "DTEND:20260101T000001Z", strings.Repeat("RRULE:FREQ=SECONDLY\r\n", 100)), true},
	{"minutely-x40-since-2020", oneEvent("DTSTART:20200101T000000Z", "DTEND:20200101T000100Z", strings.Repeat("RRULE:FREQ=MINUTELY\r\n", 40)), true},
	{"yearly-every-byxxx", oneEvent("DTSTART:20260101T000000Z", "DTEND:20260101T000001Z",
		"RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY="+numbers(1, 31)+";BYHOUR="+numbers(0, 23)+";BYMINUTE="+numbers(0, 59)+";BYSECOND="+numbers(0, 59)+"\r\n"), true},
	{"huge-count", oneEvent("DTSTART:20260101T000000Z", "DTEND:20260101T000001Z", "RRULE:FREQ=SECONDLY;COUNT=2000000000\r\n"), true},
	{"dense-events", manyEvents(400, "RRULE:FREQ=MINUTELY;INTERVAL=5"), true},
	{"no-dtend", oneEvent("DTSTART:20261201T090000Z", "", "RRULE:FREQ=DAILY"), false},
	{"dtend-before-dtstart", oneEvent("DTSTART:20261201T090000Z", "DTEND:20261201T080000Z", "RRULE:FREQ=DAILY"), false},
	{"dtend-equals-dtstart", oneEvent("DTSTART:20261201T090000Z", "DTEND:20261201T090000Z", ""), false},
	{"negative-duration", oneEvent("DTSTART:20261201T090000Z", "DURATION:-PT1H", "RRULE:FREQ=WEEKLY"), false},
	{"cr-only-5mb", "BEGIN:VCALENDAR\r" + strings.Repeat("X-JUNK:"+strings.Repeat("z", 60)+"\r", 5<<20/68), true},
}

func oneEvent(start, end, rules string) string {
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", "BEGIN:VEVENT", "UID:hostile", "DTSTAMP:20260101T000000Z", start}
	if end != "" {
		lines = append(lines, end)
	}
	if rules != "" && !strings.HasSuffix(rules, "\r\n") {
		rules += "\r\n"
	}
	return strings.Join(lines, "\r\n") + "\r\n" + rules + "END:VEVENT\r\nEND:VCALENDAR\r\n"
}

func manyEvents(n int, rule string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n")
	for i := range n {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:e%d\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T%02d%02d00Z\r\nDURATION:PT1M\r\n%s\r\nEND:VEVENT\r\n", i, i/60%24, i%60, rule)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

func numbers(from, to int) string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return strings.Join(out, ",")
}

var hostileNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestHostileCalendars: each hostile file is refused with the line at
// fault and nothing stored, or accepted without breaking planning; and a
// hostile file stored before the limits existed is read within the budget,
// with a notice, when the team is planned.
func TestHostileCalendars(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenSQLite(t)
	svc := service.New(s, service.Limits{}, func() time.Time { return hostileNow })
	team := mustTeam(t, svc, service.TeamInput{})
	m := mustMember(t, svc, team.ID, "ana@example.com", "Europe/Berlin")
	for _, tc := range hostileCalendars {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.ImportCalendar(ctx, team.ID, m.ID, []byte(tc.ics))
			var (
				parse *calendar.ParseError
				limit *calendar.LimitError
			)
			switch {
			case tc.refused && errors.As(err, &limit):
				if limit.Limit == "instances" && limit.Line == 0 {
					t.Errorf("refused over the budget without naming the line: %v", err)
				}
			case tc.refused && errors.As(err, &parse):
				if len(parse.Message) > 300 {
					t.Errorf("the refusal quotes %d bytes of input", len(parse.Message))
				}
			case tc.refused:
				t.Fatalf("import: %v, want a refusal", err)
			case err != nil:
				t.Fatalf("import: %v, want it accepted", err)
			}
			if _, err := svc.Plan(ctx, team.ID, hostileNow, hostileNow.AddDate(0, 0, 7)); err != nil {
				t.Errorf("planning after the import: %v", err)
			}
			if tc.refused {
				if _, err := svc.CalendarSummary(ctx, team.ID, m.ID); err == nil {
					t.Errorf("a refused import stored something")
				}
			}
			if err := svc.DeleteCalendar(ctx, team.ID, m.ID); err != nil && !tc.refused {
				t.Fatal(err)
			}
		})
	}

	// Stored before the budget existed: written straight into the store.
	stored := &store.MemberCalendar{MemberID: m.ID, ICS: hostileCalendars[0].ics, Events: 1}
	if err := s.PutMemberCalendar(ctx, team.ID, stored); err != nil {
		t.Fatal(err)
	}
	heat, err := svc.Overlap(ctx, team.ID, hostileNow, hostileNow.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if len(heat.Notices) != 1 || heat.Notices[0].MemberID != m.ID {
		t.Errorf("notices = %+v, want one saying the member's calendar was cut", heat.Notices)
	}
}

// BenchmarkHostileImport imports each hostile calendar (and plans a week
// of a team holding the first one, stored before the limits) and reports
// the time and the growth of the process's peak resident memory:
//
//	go test ./service -run '^$' -bench HostileImport -benchtime 1x
func BenchmarkHostileImport(b *testing.B) {
	ctx := context.Background()
	s := storetest.OpenSQLite(b)
	svc := service.New(s, service.Limits{}, func() time.Time { return hostileNow })
	team := mustTeam(b, svc, service.TeamInput{})
	m := mustMember(b, svc, team.ID, "ana@example.com", "Europe/Berlin")
	measure := func(b *testing.B, work func()) {
		base := resetPeakRSS(b)
		start := time.Now()
		for b.Loop() {
			work()
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/op")
		b.ReportMetric(float64(peakRSS(b)-base)/(1<<20), "peak-RSS-growth-MB")
	}
	for _, tc := range hostileCalendars {
		b.Run("case="+tc.name, func(b *testing.B) {
			measure(b, func() {
				svc.ImportCalendar(ctx, team.ID, m.ID, []byte(tc.ics))
				svc.DeleteCalendar(ctx, team.ID, m.ID)
			})
		})
	}
	b.Run("case=stored-secondly-x40-planned", func(b *testing.B) {
		stored := &store.MemberCalendar{MemberID: m.ID, ICS: hostileCalendars[0].ics, Events: 1}
		if err := s.PutMemberCalendar(ctx, team.ID, stored); err != nil {
			b.Fatal(err)
		}
		measure(b, func() {
			if _, err := service.New(s, service.Limits{}, nil).Overlap(ctx, team.ID, hostileNow, hostileNow.AddDate(0, 0, 7)); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// resetPeakRSS returns memory to the system and resets the kernel's
// high-water mark of resident memory (Linux: clear_refs 5), returning the
// resident size it starts from.
func resetPeakRSS(b *testing.B) int64 {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("peak memory is measured through /proc (Linux): %v", err)
	}
	return procStatus(b, "VmRSS:")
}

func peakRSS(b *testing.B) int64 { return procStatus(b, "VmHWM:") }

// procStatus reads a size in kB from /proc/self/status, in bytes.
func procStatus(b *testing.B, field string) int64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte(field)); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
