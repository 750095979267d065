package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/calendar"
	"overlap/service"
	"overlap/store"
)

// config is everything `overlap serve` reads from flags and the environment.
type config struct {
	Addr           string
	Database       string
	BaseURL        string
	LogLevel       slog.Level
	RequestTimeout time.Duration
	// Limits bound what one input may cost: calendar size, expansion, team size.
	Limits service.Limits
	// RefreshInterval is how often a subscribed calendar is refreshed when
	// its feed names no interval; FetchTimeout bounds one fetch; FetchAllow
	// lists ranges fetched from although they are not public.
	RefreshInterval time.Duration
	FetchTimeout    time.Duration
	FetchAllow      []netip.Prefix
}

var (
	databaseFlag = &cli.StringFlag{
		Name:    "database",
		Usage:   "a postgres:// URL selects PostgreSQL; anything else is a SQLite file path (\":memory:\" for a throw-away database)",
		EnvVars: []string{"DATABASE_URL"},
		Value:   "overlap.db",
	}
	logLevelFlag = &cli.StringFlag{
		Name:    "log-level",
		Usage:   "least severe log level written: debug, info, warn or error",
		EnvVars: []string{"OVERLAP_LOG_LEVEL"},
		Value:   "info",
	}
	serveFlags = []cli.Flag{
		&cli.StringFlag{
			Name:    "addr",
			Usage:   "host:port to listen on",
			EnvVars: []string{"OVERLAP_ADDR"},
			Value:   "127.0.0.1:8080",
		},
		databaseFlag,
		&cli.StringFlag{
			Name:    "base-url",
			Usage:   "public http(s) URL of the service, used in links it hands out (default: http://ADDR)",
			EnvVars: []string{"OVERLAP_BASE_URL"},
		},
		logLevelFlag,
		&cli.DurationFlag{
			Name:    "request-timeout",
			Usage:   "longest time spent on one request",
			EnvVars: []string{"OVERLAP_REQUEST_TIMEOUT"},
			Value:   30 * time.Second,
		},
		&cli.Int64Flag{
			Name:    "max-calendar-bytes",
			Usage:   "largest iCalendar file a member may import, in bytes",
			EnvVars: []string{"OVERLAP_MAX_CALENDAR_BYTES"},
			Value:   service.DefaultLimits.MaxCalendarBytes,
		},
		&cli.IntFlag{
			Name:    "max-calendar-events",
			Usage:   "most events (VEVENTs, overrides included) in one imported iCalendar file",
			EnvVars: []string{"OVERLAP_MAX_CALENDAR_EVENTS"},
			Value:   service.DefaultLimits.MaxCalendarEvents,
		},
		&cli.IntFlag{
			Name:    "max-calendar-instances",
			Usage:   "most instances one calendar may expand to in one window (an import is checked over the next 366 days)",
			EnvVars: []string{"OVERLAP_MAX_CALENDAR_INSTANCES"},
			Value:   service.DefaultLimits.MaxCalendarInstances,
		},
		&cli.IntFlag{
			Name:    "max-request-instances",
			Usage:   "most calendar instances read for one planning request, all members together",
			EnvVars: []string{"OVERLAP_MAX_REQUEST_INSTANCES"},
			Value:   service.DefaultLimits.MaxRequestInstances,
		},
		&cli.IntFlag{
			Name:    "max-team-members",
			Usage:   "most members in one team",
			EnvVars: []string{"OVERLAP_MAX_TEAM_MEMBERS"},
			Value:   service.DefaultLimits.MaxMembers,
		},
		&cli.Int64Flag{
			Name:    "calendar-cache-bytes",
			Usage:   "calendar text, in bytes, whose parsed form is kept in memory between requests; as much again of busy time expanded for a range",
			EnvVars: []string{"OVERLAP_CALENDAR_CACHE_BYTES"},
			Value:   service.DefaultLimits.ParsedCacheBytes,
		},
		&cli.IntFlag{
			Name:    "max-member-subscriptions",
			Usage:   "most calendar subscriptions of one member",
			EnvVars: []string{"OVERLAP_MAX_MEMBER_SUBSCRIPTIONS"},
			Value:   service.DefaultLimits.MaxSubscriptions,
		},
		&cli.DurationFlag{
			Name:    "refresh-interval",
			Usage:   "how often a subscribed calendar is refreshed when its feed names no REFRESH-INTERVAL or X-PUBLISHED-TTL (1m to 24h)",
			EnvVars: []string{"OVERLAP_REFRESH_INTERVAL"},
			Value:   service.DefaultRefreshInterval,
		},
		&cli.DurationFlag{
			Name:    "fetch-timeout",
			Usage:   "longest time one fetch of a subscribed calendar may take, redirects and body included; shorter than --request-timeout",
			EnvVars: []string{"OVERLAP_FETCH_TIMEOUT"},
			Value:   calendar.DefaultFetchTimeout,
		},
		&cli.StringSliceFlag{
			Name:    "fetch-allow-cidr",
			Usage:   "address ranges (CIDR, comma-separated or repeated) that subscriptions may fetch from although they are not public, e.g. an intranet's 10.20.0.0/16",
			EnvVars: []string{"OVERLAP_FETCH_ALLOW_CIDR"},
		},
	}
)

