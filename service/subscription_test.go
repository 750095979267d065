package service_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

// testClock is a clock the test moves by hand, shared by replicas.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func newTestClock() *testClock {
	return &testClock{at: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *testClock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
	return c.at
}

// loopback is the allow-list that lets the tests' loopback servers in.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// newSubscriptionService is a service whose fetcher may reach loopback
// test servers (and nothing else the rules refuse).
func newSubscriptionService(s service.Store, limits service.Limits, clock *testClock, configure ...func(*service.SubscriptionOptions)) *service.Service {
	svc := service.New(s, limits, clock.Now)
	opts := service.SubscriptionOptions{Fetch: calendar.FetchOptions{Allow: loopback}, PollEvery: 5 * time.Millisecond}
	for _, f := range configure {
		f(&opts)
	}
	svc.ConfigureSubscriptions(opts)
	return svc
}

// anaSubscribes sets the scene of most tests here: a service that may
// fetch from loopback, on a clock the test moves, a feed server, and a
// team with one member, Ana.
func anaSubscribes(t *testing.T, s service.Store, limits service.Limits, configure ...func(*service.SubscriptionOptions)) (*testClock, *feedServer, *service.Service, *store.Team, *store.Member) {
	t.Helper()
	clock := newTestClock()
	feeds := newFeedServer(t)
	svc := newSubscriptionService(s, limits, clock, configure...)
	team := mustTeam(t, svc, service.TeamInput{})
	return clock, feeds, svc, team, mustMember(t, svc, team.ID, "ana@example.com", "Europe/London")
}

// feedServer publishes calendars on loopback, one per path, answering
// conditional requests by ETag. Its mode makes it misbehave; its gate,
// when closed, holds every request until opened or abandoned.
type feedServer struct {
	t      *testing.T
	URL    string
	mu     sync.Mutex
	bodies map[string]string
	mode   string
	gate   chan struct{}
	// answered counts the requests answered in full (200 or 304), by path.
	answered map[string]int
	// byAgent counts them by User-Agent.
	byAgent  map[string]int
	inFlight map[string]int
	// exclusive fails the test when one path is fetched twice at once.
	exclusive bool
	// held receives the path of each request the closed gate holds, and
	// abandoned of each whose client left while held.
	held, abandoned chan string
}

func newFeedServer(t *testing.T) *feedServer {
	f := &feedServer{t: t, bodies: map[string]string{}, answered: map[string]int{}, byAgent: map[string]int{}, inFlight: map[string]int{}, held: make(chan string, 1000), abandoned: make(chan string, 1000)}
	server := httptest.NewServer(f)
	t.Cleanup(server.Close)
	f.URL = server.URL
	return f
}

// publish puts a calendar at path and returns its address.
func (f *feedServer) publish(path, ics string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies[path] = ics
	return f.URL + path
}

func (f *feedServer) setMode(mode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode = mode
}

func (f *feedServer) closeGate() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gate = make(chan struct{})
}

func (f *feedServer) openGate() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.gate)
	f.gate = nil
}

func (f *feedServer) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answered[path]
}

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	path := r.URL.Path
	f.inFlight[path]++
	if f.exclusive && f.inFlight[path] > 1 {
		f.t.Errorf("%s is being fetched %d times at once", path, f.inFlight[path])
	}
	body, published := f.bodies[path]
	mode, gate := f.mode, f.gate
	f.mu.Unlock()
	// A request is in flight while its client waits for it.
	context.AfterFunc(r.Context(), func() {
		f.mu.Lock()
		f.inFlight[path]--
		f.mu.Unlock()
	})
	if gate != nil {
		f.held <- path
		select {
		case <-gate:
		case <-r.Context().Done():
			f.abandoned <- path
			return
		}
	}
	switch {
	case !published:
		http.NotFound(w, r)
		return
	case mode == "500":
		http.Error(w, "the calendar service is down", http.StatusInternalServerError)
		return
	case mode == "30MB":
		chunk := []byte(strings.Repeat("X", 1<<20))
		for range 30 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		return
	case mode == "drip":
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		w.Write([]byte("BEGIN:VCALENDAR\r\n"))
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				w.Write([]byte("X-DRIP:1\r\n"))
				w.(http.Flusher).Flush()
			}
		}
	case mode == "malformed":
		fmt.Fprint(w, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:garbage\r\n")
		return
	case mode == "html":
		fmt.Fprint(w, "<!doctype html><title>Sign in</title>")
		return
	case mode == "dense":
		fmt.Fprint(w, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:dense\r\nDTSTART:20260302T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
		return
	}
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
	} else {
		w.Header().Set("ETag", etag)
		fmt.Fprint(w, body)
	}
	f.mu.Lock()
	f.answered[path]++
	f.byAgent[r.Header.Get("User-Agent")]++
	f.mu.Unlock()
}

