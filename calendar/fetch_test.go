package calendar

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fetch tests run on a pretend internet: fakeNet resolves host names
// from a table and connects each "public" address it knows to a test
// server on loopback. It fails the test when asked to dial anything else,
// so no test connects beyond loopback even when the check under test is
// broken.
type fakeNet struct {
	t  *testing.T
	mu sync.Mutex
	// answers holds each host's answers to successive lookups; the last repeats.
	answers map[string][][]netip.Addr
	lookups map[string]int
	// servers maps a pretend public address to the loopback server behind it.
	servers map[netip.Addr]string
	// loopback lets the fetcher dial loopback itself (an allow-list test).
	loopback bool
	dials    []string
}

func newFakeNet(t *testing.T) *fakeNet {
	return &fakeNet{t: t, answers: map[string][][]netip.Addr{}, lookups: map[string]int{}, servers: map[netip.Addr]string{}}
}

// publicAddr is a pretend public address, example.com's.
var publicAddr = netip.MustParseAddr("93.184.216.34")

// serve puts a test server behind a pretend public address and names it.
func (n *fakeNet) serve(host string, addr netip.Addr, server *httptest.Server) {
	n.answers[host] = [][]netip.Addr{{addr}}
	n.servers[addr] = server.Listener.Addr().String()
}

func (n *fakeNet) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	answers, ok := n.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	i := min(n.lookups[host], len(answers)-1)
	n.lookups[host]++
	return answers[i], nil
}

func (n *fakeNet) dial(ctx context.Context, network, address string) (net.Conn, error) {
	n.mu.Lock()
	n.dials = append(n.dials, address)
	n.mu.Unlock()
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		n.t.Errorf("asked to dial %q, which is not a checked IP address", address)
		return nil, errors.New("test: not dialled")
	}
	if server, ok := n.servers[ap.Addr()]; ok {
		return (&net.Dialer{}).DialContext(ctx, network, server)
	}
	if n.loopback && ap.Addr().IsLoopback() {
		return (&net.Dialer{}).DialContext(ctx, network, address)
	}
	n.t.Errorf("asked to dial %s, which this test never allows", address)
	return nil, errors.New("test: not dialled")
}

func (n *fakeNet) fetcher(opts FetchOptions) *Fetcher {
	opts.Resolver, opts.Dial = n, n.dial
	return NewFetcher(opts)
}

// secretPath stands for the token in a secret address: no error may quote it.
const secretPath = "/calendar/ical/private-7f3c9a1e5b/basic.ics"

const tinyCalendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"

