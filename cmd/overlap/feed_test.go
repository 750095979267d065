package main

import (
	"context"
	"strings"
	"testing"

	ical "github.com/emersion/go-ical"
)

func TestFeedCommand(t *testing.T) {
	week := []string{"--from", "2026-01-05T00:00:00Z", "--to", "2026-01-10T00:00:00Z"}
	tests := []struct {
		name   string
		args   []string
		events int
		zone   string
		marks  string
	}{
		{"core hours of the file", []string{"--team", "testdata/team-core-hours.json"}, 2, "Europe/London", "Conflicts: Berlin (busy)"},
		{"a member's feed", []string{"--team", "testdata/team-core-hours.json", "--member", "Berlin@example.com"}, 2, "Europe/Berlin", "You: you have a conflict (Vendor call)"},
		{"the top proposal", []string{"--team", "testdata/team.json"}, 5, "Europe/London", "Can attend:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"feed"}, tc.args...), week...)
			out, _, err := run(context.Background(), args...)
			if err != nil {
				t.Fatal(err)
			}
			again, _, err := run(context.Background(), args...)
			if err != nil || again != out {
				t.Errorf("a second run printed other bytes (%v)", err)
			}
			cal, err := ical.NewDecoder(strings.NewReader(out)).Decode()
			if err != nil {
				t.Fatalf("go-ical: %v", err)
			}
			if got := cal.Props.Get("X-WR-TIMEZONE").Value; got != tc.zone {
				t.Errorf("zone %q, want %q", got, tc.zone)
			}
			if len(cal.Events()) != tc.events || !strings.Contains(strings.ReplaceAll(out, "\r\n ", ""), tc.marks) {
				t.Errorf("%d events (want %d), marks %q:\n%s", len(cal.Events()), tc.events, tc.marks, out)
			}
		})
	}
	if _, _, err := run(context.Background(), append([]string{"feed", "--team", "testdata/team.json", "--member", "nobody@example.com"}, week...)...); err == nil || !strings.Contains(err.Error(), "member") {
		t.Errorf("an unknown member: %v", err)
	}
}