// oneEventCalendar is a calendar with one hour-long busy event at start,
// and extra calendar properties (a REFRESH-INTERVAL) before it.
func oneEventCalendar(uid string, start time.Time, extra ...string) string {
	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
	for _, e := range extra {
		head += e + "\r\n"
	}
	return head + "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start.Format("20060102T150405Z") +
		"\r\nDTEND:" + start.Add(time.Hour).Format("20060102T150405Z") + "\r\nSUMMARY:" + uid + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

func busyUIDs(t *testing.T, svc *service.Service, teamID string, from time.Time) map[string][]string {
	t.Helper()
	pt, err := svc.LoadTeam(context.Background(), teamID, from, from.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, m := range pt.Team.Members {
		for _, b := range m.Busy {
			out[m.ID] = append(out[m.ID], b.UID)
		}
		slices.Sort(out[m.ID])
	}
	return out
}

func TestCreateSubscription(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock, feeds, svc, team, ana := anaSubscribes(t, s, service.Limits{MaxSubscriptions: 2})
		work := feeds.publish("/work/private-abc123/basic.ics", oneEventCalendar("work", clock.Now().Add(24*time.Hour)))

		sub, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(work)})
		if err != nil {
			t.Fatal(err)
		}
		if sub.State != "ok" || sub.Name != "127.0.0.1" || sub.Calendar == nil || sub.Calendar.Events != 1 || sub.Calendar.InstancesNext28Days != 1 {
			t.Errorf("created %+v; want ok, named after its host, with its one event", sub)
		}
		if strings.Contains(sub.URL, "abc123") || !strings.HasPrefix(sub.URL, feeds.URL+"/") {
			t.Errorf("url shown as %q; want the host and a masked path", sub.URL)
		}
		if sub.RefreshIntervalSeconds != 3600 || !sub.NextAttemptAt.Equal(clock.Now().Add(time.Hour)) || !sub.LastSuccessAt.Equal(clock.Now()) {
			t.Errorf("schedule %+v; want hourly from now", sub)
		}

		refusals := []struct {
			name  string
			in    service.SubscriptionInput
			field string
			want  string
		}{
			{"no url", service.SubscriptionInput{}, "url", "is required"},
			{"ftp", service.SubscriptionInput{URL: ptr("ftp://example.com/cal.ics")}, "url", "http, https or webcal"},
			{"ipv6 loopback", service.SubscriptionInput{URL: ptr("http://[::1]:1/cal.ics")}, "url", "loopback"},
			{"private", service.SubscriptionInput{URL: ptr("https://10.0.0.1/cal.ics")}, "url", "private (RFC 1918)"},
			{"metadata", service.SubscriptionInput{URL: ptr("http://169.254.169.254/latest/meta-data/")}, "url", "link-local"},
			{"404", service.SubscriptionInput{URL: ptr(feeds.URL + "/missing")}, "url", "404 Not Found"},
			{"blank name", service.SubscriptionInput{URL: ptr(work), Name: ptr("  ")}, "name", "is required"},
		}
		for _, tc := range refusals {
			_, err := svc.CreateSubscription(ctx, team.ID, ana.ID, tc.in)
			var fe *planner.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Message, tc.want) {
				t.Errorf("%s: err = %v, want %s %q", tc.name, err, tc.field, tc.want)
			}
		}
		feeds.setMode("malformed")
		_, err = svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(feeds.publish("/broken", ""))})
		var fe *planner.FieldError
		if !errors.As(err, &fe) || fe.Field != "url" || !strings.Contains(fe.Message, "the calendar at the address is refused: line") {
			t.Errorf("malformed calendar: err = %v, want url naming the line", err)
		}
		feeds.setMode("")

		var conflict *service.ConflictError
		if _, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(strings.Replace(work, "http://", "HTTP://", 1))}); !errors.As(err, &conflict) {
			t.Errorf("the same address again: err = %v, want a conflict", err)
		}
		personal := feeds.publish("/personal", oneEventCalendar("personal", clock.Now().Add(48*time.Hour)))
		if _, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(personal), Name: ptr("Personal")}); err != nil {
			t.Fatal(err)
		}
		var limit *service.LimitError
		if _, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(feeds.publish("/third", oneEventCalendar("third", clock.Now())))}); !errors.As(err, &limit) || limit.Max != 2 {
			t.Errorf("a third subscription: err = %v, want the limit of 2", err)
		}
		list, _, err := svc.FindSubscriptions(ctx, team.ID, ana.ID, "", store.Page{Limit: 10})
		if err != nil || len(list) != 2 || list[1].Name != "Personal" || list[0].Calendar != nil {
			t.Errorf("list %+v, %v; want both, without calendar summaries", list, err)
		}
		if _, _, err := svc.FindSubscriptions(ctx, team.ID, ana.ID, "broken", store.Page{Limit: 10}); !errors.As(err, &fe) || fe.Field != "state" {
			t.Errorf("unknown state: err = %v", err)
		}
		if err := svc.DeleteSubscription(ctx, team.ID, ana.ID, sub.ID); err != nil {
			t.Fatal(err)
		}
		var notFound *service.NotFoundError
		if _, err := svc.FindSubscription(ctx, team.ID, ana.ID, sub.ID); !errors.As(err, &notFound) || notFound.What != "subscription" {
			t.Errorf("after delete: err = %v", err)
		}
	})
}

