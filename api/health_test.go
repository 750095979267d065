package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"overlap"
	"overlap/store"
	"overlap/store/storetest"
)

func TestOperations(t *testing.T) {
	ts := newTestServer(t, storetest.OpenSQLite(t))
	if res := ts.do("", "GET", "/healthz", nil); res.Status != http.StatusOK {
		t.Errorf("healthz: %d", res.Status)
	}
	if res := ts.do("", "GET", "/readyz", nil); res.Status != http.StatusOK {
		t.Errorf("readyz: %d %s", res.Status, res.Body)
	}
	res := ts.do("", "GET", "/openapi.yaml", nil)
	if res.Status != http.StatusOK || !bytes.Equal(res.Body, overlap.OpenAPI) {
		t.Errorf("openapi.yaml: %d, %d bytes", res.Status, len(res.Body))
	}
	ts.do("", "GET", "/v1/teams", nil) // a 401 to count
	res = ts.do("", "GET", "/metrics", nil)
	for _, want := range []string{
		`overlap_http_requests_total{method="GET",route="/v1/teams",status="401"} 1`,
		`overlap_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
	} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if res := ts.do("", "GET", "/healthz", nil); res.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
}

func TestReadyzPendingMigrations(t *testing.T) {
	s, err := store.Open(":memory:") // not migrated
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := newTestServer(t, s)
	res := ts.do("", "GET", "/readyz", nil)
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(string(res.Body), "migrations pending") {
		t.Errorf("readyz before migration: %d %s", res.Status, res.Body)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res := ts.do("", "GET", "/readyz", nil); res.Status != http.StatusOK {
		t.Errorf("readyz after migration: %d %s", res.Status, res.Body)
	}
}

func TestReadyzDatabaseDown(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ts := newTestServer(t, s)
	s.Close()
	res := ts.do("", "GET", "/readyz", nil)
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(string(res.Body), "unreachable") {
		t.Errorf("readyz with the database closed: %d %s", res.Status, res.Body)
	}
	if res := ts.do("", "GET", "/healthz", nil); res.Status != http.StatusOK {
		t.Errorf("healthz must not depend on the database: %d", res.Status)
	}
}

// TestRequestTimeout gives the server no time at all: the database work of
// any request is cut short and the client gets a 503 problem, not a hang.
func TestRequestTimeout(t *testing.T) {
	s := storetest.OpenSQLite(t)
	_, key, err := s.CreateAPIKey(context.Background(), "admin", "test")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, s, func(c *testConfig) { c.RequestTimeout = time.Nanosecond })
	res := ts.do(key, "GET", "/v1/teams", nil)
	if res.Status != http.StatusServiceUnavailable || res.problem(t)["type"] != "urn:overlap:problem:unavailable" {
		t.Errorf("GET /v1/teams past the timeout: %d %s", res.Status, res.Body)
	}
}
