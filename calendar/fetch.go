package calendar

// Fetching published calendars (the "secret address in iCal format" of
// Google, Outlook's published calendars, iCloud's webcal:// links) from
// addresses users give. A server that fetches what users name must not
// become their way into the network it runs in, so every connection, the
// first and each redirect's, dials only addresses checked at dial time:
// the name is resolved once, every address it resolves to is checked, and
// the checked address itself is dialled, so a name that resolves to a
// public address when checked and a private one when dialled (DNS
// rebinding) cannot slip through.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Fetch defaults and bounds.
const (
	// DefaultFetchTimeout bounds one fetch, redirects and body included;
	// it leaves room within an API request's default 30 seconds.
	DefaultFetchTimeout = 20 * time.Second
	// MaxRedirects is how many redirects a fetch follows.
	MaxRedirects = 5
	// MaxURLLength bounds an address.
	MaxURLLength = 2048
	// DefaultUserAgent names the fetcher to the servers it calls.
	DefaultUserAgent = "Overlap/1.0 (calendar subscription refresh)"
	// maxValidatorLength bounds a stored ETag or Last-Modified value.
	maxValidatorLength = 512
)

// Kinds of FetchError, stable for metrics and tests.
const (
	FetchInvalidURL  = "invalid-url" // not an http, https or webcal address
	FetchRefused     = "refused"     // resolves to an address Overlap does not fetch from
	FetchRedirect    = "redirect"    // too many redirects, or one that goes somewhere refused
	FetchStatus      = "status"      // the server answered neither 200 nor 304
	FetchTooLarge    = "too-large"   // the body passes the size limit
	FetchTimeout     = "timeout"     // no complete answer in time
	FetchUnreachable = "unreachable" // no such host, no connection, a TLS failure
)

// FetchError says why a fetch failed. Reason is for people; it never
// quotes the address (which is a credential) beyond its host.
type FetchError struct {
	Kind   string
	Reason string
}

func (e *FetchError) Error() string { return "calendar: fetch: " + e.Reason }

func fetchError(kind, format string, args ...any) *FetchError {
	return &FetchError{Kind: kind, Reason: fmt.Sprintf(format, args...)}
}

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// DialFunc opens a connection to address, an IP and port.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// FetchOptions configure a Fetcher. Zero values take the defaults.
type FetchOptions struct {
	// MaxBytes bounds the body (DefaultLimits.MaxBytes by default).
	MaxBytes int64
	// Timeout bounds one fetch, redirects and body included.
	Timeout time.Duration
	// Allow lists ranges fetched from although the rules refuse them (an
	// intranet's calendar server; a test's loopback server).
	Allow []netip.Prefix
	// Resolver looks up host names (net.DefaultResolver by default).
	Resolver Resolver
	// Dial connects to a checked address (a net.Dialer that checks the
	// address once more, by default).
	Dial DialFunc
	// UserAgent is sent with every request.
	UserAgent string
	// RootCAs verifies servers' certificates (the system's by default).
	RootCAs *x509.CertPool
}

// Fetcher fetches published calendars. It keeps no cookies and no
// credentials between fetches, and uses no proxy. It is safe for
// concurrent use.
type Fetcher struct {
	opts   FetchOptions
	client *http.Client
}

// NewFetcher returns a fetcher with opts, defaults filled in.
func NewFetcher(opts FetchOptions) *Fetcher {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultLimits.MaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.Resolver == nil {
		opts.Resolver = net.DefaultResolver
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	f := &Fetcher{opts: opts}
	if f.opts.Dial == nil {
		// A second check where the socket is made, in case an address ever
		// reaches the dialer unchecked.
		dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fetchError(FetchRefused, "the address to connect to is not an IP address")
			}
			return f.permitted(ap.Addr())
		}}
		f.opts.Dial = dialer.DialContext
	}
	f.client = &http.Client{
		Transport: &http.Transport{
			Proxy:                  nil, // a proxy would connect where the checks cannot see
			DialContext:            f.dialContext,
			TLSClientConfig:        &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  15 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			MaxIdleConnsPerHost:    4,
			IdleConnTimeout:        90 * time.Second,
		},
		CheckRedirect: checkRedirect,
	}
	return f
}

