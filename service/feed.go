package service

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"golang.org/x/sync/singleflight"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

// A feed shows every slot of a window around now: the last four weeks and
// the next twelve, counted in whole UTC days.
const (
	feedPast     = 28 * 24 * time.Hour
	feedFuture   = 85 * 24 * time.Hour // twelve weeks after today
	feedRefresh  = time.Hour
	feedProdID   = "-//Overlap//Core hours feed//EN"
	feedUIDHost  = "overlap"
	feedFormat   = "feed-1" // changes with the shape of the output, so old ETags stop matching
	feedMaxLabel = 200
)

// ErrUnknownFeed is a feed token that names no feed: never issued, rotated
// away or revoked, which are not told apart.
var ErrUnknownFeed = errors.New("service: no such feed")

// FeedInput is the body of a feed's creation.
type FeedInput struct {
	// Label tells feeds apart in a list, e.g. who it was made for.
	Label string `json:"label"`
}

// CreateFeed makes a team feed, or a member's when memberID is not "", and
// returns it with its token, which is shown once and never stored.
func (s *Service) CreateFeed(ctx context.Context, teamID, memberID string, in FeedInput) (*store.Feed, string, error) {
	label := strings.TrimSpace(in.Label)
	if len(label) > feedMaxLabel {
		return nil, "", fieldError("label", "is longer than %d bytes", feedMaxLabel)
	}
	f := &store.Feed{TeamID: teamID, Label: label}
	what := "team"
	if memberID != "" {
		f.MemberID, what = &memberID, "member"
		if _, err := s.FindTeam(ctx, teamID); err != nil {
			return nil, "", err
		}
	}
	token, err := s.store.CreateFeed(ctx, f)
	if err != nil {
		return nil, "", notFoundAs(err, what)
	}
	return f, token, nil
}

// FindFeeds lists a team's feeds (a member's, when memberID is not ""),
// never their tokens.
func (s *Service) FindFeeds(ctx context.Context, teamID, memberID string, page store.Page) ([]store.Feed, string, error) {
	if _, err := s.FindTeam(ctx, teamID); err != nil {
		return nil, "", err
	}
	if memberID != "" {
		if _, err := s.FindMember(ctx, teamID, memberID); err != nil {
			return nil, "", err
		}
	}
	return s.store.FindFeeds(ctx, teamID, memberID, page)
}

// RotateFeed gives a feed a new token, returned once; the old URL stops
// working at once.
func (s *Service) RotateFeed(ctx context.Context, teamID, id string) (*store.Feed, string, error) {
	f, token, err := s.store.RotateFeed(ctx, teamID, id)
	return f, token, notFoundAs(err, "feed")
}

// DeleteFeed revokes a feed for good.
func (s *Service) DeleteFeed(ctx context.Context, teamID, id string) error {
	return notFoundAs(s.store.DeleteFeed(ctx, teamID, id), "feed")
}

// FeedVersion identifies what a feed shows now. A feed is a pure function
// of its subject (team or member), the team's revision, the first day of
// its window and how many of the window's slots have passed their agenda
// cutoff; the ETag is a hash of exactly those, so replicas agree on it and
// on the bytes, and it can be known without reading the team.
type FeedVersion struct {
	// ETag is a strong entity tag, quoted.
	ETag string
	// LastModified is when one of the inputs last changed, to the second.
	LastModified time.Time
	lookup       store.FeedLookup
	windowFrom   time.Time
	now          time.Time
}

// FeedBody is a rendered feed, also gzip-compressed.
type FeedBody struct {
	Plain, Gzip []byte
}

// feeds keeps what serving feeds reuses between requests.
type feeds struct {
	// schedules holds, by team and revision, what the cutoffs need.
	schedules *otter.Cache[string, *feedSchedule]
	// bodies holds rendered feeds by ETag.
	bodies *otter.Cache[string, *FeedBody]
	render singleflight.Group
	// lookups lets the requests for one token that arrive while its
	// lookup is in flight share that lookup's answer.
	lookups singleflight.Group
	// tokens keeps lookups on a database only this process writes.
	tokens *otter.Cache[string, keptLookup]
}

// feedCacheBytes bounds the rendered feeds kept in memory.
const feedCacheBytes = 64 << 20

func newFeeds() *feeds {
	return &feeds{
		schedules: otter.Must(&otter.Options[string, *feedSchedule]{MaximumSize: 10_000}),
		tokens:    otter.Must(&otter.Options[string, keptLookup]{MaximumSize: 100_000}),
		bodies: otter.Must(&otter.Options[string, *FeedBody]{
			MaximumWeight: feedCacheBytes,
			Weigher: func(_ string, b *FeedBody) uint32 {
				return uint32(min(len(b.Plain)+len(b.Gzip), math.MaxUint32))
			},
		}),
	}
}

