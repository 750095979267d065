package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"overlap/store"
	"overlap/store/storetest"
)

// publishedCalendar is a loopback server publishing one calendar, answering
// conditional requests, or failing with status when status is set.
type publishedCalendar struct {
	*httptest.Server
	mu       sync.Mutex
	ics      string
	status   int
	redirect string
}

func newPublishedCalendar(t *testing.T, ics string) *publishedCalendar {
	p := &publishedCalendar{ics: ics}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch {
		case p.redirect != "":
			http.Redirect(w, r, p.redirect, http.StatusFound)
		case p.status != 0:
			http.Error(w, "unavailable", p.status)
		case r.Header.Get("If-None-Match") == `"`+sha256Hex(p.ics)+`"`:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", `"`+sha256Hex(p.ics)+`"`)
			fmt.Fprint(w, p.ics)
		}
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *publishedCalendar) fail(status int, redirect string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status, p.redirect = status, redirect
}

// fetchFromLoopback lets the server fetch from the tests' loopback servers.
func fetchFromLoopback(c *testConfig) {
	c.Subscriptions.Fetch.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
}

type subscriptionAnswer struct {
	ID                     string           `json:"id"`
	Name                   string           `json:"name"`
	URL                    string           `json:"url"`
	State                  string           `json:"state"`
	Reason                 string           `json:"reason"`
	Failures               int              `json:"failures"`
	RefreshIntervalSeconds int              `json:"refresh_interval_seconds"`
	NextAttemptAt          time.Time        `json:"next_attempt_at"`
	Calendar               *calendarSummary `json:"calendar"`
}

// subscribedAna is a server on which member Ana subscribed to a calendar
// published on loopback.
type subscribedAna struct {
	ts      *testServer
	admin   string
	team    store.Team
	ana     string // Ana's path
	feed    *publishedCalendar
	address string
	created subscriptionAnswer
	// subscription is the created subscription's path.
	subscription string
}

func newSubscribedAna(t *testing.T, s *store.Store) *subscribedAna {
	t.Helper()
	x := &subscribedAna{ts: newTestServer(t, s, withNow(summaryNow), fetchFromLoopback), feed: newPublishedCalendar(t, smallCalendar)}
	x.admin = x.ts.key("admin")
	x.team, x.ana = newCalendarMember(t, x.ts, x.admin)
	x.address = x.feed.URL + "/calendar/ical/ana/private-0123abcd/basic.ics"
	res := x.ts.do(x.admin, "POST", x.ana+"/subscriptions", map[string]any{"url": x.address, "name": "Work"})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	res.decode(t, &x.created)
	x.subscription = x.ana + "/subscriptions/" + x.created.ID
	if res.Header.Get("Location") != "http://overlap.test"+x.subscription {
		t.Errorf("Location %q", res.Header.Get("Location"))
	}
	return x
}

func TestSubscriptionLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		x := newSubscribedAna(t, s)
		ts, admin, created := x.ts, x.admin, x.created
		if created.State != "ok" || created.Name != "Work" || created.URL != x.feed.URL+"/c…/i…/a…/p…/b…" ||
			created.Calendar == nil || created.Calendar.Events != 1 || created.Calendar.InstancesNext28Days != 1 || created.Calendar.SHA256 != sha256Hex(smallCalendar) {
			t.Errorf("created %+v", created)
		}
		// The plan reads the subscribed calendar: Ana is busy at its event.
		res := ts.do(admin, "GET", "/v1/teams/"+x.team.ID+"/overlap?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z", nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"2026-03-03T16:00:00Z"`) {
			t.Errorf("overlap: %d %s; want a segment ending with the event at 16:00", res.Status, res.Body)
		}

		for _, tc := range []struct {
			query string
			want  int
		}{{"", 1}, {"?state=ok", 1}, {"?state=failing", 0}, {"?state=stale", 0}} {
			res := ts.do(admin, "GET", x.ana+"/subscriptions"+tc.query, nil)
			var list struct{ Items []subscriptionAnswer }
			res.decode(t, &list)
			if res.Status != http.StatusOK || len(list.Items) != tc.want || (tc.want == 1 && list.Items[0].Calendar != nil) {
				t.Errorf("list%s: %d %s", tc.query, res.Status, res.Body)
			}
		}
		if res := ts.do(admin, "GET", x.subscription, nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"calendar"`) {
			t.Errorf("get: %d %s", res.Status, res.Body)
		}

		x.feed.fail(http.StatusInternalServerError, "")
		res = ts.do(admin, "POST", x.subscription+"/refresh", nil)
		var refreshed subscriptionAnswer
		res.decode(t, &refreshed)
		if res.Status != http.StatusOK || refreshed.State != "failing" || refreshed.Reason != "the server answered 500 Internal Server Error" ||
			refreshed.Failures != 1 || refreshed.Calendar.SHA256 != created.Calendar.SHA256 {
			t.Errorf("refresh while the feed fails: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "GET", x.ana+"/subscriptions?state=failing", nil); !strings.Contains(string(res.Body), created.ID) {
			t.Errorf("failing list: %s", res.Body)
		}
		x.feed.fail(0, "")
		if res := ts.do(admin, "POST", x.subscription+"/refresh", nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"state":"ok"`) {
			t.Errorf("refresh after recovery: %d %s", res.Status, res.Body)
		}

		if res := ts.do(admin, "DELETE", x.subscription, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		for _, op := range [][2]string{{"GET", x.subscription}, {"DELETE", x.subscription}, {"POST", x.subscription + "/refresh"}} {
			if res := ts.do(admin, op[0], op[1], nil); res.Status != http.StatusNotFound || !strings.Contains(string(res.Body), "no such subscription") {
				t.Errorf("%s after delete: %d %s", op[0]+" "+op[1], res.Status, res.Body)
			}
		}
	})
}

func TestSubscriptionRefusals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		x := newSubscribedAna(t, s)
		ts, admin := x.ts, x.admin
		refusals := []struct {
			name   string
			body   any
			status int
			field  string
			detail string
		}{
			{"same address", map[string]any{"url": x.address}, http.StatusConflict, "", "already subscribes"},
			{"private address", map[string]any{"url": "https://10.1.2.3/calendar.ics"}, http.StatusUnprocessableEntity, "url", "private (RFC 1918)"},
			{"not http", map[string]any{"url": "ftp://example.com/calendar.ics"}, http.StatusUnprocessableEntity, "url", "http, https or webcal"},
			{"no url", map[string]any{"name": "Work"}, http.StatusUnprocessableEntity, "url", "is required"},
			{"unknown field", map[string]any{"url": x.address, "token": "x"}, http.StatusUnprocessableEntity, "token", ""},
		}
		for _, tc := range refusals {
			res := ts.do(admin, "POST", x.ana+"/subscriptions", tc.body)
			p := res.problem(t)
			if res.Status != tc.status || (tc.field != "" && p["field"] != tc.field) || !strings.Contains(fmt.Sprint(p["detail"]), tc.detail) {
				t.Errorf("%s: %d %s", tc.name, res.Status, res.Body)
			}
		}
		if res := ts.do(admin, "GET", x.ana+"/subscriptions?state=broken", nil); res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != "state" {
			t.Errorf("unknown state: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "GET", "/v1/teams/"+x.team.ID+"/members/nobody/subscriptions", nil); res.Status != http.StatusNotFound {
			t.Errorf("an unknown member's list: %d", res.Status)
		}

		// Another replica is refreshing it: a second refresh waits its turn.
		ctx := context.Background()
		memberID := strings.TrimPrefix(x.ana, "/v1/teams/"+x.team.ID+"/members/")
		if _, err := ts.Store.ClaimSubscription(ctx, x.team.ID, memberID, x.created.ID, "other-replica", summaryNow, summaryNow.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if res := ts.do(admin, "POST", x.subscription+"/refresh", nil); res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "in progress") {
			t.Errorf("refresh during another: %d %s", res.Status, res.Body)
		}

		reader := ts.key("read")
		if res := ts.do(reader, "GET", x.subscription, nil); res.Status != http.StatusOK {
			t.Errorf("a read key reads: %d", res.Status)
		}
		for _, op := range [][2]string{{"POST", x.ana + "/subscriptions"}, {"POST", x.subscription + "/refresh"}, {"DELETE", x.subscription}} {
			var body any
			if op[1] == x.ana+"/subscriptions" {
				body = map[string]any{"url": x.address}
			}
			if res := ts.do(reader, op[0], op[1], body); res.Status != http.StatusForbidden {
				t.Errorf("a read key may not %s %s: %d", op[0], op[1], res.Status)
			}
		}
	})
}

func TestSubscriptionLimitAnswers422(t *testing.T) {
	ts := newTestServer(t, storetest.OpenSQLite(t), withNow(summaryNow), fetchFromLoopback, func(c *testConfig) { c.Limits.MaxSubscriptions = 1 })
	admin := ts.key("admin")
	_, ana := newCalendarMember(t, ts, admin)
	feed := newPublishedCalendar(t, smallCalendar)
	if res := ts.do(admin, "POST", ana+"/subscriptions", map[string]any{"url": feed.URL + "/a"}); res.Status != http.StatusCreated {
		t.Fatalf("first: %d %s", res.Status, res.Body)
	}
	res := ts.do(admin, "POST", ana+"/subscriptions", map[string]any{"url": feed.URL + "/b"})
	if res.Status != http.StatusUnprocessableEntity || res.problem(t)["type"] != "urn:overlap:problem:limit-reached" {
		t.Errorf("second: %d %s", res.Status, res.Body)
	}
}

// TestSubscriptionSecretsStaySecret uses secret addresses every way the
// API allows, good and bad, with the worker refreshing them too, and looks
// for their secret parts in every answer and every log line.
func TestSubscriptionSecretsStaySecret(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		var logs bytes.Buffer
		var logsMu sync.Mutex
		logger := slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logsMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		var clockMu sync.Mutex
		now := summaryNow
		ts := newTestServer(t, s, fetchFromLoopback, func(c *testConfig) {
			c.Logger, c.Subscriptions.Logger = logger, logger
			c.Now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
		})
		admin := ts.key("admin")
		_, ana := newCalendarMember(t, ts, admin)
		feed := newPublishedCalendar(t, smallCalendar)
		const secret = "s3cr3t"
		host := strings.TrimPrefix(feed.URL, "http://")
		address := "http://ana:" + secret + "-password@" + host + "/calendar/ical/ana%40example.com/private-" + secret + "-path/basic.ics?token=" + secret + "-query"

		var answers []response
		do := func(method, path string, body any) response {
			res := ts.do(admin, method, path, body)
			answers = append(answers, res)
			return res
		}
		res := do("POST", ana+"/subscriptions", map[string]any{"url": address})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var sub subscriptionAnswer
		res.decode(t, &sub)
		subscription := ana + "/subscriptions/" + sub.ID
		do("GET", subscription, nil)
		do("GET", ana+"/subscriptions", nil)
		feed.fail(http.StatusUnauthorized, "")
		do("POST", subscription+"/refresh", nil)
		feed.fail(0, "http://10.0.0.1/private-"+secret+"-redirect")
		do("POST", subscription+"/refresh", nil)
		clockMu.Lock()
		now = now.Add(24 * time.Hour)
		clockMu.Unlock()
		if n, err := ts.Service.RefreshDueSubscriptions(context.Background()); err != nil || n != 1 {
			t.Fatalf("worker refreshed %d, %v", n, err)
		}
		if res := do("GET", subscription, nil); !strings.Contains(string(res.Body), "private (RFC 1918)") {
			t.Errorf("after the worker's refresh: %s", res.Body)
		}
		for _, refused := range []string{
			"http://10.0.0.1/private-" + secret + "-literal",
			"ftp://" + host + "/private-" + secret + "-scheme",
			feed.URL + "/private-" + secret + "-missing", // redirected to a private address
			"http://" + host + "/private-" + secret + "-" + strings.Repeat("x", 2048),
		} {
			if res := do("POST", ana+"/subscriptions", map[string]any{"url": refused}); res.Status != http.StatusUnprocessableEntity {
				t.Errorf("refused address: %d %s", res.Status, res.Body)
			}
		}
		metrics := do("GET", "/metrics", nil)
		for _, want := range []string{`overlap_subscription_fetches_total{result="refused"}`, `overlap_subscription_fetches_total{result="status"} 1`,
			"overlap_subscription_fetch_duration_seconds_count", "overlap_subscription_fetched_bytes_total", "overlap_subscription_stalest_age_seconds 86400"} {
			if !strings.Contains(string(metrics.Body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}

		for _, res := range answers {
			if text := fmt.Sprint(res.Header) + string(res.Body); strings.Contains(text, secret) {
				t.Errorf("an answer shows the secret: %s", text)
			}
		}
		logsMu.Lock()
		defer logsMu.Unlock()
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the logs show the secret:\n%s", logs.String())
		}
		if !strings.Contains(logs.String(), "subscription refresh failed") {
			t.Errorf("the worker logged no failure:\n%s", logs.String())
		}
	})
}

// lockedWriter lets the server's and the worker's loggers share a buffer.
type lockedWriter struct {
	buf *bytes.Buffer
	mu  *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
