package planner

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The verdicts of meeting review.
const (
	VerdictGoAsync           = "go-async"
	VerdictMoveIntoCoreHours = "move-into-core-hours"
	VerdictKeepLive          = "keep-live"
)

// The async formats a meeting may be replaced by: the fixed vocabulary of
// suggestions.
const (
	SuggestWrittenStandup = "written-standup"
	SuggestRecordedVideo  = "recorded-video"
	SuggestDocComments    = "doc-comments"
	SuggestDecisionLog    = "decision-log"
)

// DefaultResponseHours is the async response time the templates promise
// when the team states none.
const DefaultResponseHours = 24

// ReviewInput is what meeting review looks at.
type ReviewInput struct {
	// Team's members carry their busy instances over the range.
	Team Team
	// Core is the team's adopted core hours; nil when it has none, and
	// then no meeting is outside core hours or moved into them.
	Core     *CoreHours
	Settings ReviewSettings
	// ResponseHours is how soon the team answers async messages, promised
	// by the templates; 0 means DefaultResponseHours.
	ResponseHours int
	From, To      time.Time
}

// Analysis is meeting review and the load report of one range, computed
// together: the load report counts what the review gives back.
type Analysis struct {
	Review Review     `json:"review"`
	Load   LoadReport `json:"load"`
}

// Review is every meeting of the team in the range with its verdict,
// sorted by the person-hours a week it would give back, most first.
type Review struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Weeks is the length of the range in weeks; the figures "per week"
	// are over the range divided by it. A range shorter than a week
	// counts as one week.
	Weeks            float64         `json:"weeks"`
	ResponseHours    int             `json:"response_hours"`
	CoreHoursAdopted bool            `json:"core_hours_adopted"`
	Meetings         []MeetingReview `json:"meetings"`
	// TotalPersonHoursPerWeek is what every go-async verdict together
	// gives back.
	TotalPersonHoursPerWeek float64          `json:"total_person_hours_per_week"`
	GiveBack                []MemberGiveBack `json:"give_back"`
	Verdicts                VerdictCounts    `json:"verdicts"`
	NotMeetings             NotMeetings      `json:"not_meetings"`
}

// MeetingReview is one meeting (one UID across the team's calendars) and
// what review says about it.
type MeetingReview struct {
	UID       string `json:"uid"`
	Summary   string `json:"summary"`
	Organizer string `json:"organizer"`
	Verdict   string `json:"verdict"`
	// Suggestion is the async format that could replace it, for go-async.
	Suggestion string `json:"suggestion,omitempty"`
	// Template is a ready text for the replacement (or for the move).
	Template    string   `json:"template,omitempty"`
	Explanation string   `json:"explanation"`
	Score       int      `json:"score"`
	Reasons     []Reason `json:"reasons"`
	// PersonHoursPerWeek is the give-back of a go-async verdict: each
	// occurrence's length times the members attending it, per week; 0 for
	// other verdicts.
	PersonHoursPerWeek float64 `json:"person_hours_per_week"`
	// AttendedHoursPerWeek is what the meeting takes from the team now,
	// counted the same way.
	AttendedHoursPerWeek float64             `json:"attended_hours_per_week"`
	DurationMinutes      int                 `json:"duration_minutes"`
	OccurrencesPerWeek   float64             `json:"occurrences_per_week"`
	Recurring            bool                `json:"recurring"`
	Frequency            string              `json:"frequency,omitempty"`
	HasAgenda            bool                `json:"has_agenda"`
	Attendees            AttendeeCounts      `json:"attendees"`
	Occurrences          []MeetingOccurrence `json:"occurrences"`
}

// Reason is one rule that applies to a meeting: its code, its weight in
// the score (0 for the reasons that keep a meeting live) and a sentence.
type Reason struct {
	Code   string `json:"code"`
	Weight int    `json:"weight"`
	Detail string `json:"detail"`
}

// AttendeeCounts says who a meeting is for.
type AttendeeCounts struct {
	// People are those invited who did not decline (rooms left out), and
	// at least the team members attending.
	People int `json:"people"`
	// Team are the members attending some occurrence, in team order.
	Team []string `json:"team"`
	// Others are the invited people who are not members of the team.
	Others int `json:"others"`
}

// MeetingOccurrence is one occurrence of a meeting in the range.
type MeetingOccurrence struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Attendees are the members for whom it is busy and who are not off.
	Attendees []string `json:"attendees"`
	// OutsideWorkingHours are the attendees for whom some of it falls
	// outside their working hours.
	OutsideWorkingHours []string `json:"outside_working_hours"`
	// InCoreHours says whether it lies wholly inside an occurrence of the
	// adopted core hours; absent when the team has adopted none.
	InCoreHours *bool `json:"in_core_hours,omitempty"`
	LocalTimes
}

// MemberGiveBack is what the go-async verdicts give back to one member.
type MemberGiveBack struct {
	Member             string  `json:"member"`
	Name               string  `json:"name"`
	PersonHoursPerWeek float64 `json:"person_hours_per_week"`
}

