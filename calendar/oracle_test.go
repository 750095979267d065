package calendar

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestOracleAgreement compares Expand with Mozilla's ical.js (the oracle's
// expand.mjs) over a corpus of real files. It needs OVERLAP_ORACLE_DIR (an
// oracle folder with node_modules), OVERLAP_ICAL_CORPUS and node on PATH.
// Files listed in testdata/oracle-differences.md must differ; every other file
// the oracle reads must agree.
func TestOracleAgreement(t *testing.T) {
	oracleDir, corpusDir := os.Getenv("OVERLAP_ORACLE_DIR"), os.Getenv("OVERLAP_ICAL_CORPUS")
	node, err := exec.LookPath("node")
	if oracleDir == "" || corpusDir == "" || err != nil {
		t.Skip("set OVERLAP_ORACLE_DIR and OVERLAP_ICAL_CORPUS and put node on PATH to compare with ical.js")
	}
	known := knownDifferences(t)
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

	var files []string
	err = filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".ics") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	read, agree := 0, 0
	for _, path := range files {
		name, _ := filepath.Rel(corpusDir, path)
		name = filepath.ToSlash(name)
		cmd := exec.Command(node, filepath.Join(oracleDir, "expand.mjs"), path,
			from.Format(time.RFC3339), to.Format(time.RFC3339), "--floating-tz=UTC", "--max=1000000")
		out, err := cmd.Output()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && exitErr.ExitCode() == 2 {
			continue // ical.js cannot read the file: not counted
		}
		if err != nil {
			t.Errorf("%s: oracle: %v", name, err)
			continue
		}
		read++
		var oracle []struct{ UID, Start, End string }
		if err := json.Unmarshal(out, &oracle); err != nil {
			t.Fatalf("%s: oracle output: %v", name, err)
		}
		want := busyOracleKeys(oracle)
		got := busyKeys(t, path, from, to)
		diff := cmp.Diff(want, got)
		switch {
		case diff == "" && known[name]:
			t.Errorf("%s agrees with ical.js now: remove it from testdata/oracle-differences.md", name)
		case diff == "":
			agree++
		case !known[name]:
			t.Errorf("%s differs from ical.js (-ical.js +ours):\n%s", name, diff)
		}
	}
	t.Logf("%d of %d files the oracle reads agree; %d listed differences", agree, read, len(known))
}

// busyOracleKeys are the oracle's busy instances as sorted "uid start end"
// keys. The oracle counts an instance that takes no time as busy; RFC 5545
// §3.6.1 makes it a point in time, which Expand returns as free.
func busyOracleKeys(oracle []struct{ UID, Start, End string }) []string {
	keys := []string{}
	for _, in := range oracle {
		if in.Start != in.End {
			keys = append(keys, in.UID+" "+in.Start+" "+in.End)
		}
	}
	slices.Sort(keys)
	return keys
}

// busyKeys expands a file as `overlap expand --tz UTC` does, as sorted "uid start end" keys.
func busyKeys(t *testing.T, path string, from, to time.Time) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := Parse(t.Context(), f, DefaultLimits)
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	got := mustExpand(t, cal, from, to, ExpandOptions{DefaultZone: time.UTC, MaxInstances: 10_000_000})
	keys := []string{}
	for _, in := range got.Instances {
		if in.Busy {
			keys = append(keys, in.UID+" "+in.Start.Format(time.RFC3339)+" "+in.End.Format(time.RFC3339))
		}
	}
	slices.Sort(keys)
	return keys
}

// knownDifferences reads the corpus paths listed as "- `path`" in testdata/oracle-differences.md.
func knownDifferences(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oracle-differences.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]bool{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if rest, ok := strings.CutPrefix(scanner.Text(), "- `"); ok {
			path, _, _ := strings.Cut(rest, "`")
			known[path] = true
		}
	}
	return known
}
