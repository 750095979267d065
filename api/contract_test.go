package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"overlap"
	"overlap/api"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

// The contract: every request the tests send and every response they get is
// checked against openapi.yaml, and TestMain fails the run when a route of
// the server is missing from the spec or an operation of the spec was never
// exercised.
var (
	spec       *openapi3.T
	specRouter routers.Router
	exercised  = map[string]bool{} // "METHOD /path/{template}"
	exercisedM sync.Mutex
	// serverRoutes is filled by the first server built.
	serverRoutes []string
)

func TestMain(m *testing.M) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(overlap.OpenAPI)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi.yaml:", err)
		os.Exit(1)
	}
	if err := doc.Validate(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "openapi.yaml is not a valid OpenAPI document:", err)
		os.Exit(1)
	}
	spec = doc
	// kin-openapi decodes only the media types it knows; iCalendar is text.
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
	// The team page's files and the overlap picture are text too.
	for _, mediaType := range []string{"text/html", "text/javascript", "text/css", "image/svg+xml"} {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
	}
	if specRouter, err = gorillamux.NewRouter(doc); err != nil {
		fmt.Fprintln(os.Stderr, "openapi.yaml router:", err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 && !testing.Short() && runsEverything() {
		if problems := contractCoverage(); len(problems) > 0 {
			fmt.Fprintln(os.Stderr, "contract coverage:\n  "+strings.Join(problems, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// runsEverything is false when -run selects a subset, where coverage cannot be judged.
func runsEverything() bool {
	for _, arg := range os.Args {
		if strings.HasPrefix(arg, "-test.run") {
			return false
		}
	}
	return true
}

func contractCoverage() []string {
	var problems []string
	inSpec := map[string]bool{}
	for path, item := range spec.Paths.Map() {
		for method := range item.Operations() {
			op := method + " " + path
			inSpec[op] = true
			if !exercised[op] {
				problems = append(problems, "never exercised by a test: "+op)
			}
		}
	}
	for _, r := range serverRoutes {
		if !inSpec[r] {
			problems = append(problems, "served but missing from openapi.yaml: "+r)
		}
	}
	sort.Strings(problems)
	return problems
}

// echoPathToSpec turns "/v1/teams/:team" into "/v1/teams/{team}", and
// "/feeds/:token.ics" into "/feeds/{token}.ics".
func echoPathToSpec(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if strings.HasPrefix(part, ":") {
			name, suffix, _ := strings.Cut(part[1:], ".")
			if suffix != "" {
				suffix = "." + suffix
			}
			parts[i] = "{" + name + "}" + suffix
		}
	}
	return strings.Join(parts, "/")
}

// testServer is a real Echo server on a loopback port, with a client that
// holds every exchange to the contract.
type testServer struct {
	t       *testing.T
	URL     string
	Store   *store.Store
	Service *service.Service
}

// testConfig is what a test may adjust before its server is built.
type testConfig struct {
	api.Config
	Limits        service.Limits
	Now           func() time.Time
	Subscriptions service.SubscriptionOptions
}

// newTestServer serves s; each configure function may adjust the
// configuration (a small limit, a fixed clock) before the server is built.
func newTestServer(t *testing.T, s *store.Store, configure ...func(*testConfig)) *testServer {
	t.Helper()
	cfg := testConfig{Config: api.Config{BaseURL: "http://overlap.test", MaxBodyBytes: 64 << 10}}
	for _, f := range configure {
		f(&cfg)
	}
	cfg.Service = service.New(s, cfg.Limits, cfg.Now)
	cfg.Service.ConfigureSubscriptions(cfg.Subscriptions)
	srv := api.New(cfg.Config)
	exercisedM.Lock()
	if serverRoutes == nil {
		for _, r := range srv.Routes() {
			if r.Method == "echo_route_not_found" {
				continue // Echo's internal 404 routes for groups
			}
			serverRoutes = append(serverRoutes, r.Method+" "+echoPathToSpec(r.Path))
		}
	}
	exercisedM.Unlock()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{t: t, URL: hs.URL, Store: s, Service: cfg.Service}
}

// forEachServer runs fn against a server on every test database engine.
func forEachServer(t *testing.T, fn func(t *testing.T, ts *testServer)) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) { fn(t, newTestServer(t, s)) })
}

// response is what the tests look at.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r response) problem(t *testing.T) map[string]any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d with Content-Type %q, want application/problem+json; body %s", r.Status, ct, r.Body)
	}
	var p map[string]any
	r.decode(t, &p)
	return p
}

// do sends one request with a JSON (or raw, when body is []byte) body and
// checks the exchange against the contract: the response must match the
// spec, and a request the spec rejects must not succeed.
func (ts *testServer) do(key, method, path string, body any, contentType ...string) response {
	ts.t.Helper()
	return ts.doWith(key, method, path, nil, body, contentType...)
}

// doWith is do with extra request headers.
func (ts *testServer) doWith(key, method, path string, header http.Header, body any, contentType ...string) response {
	ts.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			ts.t.Fatal(err)
		}
	}
	ct := "application/json"
	if len(contentType) > 0 {
		ct = contentType[0]
	}
	req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(raw))
	if err != nil {
		ts.t.Fatal(err)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for name, values := range header {
		req.Header[name] = values
	}

	route, pathParams, err := specRouter.FindRoute(req)
	if err != nil {
		ts.t.Fatalf("%s %s is not in openapi.yaml: %v", method, path, err)
	}
	exercisedM.Lock()
	exercised[method+" "+route.Path] = true
	exercisedM.Unlock()
	reqInput := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	// Validation reads the body; give the request a fresh copy afterwards.
	specRejects := openapi3filter.ValidateRequest(context.Background(), reqInput)
	req.Body = io.NopCloser(bytes.NewReader(raw))

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	resBody, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if specRejects != nil && res.StatusCode < 400 {
		ts.t.Errorf("%s %s: openapi.yaml rejects the request (%v) but the server answered %d", method, path, specRejects, res.StatusCode)
	}
	resInput := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqInput,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	resInput.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(context.Background(), resInput); err != nil {
		ts.t.Errorf("%s %s: response %d drifts from openapi.yaml: %v\nbody: %s", method, path, res.StatusCode, err, resBody)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: resBody}
}

// key makes an API key with the given scope directly in the store.
func (ts *testServer) key(scope string) string {
	ts.t.Helper()
	_, token, err := ts.Store.CreateAPIKey(context.Background(), scope, "test")
	if err != nil {
		ts.t.Fatal(err)
	}
	return token
}
