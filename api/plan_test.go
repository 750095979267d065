package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"overlap/store"
)

// newTransatlanticTeam makes New York, London and Berlin members working
// 09:00–17:00 on weekdays, in a team stated in London time.
func newTransatlanticTeam(t *testing.T, ts *testServer, key string) (store.Team, map[string]string) {
	t.Helper()
	team := createTeam(t, ts, key, map[string]any{"name": "Transatlantic", "timezone": "Europe/London"})
	ids := map[string]string{}
	for _, zone := range []string{"America/New_York", "Europe/London", "Europe/Berlin"} {
		city := zone[strings.Index(zone, "/")+1:]
		res := ts.do(key, "POST", "/v1/teams/"+team.ID+"/members", map[string]any{
			"name": city, "email": strings.ToLower(city) + "@example.com", "timezone": zone,
		})
		if res.Status != http.StatusCreated {
			t.Fatalf("member %s: %d %s", city, res.Status, res.Body)
		}
		var m store.Member
		res.decode(t, &m)
		ids[city] = m.ID
	}
	return team, ids
}

func TestOverlapHeatMap(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, _ := newTransatlanticTeam(t, ts, admin)
		// Monday 5 to Saturday 10 January 2026: every zone on standard time.
		res := ts.do(admin, "GET", "/v1/teams/"+team.ID+"/overlap?from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		var got struct {
			Overlap struct {
				Segments []struct {
					Start, End string
					Count      int
				}
			}
		}
		res.decode(t, &got)
		var everyone []string
		for _, seg := range got.Overlap.Segments {
			if seg.Count == 3 {
				everyone = append(everyone, seg.Start+"/"+seg.End)
			}
		}
		var want []string
		for day := 5; day <= 9; day++ {
			want = append(want, fmt.Sprintf("2026-01-%02dT14:00:00Z/2026-01-%02dT16:00:00Z", day, day))
		}
		if strings.Join(everyone, " ") != strings.Join(want, " ") {
			t.Errorf("all three available at\n%v\nwant\n%v", everyone, want)
		}
	})
}

func TestProposalsAdoptionAndConflicts(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, ids := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID
		week := "from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z"

		res := ts.do(admin, "GET", base+"/core-hours/proposals?"+week, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("proposals: %d %s", res.Status, res.Body)
		}
		type proposals struct {
			NoOverlap bool `json:"no_overlap"`
			Proposals []struct {
				Rank       int
				Kind       string
				CycleWeeks int `json:"cycle_weeks"`
				Windows    []map[string]any
			}
		}
		var plan proposals
		res.decode(t, &plan)
		if plan.NoOverlap || len(plan.Proposals) == 0 {
			t.Fatalf("plan: %s", res.Body)
		}
		best := plan.Proposals[0]
		if best.Rank != 1 || best.Kind != "fixed" || len(best.Windows) != 5 {
			t.Fatalf("best proposal: %+v", best)
		}
		for _, w := range best.Windows {
			if w["start"] != "14:00" || w["end"] != "16:00" {
				t.Errorf("best window %v, want 14:00–16:00 London time", w)
			}
		}

		// Then Berlin gets busy on Tuesday 6 January, 15:00–16:00 Berlin time (14:00–15:00 UTC).
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:planning-1\r\nDTSTAMP:20260101T000000Z\r\n" +
			"DTSTART;TZID=Europe/Berlin:20260106T150000\r\nDTEND;TZID=Europe/Berlin:20260106T160000\r\nSUMMARY:Vendor call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		if err := ts.Store.PutMemberCalendar(context.Background(), team.ID, &store.MemberCalendar{MemberID: ids["Berlin"], ICS: ics, Events: 1}); err != nil {
			t.Fatal(err)
		}

		// Full attendance now ranks a shorter window first.
		res = ts.do(admin, "GET", base+"/core-hours/proposals?"+week, nil)
		var busyPlan proposals // a fresh value: decoding into plan would rewrite best's windows
		res.decode(t, &busyPlan)
		if w := busyPlan.Proposals[0].Windows[1]; w["start"] != "15:00" || w["end"] != "16:00" {
			t.Errorf("with Berlin busy on Tuesday 14:00–15:00 UTC, the best window is %v, want 15:00–16:00", w)
		}

		res = ts.do(admin, "PUT", base+"/core-hours", map[string]any{"cycle_weeks": best.CycleWeeks, "windows": best.Windows})
		if res.Status != http.StatusOK {
			t.Fatalf("adopt: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "GET", base+"/core-hours?"+week, nil)
		var adopted struct {
			Windows     []map[string]any
			Occurrences []struct {
				Start     string
				Attendees []string
				Conflicts []struct{ Member, Reason, Summary string }
			}
		}
		res.decode(t, &adopted)
		if res.Status != http.StatusOK || len(adopted.Windows) != 5 || len(adopted.Occurrences) != 5 {
			t.Fatalf("adopted: %d %s", res.Status, res.Body)
		}
		tuesdays := 0
		for _, occ := range adopted.Occurrences {
			conflicted := occ.Start == "2026-01-06T14:00:00Z"
			if conflicted {
				tuesdays++
			}
			if got := len(occ.Conflicts) == 1; got != conflicted {
				t.Errorf("%s: conflicts %+v", occ.Start, occ.Conflicts)
			}
			if conflicted && (occ.Conflicts[0].Member != ids["Berlin"] || occ.Conflicts[0].Reason != "busy" || len(occ.Attendees) != 2) {
				t.Errorf("Tuesday: %+v", occ)
			}
		}
		if tuesdays != 1 {
			t.Errorf("the adopted windows do not start at 14:00 UTC on Tuesday: %s", res.Body)
		}
		if res := ts.do(admin, "GET", base+"/core-hours", nil); res.Status != http.StatusOK || strings.Contains(string(res.Body), "occurrences") {
			t.Errorf("without a range: %d %s", res.Status, res.Body)
		}

		// The adopted two-hour windows pin the policy: it cannot shrink under them.
		res = ts.do(admin, "PATCH", base, map[string]any{"policy": map[string]any{"max_core_minutes_per_day": 60}})
		if res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != "policy" {
			t.Errorf("shrinking the policy under adopted core hours: %d %s", res.Status, res.Body)
		}
		var kept store.Team
		ts.do(admin, "GET", base, nil).decode(t, &kept)
		if kept.Policy.MaxCoreMinutesPerDay != 120 {
			t.Errorf("the refused policy was written: %+v", kept.Policy)
		}
		if res := ts.do(admin, "PATCH", base, map[string]any{"policy": map[string]any{"max_core_minutes_per_day": 180}}); res.Status != http.StatusOK {
			t.Errorf("widening the policy: %d %s", res.Status, res.Body)
		}
	})
}

