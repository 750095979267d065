package service

// Subscribed calendars: a member's calendar published at a secret address
// (Google's "secret address in iCal format", Outlook's published calendar,
// iCloud's webcal:// link), kept fresh the way a calendar app keeps it:
// fetched on a schedule, conditionally, with backoff on failure, and read
// through the same import rules as an upload. The last good copy stays
// until a fetch brings a better one, so a broken feed never takes busy time
// away. The address is a credential: it is used to fetch and for nothing
// else, never shown, logged or quoted in an error.

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"overlap/calendar"
	"overlap/store"
)

// Refresh schedule defaults and bounds.
const (
	// DefaultRefreshInterval is how often a feed that names no interval of
	// its own is refreshed.
	DefaultRefreshInterval = time.Hour
	// MinFeedInterval and MaxFeedInterval bound the interval a feed asks
	// for with REFRESH-INTERVAL or X-PUBLISHED-TTL.
	MinFeedInterval = 15 * time.Minute
	MaxFeedInterval = 24 * time.Hour
	// DefaultLease is how long a replica holds a subscription it refreshes:
	// far longer than a fetch may take, short enough that a replica killed
	// mid-refresh delays the subscription only a little.
	DefaultLease = 5 * time.Minute
	// firstRetryDelay is the wait after a first failure; it doubles after
	// each further one, up to maxRetryDelay, and is jittered.
	firstRetryDelay = time.Minute
	maxRetryDelay   = 6 * time.Hour
	// DefaultRefreshWorkers is how many subscriptions one replica
	// refreshes at once.
	DefaultRefreshWorkers = 4
	// DefaultPollEvery is how often an idle worker looks for due subscriptions.
	DefaultPollEvery = 15 * time.Second
)

// SubscriptionOptions configure calendar subscriptions. Zero values take
// the defaults.
type SubscriptionOptions struct {
	// Interval is the refresh interval of a feed that names none.
	Interval time.Duration
	// Fetch configures the fetcher; its MaxBytes is always the calendar
	// byte limit.
	Fetch calendar.FetchOptions
	// Lease is how long a replica holds a subscription it refreshes.
	Lease time.Duration
	// Workers is how many subscriptions the worker refreshes at once, and
	// PollEvery how often it looks for due ones when idle.
	Workers   int
	PollEvery time.Duration
	// Logger receives the worker's lines; never an address.
	Logger *slog.Logger
}

// subscriptions is the configuration in force.
type subscriptions struct {
	opts    SubscriptionOptions
	fetcher *calendar.Fetcher
	// owner names this replica in the leases it takes.
	owner string
}