// feedSchedule is what a team's feeds need to know about time at one
// revision: the slots' agenda cutoffs. It never changes for a revision, as
// every write that could change it moves the revision on.
type feedSchedule struct {
	teamID      string
	adoptions   []store.Adoption
	cutoffHours int
	// window memoizes the cutoffs of the last window asked for.
	window atomic.Pointer[windowCutoffs]
}

type windowCutoffs struct {
	from    time.Time
	cutoffs []time.Time // ascending
}

// cutoffs returns the agenda cutoffs of the slots in the window starting
// at from, ascending.
func (sc *feedSchedule) cutoffs(from time.Time) ([]time.Time, error) {
	if w := sc.window.Load(); w != nil && w.from.Equal(from) {
		return w.cutoffs, nil
	}
	slots, err := deriveSlots(sc.teamID, sc.adoptions, from, from.Add(feedPast+feedFuture))
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(slots))
	for i, sl := range slots {
		out[i] = planner.AgendaCutoff(sl.ref.Start, sc.cutoffHours)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	sc.window.Store(&windowCutoffs{from: from, cutoffs: out})
	return out, nil
}

// feedWindowFrom is the first instant of the window of a feed read at now.
func feedWindowFrom(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour).Add(-feedPast)
}

// FeedVersion looks token up and says what its feed shows now; an
// unknown token is ErrUnknownFeed. Once the team's schedule for its
// revision is known to this process, this is the token lookup, which
// reads the revision in the same query, and nothing else.
func (s *Service) FeedVersion(ctx context.Context, token string) (*FeedVersion, error) {
	lookup, err := s.lookUpFeed(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.feedVersion(ctx, lookup, s.now())
}

// lookUpFeed finds a token's feed and its team's revision. A database only
// this process writes (SQLite) lets an answer be reused for as long as
// nothing was written since it was read.
func (s *Service) lookUpFeed(ctx context.Context, token string) (store.FeedLookup, error) {
	generation, exclusive := s.store.WriteGeneration()
	if exclusive {
		if kept, ok := s.feeds.tokens.GetIfPresent(token); ok && kept.generation == generation {
			return kept.lookup, nil
		}
	}
	found, err, _ := s.feeds.lookups.Do(token, func() (any, error) { return s.store.FindFeedByToken(ctx, token) })
	if errors.Is(err, store.ErrNotFound) {
		return store.FeedLookup{}, ErrUnknownFeed
	}
	if err != nil {
		return store.FeedLookup{}, err
	}
	lookup := *found.(*store.FeedLookup)
	if exclusive {
		s.feeds.tokens.Set(token, keptLookup{lookup: lookup, generation: generation})
	}
	return lookup, nil
}

// keptLookup is a token's lookup and the write generation it was read at.
type keptLookup struct {
	lookup     store.FeedLookup
	generation uint64
}

func (s *Service) feedVersion(ctx context.Context, lookup store.FeedLookup, now time.Time) (*FeedVersion, error) {
	sc, err := s.feedSchedule(ctx, lookup)
	if err != nil {
		return nil, err
	}
	from := feedWindowFrom(now)
	cutoffs, err := sc.cutoffs(from)
	if err != nil {
		return nil, err
	}
	passed := sort.Search(len(cutoffs), func(i int) bool { return cutoffs[i].After(now) })
	modified := laterOf(lookup.RevisedAt, from.Add(feedPast))
	if passed > 0 {
		modified = laterOf(modified, cutoffs[passed-1])
	}
	subject := "team"
	if lookup.MemberID != "" {
		subject = "member:" + lookup.MemberID
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{feedFormat, lookup.TeamID, subject,
		strconv.FormatInt(lookup.Revision, 10), from.Format(time.DateOnly), strconv.Itoa(passed)}, "|")))
	return &FeedVersion{
		ETag:         `"` + hex.EncodeToString(sum[:16]) + `"`,
		LastModified: modified.Truncate(time.Second),
		lookup:       lookup, windowFrom: from, now: now,
	}, nil
}

