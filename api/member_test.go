package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"overlap/store"
	"overlap/store/storetest"
)

func TestMemberLifecycle(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "Platform", "timezone": "Europe/London"})
		base := "/v1/teams/" + team.ID + "/members"

		res := ts.do(admin, "POST", base, map[string]any{
			"name": "Ana", "email": "Ana@Example.com", "timezone": "Asia/Kathmandu",
			"working_hours":   map[string]any{"mon": [][]string{{"09:00", "12:00"}, {"13:00", "17:00"}}, "fri": [][]string{{"22:00", "06:00"}}},
			"preferred_hours": map[string]any{"mon": [][]string{{"10:00", "12:00"}}},
			"time_off":        []map[string]string{{"start": "2026-12-24", "end": "2026-12-31"}},
		})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var ana store.Member
		res.decode(t, &ana)
		want := store.WeeklyHours{"mon": {{"09:00", "12:00"}, {"13:00", "17:00"}}, "fri": {{"22:00", "06:00"}}}
		if ana.Email != "ana@example.com" || !ana.Required || ana.TeamID != team.ID || !cmp.Equal(ana.WorkingHours, want) {
			t.Errorf("created member: %+v", ana)
		}

		res = ts.do(admin, "POST", base, map[string]any{"name": "Bo", "email": "bo@example.com", "timezone": "Pacific/Chatham", "required": false})
		var bo store.Member
		res.decode(t, &bo)
		if res.Status != http.StatusCreated || bo.Required || len(bo.WorkingHours) != 5 || bo.PreferredHours != nil || bo.TimeOff == nil {
			t.Errorf("defaults: %d %+v", res.Status, bo)
		}

		if res := ts.do(admin, "POST", base, map[string]any{"name": "Ana 2", "email": "ANA@example.com", "timezone": "UTC"}); res.Status != http.StatusConflict {
			t.Errorf("duplicate email: %d %s", res.Status, res.Body)
		}

		var list struct{ Items []store.Member }
		ts.do(admin, "GET", base, nil).decode(t, &list)
		if len(list.Items) != 2 || list.Items[0].ID != ana.ID || list.Items[1].ID != bo.ID {
			t.Errorf("list: %+v", list.Items)
		}

		res = ts.do(admin, "PATCH", base+"/"+ana.ID, map[string]any{"preferred_hours": map[string]any{}, "timezone": "Asia/Kolkata"})
		var patched store.Member
		res.decode(t, &patched)
		if res.Status != http.StatusOK || patched.PreferredHours != nil || patched.Timezone != "Asia/Kolkata" || patched.Name != "Ana" {
			t.Errorf("patch: %d %+v", res.Status, patched)
		}
		var fetched store.Member
		ts.do(admin, "GET", base+"/"+ana.ID, nil).decode(t, &fetched)
		if diff := cmp.Diff(patched, fetched); diff != "" {
			t.Errorf("get after patch (-patched +fetched):\n%s", diff)
		}

		if res := ts.do(admin, "DELETE", base+"/"+ana.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("delete: %d", res.Status)
		}
		if res := ts.do(admin, "GET", base+"/"+ana.ID, nil); res.Status != http.StatusNotFound {
			t.Errorf("get deleted: %d", res.Status)
		}
		if res := ts.do(admin, "GET", "/v1/teams/nope/members", nil); res.Status != http.StatusNotFound {
			t.Errorf("members of missing team: %d", res.Status)
		}
		if res := ts.do(admin, "POST", "/v1/teams/nope/members", map[string]any{"name": "X", "email": "x@example.com", "timezone": "UTC"}); res.Status != http.StatusNotFound {
			t.Errorf("member of missing team: %d", res.Status)
		}
	})
}