// VerdictCounts counts meetings by verdict.
type VerdictCounts struct {
	GoAsync           int `json:"go-async"`
	MoveIntoCoreHours int `json:"move-into-core-hours"`
	KeepLive          int `json:"keep-live"`
}

// NotMeetings counts the busy instances in the range that are not
// reviewed: all-day ones, those of a day or more (travel, conferences),
// and those nobody else attends (focus time, reminders).
type NotMeetings struct {
	AllDay      int `json:"all_day"`
	DayOrLonger int `json:"day_or_longer"`
	OnePerson   int `json:"one_person"`
}

// Analyze reviews the meetings in the members' calendars over [From, To)
// and reports each member's meeting load and core-hours burden. A meeting
// is one UID across calendars, counted in the range by the occurrences
// that start in it. Errors are *FieldError: the range, the team, the core
// hours ("core_hours.…") or the settings ("review_settings.…").
func Analyze(ctx context.Context, in ReviewInput) (Analysis, error) {
	r, err := newReviewer(in)
	if err != nil {
		return Analysis{}, err
	}
	tls, err := buildTimelines(ctx, in.Team, r.rng, r.horizon())
	if err != nil {
		return Analysis{}, err
	}
	meetings, skipped, err := findMeetings(ctx, &r.team, tls, r.coreSpans, r.rng)
	if err != nil {
		return Analysis{}, err
	}
	reviews := make([]MeetingReview, len(meetings))
	inParallel(len(meetings), minShare, func(from, to int) {
		titles := map[string][]string{}
		for i := from; i < to; i++ {
			if i%checkEvery == 0 && ctx.Err() != nil {
				return
			}
			reviews[i] = r.review(&meetings[i], titles)
		}
	})
	if err := ctx.Err(); err != nil {
		return Analysis{}, err
	}
	load, err := r.loadReport(ctx, tls, meetings, reviews)
	if err != nil {
		return Analysis{}, err
	}
	return Analysis{Review: r.summarize(reviews, skipped, load), Load: load}, nil
}

// reviewer holds what reviewing one team's meetings needs.
type reviewer struct {
	team          Team
	core          *CoreHours
	coreSpans     []span   // the core hours' occurrences around the range
	coreWindows   []Window // the core windows, Monday first
	settings      ReviewSettings
	lists         []wordList // one per titleRules entry
	responseHours int
	rng           span
	weeks         float64
}

func newReviewer(in ReviewInput) (*reviewer, error) {
	if err := validateRange(in.From, in.To); err != nil {
		return nil, err
	}
	if err := in.Team.Validate(); err != nil {
		return nil, err
	}
	if err := in.Settings.Validate(); err != nil {
		return nil, prefixed("review_settings", err)
	}
	r := &reviewer{team: in.Team, core: in.Core, settings: in.Settings, responseHours: cmp.Or(in.ResponseHours, DefaultResponseHours),
		rng: span{in.From.Unix(), in.To.Unix()}}
	r.coreWindows = weekOrder(in.Core)
	r.weeks = max(1, float64(r.rng.end-r.rng.start)/(7*secondsPerDay))
	if in.Core != nil {
		if err := in.Core.Validate(in.Team.Policy); err != nil {
			return nil, prefixed("core_hours", err)
		}
		for _, inst := range instances(*in.Core, in.Team.Location, r.rng.start, r.rng.end+maxMeetingSeconds) {
			r.coreSpans = append(r.coreSpans, inst.span)
		}
	}
	for _, rule := range titleRules {
		r.lists = append(r.lists, newWordList(rule.words(&in.Settings.Words)))
	}
	return r, nil
}

// horizon is where the members' hours are needed: the range and the day
// after it (occurrences starting in the range may end there), and the
// whole weeks over which core-hours burden is measured.
func (r *reviewer) horizon() span {
	h := span{r.rng.start, r.rng.end + maxMeetingSeconds}
	if r.core != nil {
		w := weeksAround(r.team.Location, r.core.CycleWeeks, r.rng)
		h = span{min(h.start, w.start), max(h.end, w.end)}
	}
	return h
}

// perWeek turns a total of seconds over the range into hours a week.
func (r *reviewer) perWeek(seconds int64) float64 {
	return round2(float64(seconds) / 3600 / r.weeks)
}

