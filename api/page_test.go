package api_test

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestTeamPageFiles: the page and every file it loads (scripts import one
// another) come from the binary, under a policy that allows nothing else.
func TestTeamPageFiles(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		res := ts.do("", "GET", "/", nil)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		policy := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(policy, want) {
				t.Errorf("Content-Security-Policy %q lacks %q", policy, want)
			}
		}
		if strings.Contains(policy, "unsafe") {
			t.Errorf("Content-Security-Policy allows something unsafe: %q", policy)
		}
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+=|style=`).Match(res.Body) {
			t.Error("the page has an inline script, handler or style")
		}
		// Follow every file the page names and every module a script imports.
		refs := regexp.MustCompile(`(?:href|src)="/assets/([^"]+)"|from '\./([^']+)'`)
		queue, seen := []string{"index.html"}, map[string]bool{}
		bodies := map[string][]byte{"index.html": res.Body}
		for len(queue) > 0 {
			name := queue[0]
			queue = queue[1:]
			for _, m := range refs.FindAllSubmatch(bodies[name], -1) {
				next := string(m[1]) + string(m[2])
				if seen[next] {
					continue
				}
				seen[next] = true
				res := ts.do("", "GET", "/assets/"+next, nil)
				if res.Status != http.StatusOK || res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Fatalf("%s: %d %v", next, res.Status, res.Header)
				}
				want := map[string]string{".js": "text/javascript", ".css": "text/css"}[next[strings.LastIndex(next, "."):]]
				if !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
					t.Errorf("%s is served as %q", next, res.Header.Get("Content-Type"))
				}
				bodies[next] = res.Body
				queue = append(queue, next)
			}
		}
		for _, want := range []string{"app.css", "app.js", "api.js", "dom.js", "heatmap.js", "plan.js", "slots.js", "review.js", "feeds.js"} {
			if !seen[want] {
				t.Errorf("the page never loads %s", want)
			}
		}
		if api := bodies["api.js"]; regexp.MustCompile(`localStorage|document\.cookie`).Match(api) || !strings.Contains(string(api), "sessionStorage.setItem") {
			t.Error("the key must be kept in sessionStorage, and only there")
		}

		etag := ts.do("", "GET", "/assets/app.js", nil).Header.Get("ETag")
		if res := ts.doWith("", "GET", "/assets/app.js", http.Header{"If-None-Match": {etag}}, nil); res.Status != http.StatusNotModified {
			t.Errorf("If-None-Match %s: %d", etag, res.Status)
		}
		for _, name := range []string{"missing.js", "index.html", "axe.min.js"} {
			if res := ts.do("", "GET", "/assets/"+name, nil); res.Status != http.StatusNotFound {
				t.Errorf("%s: %d", name, res.Status)
			} else {
				res.problem(t)
			}
		}
	})
}

func TestWhoAmI(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin := ts.key("admin")
		team := createTeam(t, ts, admin, map[string]any{"name": "Mine", "timezone": "UTC"})
		tests := []struct {
			name, scope, team  string
			canWrite, canAdmin bool
		}{
			{"admin", "admin", "", true, true},
			{"read", "read", "", false, false},
			{"team lead", "team:" + team.ID, team.ID, true, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := ts.do(ts.key(tc.scope), "GET", "/v1/whoami", nil)
				var got struct {
					Scope    string
					Team     *string
					CanWrite bool `json:"can_write"`
					CanAdmin bool `json:"can_admin"`
				}
				res.decode(t, &got)
				gotTeam := ""
				if got.Team != nil {
					gotTeam = *got.Team
				}
				if res.Status != http.StatusOK || got.Scope != tc.scope || gotTeam != tc.team || got.CanWrite != tc.canWrite || got.CanAdmin != tc.canAdmin {
					t.Errorf("%d %s", res.Status, res.Body)
				}
			})
		}
		if res := ts.do("", "GET", "/v1/whoami", nil); res.Status != http.StatusUnauthorized {
			t.Errorf("without a key: %d", res.Status)
		}
	})
}

// svgCell is a cell of the overlap picture as the tests read it.
type svgCell struct {
	Start string `xml:"data-start,attr"`
	End   string `xml:"data-end,attr"`
	Count string `xml:"data-count,attr"`
	Text  string `xml:"text"`
	Title string `xml:"title"`
}

// svgPicture is the overlap picture as the tests read it: a well-formed
// XML document with a title, a description and a row per date.
type svgPicture struct {
	XMLName xml.Name `xml:"svg"`
	Role    string   `xml:"role,attr"`
	Title   string   `xml:"title"`
	Desc    string   `xml:"desc"`
	Days    []struct {
		Date  string    `xml:"data-date,attr"`
		Label string    `xml:"text"`
		Cells []svgCell `xml:"g"`
	} `xml:"g"`
}

