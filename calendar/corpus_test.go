package calendar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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
			want := []string{}
			for _, in := range oracle {
				want = append(want, in.UID+" "+in.Start+" "+in.End)
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, busyKeys(t, path, from, to)); diff != "" {
				t.Errorf("instances (-ical.js +ours):\n%s", diff)
			}
		})
	}
}
