package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/store"
	"overlap/store/storetest"
)

// run runs the CLI in-process and returns its stdout, stderr and error.
func run(ctx context.Context, args ...string) (string, string, error) {
	var stdout, stderr bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &stdout, &stderr
	app.ExitErrHandler = func(*cli.Context, error) {} // keep the test process alive
	err := app.RunContext(ctx, append([]string{"overlap"}, args...))
	return stdout.String(), stderr.String(), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestHelpNamesEveryEnvironmentVariable(t *testing.T) {
	out, _, err := run(context.Background(), "serve", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--addr", "$OVERLAP_ADDR", "--database", "$DATABASE_URL", "--base-url", "$OVERLAP_BASE_URL", "--log-level", "$OVERLAP_LOG_LEVEL", "--request-timeout", "$OVERLAP_REQUEST_TIMEOUT", "$OVERLAP_MAX_CALENDAR_BYTES", "$OVERLAP_MAX_CALENDAR_EVENTS",
		"$OVERLAP_MAX_CALENDAR_INSTANCES", "$OVERLAP_MAX_REQUEST_INSTANCES", "$OVERLAP_MAX_TEAM_MEMBERS", "$OVERLAP_CALENDAR_CACHE_BYTES",
		"--max-member-subscriptions", "$OVERLAP_MAX_MEMBER_SUBSCRIPTIONS", "--refresh-interval", "$OVERLAP_REFRESH_INTERVAL",
		"--fetch-timeout", "$OVERLAP_FETCH_TIMEOUT", "--fetch-allow-cidr", "$OVERLAP_FETCH_ALLOW_CIDR"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %s:\n%s", want, out)
		}
	}
}

func TestInvalidConfigurationIsOneClearLine(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "nonsense"}, "invalid --addr"},
		{[]string{"--base-url", "ftp://x"}, "invalid --base-url"},
		{[]string{"--log-level", "loud"}, "invalid --log-level"},
		{[]string{"--database", "postgres://"}, "invalid --database"},
		{[]string{"--request-timeout", "-1s"}, "invalid --request-timeout"},
		{[]string{"--max-calendar-bytes", "0"}, "invalid --max-calendar-bytes"},
		{[]string{"--max-member-subscriptions", "0"}, "invalid --max-member-subscriptions"},
		{[]string{"--refresh-interval", "30s"}, "invalid --refresh-interval"},
		{[]string{"--refresh-interval", "25h"}, "invalid --refresh-interval"},
		{[]string{"--fetch-timeout", "30s"}, "invalid --fetch-timeout"},
		{[]string{"--fetch-allow-cidr", "10.0.0.0/8,intranet"}, "invalid --fetch-allow-cidr"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, _, err := run(context.Background(), append([]string{"serve", "--database", ":memory:"}, tc.args...)...)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting %q", err, tc.want)
			}
		})
	}
}

func TestAPIKeyCommands(t *testing.T) {
	databases := map[string]string{"sqlite": filepath.Join(t.TempDir(), "keys.db")}
	for _, e := range storetest.Engines() {
		if e.Name == "postgres" {
			databases["postgres"] = storetest.PostgresSchemaURL(t)
		}
	}
	for name, db := range databases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			out, _, err := run(ctx, "apikey", "create", "--scope", "read", "--label", "hr tool", "--database", db)
			if err != nil {
				t.Fatal(err)
			}
			token := lastLine(out)
			if !strings.HasPrefix(token, "ovl_") {
				t.Fatalf("last line %q is not a key", token)
			}
			out, _, err = run(ctx, "apikey", "list", "--database", db)
			if err != nil || !strings.Contains(out, "hr tool") || strings.Contains(out, token) {
				t.Fatalf("list: %v\n%s", err, out)
			}
			id := strings.Fields(strings.Split(out, "\n")[1])[0]
			if _, _, err := run(ctx, "apikey", "revoke", "--database", db, id); err != nil {
				t.Fatal(err)
			}
			out, _, _ = run(ctx, "apikey", "list", "--database", db)
			if fields := strings.Fields(strings.Split(out, "\n")[1]); fields[3] == "-" {
				t.Errorf("revoked key listed as live: %s", out)
			}
			s, err := store.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			team := &store.Team{Name: "T", Timezone: "UTC"}
			if err := s.CreateTeam(ctx, team); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if out, _, err := run(ctx, "apikey", "create", "--scope", "team:"+team.ID, "--database", db); err != nil || !strings.HasPrefix(lastLine(out), "ovl_") {
				t.Errorf("team key: %v\n%s", err, out)
			}
			for _, scope := range []string{"owner", "team:", "team:no-such-team"} {
				if _, _, err := run(ctx, "apikey", "create", "--scope", scope, "--database", db); err == nil || !strings.Contains(err.Error(), "invalid --scope") {
					t.Errorf("scope %q: %v", scope, err)
				}
			}
		})
	}
}

