package planner

import (
	"testing"
	"time"
)

func TestSlotTimesAcrossClockChanges(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		window   Window
		from, to string
		want     []string // UTC start/end
	}{
		{"London spring forward", "Europe/London", Window{Weekday: "mon", Start: 14 * 60, End: 16 * 60}, "2026-03-23", "2026-04-03",
			[]string{"2026-03-23T14:00:00Z/2026-03-23T16:00:00Z", "2026-03-30T13:00:00Z/2026-03-30T15:00:00Z"}},
		{"Sydney fall back", "Australia/Sydney", Window{Weekday: "mon", Start: 9 * 60, End: 10 * 60}, "2026-03-29", "2026-04-08",
			[]string{"2026-03-29T22:00:00Z/2026-03-29T23:00:00Z", "2026-04-05T23:00:00Z/2026-04-06T00:00:00Z"}},
		{"Kathmandu +05:45", "Asia/Kathmandu", Window{Weekday: "tue", Start: 17*60 + 45, End: 18*60 + 45}, "2026-01-05", "2026-01-08",
			[]string{"2026-01-06T12:00:00Z/2026-01-06T13:00:00Z"}},
		{"St John's −03:30 into summer time", "America/St_Johns", Window{Weekday: "mon", Start: 10 * 60, End: 11 * 60}, "2026-03-02", "2026-03-11",
			[]string{"2026-03-02T13:30:00Z/2026-03-02T14:30:00Z", "2026-03-09T12:30:00Z/2026-03-09T13:30:00Z"}},
		{"a window in the spring-forward gap moves by the gap", "America/New_York", Window{Weekday: "sun", Start: 2*60 + 30, End: 3*60 + 30}, "2026-03-08", "2026-03-09",
			[]string{"2026-03-08T07:30:00Z/2026-03-08T08:30:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
			got := SlotTimes(CoreHours{CycleWeeks: 1, Windows: []Window{tc.window}}, loc, day(tc.from), day(tc.to))
			var spans []string
			for _, s := range got {
				spans = append(spans, s.Start.Format(time.RFC3339)+"/"+s.End.Format(time.RFC3339))
			}
			if len(spans) != len(tc.want) {
				t.Fatalf("got %v, want %v", spans, tc.want)
			}
			for i := range spans {
				if spans[i] != tc.want[i] {
					t.Errorf("slot %d = %s, want %s", i, spans[i], tc.want[i])
				}
			}
		})
	}
}

func TestSlotID(t *testing.T) {
	start := time.Date(2026, 1, 6, 14, 0, 0, 0, time.UTC)
	end := start.Add(2 * time.Hour)
	id := SlotID("team-a", start, end)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		name string
		id   string
		same bool
	}{
		{"the same instants in another zone", SlotID("team-a", start.In(berlin), end.In(berlin)), true},
		{"another team", SlotID("team-b", start, end), false},
		{"another end", SlotID("team-a", start, end.Add(time.Minute)), false},
		{"another start", SlotID("team-a", start.Add(-time.Hour), end), false},
	}
	for _, tc := range tests {
		if (tc.id == id) != tc.same {
			t.Errorf("%s: id %s vs %s", tc.name, tc.id, id)
		}
	}
	if gotStart, gotEnd, ok := SlotIDTimes(id); !ok || !gotStart.Equal(start) || !gotEnd.Equal(end) {
		t.Errorf("SlotIDTimes(%q) = %v, %v, %v; want %v, %v", id, gotStart, gotEnd, ok, start, end)
	}
	for _, bad := range []string{"", "3fa9c2d13fa9c2d1", "20270112T1200Z-0-3fa9c2d1", "20270112T1200Z-x-3fa9c2d1", "2027-01-12-3fa9c2d1", "20270112T1200Z-120-3fa9"} {
		if _, _, ok := SlotIDTimes(bad); ok {
			t.Errorf("SlotIDTimes(%q) reads times", bad)
		}
	}
}

func TestSlotStatusAt(t *testing.T) {
	start := time.Date(2026, 1, 6, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		items     int
		cancelled bool
		now       time.Time
		want      SlotStatus
	}{
		{"before the cutoff without agenda", 0, false, start.Add(-25 * time.Hour), SlotNeedsAgenda},
		{"at the cutoff without agenda", 0, false, start.Add(-24 * time.Hour), SlotCancelledAsync},
		{"after the cutoff with agenda", 1, false, start.Add(-time.Hour), SlotReady},
		{"cancelled with agenda", 2, true, start.Add(-48 * time.Hour), SlotCancelledAsync},
		{"past with agenda", 1, false, start.Add(time.Hour), SlotReady},
	}
	for _, tc := range tests {
		if got := SlotStatusAt(start, 24, tc.items, tc.cancelled, tc.now); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSlotSequenceNeverFalls(t *testing.T) {
	// Each step is a change a slot can go through, in an order it can.
	steps := []struct {
		name           string
		revision, base int
		byCutoff       bool
	}{
		{"derived", 0, 0, false},
		{"cutoff passes", 0, 0, true},
		{"cutoff policy shortened: live again", 0, 1, false},
		{"agenda item added", 1, 1, false},
		{"item removed after the cutoff", 2, 1, true},
	}
	last := -1
	for _, s := range steps {
		seq := SlotSequence(s.revision, s.base, s.byCutoff)
		if seq <= last {
			t.Errorf("%s: SEQUENCE %d after %d", s.name, seq, last)
		}
		last = seq
	}
}