func TestMemberValidation(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "Platform", "timezone": "UTC"})
		base := "/v1/teams/" + team.ID + "/members"
		valid := func(over map[string]any) map[string]any {
			m := map[string]any{"name": "Ana", "email": "ana@example.com", "timezone": "Asia/Kolkata"}
			for k, v := range over {
				m[k] = v
			}
			return m
		}
		hours := func(day string, ranges ...[]string) map[string]any { return map[string]any{day: ranges} }
		tests := []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"unknown zone", valid(map[string]any{"timezone": "Asia/Atlantis"}), "timezone"},
			{"bad email", valid(map[string]any{"email": "not an email"}), "email"},
			{"named email", valid(map[string]any{"email": "Ana <ana@example.com>"}), "email"},
			{"malformed clock", valid(map[string]any{"working_hours": hours("mon", []string{"9:00", "17:00"})}), "working_hours.mon[0][0]"},
			{"hour 25", valid(map[string]any{"working_hours": hours("tue", []string{"09:00", "25:00"})}), "working_hours.tue[0][1]"},
			{"overlapping ranges", valid(map[string]any{"working_hours": hours("wed", []string{"09:00", "12:00"}, []string{"11:00", "13:00"})}), "working_hours.wed[1]"},
			{"overnight into next day", valid(map[string]any{"working_hours": map[string]any{"mon": [][]string{{"22:00", "06:00"}}, "tue": [][]string{{"05:00", "09:00"}}}}), "working_hours.tue[0]"},
			{"unknown weekday", valid(map[string]any{"working_hours": hours("someday", []string{"09:00", "17:00"})}), "working_hours.someday"},
			{"preferred malformed", valid(map[string]any{"preferred_hours": hours("mon", []string{"09:00"})}), "preferred_hours.mon[0]"},
			{"reversed time off", valid(map[string]any{"time_off": []map[string]string{{"start": "2026-12-31", "end": "2026-12-24"}}}), "time_off[0].end"},
			{"bad date", valid(map[string]any{"time_off": []map[string]string{{"start": "2026-02-30", "end": "2026-03-01"}}}), "time_off[0].start"},
			{"unknown field", valid(map[string]any{"role": "lead"}), "role"},
			{"required not bool", valid(map[string]any{"required": "yes"}), "required"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := ts.do(admin, "POST", base, tc.body)
				if res.Status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422: %s", res.Status, res.Body)
				}
				if p := res.problem(t); p["field"] != tc.field {
					t.Errorf("field %v, want %q: %v", p["field"], tc.field, p["detail"])
				}
			})
		}
		var list struct{ Items []store.Member }
		ts.do(admin, "GET", base, nil).decode(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("refused requests wrote %d members", len(list.Items))
		}
		res := ts.do(admin, "POST", base, valid(nil))
		var m store.Member
		res.decode(t, &m)
		if res := ts.do(admin, "PATCH", base+"/"+m.ID, map[string]any{"name": "Changed", "working_hours": hours("mon", []string{"17:00", "17:00"})}); res.Status != 422 {
			t.Errorf("zero-length range: %d %s", res.Status, res.Body)
		}
		var kept store.Member
		ts.do(admin, "GET", base+"/"+m.ID, nil).decode(t, &kept)
		if kept.Name != "Ana" || !strings.Contains(strings.Join(kept.WorkingHours["mon"][0], "-"), "09:00-17:00") {
			t.Errorf("a refused patch was half-written: %+v", kept)
		}
	})
}

func TestMemberLimitAnswers422(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ts := newTestServer(t, s, func(c *testConfig) { c.Limits.MaxMembers = 2 })
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "Small", "timezone": "UTC"})
		for i, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			res := ts.do(admin, "POST", "/v1/teams/"+team.ID+"/members", map[string]any{"name": email, "email": email, "timezone": "UTC"})
			if i < 2 && res.Status != http.StatusCreated {
				t.Fatalf("member %d: %d %s", i, res.Status, res.Body)
			}
			if i == 2 {
				if p := res.problem(t); res.Status != 422 || p["type"] != "urn:overlap:problem:limit-reached" {
					t.Errorf("third member: %d %s, want 422 limit-reached", res.Status, res.Body)
				}
			}
		}
	})
}
