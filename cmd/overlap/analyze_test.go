package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reviewFixture is the fixture team of the service's review tests: seven
// members whose calendars are Google, Outlook and Apple exports.
const reviewFixture = "../../service/testdata/review/team.json"

func TestAnalyzeCommand(t *testing.T) {
	out, stderr, err := run(context.Background(), "analyze", "--team", reviewFixture,
		"--from", "2026-03-02T00:00:00Z", "--to", "2026-03-30T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	if stderr != "" {
		t.Errorf("warnings on stderr: %s", stderr)
	}
	var analysis struct {
		Meetings []struct {
			UID, Summary, Verdict, Suggestion string
			Reasons                           []struct {
				Code   string
				Weight *int
				Detail string
			}
			PersonHoursPerWeek *float64 `json:"person_hours_per_week"`
		}
		TotalPersonHoursPerWeek float64 `json:"total_person_hours_per_week"`
		Load                    []struct {
			Member            string
			InconvenientShare float64 `json:"inconvenient_share"`
		}
		LoadTotals struct{ Members int } `json:"load_totals"`
	}
	if err := json.Unmarshal([]byte(out), &analysis); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(analysis.Meetings) != 28 || analysis.TotalPersonHoursPerWeek != 26.75 || len(analysis.Load) != 7 || analysis.LoadTotals.Members != 7 {
		t.Fatalf("%d meetings giving back %v, load of %d members", len(analysis.Meetings), analysis.TotalPersonHoursPerWeek, len(analysis.Load))
	}
	first := analysis.Meetings[0]
	if first.UID == "" || first.Summary != "Daily Stand-up" || first.Verdict != "go-async" || first.Suggestion != "written-standup" ||
		first.PersonHoursPerWeek == nil || *first.PersonHoursPerWeek != 5.81 || len(first.Reasons) == 0 ||
		first.Reasons[0].Code != "status-title" || first.Reasons[0].Weight == nil || first.Reasons[0].Detail == "" {
		t.Errorf("first meeting: %+v", first)
	}
}

func TestAnalyzeCommandNamesTheBadSetting(t *testing.T) {
	path := writeTeamFile(t, `{"name":"x","timezone":"UTC","review_settings":{"weights":{"no_agenda":-1}},"members":[]}`)
	_, _, err := run(context.Background(), "analyze", "--team", path, "--from", "2026-01-05T00:00:00Z", "--to", "2026-01-10T00:00:00Z")
	if err == nil || !strings.Contains(err.Error(), "review_settings.weights.no_agenda") {
		t.Errorf("error %v, want it to name review_settings.weights.no_agenda", err)
	}
}

// writeTeamFile writes a team file into a folder of its own.
func writeTeamFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "team.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