func TestFetchRefusesAddresses(t *testing.T) {
	mustAddrs := func(s ...string) []netip.Addr {
		var out []netip.Addr
		for _, a := range s {
			out = append(out, netip.MustParseAddr(a))
		}
		return out
	}
	tests := []struct {
		name string
		url  string
		// answers are the successive answers for the host in url.
		answers [][]netip.Addr
		// redirect, when set, is where the public server sends the client.
		redirect   string
		redirectTo map[string][][]netip.Addr
		wantKind   string
		wantReason string
	}{
		{name: "ipv4 loopback literal", url: "http://127.0.0.1", wantKind: FetchRefused, wantReason: "a loopback address"},
		{name: "loopback by name", url: "http://localhost", answers: [][]netip.Addr{mustAddrs("127.0.0.1", "::1")}, wantKind: FetchRefused, wantReason: "a loopback address"},
		{name: "decimal host resolved to loopback", url: "http://2130706433", answers: [][]netip.Addr{mustAddrs("127.0.0.1")}, wantKind: FetchRefused, wantReason: "a loopback address"},
		{name: "ipv6 loopback literal", url: "http://[::1]:8080", wantKind: FetchRefused, wantReason: "a loopback address"},
		{name: "rfc1918 10/8", url: "http://intranet.example", answers: [][]netip.Addr{mustAddrs("10.1.2.3")}, wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "rfc1918 172.16/12", url: "http://172.31.255.1", wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "rfc1918 192.168/16", url: "https://router.example", answers: [][]netip.Addr{mustAddrs("192.168.1.1")}, wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "cgnat", url: "http://100.64.0.1", wantKind: FetchRefused, wantReason: "carrier-grade NAT"},
		{name: "cloud metadata", url: "http://169.254.169.254/latest/meta-data/", wantKind: FetchRefused, wantReason: "link-local"},
		{name: "metadata by name", url: "http://metadata.google.internal", answers: [][]netip.Addr{mustAddrs("169.254.169.254")}, wantKind: FetchRefused, wantReason: "link-local"},
		{name: "ipv4 multicast", url: "http://224.0.0.251", wantKind: FetchRefused, wantReason: "multicast"},
		{name: "ipv6 multicast", url: "http://[ff02::1]", wantKind: FetchRefused, wantReason: "multicast"},
		{name: "ipv4 unspecified", url: "http://0.0.0.0", wantKind: FetchRefused, wantReason: "unspecified"},
		{name: "ipv6 unspecified", url: "http://[::]", wantKind: FetchRefused, wantReason: "unspecified"},
		{name: "broadcast", url: "http://255.255.255.255", wantKind: FetchRefused, wantReason: "reserved"},
		{name: "ipv6 unique local", url: "http://ula.example", answers: [][]netip.Addr{mustAddrs("fd12:3456::1")}, wantKind: FetchRefused, wantReason: "unique-local"},
		{name: "ipv6 link local", url: "http://[fe80::1%25eth0]", wantKind: FetchRefused, wantReason: "link-local IPv6"},
		{name: "mapped loopback", url: "http://[::ffff:127.0.0.1]", wantKind: FetchRefused, wantReason: "IPv4-mapped form of a loopback"},
		{name: "mapped private by name", url: "http://mapped.example", answers: [][]netip.Addr{mustAddrs("::ffff:10.0.0.5")}, wantKind: FetchRefused, wantReason: "a private (RFC 1918)"},
		{name: "mapped metadata", url: "http://[::ffff:169.254.169.254]", wantKind: FetchRefused, wantReason: "IPv4-mapped form of a link-local"},
		{name: "mapped cgnat", url: "http://[::ffff:100.100.1.1]", wantKind: FetchRefused, wantReason: "IPv4-mapped form of a carrier-grade NAT"},
		{name: "ipv4-compatible loopback", url: "http://[::127.0.0.1]", wantKind: FetchRefused, wantReason: "IPv4-compatible form of a loopback"},
		{name: "nat64 private", url: "http://[64:ff9b::a00:1]", wantKind: FetchRefused, wantReason: "NAT64 form of a private"},
		{name: "6to4 loopback", url: "http://[2002:7f00:1::]", wantKind: FetchRefused, wantReason: "6to4 form of a loopback"},
		{name: "one private answer among public ones", url: "http://mixed.example", answers: [][]netip.Addr{mustAddrs("93.184.216.34", "10.0.0.1")}, wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "redirect to a private literal", url: "http://example.com" + secretPath, redirect: "http://10.0.0.1/admin", wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "redirect to a name that resolves to loopback", url: "http://example.com" + secretPath, redirect: "http://evil.example/",
			redirectTo: map[string][][]netip.Addr{"evil.example": {mustAddrs("127.0.0.1")}}, wantKind: FetchRefused, wantReason: "a loopback address"},
		{name: "redirect to mapped metadata", url: "http://example.com" + secretPath, redirect: "http://[::ffff:a9fe:a9fe]/", wantKind: FetchRefused, wantReason: "IPv4-mapped form of a link-local"},
		{name: "dns rebinding: public when first asked, private when dialled again", url: "http://rebind.example" + secretPath, redirect: "http://rebind.example:8080/again",
			answers: [][]netip.Addr{{publicAddr}, mustAddrs("192.168.0.10")}, wantKind: FetchRefused, wantReason: "private (RFC 1918)"},
		{name: "no such host", url: "http://nowhere.example", wantKind: FetchUnreachable, wantReason: "does not resolve"},
		{name: "ftp", url: "ftp://example.com/cal.ics", wantKind: FetchInvalidURL, wantReason: "http, https or webcal"},
		{name: "file", url: "file:///etc/passwd", wantKind: FetchInvalidURL, wantReason: "http, https or webcal"},
		{name: "redirect to file", url: "http://example.com" + secretPath, redirect: "file:///etc/passwd", wantKind: FetchRedirect, wantReason: `"file"`},
		{name: "redirect from https to http", url: "https://example.com" + secretPath, redirect: "http://example.com/plain", wantKind: FetchRedirect, wantReason: "from https to plain http"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newFakeNet(t)
			public := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.redirect != "" && r.URL.Path == secretPath {
					http.Redirect(w, r, tc.redirect, http.StatusFound)
					return
				}
				fmt.Fprint(w, tinyCalendar)
			}))
			var opts FetchOptions
			if strings.HasPrefix(tc.url, "https:") {
				public.StartTLS()
				opts.RootCAs = pool(public)
			} else {
				public.Start()
			}
			defer public.Close()
			n.serve("example.com", publicAddr, public)
			host := strings.TrimPrefix(strings.TrimPrefix(tc.url, "http://"), "https://")
			host, _, _ = strings.Cut(host, "/")
			if tc.answers != nil {
				n.answers[host] = tc.answers
			}
			for name, answers := range tc.redirectTo {
				n.answers[name] = answers
			}
			_, err := n.fetcher(opts).Fetch(context.Background(), tc.url, Validators{})
			var fe *FetchError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FetchError", err)
			}
			if fe.Kind != tc.wantKind || !strings.Contains(fe.Reason, tc.wantReason) {
				t.Errorf("refused as %s %q, want %s containing %q", fe.Kind, fe.Reason, tc.wantKind, tc.wantReason)
			}
			if strings.Contains(err.Error(), "private-7f3c9a1e5b") {
				t.Errorf("the error quotes the secret path: %v", err)
			}
		})
	}
}