// MaxBytes is the body size limit in force.
func (f *Fetcher) MaxBytes() int64 { return f.opts.MaxBytes }

// Validators identify the version of a calendar a client holds, for a
// conditional request (RFC 9110 §13).
type Validators struct {
	ETag         string
	LastModified string
}

// Fetched is the answer to a fetch: a new body, or NotModified when the
// server confirmed (304) that the version held is current.
type Fetched struct {
	NotModified bool
	Body        []byte
	// Validators of the version fetched or confirmed.
	Validators Validators
}

// Fetch gets the calendar at address (an http, https or webcal URL),
// conditionally when held names the version already held. It returns a
// *FetchError saying why when the address is refused, resolves or
// redirects somewhere refused, answers anything but 200 or 304, sends more
// than MaxBytes or takes longer than the timeout; or ctx.Err() when ctx is
// done first.
func (f *Fetcher) Fetch(ctx context.Context, address string, held Validators) (*Fetched, error) {
	u, err := ParseFeedURL(address)
	if err != nil {
		return nil, err
	}
	fetchCtx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(fetchCtx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fetchError(FetchInvalidURL, "is not a usable address")
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	if held.ETag != "" {
		req.Header.Set("If-None-Match", held.ETag)
	}
	if held.LastModified != "" {
		req.Header.Set("If-Modified-Since", held.LastModified)
	}
	res, err := f.client.Do(req)
	if err != nil {
		return nil, f.explain(ctx, err)
	}
	defer res.Body.Close()
	got := Validators{ETag: validator(res.Header.Get("ETag")), LastModified: validator(res.Header.Get("Last-Modified"))}
	switch {
	case res.StatusCode == http.StatusNotModified && held != (Validators{}):
		if got == (Validators{}) {
			got = held
		}
		return &Fetched{NotModified: true, Validators: got}, nil
	case res.StatusCode != http.StatusOK:
		return nil, fetchError(FetchStatus, "the server answered %d %s", res.StatusCode, http.StatusText(res.StatusCode))
	case res.ContentLength > f.opts.MaxBytes:
		return nil, f.tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, f.explain(ctx, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, f.tooLarge()
	}
	return &Fetched{Body: body, Validators: got}, nil
}

func (f *Fetcher) tooLarge() *FetchError {
	return fetchError(FetchTooLarge, "the calendar is larger than the limit of %d bytes", f.opts.MaxBytes)
}

// validator keeps a header value usable in a later request, or drops it.
func validator(v string) string {
	if len(v) > maxValidatorLength {
		return ""
	}
	return v
}

// explain turns a failed request into a FetchError that quotes nothing of
// the address: the errors of net/http quote the whole URL. When ctx (the
// caller's) is done, its error is returned as it is.
func (f *Fetcher) explain(ctx context.Context, err error) error {
	var (
		fe      *FetchError
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		notTLS  tls.RecordHeaderError
		alert   tls.AlertError
		netErr  net.Error
		opErr   *net.OpError
	)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &fe):
		return fe
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fetchError(FetchTimeout, "no complete answer within %s", f.opts.Timeout)
	case errors.As(err, &dnsErr):
		return fetchError(FetchUnreachable, "the host name does not resolve")
	case errors.As(err, &certErr):
		return fetchError(FetchUnreachable, "the server's TLS certificate is not valid (%s)", strings.TrimPrefix(certErr.Err.Error(), "x509: "))
	case errors.As(err, &notTLS), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http reports a plain HTTP answer to a TLS hello with an untyped error.
		return fetchError(FetchUnreachable, "the server does not speak TLS at this https address")
	case errors.As(err, &alert):
		return fetchError(FetchUnreachable, "the TLS handshake failed (%s)", strings.TrimPrefix(alert.Error(), "tls: "))
	case errors.Is(err, syscall.ECONNREFUSED):
		return fetchError(FetchUnreachable, "the server refused the connection")
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fetchError(FetchUnreachable, "could not connect to the server")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fetchError(FetchUnreachable, "the answer was cut short")
	default:
		return fetchError(FetchUnreachable, "the request failed")
	}
}

