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
//   - offline team files for the command line, and the feed one would
//     publish (teamfile.go);
//   - slots derived from the history of adopted core hours, their agendas
//     and cancellations, the decision log, norms, and feeds with their
//     tokens and cached bodies (slot.go, agenda.go, decision.go, norms.go,
//     feed.go);
//   - calendars subscribed to by address, refreshed in the background
//     through the same import rules, leased across replicas, with their
//     metrics (subscription.go, metrics.go); the worker is started by
//     `overlap serve` through this package, never by api;
//   - meeting review and the load report, with each team's review
//     settings (review.go);
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

	// WriteGeneration changes with every write of this process; exclusive
	// says no other process writes to the database.
	WriteGeneration() (generation uint64, exclusive bool)

	Ping(ctx context.Context) error
	HasPendingMigrations(ctx context.Context) (bool, error)

	PutCoreHours(ctx context.Context, teamID string, definition func(*store.Team) (string, error)) (*store.CoreHours, error)
	FindCoreHours(ctx context.Context, teamID string) (*store.CoreHours, error)

	// Slots, agendas, decisions and feeds.
	FindAdoptions(ctx context.Context, teamID string, from, to time.Time) ([]store.Adoption, error)
	FindSlotStates(ctx context.Context, teamID string, from, to time.Time) ([]store.SlotState, error)
	FindSlotState(ctx context.Context, teamID, slotID string) (*store.SlotState, error)
	FindEventfulSlotStates(ctx context.Context, teamID string) ([]store.SlotState, error)
	AddAgendaItem(ctx context.Context, teamID string, ref store.SlotRef, teamRevision int64, item *store.AgendaItem, check store.SlotChange) (*store.SlotState, error)
	DeleteAgendaItem(ctx context.Context, teamID string, ref store.SlotRef, teamRevision int64, itemID string, check store.SlotChange) error
	CancelSlot(ctx context.Context, teamID string, ref store.SlotRef, teamRevision int64, reason string, by store.Actor, check store.SlotChange) (*store.SlotState, error)

	CreateDecision(ctx context.Context, d *store.Decision, by store.Actor) error
	FindDecisionByID(ctx context.Context, teamID, id string) (*store.Decision, error)
	FindDecisions(ctx context.Context, teamID string, f store.DecisionFilter, p store.Page) ([]store.Decision, string, error)
	UpdateDecision(ctx context.Context, teamID, id string, by store.Actor, apply func(*store.Decision) error) (*store.Decision, error)

	CreateFeed(ctx context.Context, f *store.Feed) (string, error)
	FindFeeds(ctx context.Context, teamID, memberID string, p store.Page) ([]store.Feed, string, error)
	RotateFeed(ctx context.Context, teamID, id string) (*store.Feed, string, error)
	DeleteFeed(ctx context.Context, teamID, id string) error
	FindFeedByToken(ctx context.Context, token string) (*store.FeedLookup, error)

	// Subscriptions.
	CreateSubscription(ctx context.Context, sub *store.Subscription, maxPerMember int) error
	FindSubscription(ctx context.Context, teamID, memberID, id string) (*store.Subscription, error)
	FindSubscriptions(ctx context.Context, teamID, memberID, state string, now time.Time, p store.Page) ([]store.Subscription, string, error)
	DeleteSubscription(ctx context.Context, teamID, memberID, id string) error
	ClaimDueSubscriptions(ctx context.Context, owner string, now, until time.Time, limit int) ([]store.Subscription, error)
	ClaimSubscription(ctx context.Context, teamID, memberID, id, owner string, now, until time.Time) (*store.Subscription, error)
	FinishSubscriptionRefresh(ctx context.Context, sub *store.Subscription, owner string, newCopy bool) error
	ReleaseSubscription(ctx context.Context, id, owner string) error
	FindTeamSubscriptionCopies(ctx context.Context, teamID string) ([]store.Subscription, error)
	OldestSubscriptionSuccess(ctx context.Context) (time.Time, bool, error)

	// Review settings.
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
	// in memory, by the size of that text, and separately the busy time
	// kept as expanded for a member and a window (by its estimated size).
	ParsedCacheBytes int64
	// MaxSubscriptions bounds the calendars one member subscribes to.
	MaxSubscriptions int
}

// DefaultLimits suit teams of up to a thousand people with busy calendars.
var DefaultLimits = Limits{
	MaxCalendarBytes:     10 << 20,
	MaxCalendarEvents:    50_000,
	MaxCalendarInstances: 100_000,
	MaxRequestInstances:  1_000_000,
	MaxMembers:           1_000,
	ParsedCacheBytes:     256 << 20,
	MaxSubscriptions:     20,
}

// withDefaults fills the zero (or negative) fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	orDefault(&l.MaxCalendarBytes, d.MaxCalendarBytes)
	orDefault(&l.MaxCalendarEvents, d.MaxCalendarEvents)
	orDefault(&l.MaxCalendarInstances, d.MaxCalendarInstances)
	orDefault(&l.MaxRequestInstances, d.MaxRequestInstances)
	orDefault(&l.MaxMembers, d.MaxMembers)
	orDefault(&l.ParsedCacheBytes, d.ParsedCacheBytes)
	orDefault(&l.MaxSubscriptions, d.MaxSubscriptions)
	return l
}

func orDefault[T int | int64](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Service runs Overlap's use cases. It is safe for concurrent use.
type Service struct {
	store  Store
	limits Limits
	now    func() time.Time
	parsed *parsedCalendars
	// expanded keeps busy time as read for one member and window.
	expanded *expandedCalendars
	feeds    *feeds
	// subs configures calendar subscriptions; metrics counts their fetches.
	subs    *subscriptions
	metrics *subscriptionMetrics
}

// New returns a service over st. Zero limits take DefaultLimits; a nil
// clock is time.Now.
func New(st Store, limits Limits, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	limits = limits.withDefaults()
	s := &Service{store: st, limits: limits, now: now, parsed: newParsedCalendars(limits.ParsedCacheBytes),
		expanded: newExpandedCalendars(limits.ParsedCacheBytes), feeds: newFeeds()}
	s.metrics = newSubscriptionMetrics(s)
	s.ConfigureSubscriptions(SubscriptionOptions{})
	return s
}

// Limits returns the limits in force, defaults filled in.
func (s *Service) Limits() Limits { return s.limits }