// TestBrokenFeedsKeepTheLastGoodCopy refreshes a subscription while its
// server misbehaves in each way a feed can: every failure leaves the last
// good copy, and the member's busy time, as they were, and says why.
func TestBrokenFeedsKeepTheLastGoodCopy(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock, feeds, svc, team, ana := anaSubscribes(t, s, service.Limits{MaxCalendarEvents: 5, MaxCalendarInstances: 1000}, func(o *service.SubscriptionOptions) {
			o.Fetch.Timeout = 2 * time.Second
		})
		monday := clock.Now().Add(24 * time.Hour)
		address := feeds.publish("/ana", oneEventCalendar("good", monday))
		sub, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(address)})
		if err != nil {
			t.Fatal(err)
		}
		good := sub.Calendar.SHA256
		tooMany := strings.Repeat(oneEventCalendar("x", monday), 1)
		tooMany = strings.Replace(tooMany, "END:VCALENDAR", strings.Repeat("BEGIN:VEVENT\r\nUID:many\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260303T100000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n", 6)+"END:VCALENDAR", 1)

		tests := []struct {
			name      string
			mode      string
			body      string // published before the refresh, when not ""
			wantState string
			reason    string
			result    string
		}{
			{name: "not modified", wantState: "ok", result: "not_modified"},
			{name: "500", mode: "500", wantState: "failing", reason: "the server answered 500 Internal Server Error", result: "status"},
			{name: "30 MB body", mode: "30MB", wantState: "failing", reason: "larger than the limit of 10485760 bytes", result: "too_large"},
			{name: "slow drip", mode: "drip", wantState: "failing", reason: "no complete answer within 2s", result: "timeout"},
			{name: "malformed", mode: "malformed", wantState: "failing", reason: "the calendar at the address is refused: line", result: "invalid"},
			{name: "a sign-in page", mode: "html", wantState: "failing", reason: "the calendar at the address is refused", result: "invalid"},
			{name: "over the instance budget", mode: "dense", wantState: "failing", reason: "exceeds the limit of 1000 instances", result: "invalid"},
			{name: "over the event limit", body: tooMany, wantState: "failing", reason: "exceeds the limit of 5 events", result: "invalid"},
		}
		for i, tc := range tests {
			feeds.setMode(tc.mode)
			if tc.body != "" {
				feeds.publish("/ana", tc.body)
			}
			clock.Add(time.Minute)
			got, err := svc.RefreshSubscription(ctx, team.ID, ana.ID, sub.ID)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got.State != tc.wantState || !strings.Contains(got.Reason, tc.reason) {
				t.Errorf("%s: state %s %q, want %s %q", tc.name, got.State, got.Reason, tc.wantState, tc.reason)
			}
			if got.Calendar.SHA256 != good || got.Calendar.Events != 1 {
				t.Errorf("%s: the copy changed to %s", tc.name, got.Calendar.SHA256)
			}
			if busy := busyUIDs(t, svc, team.ID, clock.Now()); !slices.Equal(busy[ana.ID], []string{"good"}) {
				t.Errorf("%s: busy %v, want the last good copy's event", tc.name, busy[ana.ID])
			}
			if !got.LastAttemptAt.Equal(clock.Now()) || (tc.wantState == "ok") != got.LastSuccessAt.Equal(clock.Now()) {
				t.Errorf("%s: last attempt %s, last success %s, now %s", tc.name, got.LastAttemptAt, got.LastSuccessAt, clock.Now())
			}
			if tc.wantState == "failing" && got.Failures != i {
				t.Errorf("%s: %d failures in a row, want %d", tc.name, got.Failures, i)
			}
			if metric := fetchCount(t, svc, tc.result); metric < 1 {
				t.Errorf("%s: no fetch counted as %s", tc.name, tc.result)
			}
		}

		// The feed recovers with a new calendar: it replaces the copy.
		feeds.setMode("")
		feeds.publish("/ana", oneEventCalendar("better", monday))
		clock.Add(time.Minute)
		got, err := svc.RefreshSubscription(ctx, team.ID, ana.ID, sub.ID)
		if err != nil || got.State != "ok" || got.Failures != 0 || got.Reason != "" || got.Calendar.SHA256 == good {
			t.Fatalf("after recovery: %+v, %v", got, err)
		}
		if busy := busyUIDs(t, svc, team.ID, clock.Now()); !slices.Equal(busy[ana.ID], []string{"better"}) {
			t.Errorf("after recovery: busy %v, want the new copy's event", busy[ana.ID])
		}
	})
}