// checkRedirect follows at most MaxRedirects redirects, each to http or
// https (webcal read as https), never from https down to plain http. The
// address of every hop is checked when it is dialled.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fetchError(FetchRedirect, "more than %d redirects", MaxRedirects)
	}
	switch strings.ToLower(req.URL.Scheme) {
	case "webcal", "webcals":
		req.URL.Scheme = "https"
	case "https":
	case "http":
		for _, hop := range via {
			if hop.URL.Scheme == "https" {
				return fetchError(FetchRedirect, "a redirect leads from https to plain http")
			}
		}
	default:
		return fetchError(FetchRedirect, "a redirect leads to a %s address; only http and https are followed", quote(req.URL.Scheme))
	}
	return nil
}

// ParseFeedURL reads an address a user gives: http, https or webcal
// (webcals too), which calendar apps read as https. Anything else is a
// *FetchError of kind FetchInvalidURL.
func ParseFeedURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxURLLength {
		return nil, fetchError(FetchInvalidURL, "is longer than %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return nil, fetchError(FetchInvalidURL, "is not a URL")
	}
	switch u.Scheme = strings.ToLower(u.Scheme); u.Scheme {
	case "http", "https":
	case "webcal", "webcals":
		u.Scheme = "https"
	default:
		return nil, fetchError(FetchInvalidURL, "must be an http, https or webcal address")
	}
	if u.Hostname() == "" {
		return nil, fetchError(FetchInvalidURL, "has no host")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fetchError(FetchInvalidURL, "has an invalid port")
		}
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// MaskURL shows an address without its secret: scheme and host, then each
// path segment cut to its first character, the query as "?…", and no user
// name or password.
func MaskURL(u *url.URL) string {
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host)
	for _, segment := range strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/") {
		if segment == "" {
			continue
		}
		b.WriteString("/")
		if len(segment) == 1 {
			b.WriteString(segment)
		} else {
			b.WriteString(segment[:1] + "…")
		}
	}
	if u.RawQuery != "" {
		b.WriteString("?…")
	}
	return b.String()
}

// dialContext connects the transport to address (host and port), for the
// first request and every redirect: it resolves the host once, refuses the
// host when any of its addresses is refused, and dials the checked
// addresses themselves.
func (f *Fetcher) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fetchError(FetchInvalidURL, "has an invalid host")
	}
	addrs, err := f.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if err := f.permitted(a); err != nil {
			return nil, err
		}
	}
	var firstErr error
	for _, a := range addrs {
		conn, err := f.opts.Dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func (f *Fetcher) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := f.opts.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fetchError(FetchUnreachable, "the host name does not resolve")
	}
	if len(addrs) == 0 {
		return nil, fetchError(FetchUnreachable, "the host name does not resolve")
	}
	// Go's resolver answers an A record in its IPv4-mapped form; call it
	// what it is. (A mapped AAAA record is then checked as the IPv4
	// address it stands for, which is what a connection to it reaches.)
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// permitted refuses an address the rules refuse, unless an allowed range
// holds it (in its IPv4 or IPv4-mapped form alike).
func (f *Fetcher) permitted(a netip.Addr) error {
	a = a.WithZone("")
	for _, p := range f.opts.Allow {
		if p.Contains(a) || p.Contains(a.Unmap()) {
			return nil
		}
	}
	if what := refusedAs(a); what != "" {
		return fetchError(FetchRefused, "the host resolves to %s; Overlap fetches calendars only from public addresses", what)
	}
	return nil
}

// addressRule is a range Overlap does not fetch from, and what to call it.
type addressRule struct {
	prefix netip.Prefix
	what   string
}

