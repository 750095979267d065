package service

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

// maxRange bounds the range one planning request may ask for.
const maxRange = 366 * 24 * time.Hour

// CheckRange validates a planning range, naming "from" or "to".
func CheckRange(from, to time.Time) error {
	switch {
	case from.IsZero():
		return fieldError("from", "is required: a date (2026-01-05) or an RFC 3339 instant (2026-01-05T00:00:00Z)")
	case to.IsZero():
		return fieldError("to", "is required: a date (2026-01-05) or an RFC 3339 instant (2026-01-05T00:00:00Z)")
	case !to.After(from):
		return fieldError("to", "must be after from")
	case to.Sub(from) > maxRange:
		return fieldError("to", "must be at most 366 days after from")
	}
	return nil
}

// CalendarNotice tells the reader of a planning answer that a member's
// calendar was not read whole: the instance budget cut it, or a stored
// calendar no longer reads.
type CalendarNotice struct {
	MemberID string `json:"member_id"`
	// SubscriptionID names the subscribed calendar at fault; it is absent
	// for the uploaded one.
	SubscriptionID string `json:"subscription_id,omitempty"`
	Line           int    `json:"line,omitempty"`
	Message        string `json:"message"`
}

// PlanningTeam is a team as the planner sees it over [From, To): members
// with their busy events from every calendar, read once.
type PlanningTeam struct {
	Team     planner.Team
	From, To time.Time
	// Notices lists the calendars read only in part; never nil.
	Notices []CalendarNotice
	// MembersWithCalendars counts the members with at least one calendar:
	// without any, availability is working hours and time off alone.
	MembersWithCalendars int
}

// LoadTeam loads a stored team with its members and the busy events of
// all their calendars, uploaded and subscribed, over [from, to). Each
// calendar version is parsed once per process (see parsedCalendars);
// members are expanded side by side within the per-calendar and
// per-request instance budgets.
func (s *Service) LoadTeam(ctx context.Context, teamID string, from, to time.Time) (*PlanningTeam, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	stored, err := s.FindTeam(ctx, teamID)
	if err != nil {
		return nil, err
	}
	members, err := s.store.FindAllMembers(ctx, teamID)
	if err != nil {
		return nil, err
	}
	versions, err := s.teamCalendarVersions(ctx, teamID)
	if err != nil {
		return nil, err
	}
	calendars, notices, err := s.parsedTeamCalendars(ctx, teamID, versions)
	if err != nil {
		return nil, err
	}
	memberCalendars := make([][]sourcedCalendar, len(members))
	for i, m := range members {
		memberCalendars[i] = calendars[m.ID]
	}
	return s.planningTeam(ctx, *stored, members, memberCalendars, from, to, notices)
}

// calendarVersion is one stored calendar of a member: the upload, or a
// subscription's last good copy.
type calendarVersion struct {
	memberID, subscriptionID, digest string
}

// sourcedCalendar is a parsed calendar of a member and the subscription it
// comes from ("" for the upload or a team file's).
type sourcedCalendar struct {
	cal *calendar.Calendar
	// read gives cal when it is nil: a team file's calendar, parsed when
	// its member's busy time is read.
	read           CalendarReader
	subscriptionID string
	// digest is the stored version's SHA-256, which lets its expansions be
	// kept; "" for a team file's calendar.
	digest string
}

// teamCalendarVersions lists every calendar of the team's members, uploads
// first, without their texts.
func (s *Service) teamCalendarVersions(ctx context.Context, teamID string) ([]calendarVersion, error) {
	uploads, err := s.store.FindTeamCalendars(ctx, teamID)
	if err != nil {
		return nil, err
	}
	subscribed, err := s.store.FindTeamSubscriptionCopies(ctx, teamID)
	if err != nil {
		return nil, err
	}
	versions := make([]calendarVersion, 0, len(uploads)+len(subscribed))
	for _, u := range uploads {
		versions = append(versions, calendarVersion{memberID: u.MemberID, digest: u.SHA256})
	}
	for _, c := range subscribed {
		versions = append(versions, calendarVersion{memberID: c.MemberID, subscriptionID: c.ID, digest: c.SHA256})
	}
	return versions, nil
}