// fetchCount reads overlap_subscription_fetches_total{result} from the
// service's collectors.
func fetchCount(t *testing.T, svc *service.Service, result string) float64 {
	t.Helper()
	return metricValue(t, svc, "overlap_subscription_fetches_total", map[string]string{"result": result})
}

// TestMemberBusyIsTheUnionOfTheirCalendars gives a member an upload and two
// subscriptions: planning sees all three, parses each version once per
// replica, and names the subscription whose copy it could not read whole.
func TestMemberBusyIsTheUnionOfTheirCalendars(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		first := &countingStore{Store: s}
		clock, feeds, svc, team, ana := anaSubscribes(t, first, service.Limits{})
		bo := mustMember(t, svc, team.ID, "bo@example.com", "Europe/London")
		day := clock.Now().Add(24 * time.Hour)
		if _, err := svc.ImportCalendar(ctx, team.ID, ana.ID, []byte(oneEventCalendar("upload", day))); err != nil {
			t.Fatal(err)
		}
		work, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(feeds.publish("/work", oneEventCalendar("work", day.Add(2*time.Hour))))})
		if err != nil {
			t.Fatal(err)
		}
		dense := strings.Replace(oneEventCalendar("personal", day.Add(4*time.Hour)), "END:VEVENT", "RRULE:FREQ=DAILY\r\nEND:VEVENT", 1)
		personal, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(feeds.publish("/personal", dense))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateSubscription(ctx, team.ID, bo.ID, service.SubscriptionInput{URL: ptr(feeds.URL + "/work")}); err != nil {
			t.Fatal(err)
		}
		busy := busyUIDs(t, svc, team.ID, clock.Now())
		wantAna := []string{"personal", "personal", "personal", "personal", "personal", "personal", "upload", "work"}
		if !slices.Equal(busy[ana.ID], wantAna) || !slices.Equal(busy[bo.ID], []string{"work"}) {
			t.Errorf("busy %v; want ana's three calendars and bo's one", busy)
		}
		if n := first.texts.Load(); n != 0 {
			t.Errorf("the service that imported and fetched them read %d texts back; want 0", n)
		}

		replica := &countingStore{Store: s}
		other := newSubscriptionService(replica, service.Limits{MaxCalendarInstances: 3}, clock)
		busyUIDs(t, other, team.ID, clock.Now())
		pt, err := other.LoadTeam(ctx, team.ID, clock.Now(), clock.Now().Add(7*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// ana's upload, work (shared with bo) and personal: three digests, each read once.
		if n := replica.texts.Load(); n != 3 {
			t.Errorf("a second replica read %d texts over two plans; want 3", n)
		}
		if len(pt.Notices) != 1 || pt.Notices[0].SubscriptionID != personal.ID || pt.Notices[0].MemberID != ana.ID {
			t.Errorf("notices %+v; want one naming the personal subscription", pt.Notices)
		}
		if err := svc.DeleteSubscription(ctx, team.ID, ana.ID, work.ID); err != nil {
			t.Fatal(err)
		}
		if busy := busyUIDs(t, svc, team.ID, clock.Now()); slices.Contains(busy[ana.ID], "work") || !slices.Equal(busy[bo.ID], []string{"work"}) {
			t.Errorf("after ana unsubscribes: %v", busy)
		}
	})
}

