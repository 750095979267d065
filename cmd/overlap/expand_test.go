package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/urfave/cli/v2"
)

func runApp(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	app := newApp()
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errOut
	app.ExitErrHandler = func(*cli.Context, error) {} // keep the test process alive
	err = app.Run(append([]string{"overlap"}, args...))
	return out.String(), errOut.String(), err
}

func TestExpandCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cal.ics")
	ics := strings.Join([]string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
		"BEGIN:VEVENT", "UID:weekly", "SUMMARY:Sync", "DTSTART;TZID=Europe/Berlin:20240103T090000", "DURATION:PT30M",
		"RRULE:FREQ=WEEKLY;COUNT=2", "END:VEVENT",
		"BEGIN:VEVENT", "UID:free", "TRANSP:TRANSPARENT", "DTSTART:20240103T120000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:day", "SUMMARY:Offsite", "DTSTART;VALUE=DATE:20240103", "END:VEVENT",
		"BEGIN:VEVENT", "UID:odd", "DTSTART;TZID=Nowhere/Special:20240105T090000", "DURATION:PT1H", "END:VEVENT",
		"END:VCALENDAR", ""}, "\r\n")
	if err := os.WriteFile(file, []byte(ics), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runApp(t, "expand", "--from", "2024-01-01T00:00:00Z", "--to", "2024-02-01T00:00:00Z", "--tz", "America/New_York", file)
	if err != nil {
		t.Fatalf("expand: %v (stderr %s)", err, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	want := []map[string]any{
		{"uid": "day", "recurrence_id": nil, "start": "2024-01-03T05:00:00Z", "end": "2024-01-04T05:00:00Z", "all_day": true, "summary": "Offsite"},
		{"uid": "weekly", "recurrence_id": "2024-01-03T08:00:00Z", "start": "2024-01-03T08:00:00Z", "end": "2024-01-03T08:30:00Z", "all_day": false, "summary": "Sync"},
		{"uid": "odd", "recurrence_id": nil, "start": "2024-01-05T14:00:00Z", "end": "2024-01-05T15:00:00Z", "all_day": false, "summary": ""},
		{"uid": "weekly", "recurrence_id": "2024-01-10T08:00:00Z", "start": "2024-01-10T08:00:00Z", "end": "2024-01-10T08:30:00Z", "all_day": false, "summary": "Sync"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr, `line 23: unknown TZID "Nowhere/Special"`) {
		t.Errorf("stderr %q lacks the TZID warning with its line", stderr)
	}
}

func TestExpandCommandUnreadable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.ics")
	if err := os.WriteFile(file, []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nbroken line\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runApp(t, "expand", "--from", "2024-01-01T00:00:00Z", "--to", "2024-02-01T00:00:00Z", file)
	exitErr, ok := err.(cli.ExitCoder)
	if !ok || exitErr.ExitCode() != 1 || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("err = %v, want exit code 1 naming line 4", err)
	}
}