// planningTeam converts a team and adds each member's busy events from
// their calendars over [from, to), after the notices already gathered.
func (s *Service) planningTeam(ctx context.Context, t store.Team, members []store.Member, calendars [][]sourcedCalendar, from, to time.Time, notices []CalendarNotice) (*PlanningTeam, error) {
	team, err := buildTeam(t, members)
	if err != nil {
		return nil, err
	}
	emails := make([]string, len(members))
	for i, m := range members {
		emails[i] = m.Email
	}
	out := &PlanningTeam{Team: team, From: from.UTC(), To: to.UTC()}
	for _, c := range calendars {
		if len(c) > 0 {
			out.MembersWithCalendars++
		}
	}
	cut, err := s.addBusy(ctx, &out.Team, emails, calendars, out.From, out.To)
	if err != nil {
		return nil, err
	}
	out.Notices = append(append([]CalendarNotice{}, notices...), cut...)
	return out, nil
}

// parsedTeamCalendars returns each member's parsed calendars, fetching
// the text only of versions not parsed yet, once per digest. A stored
// calendar that no longer reads is left out with a notice rather than
// failing the team.
func (s *Service) parsedTeamCalendars(ctx context.Context, teamID string, versions []calendarVersion) (map[string][]sourcedCalendar, []CalendarNotice, error) {
	byDigest := map[string]*calendar.Calendar{}
	failed := map[string]error{}
	var missing []string
	for _, v := range versions {
		if _, seen := byDigest[v.digest]; seen {
			continue
		}
		cal, ok := s.parsed.lookup(v.digest)
		byDigest[v.digest] = cal
		if !ok {
			missing = append(missing, v.digest)
		}
	}
	if len(missing) > 0 {
		texts, err := s.store.FindCalendarTexts(ctx, teamID, missing)
		if err != nil {
			return nil, nil, err
		}
		parsed := make([]*calendar.Calendar, len(missing))
		errs := make([]error, len(missing))
		group, groupCtx := errgroup.WithContext(ctx)
		group.SetLimit(runtime.GOMAXPROCS(0))
		for i, digest := range missing {
			text, ok := texts[digest]
			if !ok {
				continue // replaced since: the next request reads the new one
			}
			group.Go(func() error {
				if err := groupCtx.Err(); err != nil {
					return err
				}
				parsed[i], errs[i] = s.parsed.get(groupCtx, digest, text)
				return nil
			})
		}
		if err := group.Wait(); err != nil {
			return nil, nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for i, digest := range missing {
			byDigest[digest] = parsed[i]
			if errs[i] != nil {
				failed[digest] = errs[i]
			}
		}
	}
	out := make(map[string][]sourcedCalendar, len(versions))
	var notices []CalendarNotice
	for _, v := range versions {
		switch {
		case failed[v.digest] != nil:
			notices = append(notices, CalendarNotice{MemberID: v.memberID, SubscriptionID: v.subscriptionID, Message: failed[v.digest].Error()})
		case byDigest[v.digest] != nil:
			out[v.memberID] = append(out[v.memberID], sourcedCalendar{cal: byDigest[v.digest], subscriptionID: v.subscriptionID, digest: v.digest})
		}
	}
	return out, notices, nil
}

// buildTeam converts a stored team and its members; stored values were
// validated on write, so an error names the member at fault.
func buildTeam(t store.Team, members []store.Member) (planner.Team, error) {
	team, err := plannerTeamHeader(t)
	if err != nil {
		return team, err
	}
	team.Members = make([]planner.Member, len(members))
	for i, m := range members {
		if team.Members[i], err = plannerMember(m); err != nil {
			return team, under(fmt.Sprintf("members[%d]", i), err)
		}
	}
	return team, nil
}

// addBusy expands each member's calendars over [from, to) into their busy
// events, members side by side, sharing the request's instance budget.
func (s *Service) addBusy(ctx context.Context, team *planner.Team, emails []string, calendars [][]sourcedCalendar, from, to time.Time) ([]CalendarNotice, error) {
	budget := &instanceBudget{perCalendar: s.limits.MaxCalendarInstances}
	budget.remaining.Store(int64(s.limits.MaxRequestInstances))
	notices := make([][]CalendarNotice, len(team.Members))
	group, groupCtx := errgroup.WithContext(ctx)
	group.SetLimit(runtime.GOMAXPROCS(0))
	for i := range team.Members {
		if len(calendars[i]) == 0 {
			continue
		}
		group.Go(func() error {
			m := &team.Members[i]
			var busy [][]planner.Event
			for _, c := range calendars[i] {
				if err := groupCtx.Err(); err != nil {
					return err
				}
				allowed := budget.reserve()
				if allowed == 0 {
					notices[i] = append(notices[i], CalendarNotice{MemberID: m.ID, SubscriptionID: c.subscriptionID,
						Message: fmt.Sprintf("not read: the request's budget of %d calendar instances is spent; ask for a shorter range", s.limits.MaxRequestInstances)})
					continue
				}
				found, err := s.expandKept(groupCtx, c, emails[i], m.Location, from, to, allowed)
				if err != nil {
					return err
				}
				budget.refund(allowed - len(found.busy))
				busy = append(busy, found.busy)
				if found.cut != nil {
					notices[i] = append(notices[i], CalendarNotice{MemberID: m.ID, SubscriptionID: c.subscriptionID, Line: found.cut.Line,
						Message: found.cut.Error() + "; instances after it in the range were not read"})
				}
			}
			m.Busy = joinBusy(busy)
			return nil
		})
	}
	if err := group.Wait(); err != nil {
		return nil, err
	}
	var out []CalendarNotice
	for _, n := range notices {
		out = append(out, n...)
	}
	return out, nil
}

// joinBusy is the busy time of all of a member's calendars. One calendar's
// events are used as they are, shared with the cache of expansions (the
// planner only reads them); several are copied into a slice of their own.
func joinBusy(calendars [][]planner.Event) []planner.Event {
	if len(calendars) == 1 {
		return calendars[0]
	}
	var out []planner.Event
	for _, events := range calendars {
		out = append(out, events...)
	}
	return out
}

// expandKept is expandBusy through the cache of expansions, for stored
// calendars.
func (s *Service) expandKept(ctx context.Context, c sourcedCalendar, email string, zone *time.Location, from, to time.Time, budget int) (expanded, error) {
	if c.read != nil {
		cal, err := c.read(ctx)
		if err != nil {
			return expanded{}, err
		}
		return s.expandBusy(ctx, cal, email, zone, from, to, budget)
	}
	if c.digest == "" {
		return s.expandBusy(ctx, c.cal, email, zone, from, to, budget)
	}
	key := expansionKey{digest: c.digest, zone: zone.String(), email: email, from: from.UnixNano(), to: to.UnixNano(), budget: budget}
	if found, ok := s.expanded.cache.GetIfPresent(key); ok {
		return found, nil
	}
	found, err := s.expandBusy(ctx, c.cal, email, zone, from, to, budget)
	if err == nil {
		s.expanded.cache.Set(key, found)
	}
	return found, err
}

// instanceBudget shares one request's instance budget between calendars
// expanded side by side: each reserves up to its own limit before
// expanding and gives back what it did not use, so together they never
// pass the request's budget.
type instanceBudget struct {
	remaining   atomic.Int64
	perCalendar int
}

func (b *instanceBudget) reserve() int {
	for {
		left := b.remaining.Load()
		n := min(left, int64(b.perCalendar))
		if n <= 0 {
			return 0
		}
		if b.remaining.CompareAndSwap(left, left-n) {
			return int(n)
		}
	}
}

func (b *instanceBudget) refund(n int) { b.remaining.Add(int64(n)) }

// OverlapResult is the heat map of a range.
type OverlapResult struct {
	From    time.Time        `json:"from"`
	To      time.Time        `json:"to"`
	Overlap planner.HeatMap  `json:"overlap"`
	Notices []CalendarNotice `json:"notices"`
	// MembersWithCalendars: see PlanningTeam.
	MembersWithCalendars int `json:"members_with_calendars"`
}

// Overlap computes a team's heat map over [from, to).
func (s *Service) Overlap(ctx context.Context, teamID string, from, to time.Time) (*OverlapResult, error) {
	pt, heat, err := s.overlap(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	return &OverlapResult{From: pt.From, To: pt.To, Overlap: heat, Notices: pt.Notices, MembersWithCalendars: pt.MembersWithCalendars}, nil
}

// overlap loads a team and computes its heat map over [from, to).
func (s *Service) overlap(ctx context.Context, teamID string, from, to time.Time) (*PlanningTeam, planner.HeatMap, error) {
	pt, err := s.LoadTeam(ctx, teamID, from, to)
	if err != nil {
		return nil, planner.HeatMap{}, err
	}
	heat, err := planner.Overlap(ctx, pt.Team, pt.From, pt.To)
	return pt, heat, err
}

// PlanResult is a team's plan over a range, with the notices about
// calendars it could not read whole.
type PlanResult struct {
	planner.TeamPlan
	Notices []CalendarNotice `json:"notices"`
	// MembersWithCalendars: see PlanningTeam.
	MembersWithCalendars int `json:"members_with_calendars"`
}

// Plan computes a team's ranked core-hours proposals over [from, to).
func (s *Service) Plan(ctx context.Context, teamID string, from, to time.Time) (*PlanResult, error) {
	pt, err := s.LoadTeam(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	plan, err := planner.Plan(ctx, pt.Team, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	return &PlanResult{TeamPlan: plan, Notices: pt.Notices, MembersWithCalendars: pt.MembersWithCalendars}, nil
}