func TestRefreshSchedule(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock, feeds, svc, team, ana := anaSubscribes(t, s, service.Limits{}, func(o *service.SubscriptionOptions) { o.Interval = 2 * time.Hour })
		day := clock.Now().Add(24 * time.Hour)
		intervals := []struct {
			name, property string
			want           time.Duration
		}{
			{"none: the server's", "", 2 * time.Hour},
			{"refresh-interval", "REFRESH-INTERVAL;VALUE=DURATION:PT30M", 30 * time.Minute},
			{"published ttl", "X-PUBLISHED-TTL:PT4H", 4 * time.Hour},
			{"too often: raised", "X-PUBLISHED-TTL:PT1M", 15 * time.Minute},
			{"too rarely: lowered", "REFRESH-INTERVAL;VALUE=DURATION:P7D", 24 * time.Hour},
		}
		for i, tc := range intervals {
			var extra []string
			if tc.property != "" {
				extra = append(extra, tc.property)
			}
			address := feeds.publish(fmt.Sprintf("/interval/%d", i), oneEventCalendar("e", day, extra...))
			sub, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(address)})
			if err != nil {
				t.Fatal(err)
			}
			if got := time.Duration(sub.RefreshIntervalSeconds) * time.Second; got != tc.want || !sub.NextAttemptAt.Equal(clock.Now().Add(tc.want)) {
				t.Errorf("%s: interval %s, next attempt %s; want %s", tc.name, got, sub.NextAttemptAt, tc.want)
			}
			if err := svc.DeleteSubscription(ctx, team.ID, ana.ID, sub.ID); err != nil {
				t.Fatal(err)
			}
		}

		// Failures back off exponentially, jittered into the upper half.
		sub, err := svc.CreateSubscription(ctx, team.ID, ana.ID, service.SubscriptionInput{URL: ptr(feeds.publish("/flaky", oneEventCalendar("e", day)))})
		if err != nil {
			t.Fatal(err)
		}
		feeds.setMode("500")
		clock.Add(2 * time.Hour)
		for failures, ceiling := 1, time.Minute; failures <= 12; failures, ceiling = failures+1, min(2*ceiling, 6*time.Hour) {
			if n, err := svc.RefreshDueSubscriptions(ctx); err != nil || n != 1 {
				t.Fatalf("failure %d: refreshed %d, %v", failures, n, err)
			}
			got, err := svc.FindSubscription(ctx, team.ID, ana.ID, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			wait := got.NextAttemptAt.Sub(clock.Now())
			if got.Failures != failures || wait < ceiling/2 || wait > ceiling {
				t.Errorf("after %d failures: next attempt in %s, want within [%s, %s]", got.Failures, wait, ceiling/2, ceiling)
			}
			if n, _ := svc.RefreshDueSubscriptions(ctx); n != 0 {
				t.Errorf("after %d failures: retried before the delay", failures)
			}
			clock.Add(wait)
		}
		// Recovery restores the interval; a late refresh makes it stale.
		feeds.setMode("")
		if _, err := svc.RefreshDueSubscriptions(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Add(4*time.Hour + time.Second)
		got, err := svc.FindSubscription(ctx, team.ID, ana.ID, sub.ID)
		if err != nil || got.State != "stale" || !strings.Contains(got.Reason, "twice the refresh interval") || got.Failures != 0 {
			t.Errorf("four hours after the last success: %+v, %v; want stale", got, err)
		}
		for state, want := range map[string]int{"ok": 0, "stale": 1, "failing": 0} {
			if list, _, err := svc.FindSubscriptions(ctx, team.ID, ana.ID, state, store.Page{Limit: 10}); err != nil || len(list) != want {
				t.Errorf("state=%s lists %d, want %d (%v)", state, len(list), want, err)
			}
		}
		if age := metricValue(t, svc, "overlap_subscription_stalest_age_seconds", nil); age != (4*time.Hour + time.Second).Seconds() {
			t.Errorf("stalest age %v s, want four hours and a second", age)
		}
	})
}