// review judges one meeting. titles memoizes the word lists' matches per
// summary.
func (r *reviewer) review(mt *meeting, titles map[string][]string) MeetingReview {
	out := MeetingReview{
		UID: mt.uid, Summary: mt.summary, Organizer: mt.organizer, DurationMinutes: mt.minutes,
		OccurrencesPerWeek: round2(float64(len(mt.occurrences)) / r.weeks),
		Recurring:          mt.recurring, Frequency: mt.frequency, HasAgenda: mt.hasAgenda,
		Attendees:   AttendeeCounts{People: mt.people, Team: r.memberIDs(mt.members), Others: mt.others},
		Occurrences: make([]MeetingOccurrence, len(mt.occurrences)),
	}
	var attended int64
	var ids memberIDs
	for i, occ := range mt.occurrences {
		o := MeetingOccurrence{Attendees: ids.of(r, occ.members), OutsideWorkingHours: ids.of(r, occ.outside)}
		o.Start, o.End = occ.times()
		if r.core != nil {
			o.InCoreHours = &occ.inCore
		}
		out.Occurrences[i] = o
		attended += (occ.end - occ.start) * int64(len(occ.members))
	}
	out.AttendedHoursPerWeek = r.perWeek(attended)
	matched := func(summary string) []string {
		words, ok := titles[summary]
		if !ok {
			words = r.matchTitle(summary)
			titles[summary] = words
		}
		return words
	}
	r.judge(mt, matched, &out)
	if out.Verdict == VerdictGoAsync {
		out.PersonHoursPerWeek = out.AttendedHoursPerWeek
	}
	return out
}

// matchTitle finds, for each of titleRules, the word of its list that the
// summary holds, or "".
func (r *reviewer) matchTitle(summary string) []string {
	t := newTitle(summary)
	out := make([]string, len(r.lists))
	for i := range r.lists {
		out[i], _ = r.lists[i].find(&t)
	}
	return out
}

func (r *reviewer) memberIDs(members []int32) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = r.team.Members[m].ID
	}
	return out
}

// memberIDs names members for a meeting's occurrences, which mostly have
// the same attendees: the names of a set of members just named are
// handed out again rather than built anew.
type memberIDs struct {
	members []int32
	ids     []string
}

func (n *memberIDs) of(r *reviewer, members []int32) []string {
	if len(members) == 0 {
		return []string{}
	}
	if !slices.Equal(n.members, members) {
		n.members, n.ids = members, r.memberIDs(members)
	}
	return n.ids
}

// summarize sorts the reviews by give-back and totals them.
func (r *reviewer) summarize(reviews []MeetingReview, skipped notMeetings, load LoadReport) Review {
	// Sorting small keys, then moving each review once, costs less than
	// sorting the reviews themselves.
	type sortKey struct {
		giveBack, attended float64
		at                 int
	}
	keys := make([]sortKey, len(reviews))
	for i := range reviews {
		keys[i] = sortKey{reviews[i].PersonHoursPerWeek, reviews[i].AttendedHoursPerWeek, i}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(cmp.Compare(b.giveBack, a.giveBack), cmp.Compare(b.attended, a.attended),
			strings.Compare(reviews[a.at].Summary, reviews[b.at].Summary), strings.Compare(reviews[a.at].UID, reviews[b.at].UID))
	})
	order := make([]int, len(keys))
	for i, k := range keys {
		order[i] = k.at
	}
	permute(reviews, order)
	out := Review{
		From: time.Unix(r.rng.start, 0).UTC(), To: time.Unix(r.rng.end, 0).UTC(), Weeks: round2(r.weeks),
		ResponseHours: r.responseHours, CoreHoursAdopted: r.core != nil, Meetings: reviews, GiveBack: []MemberGiveBack{},
		NotMeetings:             NotMeetings{AllDay: skipped.allDay, DayOrLonger: skipped.tooLong, OnePerson: skipped.alone},
		TotalPersonHoursPerWeek: load.Totals.GoAsyncHoursPerWeek,
	}
	for _, mr := range reviews {
		switch mr.Verdict {
		case VerdictGoAsync:
			out.Verdicts.GoAsync++
		case VerdictMoveIntoCoreHours:
			out.Verdicts.MoveIntoCoreHours++
		default:
			out.Verdicts.KeepLive++
		}
	}
	for _, ml := range load.Members {
		if ml.GoAsyncHoursPerWeek > 0 {
			out.GiveBack = append(out.GiveBack, MemberGiveBack{Member: ml.Member, Name: ml.Name, PersonHoursPerWeek: ml.GoAsyncHoursPerWeek})
		}
	}
	slices.SortStableFunc(out.GiveBack, func(a, b MemberGiveBack) int { return cmp.Compare(b.PersonHoursPerWeek, a.PersonHoursPerWeek) })
	return out
}

// permute puts s[order[i]] at i for every i, in place, following each
// cycle of the permutation once; order is left as the identity.
func permute[T any](s []T, order []int) {
	for i := range order {
		if order[i] == i {
			continue
		}
		held := s[i]
		at := i
		for order[at] != i {
			next := order[at]
			s[at] = s[next]
			order[at] = at
			at = next
		}
		s[at] = held
		order[at] = at
	}
}

// hoursText writes a number of hours for a sentence: "24 hours", "1 hour".
func hoursText(h int) string {
	if h == 1 {
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", h)
}

// ratio is a share between 0 and 1, rounded; 0 of nothing is 0.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*10000) / 10000
}