// refusedRanges are the ranges that are not the public internet (IANA's
// special-purpose registries, RFC 6890): a fetch there would reach the
// server's own host, its network or its cloud's metadata service.
var refusedRanges = []addressRule{
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified (0.0.0.0/8) address"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private (RFC 1918) address"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private (RFC 1918) address"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private (RFC 1918) address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT (RFC 6598) address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address (such as a cloud metadata service)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol (RFC 6890) address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking (RFC 2544) address"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved (240.0.0.0/4) address"},
	{netip.MustParsePrefix("::/128"), "the unspecified address"},
	{netip.MustParsePrefix("::1/128"), "a loopback address"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local IPv6 address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local IPv6 address"},
	{netip.MustParsePrefix("fc00::/7"), "a unique-local IPv6 (fc00::/7) address"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
	{netip.MustParsePrefix("100::/64"), "a discard-only IPv6 address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use NAT64 address"},
}

// embeddingRanges are IPv6 ranges that carry an IPv4 address, which is
// checked in turn: 64:ff9b::/96 reaches it through NAT64, and 2002::/16
// through 6to4. IPv4-mapped (::ffff:0:0/96) and the deprecated
// IPv4-compatible (::/96) forms are handled in refusedAs.
var embeddingRanges = []struct {
	prefix netip.Prefix
	offset int // byte of the IPv4 address in the IPv6 one
	form   string
}{
	{netip.MustParsePrefix("64:ff9b::/96"), 12, "NAT64"},
	{netip.MustParsePrefix("2002::/16"), 2, "6to4"},
}

// refusedAs says what kind of address a is when Overlap does not fetch
// from it, and "" when it does.
func refusedAs(a netip.Addr) string {
	if a.Is4In6() {
		if what := refusedAs(a.Unmap()); what != "" {
			return "an IPv4-mapped form of " + what
		}
		return ""
	}
	for _, r := range refusedRanges {
		if r.prefix.Contains(a) {
			return r.what
		}
	}
	if !a.Is6() {
		return ""
	}
	bytes := a.As16()
	if netip.MustParsePrefix("::/96").Contains(a) {
		v4 := netip.AddrFrom4([4]byte(bytes[12:16]))
		if what := refusedAs(v4); what != "" {
			return "an IPv4-compatible form of " + what
		}
		return "a deprecated IPv4-compatible IPv6 address"
	}
	for _, e := range embeddingRanges {
		if e.prefix.Contains(a) {
			v4 := netip.AddrFrom4([4]byte(bytes[e.offset : e.offset+4]))
			if what := refusedAs(v4); what != "" {
				return "a " + e.form + " form of " + what
			}
		}
	}
	return ""
}

// FeedRefreshInterval returns how often a published calendar asks to be
// fetched: its REFRESH-INTERVAL (RFC 7986 §5.7), else the X-PUBLISHED-TTL
// that Outlook and Google write; false when it names neither or an unusable
// one. Only the calendar's own properties count, which come before its
// first component.
func FeedRefreshInterval(data []byte) (time.Duration, bool) {
	var found map[string]time.Duration
	file := string(data)
	for l := range logicalLines(file) {
		text := unfold(file[l.begin:l.end])
		name, value := contentNameValue(string(text))
		if name == "BEGIN" && !strings.EqualFold(value, "VCALENDAR") {
			break
		}
		if name != "REFRESH-INTERVAL" && name != "X-PUBLISHED-TTL" {
			continue
		}
		d, err := parseDuration(value)
		interval := time.Duration(d.days)*24*time.Hour + time.Duration(d.seconds)*time.Second
		if err == nil && interval > 0 {
			if found == nil {
				found = map[string]time.Duration{}
			}
			found[name] = interval
		}
	}
	if d, ok := found["REFRESH-INTERVAL"]; ok {
		return d, true
	}
	d, ok := found["X-PUBLISHED-TTL"]
	return d, ok
}
