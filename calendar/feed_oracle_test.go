package calendar_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"overlap/calendar"
)

// TestWriteFeedOracle checks generated feeds with Mozilla's ical.js: the
// oracle's validate-feed.mjs must find no error, and its expand.mjs must read
// the same busy instants, both with the tz database (IANA TZIDs) and with the
// feed's own VTIMEZONE (the zone renamed). It needs OVERLAP_ORACLE_DIR (an
// oracle folder with node_modules) and node on PATH.
func TestWriteFeedOracle(t *testing.T) {
	oracleDir := os.Getenv("OVERLAP_ORACLE_DIR")
	node, err := exec.LookPath("node")
	if oracleDir == "" || err != nil {
		t.Skip("set OVERLAP_ORACLE_DIR and put node on PATH to check feeds with ical.js")
	}
	feeds := []struct {
		name string
		feed calendar.Feed
	}{
		{"berlin", feedAround(t, "Europe/Berlin", "2024-01-01", "2025-01-01")},
		{"new-york", feedAround(t, "America/New_York", "2024-01-01", "2025-01-01")},
		{"sydney", feedAround(t, "Australia/Sydney", "2024-12-01", "2025-05-01")},
		{"santiago", feedAround(t, "America/Santiago", "2024-01-01", "2025-01-01")},
		{"dublin", feedAround(t, "Europe/Dublin", "2024-01-01", "2025-01-01")},
		{"kathmandu", feedAround(t, "Asia/Kathmandu", "2024-01-01", "2024-03-01")},
		{"chatham", feedAround(t, "Pacific/Chatham", "2024-01-01", "2025-01-01")},
		{"lord-howe", feedAround(t, "Australia/Lord_Howe", "2024-01-01", "2025-01-01")},
		{"st-johns", feedAround(t, "America/St_Johns", "2024-01-01", "2025-01-01")},
		{"sao-paulo", feedAround(t, "America/Sao_Paulo", "2018-06-01", "2020-06-01")},
		{"apia-2011", feedAround(t, "Pacific/Apia", "2011-06-01", "2012-06-01")},
		{"apia-2021", feedAround(t, "Pacific/Apia", "2020-06-01", "2021-12-01")},
		{"moscow", feedAround(t, "Europe/Moscow", "2014-01-01", "2015-03-01")},
		{"utc", feedAround(t, "UTC", "2024-01-01", "2024-04-01")},
		{"empty", calendar.Feed{ProdID: "-//Overlap//Test//EN", Name: "No slots", Zone: mustLoad(t, "Europe/Berlin"), Refresh: time.Hour}},
		{"multi-byte", foldingFeed()},
	}
	dir := t.TempDir()
	for _, tc := range feeds {
		name, f := tc.name, tc.feed
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, name+".ics")
			data := mustWriteFeed(t, f)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(node, filepath.Join(oracleDir, "validate-feed.mjs"), path).Output()
			var report struct {
				OK               bool
				Errors, Warnings []string
				Events           int
			}
			if jsonErr := json.Unmarshal(out, &report); jsonErr != nil {
				t.Fatalf("validate-feed.mjs: %v %v: %s", err, jsonErr, out)
			}
			if !report.OK || len(report.Errors) > 0 || report.Events != len(f.Events) {
				t.Errorf("validate-feed.mjs: ok %v, %d of %d events, errors %q", report.OK, report.Events, len(f.Events), report.Errors)
			}
			if len(report.Warnings) > 0 {
				t.Logf("validate-feed.mjs warnings: %q", report.Warnings)
			}
			if len(f.Events) == 0 {
				return
			}
			want := busyFeedKeys(f.Events)
			if diff := cmp.Diff(want, oracleKeys(t, node, oracleDir, path, f.Events)); diff != "" {
				t.Errorf("ical.js reads (-want +got):\n%s", diff)
			}
			if f.Zone == time.UTC {
				return
			}
			custom := filepath.Join(dir, name+"-custom.ics")
			if err := os.WriteFile(custom, customZone(data, f.Zone.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, oracleKeys(t, node, oracleDir, custom, f.Events)); diff != "" {
				t.Errorf("ical.js reads the VTIMEZONE (-want +got):\n%s", diff)
			}
		})
	}
}

// busyFeedKeys are feedKeys of the events that are not cancelled.
func busyFeedKeys(events []calendar.FeedEvent) []string {
	var busy []calendar.FeedEvent
	for _, ev := range events {
		if ev.Status != "CANCELLED" {
			busy = append(busy, ev)
		}
	}
	return feedKeys(busy)
}

// oracleKeys runs the oracle's expand.mjs over the events' span.
func oracleKeys(t *testing.T, node, oracleDir, path string, events []calendar.FeedEvent) []string {
	t.Helper()
	from, to := events[0].Start, events[0].End
	for _, ev := range events {
		from, to = minTime(from, ev.Start), maxTime(to, ev.End)
	}
	out, err := exec.Command(node, filepath.Join(oracleDir, "expand.mjs"), path,
		from.Add(-24*time.Hour).UTC().Format(time.RFC3339), to.Add(24*time.Hour).UTC().Format(time.RFC3339),
		"--floating-tz=UTC").Output()
	if err != nil {
		t.Fatalf("expand.mjs: %v", err)
	}
	var instances []struct{ UID, Start, End, Summary string }
	if err := json.Unmarshal(out, &instances); err != nil {
		t.Fatalf("expand.mjs output: %v", err)
	}
	var keys []string
	for _, in := range instances {
		keys = append(keys, in.UID+" "+in.Start+"/"+in.End+" "+in.Summary)
	}
	slices.Sort(keys)
	return keys
}

// foldingFeed has long multi-byte text in every text property.
func foldingFeed() calendar.Feed {
	long := strings.Repeat("Kraków – 会議 – 🎉 ", 12)
	stamp := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	return calendar.Feed{
		ProdID: "-//Overlap//Test//EN", Name: long, Description: "Zeile 1\nZeile 2; " + long, Zone: time.UTC, Refresh: 36 * time.Hour,
		Events: []calendar.FeedEvent{{
			UID: "fold@overlap.test", Start: stamp, End: stamp.Add(time.Hour), Status: "TENTATIVE", Stamp: stamp,
			Summary: long, Description: "Agenda:\n" + long + "\n" + long, Location: long,
			URL: "https://overlap.example/slots/" + strings.Repeat("abc", 30), Categories: []string{long, "a,b"},
		}},
	}
}