func TestPlanningValidation(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team, _ := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID
		if res := ts.do(admin, "GET", base+"/core-hours", nil); res.Status != http.StatusNotFound {
			t.Errorf("core hours before adoption: %d", res.Status)
		}
		ranges := []struct{ query, field string }{
			{"to=2026-01-10T00:00:00Z", "from"},
			{"from=yesterday&to=2026-01-10T00:00:00Z", "from"},
			{"from=2026-01-10T00:00:00Z&to=2026-01-10T00:00:00Z", "to"},
			{"from=2026-01-10T00:00:00Z&to=2026-01-09T00:00:00Z", "to"},
			{"from=2026-01-01T00:00:00Z&to=2027-01-03T00:00:00Z", "to"},
		}
		for _, path := range []string{"/overlap", "/core-hours/proposals"} {
			for _, r := range ranges {
				res := ts.do(admin, "GET", base+path+"?"+r.query, nil)
				if res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != r.field {
					t.Errorf("%s?%s: %d %s", path, r.query, res.Status, res.Body)
				}
			}
		}
		window := func(weekday, start, end string) map[string]any {
			return map[string]any{"cycle_weeks": 1, "windows": []map[string]any{{"week": 0, "weekday": weekday, "start": start, "end": end}}}
		}
		bad := []struct {
			name, field string
			body        any
		}{
			{"not a core weekday", "windows[0].weekday", window("sat", "14:00", "16:00")},
			{"longer than the daily maximum", "windows[0]", window("mon", "12:00", "16:00")},
			{"shorter than a slot", "windows[0].end", window("mon", "14:00", "14:15")},
			{"off the quarter hour", "windows[0].start", window("mon", "14:05", "16:05")},
			{"no cycle", "cycle_weeks", map[string]any{"cycle_weeks": 0, "windows": []any{}}},
			{"a clock past midnight", "windows[0].start", window("mon", "25:00", "16:00")},
			{"an unknown window field", "windows[0].room", map[string]any{"cycle_weeks": 1, "windows": []map[string]any{{"week": 0, "weekday": "mon", "start": "14:00", "end": "16:00", "room": "A"}}}},
		}
		for _, tc := range bad {
			res := ts.do(admin, "PUT", base+"/core-hours", tc.body)
			if res.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", tc.name, res.Status, res.Body)
			} else if p := res.problem(t); p["field"] != tc.field {
				t.Errorf("%s: field %v, want %s", tc.name, p["field"], tc.field)
			}
		}
		if res := ts.do(admin, "GET", base+"/core-hours", nil); res.Status != http.StatusNotFound {
			t.Errorf("refused adoptions were stored: %d", res.Status)
		}
		if res := ts.do(admin, "PUT", "/v1/teams/missing/core-hours", window("mon", "14:00", "16:00")); res.Status != http.StatusNotFound {
			t.Errorf("missing team: %d", res.Status)
		}
		if res := ts.do(admin, "GET", "/v1/teams/missing/core-hours/proposals?from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z", nil); res.Status != http.StatusNotFound {
			t.Errorf("missing team proposals: %d", res.Status)
		}
		reader := ts.key("read")
		if res := ts.do(reader, "GET", base+"/core-hours/proposals?from=2026-01-05T00:00:00Z&to=2026-01-10T00:00:00Z", nil); res.Status != http.StatusOK {
			t.Errorf("read key proposals: %d", res.Status)
		}
		if res := ts.do(reader, "PUT", base+"/core-hours", window("mon", "14:00", "16:00")); res.Status != http.StatusForbidden {
			t.Errorf("read key adopts: %d", res.Status)
		}
	})
}