// feedSchedule returns the team's schedule at the lookup's revision,
// reading it on the first request for that revision.
func (s *Service) feedSchedule(ctx context.Context, lookup store.FeedLookup) (*feedSchedule, error) {
	key := lookup.TeamID + "@" + strconv.FormatInt(lookup.Revision, 10)
	if sc, ok := s.feeds.schedules.GetIfPresent(key); ok {
		return sc, nil
	}
	t, err := s.FindTeam(ctx, lookup.TeamID)
	if err != nil {
		return nil, err
	}
	// Windows only move forward, so the adoptions from this one on serve
	// every later window of the revision.
	adoptions, err := s.store.FindAdoptions(ctx, lookup.TeamID, feedWindowFrom(s.now()), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	again, err := s.FindTeam(ctx, lookup.TeamID)
	if err != nil {
		return nil, err
	}
	if t.Revision != lookup.Revision || again.Revision != lookup.Revision {
		return nil, store.ErrStale
	}
	sc := &feedSchedule{teamID: lookup.TeamID, adoptions: adoptions, cutoffHours: t.Policy.AgendaCutoffHours}
	s.feeds.schedules.Set(key, sc)
	return sc, nil
}

// Feed serves the feed of token: it works out its version and, unless
// notModified says the caller has it already, its body, rendered once per
// version per process. An unknown token is ErrUnknownFeed.
func (s *Service) Feed(ctx context.Context, token string, notModified func(*FeedVersion) bool) (*FeedVersion, *FeedBody, error) {
	for range maxRereads {
		v, err := s.FeedVersion(ctx, token)
		if errors.Is(err, store.ErrStale) {
			continue
		}
		if err != nil || notModified(v) {
			return v, nil, err
		}
		if body, ok := s.feeds.bodies.GetIfPresent(v.ETag); ok {
			return v, body, nil
		}
		rendered, err, _ := s.feeds.render.Do(v.ETag, func() (any, error) {
			body, err := s.renderFeed(ctx, v)
			if err == nil {
				s.feeds.bodies.Set(v.ETag, body)
			}
			return body, err
		})
		if errors.Is(err, store.ErrStale) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return v, rendered.(*FeedBody), nil
	}
	return nil, nil, &ConflictError{Message: "the team is changing too fast to be read; try again"}
}

// renderFeed writes the feed of v from the team as of v's revision, or
// returns store.ErrStale when the team has moved on since.
func (s *Service) renderFeed(ctx context.Context, v *FeedVersion) (*FeedBody, error) {
	set, err := s.loadSlots(ctx, v.lookup.TeamID, v.windowFrom, v.windowFrom.Add(feedPast+feedFuture), v.now)
	if err != nil {
		return nil, err
	}
	if set.team.Revision != v.lookup.Revision {
		return nil, store.ErrStale
	}
	feed, err := buildFeed(set, v.lookup.MemberID)
	if err != nil {
		return nil, err
	}
	var plain bytes.Buffer
	if err := calendar.WriteFeed(&plain, feed); err != nil {
		return nil, err
	}
	var zipped bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zipped, gzip.BestCompression)
	zw.Write(plain.Bytes())
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &FeedBody{Plain: plain.Bytes(), Gzip: zipped.Bytes()}, nil
}

// buildFeed turns slots into a feed: the team's, or in the zone of the
// member memberID, with their own conflicts and agenda items marked.
func buildFeed(set *slotSet, memberID string) (calendar.Feed, error) {
	t := set.team
	names := make(map[string]string, len(set.planning.Members))
	var member *planner.Member
	for i := range set.planning.Members {
		m := &set.planning.Members[i]
		names[m.ID] = m.Name
		if m.ID == memberID {
			member = m
		}
	}
	zone := set.planning.Location
	feed := calendar.Feed{
		ProdID:      feedProdID,
		Name:        t.Name + " core hours",
		Description: feedDescription(t),
		Zone:        zone,
		Refresh:     feedRefresh,
		Events:      make([]calendar.FeedEvent, 0, len(set.slots)),
	}
	if memberID != "" {
		if member == nil {
			return feed, &NotFoundError{What: "member"}
		}
		feed.Name += " for " + member.Name
		feed.Zone = member.Location
	}
	for i := range set.slots {
		feed.Events = append(feed.Events, slotEvent(t, &set.slots[i], names, member, feed.Zone))
	}
	return feed, nil
}

func feedDescription(t store.Team) string {
	return fmt.Sprintf("Live core hours of %s. Each slot needs an agenda %d hours before it starts; "+
		"a slot without one is cancelled and the team works async instead.\n\nNorms:\n%s", t.Name, t.Policy.AgendaCutoffHours, NormsText(t.Norms))
}

// feedStatuses maps a slot's status to its VEVENT STATUS.
var feedStatuses = map[planner.SlotStatus]string{
	planner.SlotReady:          "CONFIRMED",
	planner.SlotNeedsAgenda:    "TENTATIVE",
	planner.SlotCancelledAsync: "CANCELLED",
}