// TestReplicasShareTheWork runs two replicas, each with its own database
// connections and worker, against one PostgreSQL database and many
// subscriptions, over several intervals: every subscription is fetched
// exactly once per interval, never by both at once (the feed server fails
// the test if so). Then one replica is killed while it holds leases in the
// middle of fetches: the other takes them over once they expire.
func TestReplicasShareTheWork(t *testing.T) {
	if !slices.ContainsFunc(storetest.Engines(), func(e storetest.Engine) bool { return e.Name == "postgres" }) {
		t.Skip("needs PostgreSQL: set " + storetest.EnvDatabaseURL)
	}
	rig := newReplicaRig(t)
	storeA, storeB := rig.openStore(), rig.openStore()
	a, b := rig.replica(storeA, "replica-a"), rig.replica(storeB, "replica-b")
	const n = 40
	rig.subscribeMany(a, n) // each fetched once, at creation
	stopA, stopB := rig.run(a), rig.run(b)
	defer stopA()
	for round := 1; round <= 3; round++ {
		rig.clock.Add(time.Hour)
		rig.fetchedTimes(round+1, rig.paths)
		rig.leasesSettle(0)
		rig.fetchedTimes(round+1, rig.paths) // and nothing more once both are idle
	}
	rig.feeds.mu.Lock()
	byA, byB := rig.feeds.byAgent["replica-a"]-n, rig.feeds.byAgent["replica-b"] // a created them all
	rig.feeds.mu.Unlock()
	t.Logf("%d refreshes over 3 intervals: replica a did %d, b %d", 3*n, byA, byB)
	if byA <= 0 || byB <= 0 || byA+byB != 3*n {
		t.Errorf("replica a fetched %d, b %d; want both to share %d", byA, byB, 3*n)
	}

	// B stops; A claims three and is killed mid-fetch, holding their leases.
	stopB()
	rig.feeds.closeGate()
	rig.clock.Add(time.Hour)
	var held []string
	for range 3 {
		held = append(held, <-rig.feeds.held)
	}
	storeA.Close() // a killed process's connections drop with it
	stopA()
	for range held {
		<-rig.feeds.abandoned
	}
	rig.feeds.openGate()
	rig.leasesSettle(3)

	defer rig.run(rig.replica(storeB, "replica-b"))() // B restarts
	var others []string
	for _, p := range rig.paths {
		if !slices.Contains(held, p) {
			others = append(others, p)
		}
	}
	rig.fetchedTimes(5, others)
	rig.leasesSettle(3)       // B is done with the rest
	rig.fetchedTimes(4, held) // and leaves the killed replica's leases alone
	rig.clock.Add(replicaLease)
	rig.fetchedTimes(5, held)
	rig.leasesSettle(0)
	rig.fetchedTimes(5, rig.paths)
}

// replicaLease is the lease of the replicas of TestReplicasShareTheWork.
const replicaLease = 5 * time.Minute

