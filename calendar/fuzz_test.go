package calendar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseExpand checks that no input makes Parse or Expand panic or hang.
// Its seed corpus is in testdata/fuzz/FuzzParseExpand and testdata/corpus.
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
	f.Fuzz(func(t *testing.T, ics string) {
		cal, err := Parse(t.Context(), strings.NewReader(ics), Limits{MaxBytes: 1 << 20, MaxEvents: 100})
		if err != nil {
			return
		}
		got := mustExpand(t, cal, from, to, ExpandOptions{DefaultZone: berlin, MaxInstances: 100_000})
		for _, in := range got.Instances {
			if in.End.Before(in.Start) {
				t.Fatalf("instance ends before it starts: %+v", in)
			}
		}
	})
}
