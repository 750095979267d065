package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"overlap/calendar"
)

// feedPath is the path of a feed URL the API handed out.
func feedPath(t *testing.T, url string) string {
	t.Helper()
	path, ok := strings.CutPrefix(url, "http://overlap.test")
	if !ok || !strings.HasPrefix(path, "/feeds/ovf_") || !strings.HasSuffix(path, ".ics") {
		t.Fatalf("feed URL %q", url)
	}
	return path
}

// getFeed fetches a feed without an API key, with the headers given (plain
// unless they ask for gzip).
func getFeed(ts *testServer, path string, header ...string) response {
	h := http.Header{"Accept-Encoding": {"identity"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return ts.doWith("", "GET", path, h, nil)
}

// parseFeed reads a feed with go-ical, checks the RFC 5545 form this
// project promises (CRLF, 75-octet lines) and, when the ical.js oracle is
// installed, has validate-feed.mjs check it too.
func parseFeed(t *testing.T, body []byte) *ical.Calendar {
	t.Helper()
	for i, line := range bytes.SplitAfter(body, []byte("\r\n")) {
		if len(line) == 0 {
			continue
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) || bytes.Contains(line[:len(line)-2], []byte("\n")) || len(line)-2 > 75 {
			t.Fatalf("line %d is not a CRLF line of at most 75 octets: %q", i+1, line)
		}
	}
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("go-ical: %v", err)
	}
	validateWithOracle(t, body)
	return cal
}

func validateWithOracle(t *testing.T, body []byte) {
	t.Helper()
	dir := os.Getenv("OVERLAP_ORACLE_DIR")
	node, err := exec.LookPath("node")
	if dir == "" || err != nil {
		return
	}
	path := filepath.Join(t.TempDir(), "feed.ics")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join(dir, "validate-feed.mjs"), path).Output()
	var report struct {
		OK     bool
		Errors []string
	}
	if err != nil || json.Unmarshal(out, &report) != nil || !report.OK || len(report.Errors) > 0 {
		t.Errorf("validate-feed.mjs: %v\n%s", err, out)
	}
}

func prop(t *testing.T, c *ical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		return ""
	}
	if p.ValueType() == ical.ValueText || p.ValueType() == ical.ValueDefault {
		if text, err := p.Text(); err == nil {
			return text
		}
	}
	return p.Value
}

