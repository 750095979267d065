package calendar

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseExpand checks that no input makes Parse or Expand panic, hang
// or break the invariants of checkExpansion, and that both stop when their
// context is done. Its seed corpus is in testdata/fuzz/FuzzParseExpand and
// testdata/corpus.
func FuzzParseExpand(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.ics"))
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(string(data))
		}
	}
	f.Add(vcal(vevent("UID:a", "DTSTART;TZID=America/New_York:20240310T023000", "RRULE:FREQ=HOURLY;BYSETPOS=1,-1;BYHOUR=2")))
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	f.Fuzz(func(t *testing.T, ics string) {
		limits := Limits{MaxBytes: 1 << 20, MaxEvents: 100}
		if _, err := Parse(cancelled, strings.NewReader(ics), limits); !errors.Is(err, context.Canceled) {
			t.Fatalf("Parse with a cancelled context: %v", err)
		}
		cal, err := Parse(t.Context(), strings.NewReader(ics), limits)
		if err != nil {
			return
		}
		opts := ExpandOptions{DefaultZone: berlin, MaxInstances: 100_000}
		if _, err := cal.Expand(cancelled, from, to, opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("Expand with a cancelled context: %v", err)
		}
		checkExpansion(t, mustExpand(t, cal, from, to, opts), opts.MaxInstances)
	})
}

// checkExpansion asserts what holds for every expansion: instances sorted
// by start, UID and end, none ending before it starts, none busy without
// taking time, no more than the budget, and a cut that is also a warning.
func checkExpansion(t *testing.T, x Expansion, budget int) {
	t.Helper()
	if len(x.Instances) > budget {
		t.Errorf("%d instances, over the budget of %d", len(x.Instances), budget)
	}
	for i, in := range x.Instances {
		if in.End.Before(in.Start) || in.Busy && !in.End.After(in.Start) {
			t.Fatalf("instance %d takes no time or runs backwards and is busy=%v: %+v", i, in.Busy, in)
		}
		if i == 0 {
			continue
		}
		prev := x.Instances[i-1]
		if c := prev.Start.Compare(in.Start); c > 0 || c == 0 && (prev.UID > in.UID || prev.UID == in.UID && prev.End.After(in.End)) {
			t.Fatalf("instances %d and %d out of order: %+v, %+v", i-1, i, prev, in)
		}
	}
	if x.Cut != nil && !strings.Contains(warningText(x.Warnings), "the expansion stopped here") {
		t.Errorf("cut %v without its warning in %v", x.Cut, x.Warnings)
	}
}
