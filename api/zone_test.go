package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// localTimes is what the tests read of an item asked for in a zone.
type localTimes struct {
	Start      string
	LocalStart string `json:"local_start"`
	LocalEnd   string `json:"local_end"`
}

// TestAnswersInAZone: with ?tz, every planning answer gives each item's
// local start and end beside its UTC instants; without it, none.
func TestAnswersInAZone(t *testing.T) {
	forEachClockedServer(t, "2026-01-01T00:00:00Z", func(t *testing.T, ts *testServer, clock *testClock) {
		admin := ts.key("admin")
		team, _ := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID
		adopt(t, ts, admin, team.ID) // Tuesday and Thursday 14:00–16:00 London
		week := "from=2026-01-05&to=2026-01-12"
		get := func(path string, v any) response {
			t.Helper()
			res := ts.do(admin, "GET", path, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, res.Status, res.Body)
			}
			res.decode(t, v)
			return res
		}

		var overlap struct {
			Overlap struct{ Segments []localTimes }
		}
		get(base+"/overlap?"+week+"&tz=Asia/Kathmandu", &overlap)
		// The dates are read in Kathmandu too.
		if s := overlap.Overlap.Segments[0]; s.Start != "2026-01-04T18:15:00Z" || s.LocalStart != "2026-01-05T00:00:00+05:45" {
			t.Errorf("first segment %+v", s)
		}

		var plan struct {
			Proposals []struct{ Occurrences []localTimes }
		}
		get(base+"/core-hours/proposals?"+week+"&tz=America/New_York", &plan)
		if o := plan.Proposals[0].Occurrences[0]; o.Start != "2026-01-05T14:00:00Z" || o.LocalStart != "2026-01-05T09:00:00-05:00" || o.LocalEnd != "2026-01-05T11:00:00-05:00" {
			t.Errorf("first proposal's first occurrence %+v", o)
		}

		var core struct{ Occurrences []localTimes }
		get(base+"/core-hours?"+week+"&tz=Europe/Berlin", &core)
		if o := core.Occurrences[0]; o.LocalStart != "2026-01-06T15:00:00+01:00" || o.LocalEnd != "2026-01-06T17:00:00+01:00" {
			t.Errorf("first core occurrence %+v", o)
		}

		var slots struct {
			Slots []struct {
				ID string
				localTimes
			}
		}
		get(base+"/slots?"+week+"&tz=America/New_York", &slots)
		first := slots.Slots[0]
		if first.LocalStart != "2026-01-06T09:00:00-05:00" || first.LocalEnd != "2026-01-06T11:00:00-05:00" {
			t.Errorf("first slot %+v", first)
		}
		var slot localTimes
		get(base+"/slots/"+first.ID+"?tz=Australia/Lord_Howe", &slot)
		if slot.LocalStart != "2026-01-07T01:00:00+11:00" {
			t.Errorf("slot in Lord Howe %+v", slot)
		}

		// Across New York's spring forward, the preview's starts read in
		// New York's new offset.
		var dst struct {
			DSTChanges []localTimes `json:"dst_changes"`
		}
		get(base+"/core-hours/proposals?from=2026-03-02&to=2026-03-16&tz=America/New_York", &dst)
		if len(dst.DSTChanges) == 0 || !strings.HasSuffix(dst.DSTChanges[0].LocalStart, "-04:00") || dst.DSTChanges[0].LocalEnd != "" {
			t.Errorf("DST changes %+v", dst.DSTChanges)
		}

		// Without tz, no local times at all.
		for _, path := range []string{"/overlap?", "/core-hours/proposals?", "/core-hours?", "/slots?"} {
			if res := ts.do(admin, "GET", base+path+week, nil); strings.Contains(string(res.Body), "local_start") {
				t.Errorf("%s without tz: local times in %s", path, res.Body)
			}
		}
	})
}