func TestFeeds(t *testing.T) {
	forEachClockedServer(t, "2027-01-04T09:00:00Z", func(t *testing.T, ts *testServer, clock *testClock) {
		admin, reader := ts.key("admin"), ts.key("read")
		team, ids := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"ftp link", map[string]any{"conference_url": "ftp://meet.example.com"}, "conference_url"},
			{"same channel twice", map[string]any{"norms": map[string]any{"channels": []map[string]any{{"channel": "chat", "response_hours": 4}, {"channel": "Chat", "response_hours": 8}}}}, "norms.channels[1].channel"},
			{"no response time", map[string]any{"norms": map[string]any{"channels": []map[string]any{{"channel": "chat", "response_hours": 0}}}}, "norms.channels[0].response_hours"},
			{"live and async", map[string]any{"norms": map[string]any{"live": []string{"demos"}, "async": []string{"Demos"}}}, "norms.async[0]"},
		} {
			res := ts.do(admin, "PATCH", base, tc.body)
			if res.Status != 422 || res.problem(t)["field"] != tc.field {
				t.Errorf("%s: %d %s, want 422 naming %s", tc.name, res.Status, res.Body, tc.field)
			}
		}
		res := ts.do(admin, "PATCH", base, map[string]any{"conference_url": "https://meet.example.com/platform", "norms": map[string]any{
			"live": []string{"decisions", "incident triage"}, "async": []string{"status updates"},
			"channels": []map[string]any{{"channel": "written-standup", "response_hours": 24}}}})
		if res.Status != 200 {
			t.Fatalf("norms: %d %s", res.Status, res.Body)
		}
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:vendor-1\r\nDTSTAMP:20270101T000000Z\r\n" +
			"DTSTART;TZID=Europe/Berlin:20270105T150000\r\nDTEND;TZID=Europe/Berlin:20270105T160000\r\nSUMMARY:Vendor call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		if res := ts.do(admin, "PUT", base+"/members/"+ids["Berlin"]+"/calendar", ics, "text/calendar"); res.Status != 200 {
			t.Fatalf("import: %d %s", res.Status, res.Body)
		}
		adopt(t, ts, admin, team.ID)
		slots := listSlots(t, ts, admin, team.ID, "2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z")
		addItem(ts, admin, team.ID, slots[0].ID, map[string]any{"title": "Q3 roadmap", "owner": ids["Berlin"], "minutes": 45, "kind": "decision"})

		if res := ts.do(reader, "POST", base+"/feeds", map[string]any{"label": "x"}); res.Status != http.StatusForbidden {
			t.Errorf("a read key creates a feed: %d", res.Status)
		}
		var teamFeed, memberFeed struct{ ID, URL string }
		res = ts.do(admin, "POST", base+"/feeds", map[string]any{"label": "team wall"})
		res.decode(t, &teamFeed)
		if res.Status != 201 {
			t.Fatalf("create feed: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "POST", base+"/members/"+ids["Berlin"]+"/feeds", map[string]any{"label": "Berlin's phone"})
		res.decode(t, &memberFeed)
		if res.Status != 201 {
			t.Fatalf("create member feed: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "POST", base+"/members/no-such-member/feeds", map[string]any{}); res.Status != 404 {
			t.Errorf("feed of a stranger: %d", res.Status)
		}
		teamPath, memberPath := feedPath(t, teamFeed.URL), feedPath(t, memberFeed.URL)
		res = ts.do(reader, "GET", base+"/feeds", nil)
		if res.Status != 200 || bytes.Contains(res.Body, []byte("ovf_")) || !bytes.Contains(res.Body, []byte(memberFeed.ID)) {
			t.Errorf("list of feeds: %d %s", res.Status, res.Body)
		}
		res = ts.do(reader, "GET", base+"/members/"+ids["Berlin"]+"/feeds", nil)
		var memberFeeds struct{ Items []struct{ ID string } }
		res.decode(t, &memberFeeds)
		if len(memberFeeds.Items) != 1 || memberFeeds.Items[0].ID != memberFeed.ID {
			t.Errorf("member's feeds: %s", res.Body)
		}

		first := getFeed(ts, teamPath)
		if first.Status != 200 || first.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("feed: %d %q %s", first.Status, first.Header.Get("Content-Type"), first.Body)
		}
		etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
		if !strings.HasPrefix(etag, `"`) || modified == "" {
			t.Errorf("ETag %q (want strong), Last-Modified %q", etag, modified)
		}
		cal := parseFeed(t, first.Body)
		checkTeamFeed(t, cal)

		// The same bytes from another request and from a second instance on the same database.
		if again := getFeed(ts, teamPath); !bytes.Equal(again.Body, first.Body) || again.Header.Get("ETag") != etag {
			t.Errorf("a second request differs")
		}
		replica := newTestServer(t, ts.Store, func(cfg *testConfig) { cfg.Now = clock.Now })
		if other := getFeed(replica, teamPath); !bytes.Equal(other.Body, first.Body) || other.Header.Get("ETag") != etag || other.Header.Get("Last-Modified") != modified {
			t.Errorf("another instance answers other bytes or headers")
		}

		for _, tc := range []struct {
			name   string
			header []string
			status int
		}{
			{"If-None-Match", []string{"If-None-Match", etag}, 304},
			{"If-None-Match among others", []string{"If-None-Match", `"x", ` + etag}, 304},
			{"If-None-Match of another version", []string{"If-None-Match", `"x"`}, 200},
			{"If-Modified-Since", []string{"If-Modified-Since", modified}, 304},
			{"If-Modified-Since before", []string{"If-Modified-Since", "Mon, 04 Jan 2027 00:00:00 GMT"}, 200},
			{"If-None-Match wins over If-Modified-Since", []string{"If-None-Match", `"x"`, "If-Modified-Since", modified}, 200},
		} {
			res := getFeed(ts, teamPath, tc.header...)
			if res.Status != tc.status || tc.status == 304 && (len(res.Body) != 0 || res.Header.Get("ETag") != etag) {
				t.Errorf("%s: %d with %d bytes, ETag %q; want %d", tc.name, res.Status, len(res.Body), res.Header.Get("ETag"), tc.status)
			}
		}
		zipped := getFeed(ts, teamPath, "Accept-Encoding", "gzip")
		zr, err := gzip.NewReader(bytes.NewReader(zipped.Body))
		if err != nil || zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("ETag") == etag {
			t.Fatalf("gzip: %v, %q, ETag %q", err, zipped.Header.Get("Content-Encoding"), zipped.Header.Get("ETag"))
		}
		if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, first.Body) {
			t.Errorf("the gzipped feed is another feed")
		}
		if res := getFeed(ts, teamPath, "Accept-Encoding", "gzip", "If-None-Match", zipped.Header.Get("ETag")); res.Status != 304 {
			t.Errorf("If-None-Match with the gzip ETag: %d", res.Status)
		}
		head, err := http.DefaultTransport.RoundTrip(mustRequest(t, "HEAD", ts.URL+teamPath))
		if err != nil {
			t.Fatal(err)
		}
		headBody, _ := io.ReadAll(head.Body)
		head.Body.Close()
		if head.StatusCode != 200 || len(headBody) != 0 || head.Header.Get("ETag") != etag {
			t.Errorf("HEAD: %d, %d bytes, ETag %q", head.StatusCode, len(headBody), head.Header.Get("ETag"))
		}

		// Round trip: the project's own reader finds the live slots as busy time.
		checkRoundTrip(t, first.Body, listSlots(t, ts, admin, team.ID, "2026-12-07T00:00:00Z", "2027-03-30T00:00:00Z"))
		if res := ts.do(admin, "PUT", base+"/members/"+ids["London"]+"/calendar", first.Body, "text/calendar"); res.Status != 200 {
			t.Errorf("importing the feed as a calendar: %d %s", res.Status, res.Body)
		}

		member := getFeed(ts, memberPath)
		mcal := parseFeed(t, member.Body)
		if prop(t, mcal.Component, "X-WR-TIMEZONE") != "Europe/Berlin" {
			t.Errorf("member feed zone %q", prop(t, mcal.Component, "X-WR-TIMEZONE"))
		}
		if desc := prop(t, mcal.Events()[0].Component, ical.PropDescription); !strings.Contains(desc, "You: you have a conflict (Vendor call)") || !strings.Contains(desc, "Berlin (you)") {
			t.Errorf("member feed does not mark Berlin's conflict and item:\n%s", desc)
		}
		if bytes.Contains(first.Body, []byte("Vendor call")) {
			t.Errorf("the team feed shows a member's private event title")
		}

		// A change of agenda: new ETag, higher SEQUENCE for that slot only.
		addItem(ts, admin, team.ID, slots[1].ID, map[string]any{"title": "Hiring plan", "owner": ids["London"], "minutes": 30, "kind": "discussion"})
		changed := getFeed(ts, teamPath, "If-None-Match", etag)
		if changed.Status != 200 || changed.Header.Get("ETag") == etag {
			t.Fatalf("after an agenda change: %d, ETag %q", changed.Status, changed.Header.Get("ETag"))
		}
		if seqOf(t, parseFeed(t, changed.Body), slots[1].ID) <= seqOf(t, cal, slots[1].ID) {
			t.Errorf("SEQUENCE did not grow with the agenda")
		}
		// Time alone changes a feed when a cutoff passes: the next Tuesday goes async.
		etag = changed.Header.Get("ETag")
		clock.set("2027-01-11T14:00:00Z")
		later := getFeed(ts, teamPath, "If-None-Match", etag)
		if later.Status != 200 {
			t.Fatalf("after a cutoff passed: %d", later.Status)
		}
		next := listSlots(t, ts, admin, team.ID, "2027-01-12T00:00:00Z", "2027-01-13T00:00:00Z")[0]
		for _, ev := range parseFeed(t, later.Body).Events() {
			if strings.HasPrefix(prop(t, ev.Component, ical.PropUID), next.ID) {
				if prop(t, ev.Component, ical.PropStatus) != "CANCELLED" || !strings.HasPrefix(prop(t, ev.Component, ical.PropSummary), "Cancelled, go async: ") {
					t.Errorf("slot past its cutoff: %s / %s", prop(t, ev.Component, ical.PropStatus), prop(t, ev.Component, ical.PropSummary))
				}
			}
		}

		// Rotation and revocation: the old URLs answer exactly like a token never issued.
		unknown := getFeed(ts, "/feeds/ovf_0000000000000000000000000000000000000000.ics")
		var rotated struct{ URL string }
		res = ts.do(admin, "POST", base+"/feeds/"+teamFeed.ID+"/rotate", nil)
		res.decode(t, &rotated)
		if res.Status != 200 || feedPath(t, rotated.URL) == teamPath {
			t.Fatalf("rotate: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "DELETE", base+"/feeds/"+memberFeed.ID, nil); res.Status != 204 {
			t.Errorf("revoke: %d", res.Status)
		}
		for name, path := range map[string]string{"rotated": teamPath, "revoked": memberPath} {
			res := getFeed(ts, path)
			if res.Status != 404 || !bytes.Equal(stripRequestID(res.Body), stripRequestID(unknown.Body)) {
				t.Errorf("%s: %d %s; want the 404 of an unknown token %s", name, res.Status, res.Body, unknown.Body)
			}
		}
		noSuffix, err := http.DefaultTransport.RoundTrip(mustRequest(t, "GET", ts.URL+strings.TrimSuffix(feedPath(t, rotated.URL), ".ics")))
		if err != nil {
			t.Fatal(err)
		}
		noSuffix.Body.Close()
		if noSuffix.StatusCode != 404 {
			t.Errorf("a feed URL without .ics: %d", noSuffix.StatusCode)
		}
		if res := getFeed(ts, feedPath(t, rotated.URL)); res.Status != 200 {
			t.Errorf("rotated URL: %d", res.Status)
		}
		if res := ts.do(admin, "DELETE", base+"/feeds/"+memberFeed.ID, nil); res.Status != 404 {
			t.Errorf("second revocation: %d", res.Status)
		}
	})
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// stripRequestID drops the request id, the one part of a problem that differs per request.
func stripRequestID(body []byte) []byte {
	if i := bytes.Index(body, []byte(`,"request_id"`)); i >= 0 {
		return body[:i]
	}
	return body
}