func getPicture(t *testing.T, ts *testServer, key, path string) svgPicture {
	t.Helper()
	res := ts.do(key, "GET", path, nil)
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || res.Header.Get("Content-Security-Policy") != "default-src 'none'" {
		t.Fatalf("%s: %d %v %s", path, res.Status, res.Header, res.Body)
	}
	// Self-contained: nothing outside the picture is referred to.
	if body := string(res.Body); strings.Contains(body, "href") || strings.Contains(body, "url(") || strings.Count(body, "http") != 1 {
		t.Errorf("the picture refers outside itself:\n%s", body)
	}
	var p svgPicture
	if err := xml.Unmarshal(res.Body, &p); err != nil {
		t.Fatalf("not XML: %v\n%s", err, res.Body)
	}
	var days []struct {
		Date  string    `xml:"data-date,attr"`
		Label string    `xml:"text"`
		Cells []svgCell `xml:"g"`
	}
	for _, d := range p.Days {
		if d.Date != "" {
			days = append(days, d)
		}
	}
	p.Days = days
	return p
}

// counts is a row's cell numbers, space-separated.
func counts(cells []svgCell) string {
	var out []string
	for _, c := range cells {
		out = append(out, c.Text)
	}
	return strings.Join(out, " ")
}

// TestOverlapPicture: the transatlantic team's week as a picture, in
// Berlin's hours and in New York's, and a day New York's clocks skip.
func TestOverlapPicture(t *testing.T) {
	forEachServer(t, func(t *testing.T, ts *testServer) {
		admin, reader := ts.key("admin"), ts.key("read")
		team, _ := newTransatlanticTeam(t, ts, admin)
		base := "/v1/teams/" + team.ID + "/overlap.svg?"
		tests := []struct {
			name, query string
			days        int
			monday      string
		}{
			// Berlin 09–17, London 10–18 and New York 15–23 Berlin time.
			{"in Berlin", "from=2026-01-05&to=2026-01-10&tz=Europe/Berlin", 5, "0 0 0 0 0 0 0 0 0 1 2 2 2 2 2 3 3 2 1 1 1 1 1 0"},
			// Berlin 03–11, London 04–12 and New York 09–17 New York time.
			{"in New York", "from=2026-01-05&to=2026-01-10&tz=America/New_York", 5, "0 0 0 1 2 2 2 2 2 3 3 2 1 1 1 1 1 0 0 0 0 0 0 0"},
			// Without tz, the team's zone: London.
			{"in the team's zone", "from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z", 7, "0 0 0 0 0 0 0 0 1 2 2 2 2 2 3 3 2 1 1 1 1 1 0 0"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				p := getPicture(t, ts, reader, base+tc.query)
				if p.Role != "img" || !strings.Contains(p.Title, "Transatlantic") || !strings.Contains(p.Desc, "3 members") {
					t.Errorf("title %q, desc %q, role %q", p.Title, p.Desc, p.Role)
				}
				if len(p.Days) != tc.days || len(p.Days[0].Cells) != 24 {
					t.Fatalf("%d days, %d cells", len(p.Days), len(p.Days[0].Cells))
				}
				if got := counts(p.Days[0].Cells); got != tc.monday {
					t.Errorf("Monday %s\nwant   %s", got, tc.monday)
				}
				if p.Days[0].Label != "Mon 5 Jan" {
					t.Errorf("first row %q", p.Days[0].Label)
				}
			})
		}

		t.Run("clocks skip an hour", func(t *testing.T) {
			p := getPicture(t, ts, admin, base+"from=2026-03-08&to=2026-03-09&tz=America/New_York")
			skipped := p.Days[0].Cells[2]
			if len(p.Days) != 1 || skipped.Text != "–" || !strings.Contains(skipped.Title, "does not happen") || skipped.Start != skipped.End {
				t.Errorf("02:00 on 8 March: %+v", skipped)
			}
			if c := p.Days[0].Cells[9]; c.Count != "0" || !strings.Contains(c.Title, "Sun 8 Mar, 09:00–10:00: 0 of 3 available") {
				t.Errorf("a Sunday hour: %+v", c)
			}
		})
		t.Run("names in the titles", func(t *testing.T) {
			p := getPicture(t, ts, admin, base+"from=2026-01-05&to=2026-01-06&tz=Europe/Berlin")
			if title := p.Days[0].Cells[15].Title; !strings.Contains(title, "3 of 3 available all hour — New_York, London, Berlin") {
				t.Errorf("15:00 Berlin: %q", title)
			}
		})

		refusals := []struct{ query, field string }{
			{"from=2026-01-05&to=2026-01-10&tz=Mars/Olympus", "tz"},
			{"from=2026-01-05&to=2026-01-10&tz=Pacific Standard Time", "tz"},
			{"from=2026-01-01&to=2026-03-01", "to"},
			{"from=5 January&to=2026-01-10", "from"},
		}
		for _, r := range refusals {
			res := ts.do(admin, "GET", base+strings.ReplaceAll(r.query, " ", "%20"), nil)
			if res.Status != http.StatusUnprocessableEntity || res.problem(t)["field"] != r.field {
				t.Errorf("%s: %d %s", r.query, res.Status, res.Body)
			}
		}
		other := createTeam(t, ts, admin, map[string]any{"name": "Other", "timezone": "UTC"})
		if res := ts.do(ts.key("team:"+other.ID), "GET", base+"from=2026-01-05&to=2026-01-10", nil); res.Status != http.StatusForbidden {
			t.Errorf("another team's key: %d", res.Status)
		}
	})
}