// slotEvent is one slot as a VEVENT; member, when not nil, is whose feed it is.
func slotEvent(t store.Team, sl *Slot, names map[string]string, member *planner.Member, zone *time.Location) calendar.FeedEvent {
	uid := sl.ID
	if member != nil {
		uid += "-" + member.ID
	}
	ev := calendar.FeedEvent{
		UID: uid + "@" + feedUIDHost, Sequence: sl.Sequence, Start: sl.Start, End: sl.End,
		Summary: slotSummary(t, sl), Description: slotDescription(t, sl, names, member, zone),
		Location: t.ConferenceURL, URL: t.ConferenceURL, Status: feedStatuses[sl.Status],
		Stamp: sl.UpdatedAt, LastModified: sl.UpdatedAt, Categories: []string{"Core hours", string(sl.Status)},
	}
	return ev
}

func slotSummary(t store.Team, sl *Slot) string {
	base := t.Name + " core hours"
	switch {
	case sl.Status == planner.SlotCancelledAsync:
		return "Cancelled, go async: " + base
	case sl.Status == planner.SlotNeedsAgenda:
		return base + " (agenda needed)"
	case len(sl.Agenda) == 1:
		return base + ": " + sl.Agenda[0].Title
	}
	return fmt.Sprintf("%s: %s and %d more", base, sl.Agenda[0].Title, len(sl.Agenda)-1)
}

// localTime writes an instant as people in zone read it.
func localTime(at time.Time, zone *time.Location) string {
	return at.In(zone).Format("Mon 2 Jan 2006 15:04") + " (" + zone.String() + ")"
}

func slotDescription(t store.Team, sl *Slot, names map[string]string, member *planner.Member, zone *time.Location) string {
	var b strings.Builder
	switch sl.Status {
	case planner.SlotCancelledAsync:
		fmt.Fprintf(&b, "Cancelled: %s\n", sl.Cancellation.Reason)
	case planner.SlotNeedsAgenda:
		fmt.Fprintf(&b, "Needs an agenda by %s, or it is cancelled for async work.\n", localTime(sl.AgendaCutoff, zone))
	}
	if len(sl.Agenda) > 0 {
		fmt.Fprintf(&b, "\nAgenda (%d of %d minutes):\n", sl.AgendaMinutes, int(sl.End.Sub(sl.Start)/time.Minute))
		for _, it := range sl.Agenda {
			owner := "no owner"
			if it.Owner != nil {
				owner = names[*it.Owner]
				if member != nil && *it.Owner == member.ID {
					owner += " (you)"
				}
			}
			fmt.Fprintf(&b, "- [%s] %s: %s, %d min", it.Kind, it.Title, owner, it.Minutes)
			if it.PreReadURL != "" {
				fmt.Fprintf(&b, ". Pre-read: %s", it.PreReadURL)
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\nCan attend: %d of %d.", len(sl.Attendees), len(names))
	if len(sl.Conflicts) > 0 {
		who := make([]string, len(sl.Conflicts))
		for i, c := range sl.Conflicts {
			// Others' event titles stay private: the team feed says only why.
			who[i] = names[c.Member] + " (" + strings.ReplaceAll(c.Reason, "_", " ") + ")"
		}
		fmt.Fprintf(&b, " Conflicts: %s.", strings.Join(who, ", "))
	}
	if len(sl.OutsideHours) > 0 {
		who := make([]string, len(sl.OutsideHours))
		for i, id := range sl.OutsideHours {
			who[i] = names[id]
		}
		fmt.Fprintf(&b, " Outside working hours: %s.", strings.Join(who, ", "))
	}
	b.WriteString("\n")
	if member != nil {
		b.WriteString(memberNote(sl, member.ID))
	}
	if t.ConferenceURL != "" {
		fmt.Fprintf(&b, "\nJoin: %s\n", t.ConferenceURL)
	}
	fmt.Fprintf(&b, "\nNorms:\n%s", NormsText(t.Norms))
	return b.String()
}

// memberNote tells a member where they stand for a slot.
func memberNote(sl *Slot, memberID string) string {
	for _, c := range sl.Conflicts {
		if c.Member != memberID {
			continue
		}
		if c.Reason == "busy" && c.Summary != "" {
			return "You: you have a conflict (" + c.Summary + ").\n"
		}
		return "You: you have a conflict (" + strings.ReplaceAll(c.Reason, "_", " ") + ").\n"
	}
	for _, id := range sl.OutsideHours {
		if id == memberID {
			return "You: this is outside your working hours.\n"
		}
	}
	return "You: you can attend.\n"
}
