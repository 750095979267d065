package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"overlap/store"
)

// reviewWeek is Monday 5 to Monday 12 January 2026.
const reviewWeek = "from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z"

// newReviewTeam makes a London team of three members (the third named
// like a spreadsheet formula) whose calendars share a daily stand-up at
// 09:00 UTC, and hold a weekly 1:1 of the first two on Wednesday.
func newReviewTeam(t *testing.T, ts *testServer, key string) store.Team {
	t.Helper()
	team := createTeam(t, ts, key, map[string]any{"name": "Review", "timezone": "Europe/London"})
	names := []string{"Ana", "Bo", "=SUM(1,2)"}
	for i, name := range names {
		email := fmt.Sprintf("m%d@example.com", i)
		res := ts.do(key, "POST", "/v1/teams/"+team.ID+"/members", map[string]any{"name": name, "email": email, "timezone": "Europe/London"})
		if res.Status != http.StatusCreated {
			t.Fatalf("member %s: %d %s", name, res.Status, res.Body)
		}
		var m store.Member
		res.decode(t, &m)
		events := []string{sharedEvent("standup", "Daily stand-up", "20260105T090000Z", "PT15M", "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", 0, 1, 2)}
		if i < 2 {
			events = append(events, sharedEvent("one-on-one", "Weekly status Ana / Bo", "20260107T100000Z", "PT30M", "RRULE:FREQ=WEEKLY", 0, 1))
		}
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.Join(events, "") + "END:VCALENDAR\r\n"
		if res := ts.do(key, "PUT", "/v1/teams/"+team.ID+"/members/"+m.ID+"/calendar", []byte(ics), "text/calendar"); res.Status != http.StatusOK {
			t.Fatalf("calendar of %s: %d %s", name, res.Status, res.Body)
		}
	}
	return team
}

// sharedEvent is a VEVENT inviting the members with the given indices.
func sharedEvent(uid, summary, start, duration, rule string, members ...int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\nDTSTART:%s\r\nDURATION:%s\r\n%s\r\nORGANIZER:mailto:m0@example.com\r\n",
		uid, summary, start, duration, rule)
	for _, m := range members {
		fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:m%d@example.com\r\n", m)
	}
	b.WriteString("END:VEVENT\r\n")
	return b.String()
}

type reviewBody struct {
	Meetings []struct {
		Summary, Verdict, Suggestion, Template string
		PersonHoursPerWeek                     float64 `json:"person_hours_per_week"`
		Reasons                                []struct{ Code string }
	}
	TotalPersonHoursPerWeek float64 `json:"total_person_hours_per_week"`
}

func TestMeetingReview(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin, reader := ts.key("admin"), ts.key("read")
		team := newReviewTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID
		res := ts.do(reader, "GET", base+"/meetings/review?"+reviewWeek, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("review: %d %s", res.Status, res.Body)
		}
		var review reviewBody
		res.decode(t, &review)
		if len(review.Meetings) != 2 {
			t.Fatalf("meetings: %s", res.Body)
		}
		// 5 days × 3 people × 15 minutes = 3.75 person-hours a week.
		standup, oneOnOne := review.Meetings[0], review.Meetings[1]
		if standup.Summary != "Daily stand-up" || standup.Verdict != "go-async" || standup.Suggestion != "written-standup" ||
			standup.PersonHoursPerWeek != 3.75 || review.TotalPersonHoursPerWeek != 3.75 || !strings.Contains(standup.Template, "within 24 hours") {
			t.Errorf("stand-up: %+v, total %v", standup, review.TotalPersonHoursPerWeek)
		}
		if oneOnOne.Verdict != "keep-live" || oneOnOne.Reasons[0].Code != "one-on-one" || oneOnOne.PersonHoursPerWeek != 0 {
			t.Errorf("1:1: %+v", oneOnOne)
		}

		// The team's settings change the verdict: a go-async score out of reach.
		res = ts.do(admin, "PUT", base+"/review-settings", map[string]any{"go_async_score": 50, "weights": map[string]any{"recurring": 2}})
		if res.Status != http.StatusOK {
			t.Fatalf("put settings: %d %s", res.Status, res.Body)
		}
		res = ts.do(reader, "GET", base+"/meetings/review?"+reviewWeek, nil)
		var strict reviewBody
		res.decode(t, &strict)
		if strict.Meetings[0].Verdict != "keep-live" || strict.TotalPersonHoursPerWeek != 0 {
			t.Errorf("with a go-async score of 50: %s", res.Body)
		}
	})
}