// ConfigureSubscriptions sets how subscriptions are fetched and refreshed;
// call it before the service is used.
func (s *Service) ConfigureSubscriptions(o SubscriptionOptions) {
	if o.Interval <= 0 {
		o.Interval = DefaultRefreshInterval
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Workers <= 0 {
		o.Workers = DefaultRefreshWorkers
	}
	if o.PollEvery <= 0 {
		o.PollEvery = DefaultPollEvery
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Fetch.MaxBytes = s.limits.MaxCalendarBytes
	s.subs = &subscriptions{opts: o, fetcher: calendar.NewFetcher(o.Fetch), owner: replicaName()}
}

// replicaName is unique per process and says which host it runs on.
func replicaName() string {
	host, _ := os.Hostname()
	return host + "/" + crand.Text()[:10]
}

// SubscriptionInput is the body of a subscription's creation.
type SubscriptionInput struct {
	URL  *string `json:"url"`
	Name *string `json:"name"`
}

// Subscription is a subscribed calendar as people see it: never its
// address, only the host and a masked path.
type Subscription struct {
	ID       string `json:"id"`
	TeamID   string `json:"team_id"`
	MemberID string `json:"member_id"`
	Name     string `json:"name"`
	// URL is the address with its path masked.
	URL string `json:"url"`
	// State is ok, stale or failing; Reason says why when it is not ok.
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	// RefreshIntervalSeconds is the interval in force: the feed's, within
	// bounds, or the server's.
	RefreshIntervalSeconds int `json:"refresh_interval_seconds"`
	// Failures counts the failed refreshes since the last success.
	Failures      int       `json:"failures"`
	LastSuccessAt time.Time `json:"last_success_at"`
	LastAttemptAt time.Time `json:"last_attempt_at"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	CreatedAt     time.Time `json:"created_at"`
	// Calendar summarises the last good copy; lists leave it out.
	Calendar *CalendarSummary `json:"calendar,omitempty"`
}

// staleReason explains the stale state.
const staleReason = "the last successful refresh is older than twice the refresh interval"

// CreateSubscription subscribes a member to the calendar published at
// in.URL. The calendar is fetched at once and must pass the same rules as
// an upload: when the address is refused (not http, https or webcal, or it
// resolves or redirects to an address that is not public), the fetch fails
// or the calendar is refused, the answer is a *planner.FieldError naming
// "url" with the reason, and nothing is stored. A member has at most
// Limits.MaxSubscriptions subscriptions (*LimitError) and one per address
// (*ConflictError).
func (s *Service) CreateSubscription(ctx context.Context, teamID, memberID string, in SubscriptionInput) (*Subscription, error) {
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, err
	}
	if in.URL == nil {
		return nil, fieldError("url", "is required")
	}
	u, err := calendar.ParseFeedURL(*in.URL)
	if err != nil {
		return nil, fieldError("url", "%s", fetchReason(err))
	}
	name := u.Hostname()
	if in.Name != nil {
		if name, err = requireText("name", *in.Name, 200); err != nil {
			return nil, err
		}
	}
	sub := &store.Subscription{TeamID: m.TeamID, MemberID: m.ID, Name: name, URL: store.Secret(u.String()), MaskedURL: calendar.MaskURL(u)}
	out, err := s.fetchInto(ctx, m, sub, s.now().UTC())
	if err != nil {
		return nil, err
	}
	if out.failure != "" {
		return nil, fieldError("url", "%s", out.failure)
	}
	switch err := s.store.CreateSubscription(ctx, sub, s.limits.MaxSubscriptions); {
	case errors.Is(err, store.ErrTooMany):
		return nil, &LimitError{What: "calendar subscriptions per member", Max: s.limits.MaxSubscriptions}
	case errors.Is(err, store.ErrConflict):
		return nil, &ConflictError{Message: "the member already subscribes to this address"}
	case err != nil:
		return nil, notFoundAs(err, "member")
	}
	s.parsed.put(sub.SHA256, out.checked.cal, len(sub.ICS))
	return s.subscriptionView(ctx, m, sub, true)
}

// FindSubscription returns a member's subscription with a summary of its
// last good copy, or a *NotFoundError.
func (s *Service) FindSubscription(ctx context.Context, teamID, memberID, id string) (*Subscription, error) {
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, err
	}
	sub, err := s.store.FindSubscription(ctx, teamID, m.ID, id)
	if err != nil {
		return nil, notFoundAs(err, "subscription")
	}
	return s.subscriptionView(ctx, m, sub, true)
}

// FindSubscriptions lists a member's subscriptions in creation order, only
// those in state when it is not "" (ok, stale or failing, else a
// *planner.FieldError naming "state").
func (s *Service) FindSubscriptions(ctx context.Context, teamID, memberID, state string, page store.Page) ([]Subscription, string, error) {
	switch state {
	case "", store.SubscriptionOK, store.SubscriptionStale, store.SubscriptionFailing:
	default:
		return nil, "", fieldError("state", "%q is not a state; use ok, stale or failing", Excerpt(state))
	}
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, "", err
	}
	rows, next, err := s.store.FindSubscriptions(ctx, teamID, m.ID, state, s.now().UTC(), page)
	if err != nil {
		return nil, "", err
	}
	out := make([]Subscription, 0, len(rows))
	for i := range rows {
		v, err := s.subscriptionView(ctx, m, &rows[i], false)
		if err != nil {
			return nil, "", err
		}
		out = append(out, *v)
	}
	return out, next, nil
}

// DeleteSubscription ends a member's subscription and drops its copy; a
// refresh in flight writes nothing.
func (s *Service) DeleteSubscription(ctx context.Context, teamID, memberID, id string) error {
	if _, err := s.FindMember(ctx, teamID, memberID); err != nil {
		return err
	}
	return notFoundAs(s.store.DeleteSubscription(ctx, teamID, memberID, id), "subscription")
}

// RefreshSubscription refreshes a member's subscription now, whatever its
// schedule, and returns it as it then is: a failed refresh is not an error
// but the state failing with its reason. It returns a *ConflictError when a
// refresh of it is already in flight on some replica.
func (s *Service) RefreshSubscription(ctx context.Context, teamID, memberID, id string) (*Subscription, error) {
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	sub, err := s.store.ClaimSubscription(ctx, teamID, m.ID, id, s.subs.owner, now, now.Add(s.subs.opts.Lease))
	switch {
	case errors.Is(err, store.ErrConflict):
		return nil, &ConflictError{Message: "a refresh of this subscription is in progress; try again shortly"}
	case err != nil:
		return nil, notFoundAs(err, "subscription")
	}
	switch err := s.refreshClaimed(ctx, m, sub); {
	case errors.Is(err, store.ErrConflict):
		return nil, &NotFoundError{What: "subscription"} // deleted during the refresh
	case err != nil:
		return nil, err
	}
	return s.subscriptionView(ctx, m, sub, true)
}

// RefreshDueSubscriptions refreshes, at most Workers at once, the
// subscriptions due now that no replica holds, taking a lease on each. It
// returns how many it claimed.
func (s *Service) RefreshDueSubscriptions(ctx context.Context) (int, error) {
	now := s.now().UTC()
	claimed, err := s.store.ClaimDueSubscriptions(ctx, s.subs.owner, now, now.Add(s.subs.opts.Lease), s.subs.opts.Workers)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for i := range claimed {
		wg.Go(func() {
			sub := &claimed[i]
			m, err := s.store.FindMemberByID(ctx, sub.TeamID, sub.MemberID)
			if err != nil {
				s.release(ctx, sub)
			} else {
				err = s.refreshClaimed(ctx, m, sub)
			}
			switch {
			case ctx.Err() != nil:
			case errors.Is(err, store.ErrConflict):
				s.subs.opts.Logger.Warn("subscription refresh discarded: its lease expired or it was deleted meanwhile", "subscription_id", sub.ID)
			case err != nil:
				s.subs.opts.Logger.Error("subscription refresh", "subscription_id", sub.ID, "error", err.Error())
			}
		})
	}
	wg.Wait()
	return len(claimed), ctx.Err()
}

// RunSubscriptionRefresh refreshes due subscriptions until ctx is done:
// several replicas may run it against one database, each refreshing what
// it leased.
func (s *Service) RunSubscriptionRefresh(ctx context.Context) {
	log := s.subs.opts.Logger
	log.Info("subscription refresh started", "replica", s.subs.owner, "default_interval", s.subs.opts.Interval.String())
	tick := time.NewTicker(s.subs.opts.PollEvery)
	defer tick.Stop()
	for {
		n, err := s.RefreshDueSubscriptions(ctx)
		if ctx.Err() != nil {
			log.Info("subscription refresh stopped", "replica", s.subs.owner)
			return
		}
		if err != nil {
			log.Error("claiming due subscriptions", "error", err.Error())
		}
		if n == s.subs.opts.Workers && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
}

// refreshClaimed refreshes a subscription this replica leased, writes the
// outcome and gives the lease back. When ctx ends first, it writes nothing
// and only gives the lease back. It returns store.ErrConflict when the
// lease was lost meanwhile (it expired and another replica took over, or
// the subscription was deleted).
func (s *Service) refreshClaimed(ctx context.Context, m *store.Member, sub *store.Subscription) error {
	out, err := s.fetchInto(ctx, m, sub, s.now().UTC())
	if err != nil {
		s.release(ctx, sub)
		return err
	}
	if err := s.store.FinishSubscriptionRefresh(ctx, sub, s.subs.owner, out.newCopy); err != nil {
		return err
	}
	if out.newCopy {
		s.parsed.put(sub.SHA256, out.checked.cal, len(sub.ICS))
	}
	log := s.subs.opts.Logger.With("subscription_id", sub.ID, "member_id", sub.MemberID, "url", sub.MaskedURL, "result", out.result)
	switch {
	case out.failure != "":
		log.Warn("subscription refresh failed", "reason", out.failure, "failures", sub.Failures, "next_attempt_at", sub.NextAttemptAt)
	case out.newCopy:
		log.Info("subscription refreshed", "events", sub.Events, "next_attempt_at", sub.NextAttemptAt)
	default:
		log.Debug("subscription unchanged", "next_attempt_at", sub.NextAttemptAt)
	}
	return nil
}

// release gives back this replica's lease on sub without an outcome, even
// when ctx has ended (a stopping server), so another replica may refresh
// it at once. A killed process cannot; its lease expires instead.
func (s *Service) release(ctx context.Context, sub *store.Subscription) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.store.ReleaseSubscription(ctx, sub.ID, s.subs.owner); err != nil {
		s.subs.opts.Logger.Warn("giving back a subscription's lease", "subscription_id", sub.ID, "error", err.Error())
	}
}

// refreshOutcome is what one fetch did.
type refreshOutcome struct {
	// result labels the fetch in the metrics.
	result string
	// failure is the reason the refresh failed, "" when it succeeded.
	failure string
	// newCopy is set when the fetch brought a new calendar, checked.
	newCopy bool
	checked *checkedImport
	bytes   int
}

// fetchInto fetches sub's calendar (conditionally, when it has a copy),
// puts a new copy that passes the import rules into sub, and schedules the
// next attempt in sub: after the interval on success, after a jittered,
// growing delay on failure, keeping the copy. It writes nothing; an error
// means ctx ended.
func (s *Service) fetchInto(ctx context.Context, m *store.Member, sub *store.Subscription, now time.Time) (refreshOutcome, error) {
	started := time.Now()
	held := calendar.Validators{ETag: sub.ETag, LastModified: sub.LastModified}
	fetched, err := s.subs.fetcher.Fetch(ctx, sub.URL.Reveal(), held)
	var out refreshOutcome
	switch {
	case ctx.Err() != nil:
		return out, ctx.Err()
	case err != nil:
		var fe *calendar.FetchError
		out.result = "error"
		if errors.As(err, &fe) {
			out.result = strings.ReplaceAll(fe.Kind, "-", "_")
		}
		out.failure = fetchReason(err)
	case fetched.NotModified:
		out.result = "not_modified"
	default:
		if out, err = s.readCopy(ctx, m, sub, fetched.Body, now); err != nil {
			return out, err
		}
	}
	s.metrics.observe(out, time.Since(started))
	if out.failure != "" {
		sub.Failures++
		sub.LastError = out.failure
		sub.LastAttemptAt = now
		sub.NextAttemptAt = now.Add(retryDelay(sub.Failures, s.subs.opts.Interval))
		return out, nil
	}
	// The copy held now (new or confirmed) says how often to come back.
	interval := s.intervalOf(sub.ICS)
	sub.ETag, sub.LastModified = fetched.Validators.ETag, fetched.Validators.LastModified
	sub.IntervalSeconds = int(interval / time.Second)
	sub.Failures, sub.LastError = 0, ""
	sub.LastSuccessAt, sub.LastAttemptAt = now, now
	sub.NextAttemptAt, sub.StaleAt = now.Add(interval), now.Add(2*interval)
	return out, nil
}

// readCopy takes a fetched body into sub when it is new and passes the
// import rules, the upload's, under the member's zone and address.
func (s *Service) readCopy(ctx context.Context, m *store.Member, sub *store.Subscription, body []byte, now time.Time) (refreshOutcome, error) {
	out := refreshOutcome{bytes: len(body)}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) == sub.SHA256 {
		out.result = "unchanged"
		return out, nil
	}
	checked, err := s.checkImport(ctx, m, body)
	if err != nil {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		out.result = "invalid"
		out.failure = "the calendar at the address is refused: " + strings.TrimPrefix(err.Error(), "calendar: ")
		return out, nil
	}
	sub.ICS, sub.Events, sub.ImportedAt = string(body), checked.cal.EventCount(), now
	out.result, out.newCopy, out.checked = "ok", true, checked
	return out, nil
}

// intervalOf is the refresh interval of a copy: the one it asks for,
// within bounds, else the configured one. The calendar's own properties
// come first, so its head is enough.
func (s *Service) intervalOf(ics string) time.Duration {
	if asked, ok := calendar.FeedRefreshInterval([]byte(ics[:min(len(ics), 64<<10)])); ok {
		return min(max(asked, MinFeedInterval), MaxFeedInterval)
	}
	return s.subs.opts.Interval
}

// retryDelay is the wait before the next attempt after failures failed
// refreshes in a row: exponential from a minute (or the interval when
// shorter) up to six hours, then a random point in its upper half, so
// that replicas and subscriptions that failed together do not retry
// together.
func retryDelay(failures int, interval time.Duration) time.Duration {
	d := min(firstRetryDelay, interval)
	for i := 1; i < failures && d < maxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxRetryDelay)
	return d/2 + rand.N(d/2+1)
}

// fetchReason says why a fetch failed without quoting the address.
func fetchReason(err error) string {
	var fe *calendar.FetchError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return "the fetch failed"
}

// subscriptionView shows sub to people, with the summary of its copy when
// withCalendar is set.
func (s *Service) subscriptionView(ctx context.Context, m *store.Member, sub *store.Subscription, withCalendar bool) (*Subscription, error) {
	v := &Subscription{
		ID: sub.ID, TeamID: sub.TeamID, MemberID: sub.MemberID, Name: sub.Name, URL: sub.MaskedURL,
		State: sub.State(s.now()), RefreshIntervalSeconds: sub.IntervalSeconds, Failures: sub.Failures,
		LastSuccessAt: sub.LastSuccessAt.UTC(), LastAttemptAt: sub.LastAttemptAt.UTC(), NextAttemptAt: sub.NextAttemptAt.UTC(),
		CreatedAt: sub.CreatedAt.UTC(),
	}
	switch v.State {
	case store.SubscriptionFailing:
		v.Reason = sub.LastError
	case store.SubscriptionStale:
		v.Reason = staleReason
	}
	if withCalendar {
		summary, err := s.summarize(ctx, m, subscriptionCopy(sub))
		if err != nil {
			return nil, err
		}
		v.Calendar = summary
	}
	return v, nil
}

// subscriptionCopy is a subscription's last good copy as a stored calendar
// version of its member.
func subscriptionCopy(sub *store.Subscription) *store.MemberCalendar {
	return &store.MemberCalendar{MemberID: sub.MemberID, ICS: sub.ICS, SHA256: sub.SHA256, Events: sub.Events, ImportedAt: sub.ImportedAt}
}