func pool(s *httptest.Server) *x509.CertPool {
	return s.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
}

func TestFetchAllowList(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyCalendar) }))
	defer server.Close()
	n := newFakeNet(t)
	n.loopback = true
	tests := []struct {
		name    string
		allow   []string
		address string
		refused bool
	}{
		{"not allowed", nil, server.URL, true},
		{"allowed range", []string{"127.0.0.0/8"}, server.URL, false},
		{"allowed range, mapped form", []string{"127.0.0.0/8"}, strings.Replace(server.URL, "127.0.0.1", "[::ffff:127.0.0.1]", 1), false},
		{"another range allowed", []string{"10.0.0.0/8"}, server.URL, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var allow []netip.Prefix
			for _, a := range tc.allow {
				allow = append(allow, netip.MustParsePrefix(a))
			}
			got, err := n.fetcher(FetchOptions{Allow: allow}).Fetch(context.Background(), tc.address, Validators{})
			var fe *FetchError
			switch {
			case tc.refused && (!errors.As(err, &fe) || fe.Kind != FetchRefused):
				t.Errorf("err = %v, want refused", err)
			case !tc.refused && (err != nil || string(got.Body) != tinyCalendar):
				t.Errorf("err = %v, want the calendar", err)
			}
		})
	}
}

// TestDefaultDialerChecksAgain dials loopback through the default dialer
// directly, as if an address had skipped the check: the socket's Control
// hook refuses it before it connects.
func TestDefaultDialerChecksAgain(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if conn, err := listener.Accept(); err == nil {
			accepted <- struct{}{}
			conn.Close()
		}
	}()
	f := NewFetcher(FetchOptions{})
	_, err = f.opts.Dial(context.Background(), "tcp", listener.Addr().String())
	var fe *FetchError
	if !errors.As(err, &fe) || fe.Kind != FetchRefused {
		t.Fatalf("err = %v, want refused", err)
	}
	select {
	case <-accepted:
		t.Error("the refused dial connected")
	default:
	}
}

// feedServer is a loopback server for the behaviour tests; handler sees
// every request, the fetcher reaches it as example.com.
func feedServer(t *testing.T, handler http.HandlerFunc, opts FetchOptions) (*Fetcher, string) {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	n := newFakeNet(t)
	n.serve("example.com", publicAddr, server)
	return n.fetcher(opts), "http://example.com" + secretPath
}

func TestFetchRedirects(t *testing.T) {
	for _, tc := range []struct {
		hops    int
		refused bool
	}{{0, false}, {5, false}, {6, true}} {
		t.Run(fmt.Sprintf("%d redirects", tc.hops), func(t *testing.T) {
			f, address := feedServer(t, func(w http.ResponseWriter, r *http.Request) {
				var hop int
				fmt.Sscanf(r.URL.Query().Get("hop"), "%d", &hop)
				if hop < tc.hops {
					http.Redirect(w, r, fmt.Sprintf("%s?hop=%d", secretPath, hop+1), http.StatusFound)
					return
				}
				fmt.Fprint(w, tinyCalendar)
			}, FetchOptions{})
			_, err := f.Fetch(context.Background(), address, Validators{})
			var fe *FetchError
			if tc.refused != (errors.As(err, &fe) && fe.Kind == FetchRedirect) || (!tc.refused && err != nil) {
				t.Errorf("err = %v, refused want %v", err, tc.refused)
			}
		})
	}
}