// TestReviewInAZone: meeting occurrences carry local times too.
func TestReviewInAZone(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := newReviewTeam(t, ts, admin)
		res := ts.do(admin, "GET", "/v1/teams/"+team.ID+"/meetings/review?"+reviewWeek+"&tz=Asia/Kolkata", nil)
		var review struct {
			Meetings []struct {
				Summary     string
				Occurrences []localTimes
			}
		}
		res.decode(t, &review)
		if res.Status != http.StatusOK || review.Meetings[0].Summary != "Daily stand-up" {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		if o := review.Meetings[0].Occurrences[0]; o.LocalStart != "2026-01-05T14:30:00+05:30" || o.LocalEnd != "2026-01-05T14:45:00+05:30" {
			t.Errorf("first stand-up %+v", o)
		}
	})
}

// TestRangesAsDates: from and to may be dates, read in tz or else in the
// team's zone; a bad zone or bound is refused naming it, on every route
// that takes them.
func TestRangesAsDates(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "East", "timezone": "America/New_York"})
		base := "/v1/teams/" + team.ID
		tests := []struct{ query, from, to string }{
			{"from=2026-01-05&to=2026-01-06", "2026-01-05T05:00:00Z", "2026-01-06T05:00:00Z"},
			{"from=2026-01-05&to=2026-01-06&tz=Asia/Kolkata", "2026-01-04T18:30:00Z", "2026-01-05T18:30:00Z"},
			{"from=2026-01-05T12:00:00%2B01:00&to=2026-01-06", "2026-01-05T11:00:00Z", "2026-01-06T05:00:00Z"},
			// New York springs forward at 02:00 on 8 March: that day is 23 hours long.
			{"from=2026-03-08&to=2026-03-09", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"},
		}
		for _, tc := range tests {
			var got struct{ From, To string }
			res := ts.do(admin, "GET", base+"/overlap?"+tc.query, nil)
			res.decode(t, &got)
			if res.Status != http.StatusOK || got.From != tc.from || got.To != tc.to {
				t.Errorf("%s: %d from %s to %s, want %s to %s", tc.query, res.Status, got.From, got.To, tc.from, tc.to)
			}
		}
		routes := []string{"/overlap?", "/core-hours/proposals?", "/core-hours?", "/slots?", "/meetings/review?", "/load?", "/overlap.svg?"}
		refusals := []struct{ query, field, detail string }{
			{"from=2026-01-05&to=2026-01-06&tz=Mars/Olympus", "tz", "not an IANA time zone"},
			{"from=2026-01-05&to=2026-01-06&tz=W.%20Europe%20Standard%20Time", "tz", `use the IANA name "Europe/Berlin"`},
			{"from=2026-01-05&to=2026-01-06&tz=Local", "tz", "not an IANA time zone"},
			{"from=2026-13-05&to=2026-01-06", "from", "neither a date such as 2027-01-11 nor an RFC 3339 instant"},
		}
		for _, route := range routes {
			for _, r := range refusals {
				res := ts.do(admin, "GET", base+route+r.query, nil)
				if res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s%s: %d %s", route, r.query, res.Status, res.Body)
					continue
				}
				if p := res.problem(t); p["field"] != r.field || !strings.Contains(p["detail"].(string), r.detail) {
					t.Errorf("%s%s: %v", route, r.query, p)
				}
			}
		}
		for _, path := range []string{"/slots/0000000000000000?tz=Nowhere", "/core-hours?tz=Nowhere"} {
			if res := ts.do(admin, "GET", base+path, nil); res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != "tz" {
				t.Errorf("%s: %d %s", path, res.Status, res.Body)
			}
		}
		if res := ts.do(admin, "GET", "/v1/teams/missing/overlap?from=2026-01-05&to=2026-01-06", nil); res.Status != http.StatusNotFound {
			t.Errorf("dates for a missing team: %d %s", res.Status, res.Body)
		}
	})
}
