package api_test

import (
	"net/http"
	"testing"
)

func TestDecisionLog(t *testing.T) {
	forEachClockedServer(t, "2027-01-04T09:00:00Z", func(t *testing.T, ts *testServer, clock *testClock) {
		admin, reader := ts.key("admin"), ts.key("read")
		team, ids := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID + "/decisions"
		adopt(t, ts, admin, team.ID)
		slot := listSlots(t, ts, admin, team.ID, "2027-01-04T00:00:00Z", "2027-01-06T00:00:00Z")[0]
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"no title", map[string]any{"owner": ids["London"]}, "title"},
			{"no owner", map[string]any{"title": "x"}, "owner"},
			{"stranger", map[string]any{"title": "x", "owner": "nobody"}, "owner"},
			{"bad date", map[string]any{"title": "x", "owner": ids["London"], "due_date": "2027-02-30"}, "due_date"},
			{"bad status", map[string]any{"title": "x", "owner": ids["London"], "status": "done"}, "status"},
			{"unknown slot", map[string]any{"title": "x", "owner": ids["London"], "slot": "0123456789abcdef"}, "slot"},
		} {
			res := ts.do(admin, "POST", base, tc.body)
			if res.Status != 422 || res.problem(t)["field"] != tc.field {
				t.Errorf("%s: %d %s, want 422 naming %s", tc.name, res.Status, res.Body, tc.field)
			}
		}
		if res := ts.do(reader, "POST", base, map[string]any{"title": "x", "owner": ids["London"]}); res.Status != http.StatusForbidden {
			t.Errorf("read key logs a decision: %d", res.Status)
		}
		type decision struct {
			ID, Status  string
			Owner, Slot *string
			DueDate     *string `json:"due_date"`
			History     []struct {
				From, To string
				By       struct{ Label string }
				At       string
			}
		}
		var first decision
		res := ts.do(admin, "POST", base, map[string]any{"title": "Release on Thursdays", "context": "Fridays break", "owner": ids["London"],
			"due_date": "2027-02-01", "slot": slot.ID})
		res.decode(t, &first)
		if res.Status != 201 || first.Status != "proposed" || *first.Slot != slot.ID || len(first.History) != 1 || first.History[0].To != "proposed" {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		for _, owner := range []string{ids["Berlin"], ids["Berlin"], ids["London"]} {
			if res := ts.do(admin, "POST", base, map[string]any{"title": "Other", "owner": owner, "status": "blocked"}); res.Status != 201 {
				t.Fatalf("create: %d %s", res.Status, res.Body)
			}
		}
		clock.set("2027-01-05T10:00:00Z")
		lead := ts.key("team:" + team.ID)
		res = ts.do(lead, "PATCH", base+"/"+first.ID, map[string]any{"status": "decided", "decision": "Thursdays from February", "due_date": ""})
		var changed decision
		res.decode(t, &changed)
		if res.Status != 200 || changed.DueDate != nil || len(changed.History) != 2 || changed.History[1].From != "proposed" ||
			changed.History[1].By.Label != "test" || changed.History[1].At != "2027-01-05T10:00:00Z" {
			t.Errorf("patch: %d %s", res.Status, res.Body)
		}
		if res := ts.do(lead, "PATCH", base+"/"+first.ID, map[string]any{"status": "later"}); res.Status != 422 {
			t.Errorf("bad status change: %d", res.Status)
		}
		res = ts.do(reader, "GET", base+"/"+first.ID, nil)
		var got decision
		res.decode(t, &got)
		if res.Status != 200 || len(got.History) != 2 {
			t.Errorf("get: %d %s", res.Status, res.Body)
		}
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"", 4},
			{"?status=blocked", 3},
			{"?owner=" + ids["Berlin"], 2},
			{"?status=blocked&owner=" + ids["London"], 1},
			{"?status=decided", 1},
		} {
			res := ts.do(reader, "GET", base+tc.query, nil)
			var list struct{ Items []decision }
			res.decode(t, &list)
			if res.Status != 200 || len(list.Items) != tc.want || list.Items[0].History != nil {
				t.Errorf("list%s: %d, %d items; want %d without history", tc.query, res.Status, len(list.Items), tc.want)
			}
		}
		res = ts.do(reader, "GET", base+"?limit=3", nil)
		var page struct {
			Items      []decision
			NextCursor *string `json:"next_cursor"`
		}
		res.decode(t, &page)
		if len(page.Items) != 3 || page.NextCursor == nil {
			t.Fatalf("first page: %s", res.Body)
		}
		res = ts.do(reader, "GET", base+"?limit=3&cursor="+*page.NextCursor, nil)
		res.decode(t, &page)
		if len(page.Items) != 1 || page.NextCursor != nil {
			t.Errorf("second page: %s", res.Body)
		}
		if res := ts.do(reader, "GET", base+"/no-such-decision", nil); res.Status != 404 {
			t.Errorf("missing decision: %d", res.Status)
		}
		if res := ts.do(reader, "GET", base+"?status=done", nil); res.Status != 422 {
			t.Errorf("bad status filter: %d", res.Status)
		}
	})
}