func TestFetchWebcalIsHTTPS(t *testing.T) {
	server := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyCalendar) }))
	defer server.Close()
	n := newFakeNet(t)
	n.serve("example.com", publicAddr, server)
	got, err := n.fetcher(FetchOptions{RootCAs: pool(server)}).Fetch(context.Background(), "webcal://example.com"+secretPath, Validators{})
	if err != nil || string(got.Body) != tinyCalendar {
		t.Fatalf("webcal: %v", err)
	}
	if len(n.dials) != 1 || !strings.HasSuffix(n.dials[0], ":443") {
		t.Errorf("dialled %v, want example.com's address on 443", n.dials)
	}
}

func TestFetchConditionalGET(t *testing.T) {
	var requests []http.Header
	f, address := feedServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests = append(requests, r.Header.Clone())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Mar 2026 09:00:00 GMT")
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "tracking"})
		fmt.Fprint(w, tinyCalendar)
	}, FetchOptions{})
	first, err := f.Fetch(context.Background(), address, Validators{})
	if err != nil || first.NotModified || string(first.Body) != tinyCalendar {
		t.Fatalf("first fetch: %+v, %v", first, err)
	}
	want := Validators{ETag: `"v1"`, LastModified: "Mon, 02 Mar 2026 09:00:00 GMT"}
	if first.Validators != want {
		t.Errorf("validators %+v, want %+v", first.Validators, want)
	}
	second, err := f.Fetch(context.Background(), address, first.Validators)
	if err != nil || !second.NotModified || second.Validators != want {
		t.Fatalf("second fetch: %+v, %v; want not modified with the same validators", second, err)
	}
	if got := requests[1].Get("If-Modified-Since"); got != want.LastModified {
		t.Errorf("If-Modified-Since %q", got)
	}
	for i, h := range requests {
		if h.Get("Cookie") != "" {
			t.Errorf("request %d sent a cookie: %s", i, h.Get("Cookie"))
		}
		if ua := h.Get("User-Agent"); !strings.HasPrefix(ua, "Overlap/") {
			t.Errorf("request %d has User-Agent %q", i, ua)
		}
	}
}

func TestFetchFailures(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		held       Validators
		opts       FetchOptions
		wantKind   string
		wantReason string
	}{
		{name: "500", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
			wantKind: FetchStatus, wantReason: "500 Internal Server Error"},
		{name: "404", handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantKind: FetchStatus, wantReason: "404 Not Found"},
		{name: "304 to an unconditional request", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) },
			wantKind: FetchStatus, wantReason: "304"},
		{name: "30 MB body", handler: func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat("X", 1<<20))
			for range 30 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, opts: FetchOptions{MaxBytes: 10 << 20}, wantKind: FetchTooLarge, wantReason: "larger than the limit of 10485760 bytes"},
		{name: "declared length over the limit", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "20000")
			w.Write([]byte(strings.Repeat("X", 100)))
		}, opts: FetchOptions{MaxBytes: 10000}, wantKind: FetchTooLarge},
		{name: "slow drip", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000000")
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
					w.Write([]byte("B"))
					w.(http.Flusher).Flush()
				}
			}
		}, opts: FetchOptions{Timeout: 300 * time.Millisecond}, wantKind: FetchTimeout, wantReason: "within 300ms"},
		{name: "cut short", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("BEGIN:VCALENDAR"))
		}, wantKind: FetchUnreachable, wantReason: "cut short"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, address := feedServer(t, tc.handler, tc.opts)
			_, err := f.Fetch(context.Background(), address, tc.held)
			var fe *FetchError
			if !errors.As(err, &fe) || fe.Kind != tc.wantKind || !strings.Contains(fe.Reason, tc.wantReason) {
				t.Fatalf("err = %v, want %s containing %q", err, tc.wantKind, tc.wantReason)
			}
			if strings.Contains(err.Error(), "private-7f3c9a1e5b") {
				t.Errorf("the error quotes the secret path: %v", err)
			}
		})
	}
}