func checkTeamFeed(t *testing.T, cal *ical.Calendar) {
	t.Helper()
	for name, want := range map[string]string{
		ical.PropVersion: "2.0", ical.PropMethod: "PUBLISH", "X-WR-CALNAME": "Transatlantic core hours",
		"X-WR-TIMEZONE": "Europe/London", "X-PUBLISHED-TTL": "PT1H", ical.PropRefreshInterval: "PT1H",
	} {
		if got := prop(t, cal.Component, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(prop(t, cal.Component, ical.PropDescription), "written-standup within 24 h") {
		t.Errorf("calendar description lacks the norms: %q", prop(t, cal.Component, ical.PropDescription))
	}
	events := cal.Events()
	// Tuesdays and Thursdays from the adoption (Monday 4 January) to the window's end (Tuesday 30 March).
	if len(events) != 24 {
		t.Errorf("%d events, want 24", len(events))
	}
	ready := events[0].Component
	for name, want := range map[string]string{
		ical.PropStatus: "CONFIRMED", ical.PropSummary: "Transatlantic core hours: Q3 roadmap",
		ical.PropLocation: "https://meet.example.com/platform", ical.PropURL: "https://meet.example.com/platform",
		ical.PropSequence: "2",
	} {
		if got := prop(t, ready, name); got != want {
			t.Errorf("first slot: %s = %q, want %q", name, got, want)
		}
	}
	desc := prop(t, ready, ical.PropDescription)
	for _, want := range []string{"[decision] Q3 roadmap: Berlin, 45 min", "Conflicts: Berlin (busy)", "Live: decisions, incident triage."} {
		if !strings.Contains(desc, want) {
			t.Errorf("first slot's description lacks %q:\n%s", want, desc)
		}
	}
	if got := prop(t, events[1].Component, ical.PropStatus); got != "TENTATIVE" {
		t.Errorf("a slot without agenda: STATUS %q", got)
	}
	if tz := cal.Children; len(tz) == 0 || tz[0].Name != ical.CompTimezone {
		t.Errorf("no VTIMEZONE")
	}
}

// seqOf is the SEQUENCE of the event of slot id.
func seqOf(t *testing.T, cal *ical.Calendar, id string) string {
	t.Helper()
	for _, ev := range cal.Events() {
		if strings.HasPrefix(prop(t, ev.Component, ical.PropUID), id) {
			return prop(t, ev.Component, ical.PropSequence)
		}
	}
	t.Fatalf("no event for slot %s", id)
	return ""
}

// checkRoundTrip reads a feed with the project's own calendar reader: the
// busy instances must be exactly the slots that are not cancelled.
func checkRoundTrip(t *testing.T, body []byte, slots []slotJSON) {
	t.Helper()
	cal, err := calendar.Parse(context.Background(), bytes.NewReader(body), calendar.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	found, err := cal.Expand(context.Background(), from, to, calendar.ExpandOptions{DefaultZone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, in := range found.Instances {
		if in.Busy {
			got = append(got, in.Start.UTC().Format(time.RFC3339)+"/"+in.End.UTC().Format(time.RFC3339))
		}
	}
	for _, sl := range slots {
		if sl.Status != "cancelled-async" {
			want = append(want, sl.Start+"/"+sl.End)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the feed read back as busy time:\n%v\nwant the live slots:\n%v", got, want)
	}
	if w := cal.Warnings(); len(w) > 0 {
		t.Errorf("reading the feed back warns: %v", w)
	}
}
