package api_test

import (
	"context"
	"net/http"
	"testing"
)

// TestScopes checks the scope rules on every route: 401 without a valid key,
// 403 outside the key's scope.
func TestScopes(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		mine := createTeam(t, ts, admin, map[string]any{"name": "Mine", "timezone": "UTC"})
		other := createTeam(t, ts, admin, map[string]any{"name": "Other", "timezone": "UTC"})
		lead := ts.key("team:" + mine.ID)
		reader := ts.key("read")
		member := map[string]any{"name": "M", "email": "m@example.com", "timezone": "UTC"}

		tests := []struct {
			name   string
			key    string
			method string
			path   string
			body   any
			want   int
		}{
			{"no key", "", "GET", "/v1/teams", nil, 401},
			{"unknown key", "ovl_00", "GET", "/v1/teams", nil, 401},
			{"not a bearer key", "", "GET", "/v1/teams/" + mine.ID, nil, 401},
			{"lead reads own team", lead, "GET", "/v1/teams/" + mine.ID, nil, 200},
			{"lead reads other team", lead, "GET", "/v1/teams/" + other.ID, nil, 403},
			{"lead patches own team", lead, "PATCH", "/v1/teams/" + mine.ID, map[string]any{"name": "Mine!"}, 200},
			{"lead patches other team", lead, "PATCH", "/v1/teams/" + other.ID, map[string]any{"name": "x"}, 403},
			{"lead creates team", lead, "POST", "/v1/teams", map[string]any{"name": "x", "timezone": "UTC"}, 403},
			{"lead deletes own team", lead, "DELETE", "/v1/teams/" + mine.ID, nil, 403},
			{"lead adds member to own team", lead, "POST", "/v1/teams/" + mine.ID + "/members", member, 201},
			{"lead adds member to other team", lead, "POST", "/v1/teams/" + other.ID + "/members", member, 403},
			{"lead lists other members", lead, "GET", "/v1/teams/" + other.ID + "/members", nil, 403},
			{"reader lists members", reader, "GET", "/v1/teams/" + other.ID + "/members", nil, 200},
			{"reader reads team", reader, "GET", "/v1/teams/" + other.ID, nil, 200},
			{"reader patches team", reader, "PATCH", "/v1/teams/" + other.ID, map[string]any{"name": "x"}, 403},
			{"reader adds member", reader, "POST", "/v1/teams/" + other.ID + "/members", member, 403},
			{"reader creates team", reader, "POST", "/v1/teams", map[string]any{"name": "x", "timezone": "UTC"}, 403},
			{"reader deletes team", reader, "DELETE", "/v1/teams/" + other.ID, nil, 403},
			{"reader reviews meetings", reader, "GET", "/v1/teams/" + other.ID + "/meetings/review?" + reviewWeek, nil, 200},
			{"reader reads load", reader, "GET", "/v1/teams/" + other.ID + "/load?" + reviewWeek, nil, 200},
			{"reader reads review settings", reader, "GET", "/v1/teams/" + other.ID + "/review-settings", nil, 200},
			{"reader puts review settings", reader, "PUT", "/v1/teams/" + other.ID + "/review-settings", map[string]any{}, 403},
			{"lead reviews other meetings", lead, "GET", "/v1/teams/" + other.ID + "/meetings/review?" + reviewWeek, nil, 403},
			{"lead reads other load", lead, "GET", "/v1/teams/" + other.ID + "/load?" + reviewWeek, nil, 403},
			{"lead reads other review settings", lead, "GET", "/v1/teams/" + other.ID + "/review-settings", nil, 403},
			{"lead puts own review settings", lead, "PUT", "/v1/teams/" + mine.ID + "/review-settings", map[string]any{}, 200},
			{"lead puts other review settings", lead, "PUT", "/v1/teams/" + other.ID + "/review-settings", map[string]any{}, 403},
			{"no key reviews meetings", "", "GET", "/v1/teams/" + mine.ID + "/meetings/review?" + reviewWeek, nil, 401},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := ts.do(tc.key, tc.method, tc.path, tc.body)
				if res.Status != tc.want {
					t.Fatalf("status %d, want %d: %s", res.Status, tc.want, res.Body)
				}
				if tc.want >= 400 {
					res.problem(t)
				}
				if tc.want == 401 && res.Header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}

		var list struct{ Items []struct{ ID string } }
		ts.do(lead, "GET", "/v1/teams", nil).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != mine.ID {
			t.Errorf("a team key lists %+v, want only its team", list.Items)
		}

		// A revoked key stops working at once.
		keys, _ := ts.Store.FindAPIKeys(context.Background())
		for _, k := range keys {
			if k.Scope == "read" {
				if err := ts.Store.RevokeAPIKey(context.Background(), k.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if res := ts.do(reader, "GET", "/v1/teams", nil); res.Status != http.StatusUnauthorized {
			t.Errorf("revoked key: %d", res.Status)
		}
	})
}