func TestFetchExplainsTLSFailures(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyCalendar) }))
	defer plain.Close()
	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyCalendar) }))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake it refuses is the point
	untrusted.StartTLS()
	defer untrusted.Close()
	tests := []struct {
		name   string
		server *httptest.Server
		want   string
	}{
		{"https to a plain server", plain, "does not speak TLS"},
		{"a certificate nobody vouches for", untrusted, "certificate is not valid (certificate signed by unknown authority)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newFakeNet(t)
			n.serve("example.com", publicAddr, tc.server)
			_, err := n.fetcher(FetchOptions{}).Fetch(context.Background(), "https://example.com"+secretPath, Validators{})
			var fe *FetchError
			if !errors.As(err, &fe) || fe.Kind != FetchUnreachable || !strings.Contains(fe.Reason, tc.want) {
				t.Errorf("err = %v, want unreachable: %s", err, tc.want)
			}
		})
	}
}

func TestFetchStopsWithItsContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f, address := feedServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, FetchOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, err := f.Fetch(ctx, address, Validators{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestParseFeedURL(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "https://calendar.google.com/calendar/ical/x/basic.ics", want: "https://calendar.google.com/calendar/ical/x/basic.ics"},
		{in: "  webcal://p42-caldav.icloud.com/published/2/abc  ", want: "https://p42-caldav.icloud.com/published/2/abc"},
		{in: "WEBCAL://example.com/a#frag", want: "https://example.com/a"},
		{in: "http://example.com:8080/a", want: "http://example.com:8080/a"},
		{in: "ftp://example.com/a", wantErr: "http, https or webcal"},
		{in: "javascript:alert(1)", wantErr: "is not a URL"},
		{in: "example.com/cal.ics", wantErr: "http, https or webcal"},
		{in: "https:///nohost", wantErr: "has no host"},
		{in: "http://example.com:0/", wantErr: "invalid port"},
		{in: "https://example.com/" + strings.Repeat("a", MaxURLLength), wantErr: "longer than 2048"},
		{in: "", wantErr: "http, https or webcal"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			u, err := ParseFeedURL(tc.in)
			if tc.wantErr != "" {
				var fe *FetchError
				if !errors.As(err, &fe) || fe.Kind != FetchInvalidURL || !strings.Contains(fe.Reason, tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || u.String() != tc.want {
				t.Errorf("got %v, %v; want %s", u, err, tc.want)
			}
		})
	}
}

func TestMaskURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://calendar.google.com/calendar/ical/ana%40example.com/private-0123456789abcdef/basic.ics", "https://calendar.google.com/c…/i…/a…/p…/b…"},
		{"webcal://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", "https://p42-caldav.icloud.com/p…/2/M…"},
		{"https://user:password@outlook.office365.com/owa/calendar/abc/def/calendar.ics?token=s3cret", "https://outlook.office365.com/o…/c…/a…/d…/c…?…"},
		{"http://example.com:8080", "http://example.com:8080"},
	}
	for _, tc := range tests {
		u, err := ParseFeedURL(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := MaskURL(u); got != tc.want {
			t.Errorf("MaskURL(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFeedRefreshInterval(t *testing.T) {
	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
	event := "BEGIN:VEVENT\r\nUID:a\r\nREFRESH-INTERVAL;VALUE=DURATION:PT5M\r\nEND:VEVENT\r\n"
	tests := []struct {
		name string
		ics  string
		want time.Duration
		ok   bool
	}{
		{"none", head + event + "END:VCALENDAR\r\n", 0, false},
		{"refresh-interval", head + "REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" + event + "END:VCALENDAR\r\n", 2 * time.Hour, true},
		{"published ttl", head + "X-PUBLISHED-TTL:P1D\r\n" + event + "END:VCALENDAR\r\n", 24 * time.Hour, true},
		{"refresh-interval wins", head + "X-PUBLISHED-TTL:PT1H\r\nREFRESH-INTERVAL;VALUE=DURATION:P1W\r\nEND:VCALENDAR\r\n", 7 * 24 * time.Hour, true},
		{"folded", head + "REFRESH-INTERVAL;VALUE=DURATION:P\r\n T30M\r\nEND:VCALENDAR\r\n", 30 * time.Minute, true},
		{"negative", head + "X-PUBLISHED-TTL:-PT1H\r\nEND:VCALENDAR\r\n", 0, false},
		{"garbage", head + "X-PUBLISHED-TTL:soon\r\nEND:VCALENDAR\r\n", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FeedRefreshInterval([]byte(tc.ics))
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %s, %v; want %s, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
