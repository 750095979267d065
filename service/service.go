// Package service is Overlap's application layer: the use cases that
// combine the store, the calendar reader and the planner. Every front end
// goes through it — the HTTP API (package api) and the offline commands
// (cmd/overlap) alike — so that no rule lives in a handler.
//
// What lives here, and where the next pieces go:
//   - teams and members: defaults, validation through the domain packages,
//     the member limit (team.go, member.go);
//   - calendars: import within the limits and the instance budget, one
//     parsed form per calendar version shared by every request
//     (calendar.go, parsed.go);
//   - planning: a team loaded once for a range, the heat map, proposals,
//     adopted core hours (plan.go, corehours.go);
//   - meeting review and the load report, with each team's review
//     settings (review.go);
//   - offline team files for the command line (teamfile.go);
//   - slots and agendas, feeds, and the background refresh of subscribed
//     calendars each get a file of their own here
//     (slot.go, feed.go, subscription.go); workers are started by
//     `overlap serve` through this package, never by api.
//
// Errors leave as the domain's typed errors (planner.FieldError,
// calendar.ParseError and LimitError, store.ErrNotFound and ErrConflict) or
// as the few declared in errors.go; package api turns them into problems in
// one function.
package service

import (
	"context"
	"time"

	"overlap/store"
)

// Store is what the service needs from persistence; *store.Store is one.
type Store interface {
	CreateTeam(ctx context.Context, t *store.Team) error
	FindTeamByID(ctx context.Context, id string) (*store.Team, error)
	FindTeams(ctx context.Context, ids []string, p store.Page) ([]store.Team, string, error)
	UpdateTeam(ctx context.Context, id string, apply func(*store.Team, *store.CoreHours) error) (*store.Team, error)
	DeleteTeam(ctx context.Context, id string) error

	CreateMember(ctx context.Context, m *store.Member, maxMembers int) error
	FindMemberByID(ctx context.Context, teamID, id string) (*store.Member, error)
	FindMembers(ctx context.Context, teamID string, p store.Page) ([]store.Member, string, error)
	FindAllMembers(ctx context.Context, teamID string) ([]store.Member, error)
	UpdateMember(ctx context.Context, teamID, id string, apply func(*store.Member) error) (*store.Member, error)
	DeleteMember(ctx context.Context, teamID, id string) error

	PutMemberCalendar(ctx context.Context, teamID string, c *store.MemberCalendar) error
	FindMemberCalendar(ctx context.Context, teamID, memberID string) (*store.MemberCalendar, error)
	FindTeamCalendars(ctx context.Context, teamID string) ([]store.MemberCalendar, error)
	FindCalendarTexts(ctx context.Context, teamID string, digests []string) (map[string]string, error)
	DeleteMemberCalendar(ctx context.Context, teamID, memberID string) error

	CreateAPIKey(ctx context.Context, scope, label string) (*store.APIKey, string, error)
	FindAPIKeyByToken(ctx context.Context, token string) (*store.APIKey, error)
	FindAPIKeys(ctx context.Context) ([]store.APIKey, error)
	CountAPIKeys(ctx context.Context) (int64, error)
	RevokeAPIKey(ctx context.Context, id string) error

	Ping(ctx context.Context) error
	HasPendingMigrations(ctx context.Context) (bool, error)

	PutCoreHours(ctx context.Context, teamID string, definition func(*store.Team) (string, error)) (*store.CoreHours, error)
	FindCoreHours(ctx context.Context, teamID string) (*store.CoreHours, error)

	PutReviewSettings(ctx context.Context, teamID, settings string) (*store.ReviewSettings, error)
	FindReviewSettings(ctx context.Context, teamID string) (*store.ReviewSettings, error)
}

// Limits bound the work any one input can cause.
type Limits struct {
	// MaxCalendarBytes and MaxCalendarEvents bound an imported iCalendar file.
	MaxCalendarBytes  int64
	MaxCalendarEvents int
	// MaxCalendarInstances bounds the instances one calendar may expand to in
	// one window: an import over it is refused, and a stored calendar is cut
	// there (and the answer says so).
	MaxCalendarInstances int
	// MaxRequestInstances bounds the instances of all calendars of a team
	// read for one request.
	MaxRequestInstances int
	// MaxMembers bounds the members of one team.
	MaxMembers int
	// ParsedCacheBytes bounds the calendar text whose parsed form is kept
	// in memory, by the size of that text.
	ParsedCacheBytes int64
}

// DefaultLimits suit teams of up to a thousand people with busy calendars.
var DefaultLimits = Limits{
	MaxCalendarBytes:     10 << 20,
	MaxCalendarEvents:    50_000,
	MaxCalendarInstances: 100_000,
	MaxRequestInstances:  1_000_000,
	MaxMembers:           1_000,
	ParsedCacheBytes:     256 << 20,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxCalendarBytes <= 0 {
		l.MaxCalendarBytes = d.MaxCalendarBytes
	}
	if l.MaxCalendarEvents <= 0 {
		l.MaxCalendarEvents = d.MaxCalendarEvents
	}
	if l.MaxCalendarInstances <= 0 {
		l.MaxCalendarInstances = d.MaxCalendarInstances
	}
	if l.MaxRequestInstances <= 0 {
		l.MaxRequestInstances = d.MaxRequestInstances
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.ParsedCacheBytes <= 0 {
		l.ParsedCacheBytes = d.ParsedCacheBytes
	}
	return l
}

// Service runs Overlap's use cases. It is safe for concurrent use.
type Service struct {
	store  Store
	limits Limits
	now    func() time.Time
	parsed *parsedCalendars
}

// New returns a service over st. Zero limits take DefaultLimits; a nil
// clock is time.Now.
func New(st Store, limits Limits, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	limits = limits.withDefaults()
	return &Service{store: st, limits: limits, now: now, parsed: newParsedCalendars(limits.ParsedCacheBytes)}
}

// Limits returns the limits in force, defaults filled in.
func (s *Service) Limits() Limits { return s.limits }
