package api_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"overlap/store"
	"overlap/store/storetest"
)

func createTeam(t *testing.T, ts *testServer, key string, body any) store.Team {
	t.Helper()
	res := ts.do(key, "POST", "/v1/teams", body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create team: %d %s", res.Status, res.Body)
	}
	var team store.Team
	res.decode(t, &team)
	if got := res.Header.Get("Location"); got != "http://overlap.test/v1/teams/"+team.ID {
		t.Errorf("Location = %q", got)
	}
	return team
}

func TestTeamLifecycle(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "  Platform ", "timezone": "America/New_York"})
		if team.Name != "Platform" || team.Policy.MaxCoreMinutesPerDay != 120 || team.Policy.MinSlotMinutes != 30 ||
			team.Policy.Quorum != 1 || strings.Join(team.Policy.CoreWeekdays, ",") != "mon,tue,wed,thu,fri" || team.Policy.AgendaCutoffHours != 24 {
			t.Errorf("created team does not carry the defaults: %+v", team)
		}

		res := ts.do(admin, "GET", "/v1/teams/"+team.ID, nil)
		var got store.Team
		res.decode(t, &got)
		if res.Status != http.StatusOK || got.ID != team.ID {
			t.Fatalf("get: %d %s", res.Status, res.Body)
		}

		res = ts.do(admin, "PATCH", "/v1/teams/"+team.ID, map[string]any{"policy": map[string]any{"quorum": 0.75, "core_weekdays": []string{"tue", "thu"}}})
		res.decode(t, &got)
		if res.Status != http.StatusOK || got.Policy.Quorum != 0.75 || got.Policy.MaxCoreMinutesPerDay != 120 || got.Name != "Platform" {
			t.Errorf("patch: %d %+v", res.Status, got)
		}

		res = ts.do(admin, "DELETE", "/v1/teams/"+team.ID, nil)
		if res.Status != http.StatusNoContent {
			t.Errorf("delete: %d %s", res.Status, res.Body)
		}
		for _, method := range []string{"GET", "DELETE"} {
			if res := ts.do(admin, method, "/v1/teams/"+team.ID, nil); res.Status != http.StatusNotFound || res.problem(t)["type"] != "urn:overlap:problem:not-found" {
				t.Errorf("%s after delete: %d %s", method, res.Status, res.Body)
			}
		}
		if res := ts.do(admin, "PATCH", "/v1/teams/"+team.ID, map[string]any{"name": "x"}); res.Status != http.StatusNotFound {
			t.Errorf("patch after delete: %d", res.Status)
		}
	})
}

func TestListTeamsPaginates(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		var want []string
		for _, name := range []string{"a", "b", "c"} {
			want = append(want, createTeam(t, ts, admin, map[string]any{"name": name, "timezone": "UTC"}).ID)
		}
		var got []string
		path := "/v1/teams?limit=2"
		for range 4 {
			res := ts.do(admin, "GET", path, nil)
			var page struct {
				Items      []store.Team `json:"items"`
				NextCursor *string      `json:"next_cursor"`
			}
			res.decode(t, &page)
			for _, tm := range page.Items {
				got = append(got, tm.ID)
			}
			if page.NextCursor == nil {
				break
			}
			path = "/v1/teams?limit=2&cursor=" + *page.NextCursor
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pages gave %v, want %v", got, want)
		}
		if res := ts.do(admin, "GET", "/v1/teams?limit=0", nil); res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != "limit" {
			t.Errorf("limit=0: %d %s", res.Status, res.Body)
		}
	})
}

