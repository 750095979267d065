package calendar

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCorpusRegressions replays the corpus files that found bugs against the
// instances ical.js lists for them (see testdata/corpus/README.md).
func TestCorpusRegressions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.ics"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	from, to := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(strings.TrimSuffix(path, ".ics") + ".ical-js.json")
			if err != nil {
				t.Fatal(err)
			}
			var oracle []struct{ UID, Start, End string }
			if err := json.Unmarshal(data, &oracle); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(busyOracleKeys(oracle), busyKeys(t, path, from, to)); diff != "" {
				t.Errorf("instances (-ical.js +ours):\n%s", diff)
			}
		})
	}
}

// TestCorpusInvariants expands every corpus file (and those of the shared
// corpus in $OVERLAP_ICAL_CORPUS, if set) around DST changes in a
// northern and a southern zone, and checks the invariants of checkExpansion.
func TestCorpusInvariants(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.ics"))
	if dir := os.Getenv("OVERLAP_ICAL_CORPUS"); dir != "" {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".ics") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, zone := range []string{"America/New_York", "Australia/Sydney"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cal, err := Parse(t.Context(), strings.NewReader(string(data)), DefaultLimits)
			if err != nil {
				continue
			}
			t.Run(zone+"/"+filepath.Base(path), func(t *testing.T) {
				checkExpansion(t, mustExpand(t, cal, from, to, ExpandOptions{DefaultZone: loc}), DefaultMaxInstances)
			})
		}
	}
}