// replicaRig is the world replicas share: a PostgreSQL schema, a feed
// server that fails the test when one calendar is fetched twice at once,
// and a clock.
type replicaRig struct {
	t     *testing.T
	dsn   string
	db    *sql.DB
	clock *testClock
	feeds *feedServer
	// paths are the subscribed calendars' paths on the feed server.
	paths []string
}

func newReplicaRig(t *testing.T) *replicaRig {
	rig := &replicaRig{t: t, dsn: storetest.PostgresSchemaURL(t), clock: newTestClock(), feeds: newFeedServer(t)}
	rig.feeds.mu.Lock()
	rig.feeds.exclusive = true
	rig.feeds.mu.Unlock()
	var err error
	if rig.db, err = sql.Open("pgx", rig.dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rig.db.Close() })
	return rig
}

// openStore opens the replica's own connections to the shared database.
func (rig *replicaRig) openStore() *store.Store {
	s, err := store.Open(rig.dsn)
	if err != nil {
		rig.t.Fatal(err)
	}
	rig.t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		rig.t.Fatal(err)
	}
	return s
}

// replica is a service that names itself in its User-Agent.
func (rig *replicaRig) replica(s *store.Store, name string) *service.Service {
	return newSubscriptionService(s, service.Limits{}, rig.clock, func(o *service.SubscriptionOptions) {
		o.Lease, o.Workers = replicaLease, 3
		o.Fetch.UserAgent = name
	})
}

// subscribeMany gives a team n members, each subscribed to a calendar of its own.
func (rig *replicaRig) subscribeMany(svc *service.Service, n int) {
	team := mustTeam(rig.t, svc, service.TeamInput{})
	day := rig.clock.Now().Add(24 * time.Hour)
	for i := range n {
		m := mustMember(rig.t, svc, team.ID, fmt.Sprintf("m%d@example.com", i), "Europe/London")
		path := fmt.Sprintf("/feeds/%02d", i)
		rig.paths = append(rig.paths, path)
		address := rig.feeds.publish(path, oneEventCalendar("e", day))
		if _, err := svc.CreateSubscription(context.Background(), team.ID, m.ID, service.SubscriptionInput{URL: ptr(address)}); err != nil {
			rig.t.Fatal(err)
		}
	}
}

// run starts svc's worker; the function it returns stops it and waits.
func (rig *replicaRig) run(svc *service.Service) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunSubscriptionRefresh(ctx)
	}()
	return func() { cancel(); <-done }
}

// fetchedTimes waits until each of paths was fetched want times, failing
// at once when one was fetched more often.
func (rig *replicaRig) fetchedTimes(want int, paths []string) {
	rig.t.Helper()
	rig.poll(fmt.Sprintf("every calendar fetched %d times", want), func() bool {
		done := true
		for _, p := range paths {
			switch got := rig.feeds.count(p); {
			case got > want:
				rig.t.Fatalf("%s fetched %d times, want %d: a duplicate within the interval", p, got, want)
			case got < want:
				done = false
			}
		}
		return done
	})
}

// leasesSettle waits until exactly want subscriptions are leased.
func (rig *replicaRig) leasesSettle(want int) {
	rig.t.Helper()
	rig.poll(fmt.Sprintf("%d leases held", want), func() bool {
		var n int
		if err := rig.db.QueryRow("SELECT count(*) FROM calendar_subscriptions WHERE lease_owner <> ''").Scan(&n); err != nil {
			rig.t.Fatal(err)
		}
		return n == want
	})
}

// poll checks done every few milliseconds for up to half a minute.
func (rig *replicaRig) poll(what string, done func() bool) {
	rig.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if done() {
			return
		}
	}
	rig.t.Fatalf("never came: %s", what)
}

// metricValue reads one sample of the service's metrics.
func metricValue(t *testing.T, svc *service.Service, name string, labels map[string]string) float64 {
	t.Helper()
	registry := prometheus.NewRegistry()
	registry.MustRegister(svc.Collectors()...)
	families, err := registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, family := range families {
		if family.GetName() != name {
			continue
		}
	samples:
		for _, m := range family.GetMetric() {
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue samples
				}
			}
			return m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return 0
}
