package main

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	out, _, err := run(context.Background(), "--version")
	if err != nil || !regexp.MustCompile(`^overlap version \S+.* \(go1\.[0-9.]+\)\n$`).MatchString(out) || !strings.Contains(out, runtime.Version()) {
		t.Errorf("--version: %q, %v", out, err)
	}
}

// TestRangesAsDates: --from and --to may be dates, read in the team's
// zone (Berlin, which springs forward on 29 March 2026): the same answer
// as the instants of those midnights.
func TestRangesAsDates(t *testing.T) {
	for _, command := range []string{"plan", "analyze"} {
		dates, _, err := run(context.Background(), command, "--team", reviewFixture, "--from", "2026-03-02", "--to", "2026-03-30")
		if err != nil {
			t.Fatal(err)
		}
		instants, _, err := run(context.Background(), command, "--team", reviewFixture, "--from", "2026-03-01T23:00:00Z", "--to", "2026-03-29T22:00:00Z")
		if err != nil {
			t.Fatal(err)
		}
		if dates != instants {
			t.Errorf("%s: dates and their instants answer differently", command)
		}
	}
}

// TestBadFlagsAreSentences: a refused flag is one sentence naming it, never
// Go's layout error.
func TestBadFlagsAreSentences(t *testing.T) {
	ics := "testdata/example/ana.ics"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a date", []string{"plan", "--team", "testdata/team.json", "--from", "2026-13-05", "--to", "2026-01-10"},
			`overlap plan: --from "2026-13-05" is neither a date such as 2027-01-11 nor an RFC 3339 instant such as 2027-01-11T09:00:00Z`},
		{"a date with a slash", []string{"analyze", "--team", "testdata/team.json", "--from", "2026-01-05", "--to", "10/01/2026"},
			`overlap analyze: --to "10/01/2026" is neither a date`},
		{"an empty range", []string{"feed", "--team", "testdata/team.json", "--from", "2026-01-05", "--to", "2026-01-05"},
			"overlap feed: --to must be after from"},
		{"too long a range", []string{"plan", "--team", "testdata/team.json", "--from", "2026-01-05", "--to", "2027-01-10"},
			"overlap plan: --to must be at most 366 days after from"},
		{"an unknown format", []string{"plan", "--team", "testdata/team.json", "--from", "2026-01-05", "--to", "2026-01-10", "--format", "yaml"},
			`overlap plan: --format is json or text, not "yaml"`},
		{"expand, not a date", []string{"expand", "--from", "tomorrow", "--to", "2027-01-14", ics},
			`overlap expand: --from "tomorrow" is neither a date`},
		{"expand, a Windows zone", []string{"expand", "--from", "2027-01-11", "--to", "2027-01-14", "--tz", "Pacific Standard Time", ics},
			`overlap expand: --tz "Pacific Standard Time" is a Windows zone name; use the IANA name "America/Los_Angeles"`},
		{"expand, an unknown format", []string{"expand", "--from", "2027-01-11", "--to", "2027-01-14", "--format", "csv", ics},
			`overlap expand: --format is json or text, not "csv"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(context.Background(), tc.args...)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "parsing time") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting %q", err, tc.want)
			}
		})
	}
}

func TestHelpSaysDatesAreRead(t *testing.T) {
	for command, zone := range map[string]string{"plan": "the team's zone", "analyze": "the team's zone", "feed": "the team's zone", "expand": "--tz"} {
		out, _, err := run(context.Background(), command, "--help")
		if err != nil || !strings.Contains(out, "a date such as 2027-01-11 (its midnight in "+zone+")") {
			t.Errorf("%s --help does not say how dates are read:\n%s", command, out)
		}
		if command != "feed" && !strings.Contains(out, "--format value") {
			t.Errorf("%s --help has no --format", command)
		}
	}
}

// TestPlanText: the summary of the transatlantic week, in the team's zone
// (London) and each member's, and of the review team across the clock
// changes of March 2026.
func TestPlanText(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"a week", []string{"--team", "testdata/team.json", "--from", "2026-01-05", "--to", "2026-01-10"}, []string{
			"Transatlantic: 3 members; times in Europe/London, the team's zone.\n",
			"Range: Mon 5 Jan 2026 00:00 to Sat 10 Jan 2026 00:00.\n",
			"Best core hours (proposal 1 of 3, the same every week; meets the quorum):\n  Mon–Fri 15:00–16:00 Europe/London\n",
			"    America/New_York             10:00–11:00  New York\n",
			"    Europe/Berlin                16:00–17:00  Berlin\n",
			"Everyone is inside their working and preferred hours.\n",
			"Clocks: no change in the range moves these windows for anyone.\n",
			"  2. Mon–Fri 14:00–15:00 (the same every week; meets the quorum; spread 0 min)\n",
		}},
		{"across clock changes", []string{"--team", reviewFixture, "--from", "2026-03-02", "--to", "2026-04-06"}, []string{
			"No moment in the range has every required member available.\n",
			"    America/Los_Angeles          00:00–00:30  Eli Soto\n",
			"Outside their hours, a week:\n  Bo Park                      2.5 h outside working hours, 2.5 h outside preferred hours\n",
			"Fairness: a spread (standard deviation) of 5.65 h outside working hours over 5 weeks; most: Bo Park, 12.5 h.\n",
			"  week of Mon 9 Mar 2026: Bo Park in America/New_York 03:00 → 04:00; Eli Soto in America/Los_Angeles 00:00 → 01:00\n",
			"  week of Mon 30 Mar 2026: Bo Park in America/New_York 04:00 → 03:00; Chen Wei in Asia/Singapore 16:00 → 15:00;",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(context.Background(), append(append([]string{"plan"}, tc.args...), "--format", "text")...)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("the summary lacks %q:\n%s", want, out)
				}
			}
			if lines := strings.Count(out, "\n"); lines > 40 {
				t.Errorf("%d lines: not a short summary", lines)
			}
		})
	}
}

func TestAnalyzeText(t *testing.T) {
	out, _, err := run(context.Background(), "analyze", "--team", reviewFixture, "--from", "2026-03-02", "--to", "2026-03-30", "--format", "text")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Meeting review of Platform, Mon 2 Mar 2026 00:00 to Mon 30 Mar 2026 00:00 (3.99 weeks); times in Europe/Berlin.\n",
		"28 meetings: 12 could go async, 2 could move into core hours, 14 stay live.\n",
		"Could go async:\n  Daily Stand-up (Mon 09:30, 15 min, 4.76 a week) → written standup, giving back 5.82 person-hours a week\n",
		`    - The title says "daily". (status-title)` + "\n",
		"Could move into core hours:\n  Roadmap discussion (Thu 17:00, 60 min, 1 a week)\n",
		"Given back a week: Ana Lima 5.2 h,",
		"Load, hours a week (most meetings first):\n  Gus Becker                    10.3 in meetings,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
}

func TestExpandText(t *testing.T) {
	out, _, err := run(context.Background(), "expand", "--from", "2027-01-11", "--to", "2027-01-14", "--tz", "Asia/Kathmandu", "--format", "text", "testdata/example/ana.ics")
	want := "Mon 11 Jan 2027  20:00–20:30   Weekly status\n" +
		"Tue 12 Jan 2027  19:30–20:30   Vendor demo\n" +
		"Wed 13 Jan 2027  20:00–20:30   Weekly status\n" +
		"3 busy instances; times in Asia/Kathmandu.\n"
	if err != nil || out != want {
		t.Errorf("got %v\n%s\nwant\n%s", err, out, want)
	}
}