func TestLoadReport(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin, reader := ts.key("admin"), ts.key("read")
		team := newReviewTeam(t, ts, admin)
		path := "/v1/teams/" + team.ID + "/load?" + reviewWeek
		res := ts.do(reader, "GET", path, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("load: %d %s", res.Status, res.Body)
		}
		var load struct {
			Members []struct {
				Name                string
				MeetingHoursPerWeek float64 `json:"meeting_hours_per_week"`
				GoAsyncHoursPerWeek float64 `json:"go_async_hours_per_week"`
			}
			Totals struct {
				Members             int
				MeetingHoursPerWeek float64 `json:"meeting_hours_per_week"`
			}
		}
		res.decode(t, &load)
		// Ana: 5 × 15 minutes of stand-up and the 30-minute 1:1.
		if len(load.Members) != 3 || load.Members[0].MeetingHoursPerWeek != 1.75 || load.Members[0].GoAsyncHoursPerWeek != 1.25 ||
			load.Totals.Members != 3 || load.Totals.MeetingHoursPerWeek != 4.75 {
			t.Errorf("load: %s", res.Body)
		}

		for _, accept := range []string{"text/csv", "application/json;q=0.5, text/csv"} {
			res = ts.doWith(reader, "GET", path, http.Header{"Accept": {accept}}, nil)
			if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" || !strings.Contains(res.Header.Get("Vary"), "Accept") {
				t.Fatalf("Accept %s: %d %v %s", accept, res.Status, res.Header, res.Body)
			}
			if !bytes.HasSuffix(res.Body, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(res.Body, []byte("\r\n"), nil), []byte("\n")) {
				t.Errorf("lines must end in CRLF: %q", res.Body)
			}
			rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 || strings.Join(rows[0][:5], ",") != "member,name,timezone,meetings_attended,meeting_hours_per_week" {
				t.Fatalf("CSV: %q", rows)
			}
			if rows[1][1] != "Ana" || rows[1][4] != "1.75" || rows[3][1] != "'=SUM(1,2)" {
				t.Errorf("rows: %q", rows[1:])
			}
		}
		res = ts.doWith(reader, "GET", path, http.Header{"Accept": {"text/csv;q=0.2, application/json"}}, nil)
		if res.Header.Get("Content-Type") != "application/json" {
			t.Errorf("a client preferring JSON got %s", res.Header.Get("Content-Type"))
		}
	})
}

func TestReviewSettingsRoutes(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin, reader := ts.key("admin"), ts.key("read")
		team := createTeam(t, ts, admin, map[string]any{"name": "Settings", "timezone": "Europe/Berlin"})
		path := "/v1/teams/" + team.ID + "/review-settings"

		res := ts.do(reader, "GET", path, nil)
		var settings map[string]any
		res.decode(t, &settings)
		if res.Status != http.StatusOK || settings["go_async_score"] != 4.0 || settings["updated_at"] != nil {
			t.Fatalf("defaults: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "PUT", path, map[string]any{"many_attendees": 6, "words": map[string]any{"social": []string{"fika", "Kaffee"}}})
		res.decode(t, &settings)
		words := settings["words"].(map[string]any)
		if res.Status != http.StatusOK || settings["many_attendees"] != 6.0 || settings["long_minutes"] != 60.0 ||
			fmt.Sprint(words["social"]) != "[fika Kaffee]" || len(words["incident"].([]any)) == 0 || settings["updated_at"] == nil {
			t.Fatalf("put: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "PUT", path, map[string]any{})
		res.decode(t, &settings)
		if settings["many_attendees"] != 8.0 {
			t.Errorf("{} must restore the defaults: %s", res.Body)
		}

		refusals := []struct {
			key, body, contentType string
			status                 int
			field                  string
		}{
			{admin, `{"weights":{"long":11}}`, "application/json", http.StatusUnprocessableEntity, "weights.long"},
			{admin, `{"weights":{"loud":1}}`, "application/json", http.StatusUnprocessableEntity, "weights.loud"},
			{admin, `{"words":{"status_title":["ok","---"]}}`, "application/json", http.StatusUnprocessableEntity, "words.status_title[1]"},
			{admin, `{"go_async_score":4.5}`, "application/json", http.StatusUnprocessableEntity, "go_async_score"},
			{admin, `{"go_async_score":5`, "application/json", http.StatusBadRequest, ""},
			{admin, `go_async_score=5`, "text/plain", http.StatusUnsupportedMediaType, ""},
		}
		for _, r := range refusals {
			res := ts.do(r.key, "PUT", path, []byte(r.body), r.contentType)
			if res.Status != r.status {
				t.Errorf("%s: %d %s, want %d", r.body, res.Status, res.Body, r.status)
				continue
			}
			if p := res.problem(t); r.field != "" && p["field"] != r.field {
				t.Errorf("%s: field %v, want %s", r.body, p["field"], r.field)
			}
		}
		res = ts.do(reader, "GET", path, nil)
		res.decode(t, &settings)
		if settings["many_attendees"] != 8.0 {
			t.Errorf("a refused change must write nothing: %s", res.Body)
		}
	})
}

// TestReviewRefusals covers the GETs' failures beyond scopes (see
// TestScopes): a missing team, a bad range.
func TestReviewRefusals(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "Review", "timezone": "Europe/Berlin"})
		for _, route := range []string{"/meetings/review?" + reviewWeek, "/load?" + reviewWeek, "/review-settings"} {
			if res := ts.do(admin, "GET", "/v1/teams/no-such-team"+route, nil); res.Status != http.StatusNotFound {
				t.Errorf("%s of a missing team: %d %s", route, res.Status, res.Body)
			}
		}
		for _, route := range []string{"/meetings/review", "/load"} {
			res := ts.do(admin, "GET", "/v1/teams/"+team.ID+route+"?from=2026-01-05T00:00:00Z&to=2026-01-05T00:00:00Z", nil)
			if p := res.problem(t); res.Status != http.StatusUnprocessableEntity || p["field"] != "to" {
				t.Errorf("%s with an empty range: %d %v", route, res.Status, p)
			}
		}
		if res := ts.do(admin, "PUT", "/v1/teams/no-such-team/review-settings", map[string]any{}); res.Status != http.StatusNotFound {
			t.Errorf("settings of a missing team: %d %s", res.Status, res.Body)
		}
	})
}