// loadConfig validates the flags, answering the first problem in one line.
func loadConfig(c *cli.Context) (config, error) {
	cfg := config{
		Addr:           c.String("addr"),
		Database:       c.String("database"),
		BaseURL:        c.String("base-url"),
		RequestTimeout: c.Duration("request-timeout"),
		Limits: service.Limits{
			MaxCalendarBytes:     c.Int64("max-calendar-bytes"),
			MaxCalendarEvents:    c.Int("max-calendar-events"),
			MaxCalendarInstances: c.Int("max-calendar-instances"),
			MaxRequestInstances:  c.Int("max-request-instances"),
			MaxMembers:           c.Int("max-team-members"),
			ParsedCacheBytes:     c.Int64("calendar-cache-bytes"),
			MaxSubscriptions:     c.Int("max-member-subscriptions"),
		},
		RefreshInterval: c.Duration("refresh-interval"),
		FetchTimeout:    c.Duration("fetch-timeout"),
	}
	if _, port, err := net.SplitHostPort(cfg.Addr); err != nil || port == "" {
		return cfg, fmt.Errorf("invalid --addr / OVERLAP_ADDR %q: want host:port", cfg.Addr)
	}
	if err := checkDatabase(cfg.Database); err != nil {
		return cfg, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("invalid --base-url / OVERLAP_BASE_URL %q: want an absolute http(s) URL", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.LogLevel, err = parseLogLevel(c.String("log-level")); err != nil {
		return cfg, err
	}
	if cfg.RequestTimeout <= 0 {
		return cfg, fmt.Errorf("invalid --request-timeout / OVERLAP_REQUEST_TIMEOUT %s: must be positive", cfg.RequestTimeout)
	}
	l := cfg.Limits
	for _, limit := range []struct {
		flag, env string
		value     int64
	}{
		{"max-calendar-bytes", "OVERLAP_MAX_CALENDAR_BYTES", l.MaxCalendarBytes},
		{"max-calendar-events", "OVERLAP_MAX_CALENDAR_EVENTS", int64(l.MaxCalendarEvents)},
		{"max-calendar-instances", "OVERLAP_MAX_CALENDAR_INSTANCES", int64(l.MaxCalendarInstances)},
		{"max-request-instances", "OVERLAP_MAX_REQUEST_INSTANCES", int64(l.MaxRequestInstances)},
		{"max-team-members", "OVERLAP_MAX_TEAM_MEMBERS", int64(l.MaxMembers)},
		{"calendar-cache-bytes", "OVERLAP_CALENDAR_CACHE_BYTES", l.ParsedCacheBytes},
		{"max-member-subscriptions", "OVERLAP_MAX_MEMBER_SUBSCRIPTIONS", int64(l.MaxSubscriptions)},
	} {
		if limit.value <= 0 {
			return cfg, fmt.Errorf("invalid --%s / %s %d: must be positive", limit.flag, limit.env, limit.value)
		}
	}
	return cfg, loadFetchConfig(c, &cfg)
}

// loadFetchConfig reads and checks the settings of subscribed calendars.
func loadFetchConfig(c *cli.Context, cfg *config) error {
	if cfg.RefreshInterval < time.Minute || cfg.RefreshInterval > service.MaxFeedInterval {
		return fmt.Errorf("invalid --refresh-interval / OVERLAP_REFRESH_INTERVAL %s: must be from 1m to 24h", cfg.RefreshInterval)
	}
	if cfg.FetchTimeout <= 0 || cfg.FetchTimeout >= cfg.RequestTimeout {
		return fmt.Errorf("invalid --fetch-timeout / OVERLAP_FETCH_TIMEOUT %s: must be positive and shorter than --request-timeout (%s)", cfg.FetchTimeout, cfg.RequestTimeout)
	}
	for _, raw := range c.StringSlice("fetch-allow-cidr") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(raw)
		if err != nil {
			return fmt.Errorf("invalid --fetch-allow-cidr / OVERLAP_FETCH_ALLOW_CIDR %q: want CIDR ranges such as 10.20.0.0/16", raw)
		}
		cfg.FetchAllow = append(cfg.FetchAllow, prefix.Masked())
	}
	return nil
}

func checkDatabase(dsn string) error {
	if dsn == "" {
		return fmt.Errorf("invalid --database / DATABASE_URL: empty")
	}
	if store.IsPostgresURL(dsn) {
		if u, err := url.Parse(dsn); err != nil || u.Host == "" {
			return fmt.Errorf("invalid --database / DATABASE_URL: not a valid postgres:// URL")
		}
	}
	return nil
}

func parseLogLevel(s string) (slog.Level, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(s)); err != nil {
		return level, fmt.Errorf("invalid --log-level / OVERLAP_LOG_LEVEL %q: want debug, info, warn or error", s)
	}
	return level, nil
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// openStore opens and migrates the database named by --database.
func openStore(c *cli.Context) (*store.Store, []int64, error) {
	dsn := c.String("database")
	if err := checkDatabase(dsn); err != nil {
		return nil, nil, err
	}
	s, err := store.Open(dsn)
	if err != nil {
		return nil, nil, err
	}
	applied, err := s.Migrate(c.Context)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, applied, nil
}
