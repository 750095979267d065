// Package api serves Overlap's JSON API, described by openapi.yaml, over
// Echo. It speaks HTTP and nothing else: each handler decodes the request,
// calls package service and encodes the answer; problemFor alone turns
// errors into problem+json. Routes are in routes.go. The feeds, the team
// page (page.go, web/) and the overlap picture (svg.go) are served here too.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"overlap/service"
)

// Config is what the server needs from its caller.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
	// BaseURL is the public URL of the service ("https://overlap.example"),
	// the base of the absolute links it hands out.
	BaseURL string
	// RequestTimeout bounds the work done for one request.
	RequestTimeout time.Duration
	// MaxBodyBytes bounds a JSON request body.
	MaxBodyBytes int64
}

// Defaults for the zero values of Config.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBodyBytes   = 1 << 20
)

// Server is the HTTP face of Overlap. It is an http.Handler.
type Server struct {
	echo     *echo.Echo
	svc      *service.Service
	log      *slog.Logger
	cfg      Config
	registry *prometheus.Registry
	metrics  *httpMetrics
}

// New builds a server with its routes and middleware.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registry.MustRegister(cfg.Service.Collectors()...)
	s := &Server{
		echo:     echo.New(),
		svc:      cfg.Service,
		log:      cfg.Logger,
		cfg:      cfg,
		registry: registry,
		metrics:  newHTTPMetrics(registry),
	}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Pre(headAsGet)
	e.Use(
		middleware.RequestID(),
		s.observe,
		middleware.Recover(),
		// Feeds are kept gzipped already (see feedHandler).
		middleware.GzipWithConfig(middleware.GzipConfig{MinLength: gzipMinBytes, Skipper: isFeedRequest}),
		middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout}),
	)
	s.routes()
	return s
}

// gzipMinBytes leaves small answers uncompressed: below about a kilobyte
// the headers and the compressor cost more than they save.
const gzipMinBytes = 1024

func isFeedRequest(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/feeds/") }

// headAsGet routes HEAD like GET (RFC 9110 §9.3.2): the GET handler runs
// and its body is dropped, so both answer the same headers.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodHead {
			return next(c)
		}
		r.Method = http.MethodGet // the router reads this very request
		c.Set(headContextKey, true)
		c.Response().Writer = headWriter{c.Response().Writer}
		return next(c)
	}
}

const headContextKey = "overlap.head"

// requestMethod is the method the client sent, HEAD included.
func requestMethod(c echo.Context) string {
	if head, _ := c.Get(headContextKey).(bool); head {
		return http.MethodHead
	}
	return c.Request().Method
}

// headWriter drops a body written for a HEAD request.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }

// link is the absolute URL of path, built from the base URL.
func (s *Server) link(path string) string { return s.cfg.BaseURL + path }

// ServeHTTP lets the server be mounted anywhere an http.Handler fits.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Routes lists the registered method and path templates (":team" style).
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

// observe logs every request as one JSON line and counts it in the metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the response now, so the status is known.
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		elapsed := time.Since(start)
		method := requestMethod(c)
		s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(method, route).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		path := c.Request().URL.Path
		if isFeedRequest(c) {
			path = "/feeds/…" // the token is a credential: never in a log
		}
		s.log.Log(c.Request().Context(), level, "request",
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", method, "route", route, "path", path,
			"status", status, "duration_ms", float64(elapsed.Microseconds())/1000,
			"bytes", c.Response().Size, "remote", c.RealIP())
		return nil
	}
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newHTTPMetrics(r prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_http_requests_total",
			Help: "HTTP requests served, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "overlap_http_request_duration_seconds",
			Help:    "HTTP request latency, by method and route template.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	r.MustRegister(m.requests, m.latency)
	return m
}

// ListenAndServe serves on addr until ctx is done, then shuts down
// gracefully, letting requests in flight finish within the request timeout.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.cfg.RequestTimeout,
		WriteTimeout:      s.cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