// TestTeamValidation sends bad bodies; each must be refused with a problem
// naming the field, and nothing may be written.
func TestTeamValidation(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		tests := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"unknown zone", map[string]any{"name": "x", "timezone": "Mars/Olympus"}, 422, "timezone"},
			{"Local zone", map[string]any{"name": "x", "timezone": "Local"}, 422, "timezone"},
			{"missing name", map[string]any{"timezone": "UTC"}, 422, "name"},
			{"blank name", map[string]any{"name": "   ", "timezone": "UTC"}, 422, "name"},
			{"quorum above 1", map[string]any{"name": "x", "timezone": "UTC", "policy": map[string]any{"quorum": 1.5}}, 422, "policy.quorum"},
			{"quorum below 0", map[string]any{"name": "x", "timezone": "UTC", "policy": map[string]any{"quorum": -0.1}}, 422, "policy.quorum"},
			{"bad weekday", map[string]any{"name": "x", "timezone": "UTC", "policy": map[string]any{"core_weekdays": []string{"mon", "funday"}}}, 422, "policy.core_weekdays[1]"},
			{"slot off grid", map[string]any{"name": "x", "timezone": "UTC", "policy": map[string]any{"min_slot_minutes": 20}}, 422, "policy.min_slot_minutes"},
			{"unknown field", map[string]any{"name": "x", "timezone": "UTC", "colour": "red"}, 422, "colour"},
			{"wrong type", map[string]any{"name": 7, "timezone": "UTC"}, 422, "name"},
			{"malformed JSON", `{"name": "x",`, 400, ""},
			{"two values", `{"name":"x","timezone":"UTC"} {}`, 400, ""},
			{"not an object", `[1,2]`, 400, ""},
			{"too large", `{"name":"` + strings.Repeat("x", 70<<10) + `","timezone":"UTC"}`, 413, ""},
			{"NUL in a name", `{"name":"a\u0000b","timezone":"UTC"}`, 422, "name"},
			{"invalid UTF-8 in a name", []byte("{\"name\":\"caf\xe9\",\"timezone\":\"UTC\"}"), 422, "name"},
			{"unknown nested field", map[string]any{"name": "x", "timezone": "UTC", "policy": map[string]any{"foo": 1}}, 422, "policy.foo"},
			{"fraction for minutes", `{"name":"x","timezone":"UTC","policy":{"min_slot_minutes":30.5}}`, 422, "policy.min_slot_minutes"},
			{"Factory zone", map[string]any{"name": "x", "timezone": "Factory"}, 422, "timezone"},
			{"right/ zone", map[string]any{"name": "x", "timezone": "right/UTC"}, 422, "timezone"},
			{"long zone echoed short", map[string]any{"name": "x", "timezone": strings.Repeat("Z", 5000)}, 422, "timezone"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := ts.do(admin, "POST", "/v1/teams", tc.body)
				if res.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
				}
				p := res.problem(t)
				if tc.field != "" && p["field"] != tc.field {
					t.Errorf("field %v, want %q: %s", p["field"], tc.field, res.Body)
				}
				if detail, _ := p["detail"].(string); len(detail) > 300 {
					t.Errorf("detail of %d bytes echoes the input", len(detail))
				}
			})
		}
		if res := ts.do(admin, "POST", "/v1/teams", `name=x`, "application/x-www-form-urlencoded"); res.Status != http.StatusUnsupportedMediaType {
			t.Errorf("form body: %d", res.Status)
		}
		var list struct{ Items []store.Team }
		ts.do(admin, "GET", "/v1/teams", nil).decode(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("refused requests wrote %d teams", len(list.Items))
		}

		team := createTeam(t, ts, admin, map[string]any{"name": "Keep", "timezone": "UTC"})
		if res := ts.do(admin, "PATCH", "/v1/teams/"+team.ID, map[string]any{"name": "Changed", "timezone": "Nowhere/Land"}); res.Status != 422 {
			t.Errorf("bad patch: %d", res.Status)
		}
		var kept store.Team
		ts.do(admin, "GET", "/v1/teams/"+team.ID, nil).decode(t, &kept)
		if kept.Name != "Keep" || kept.Timezone != "UTC" {
			t.Errorf("a refused patch was half-written: %+v", kept)
		}
	})
}

// TestHTTPBehaviour covers what every route shares: HEAD answers like GET
// without a body, a wrong method is 405 with Allow, and large answers are
// compressed for clients that accept it.
func TestHTTPBehaviour(t *testing.T) {
	ts := newTestServer(t, storetest.OpenSQLite(t))
	admin := ts.key("admin")
	team := createTeam(t, ts, admin, map[string]any{"name": strings.Repeat("Platform ", 20), "timezone": "UTC"})
	for i := range 12 {
		createTeam(t, ts, admin, map[string]any{"name": fmt.Sprintf("Team %d %s", i, strings.Repeat("x", 100)), "timezone": "UTC"})
	}
	send := func(method, path string, header map[string]string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+admin)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}

	get, head := send("GET", "/v1/teams/"+team.ID, nil), send("HEAD", "/v1/teams/"+team.ID, nil)
	body, _ := io.ReadAll(head.Body)
	if head.StatusCode != 200 || len(body) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
		t.Errorf("HEAD: %d, %d body bytes, type %q; want 200, none, %q", head.StatusCode, len(body), head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
	}
	if res := send("HEAD", "/v1/teams/no-such-team", nil); res.StatusCode != 404 {
		t.Errorf("HEAD of a missing team: %d", res.StatusCode)
	}

	for _, tc := range []struct{ method, path, allow string }{
		{"PUT", "/v1/teams", "OPTIONS, GET, POST, HEAD"},
		{"POST", "/v1/teams/" + team.ID, "OPTIONS, GET, PATCH, DELETE, HEAD"},
		{"DELETE", "/v1/teams/" + team.ID + "/overlap", "OPTIONS, GET, HEAD"},
	} {
		res := send(tc.method, tc.path, nil)
		if res.StatusCode != http.StatusMethodNotAllowed || !sameMethods(res.Header.Get("Allow"), tc.allow) {
			t.Errorf("%s %s: %d, Allow %q; want 405 with Allow %q", tc.method, tc.path, res.StatusCode, res.Header.Get("Allow"), tc.allow)
		}
		if res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: Content-Type %q", tc.method, tc.path, res.Header.Get("Content-Type"))
		}
	}

	zipped := send("GET", "/v1/teams", map[string]string{"Accept-Encoding": "gzip"})
	if zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("a %s answer to a gzip client is not compressed", zipped.Header.Get("Content-Length"))
	}
	unzip, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Items []store.Team }
	if err := json.NewDecoder(unzip).Decode(&list); err != nil || len(list.Items) != 13 {
		t.Errorf("decompressed list: %d teams, %v", len(list.Items), err)
	}
	if plain := send("GET", "/v1/teams/"+team.ID, map[string]string{"Accept-Encoding": "gzip"}); plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("a small answer was compressed")
	}
}

func sameMethods(a, b string) bool {
	as, bs := strings.Split(a, ", "), strings.Split(b, ", ")
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}