// TestServe starts the real server on a free port, checks the first admin key
// it prints works, and stops it through its context as a signal would.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := lines(t), lines(t)
	app := newApp()
	app.Writer, app.ErrWriter = stdout.w, stderr.w
	done := make(chan error, 1)
	go func() {
		done <- app.RunContext(ctx, []string{"overlap", "serve", "--addr", "127.0.0.1:0", "--database", db, "--fetch-allow-cidr", "127.0.0.0/8"})
	}()

	key := stdout.await(t, func(line string) bool { return strings.HasPrefix(line, "ovl_") })
	var addr string
	refreshing := false // the worker starts beside the listener, in either order
	stderr.await(t, func(line string) bool {
		var entry struct{ Msg, Addr string }
		json.Unmarshal([]byte(line), &entry)
		refreshing = refreshing || entry.Msg == "subscription refresh started"
		if entry.Msg == "listening" {
			addr = entry.Addr
		}
		return refreshing && addr != ""
	})

	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/teams", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the printed admin key gets %d", res.StatusCode)
	}
	checkFetchAllowList(t, "http://"+addr, key)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve did not stop cleanly: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}

	// Only the first start on a database makes a key.
	out, _, err := run(context.Background(), "apikey", "list", "--database", db)
	if err != nil || strings.Count(out, "admin") != 1 {
		t.Errorf("keys after serve: %v\n%s", err, out)
	}
}

// lineSink collects what a command writes, line by line, without ever blocking it.
type lineSink struct {
	w  *io.PipeWriter
	ch chan string
}

func lines(t *testing.T) lineSink {
	r, w := io.Pipe()
	ch := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case ch <- sc.Text():
			default: // nobody waits for more; keep draining
			}
		}
	}()
	t.Cleanup(func() { w.Close() })
	return lineSink{w: w, ch: ch}
}

func (s lineSink) await(t *testing.T, match func(string) bool) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line := <-s.ch:
			if match(line) {
				return line
			}
		case <-timeout:
			t.Fatal("the expected line never came")
		}
	}
}

// checkFetchAllowList subscribes a member through a served API: to a
// calendar on loopback, which --fetch-allow-cidr allows, and to a private
// address, which it does not.
func checkFetchAllowList(t *testing.T, base, key string) {
	t.Helper()
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n")
	}))
	defer feed.Close()
	post := func(path string, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	_, team := post("/v1/teams", `{"name":"T","timezone":"UTC"}`)
	members := fmt.Sprintf("/v1/teams/%s/members", team["id"])
	_, member := post(members, `{"name":"Ana","email":"ana@example.com","timezone":"UTC"}`)
	subscriptions := fmt.Sprintf("%s/%s/subscriptions", members, member["id"])
	if status, body := post(subscriptions, `{"url":"`+feed.URL+`/cal.ics"}`); status != http.StatusCreated {
		t.Errorf("subscribing to an allowed range: %d %v", status, body)
	}
	if status, body := post(subscriptions, `{"url":"http://10.0.0.1/cal.ics"}`); status != http.StatusUnprocessableEntity || body["field"] != "url" {
		t.Errorf("subscribing to a range not allowed: %d %v", status, body)
	}
}
