package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestPlanCommand(t *testing.T) {
	// Monday 5 to Saturday 10 January 2026; Berlin has a call on Tuesday
	// 15:00–16:00 Berlin time (14:00–15:00 UTC) in berlin.ics.
	out, _, err := run(context.Background(), "plan", "--team", "testdata/team.json",
		"--from", "2026-01-05T00:00:00Z", "--to", "2026-01-10T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Overlap struct {
			Segments []struct {
				Start, End string
				Count      int
			}
		}
		NoOverlap bool `json:"no_overlap"`
		Proposals []struct {
			Rank        int
			Windows     []struct{ Weekday, Start, End string }
			Occurrences []struct {
				Start     string
				Conflicts []struct{ Member, Summary string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var everyone []string
	for _, seg := range plan.Overlap.Segments {
		if seg.Count == 3 {
			everyone = append(everyone, seg.Start[8:16]+"–"+seg.End[11:16])
		}
	}
	// Everyone is free 14:00–16:00 UTC every weekday but Tuesday, when Berlin's call takes the first hour.
	want := "05T14:00–16:00 06T15:00–16:00 07T14:00–16:00 08T14:00–16:00 09T14:00–16:00"
	if got := strings.Join(everyone, " "); got != want {
		t.Errorf("full overlap %s, want %s", got, want)
	}
	if plan.NoOverlap || len(plan.Proposals) == 0 {
		t.Fatalf("no proposals: %s", out)
	}
	var conflicts []string
	for _, p := range plan.Proposals {
		for _, occ := range p.Occurrences {
			for _, c := range occ.Conflicts {
				conflicts = append(conflicts, c.Member+":"+c.Summary)
			}
		}
	}
	if len(conflicts) == 0 || !strings.Contains(strings.Join(conflicts, ","), "berlin:Vendor call") {
		t.Errorf("no proposal lists Berlin's call as a conflict: %v", conflicts)
	}
}

func TestPlanCommandNamesTheBadField(t *testing.T) {
	path := writeTeamFile(t, `{"name":"x","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"UTC","working_hours":{"mon":[["09:00","25:00"]]}}]}`)
	_, _, err := run(context.Background(), "plan", "--team", path, "--from", "2026-01-05T00:00:00Z", "--to", "2026-01-10T00:00:00Z")
	if err == nil || !strings.Contains(err.Error(), "members[0].working_hours.mon[0][1]") {
		t.Errorf("error %v, want it to name members[0].working_hours.mon[0][1]", err)
	}
	_, _, err = run(context.Background(), "plan", "--team", "testdata/team.json", "--from", "2026-01-05T00:00:00Z", "--to", "2026-01-05T00:00:00Z")
	if err == nil || !strings.Contains(err.Error(), "to") {
		t.Errorf("empty range: %v", err)
	}
}
