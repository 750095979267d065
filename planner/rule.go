package planner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// titleRule is a rule that reads titles: either it names the async format
// that could replace the meeting (suggestion), or it marks meetings that
// are live on purpose (live says which).
type titleRule struct {
	code, setting string
	words         func(*ReviewWords) []string
	suggestion    string
	live          string
}

// titleRules in the order they are tried: when a title names several
// formats, the first one listed here is suggested.
var titleRules = []titleRule{
	{code: "status-title", setting: "status_title", words: func(w *ReviewWords) []string { return w.StatusTitle }, suggestion: SuggestWrittenStandup},
	{code: "one-way", setting: "one_way", words: func(w *ReviewWords) []string { return w.OneWay }, suggestion: SuggestRecordedVideo},
	{code: "review-by-meeting", setting: "review_by_meeting", words: func(w *ReviewWords) []string { return w.ReviewByMeeting }, suggestion: SuggestDocComments},
	{code: "decision-title", setting: "decision_title", words: func(w *ReviewWords) []string { return w.DecisionTitle }, suggestion: SuggestDecisionLog},
	{code: "one-on-one", setting: "one_on_one", words: func(w *ReviewWords) []string { return w.OneOnOne }, live: "1:1 conversations stay live"},
	{code: "incident", setting: "incident", words: func(w *ReviewWords) []string { return w.Incident }, live: "incident, triage and on-call calls stay live"},
	{code: "retrospective", setting: "retrospective", words: func(w *ReviewWords) []string { return w.Retrospective }, live: "retrospectives stay live"},
	{code: "social", setting: "social", words: func(w *ReviewWords) []string { return w.Social }, live: "social time stays live"},
	{code: "interview", setting: "interview", words: func(w *ReviewWords) []string { return w.Interview }, live: "interviews stay live"},
	{code: "workshop", setting: "workshop", words: func(w *ReviewWords) []string { return w.Workshop }, live: "workshops and kickoffs stay live"},
}

// weightedRules are the reasons that count towards the score, with the
// name of their weight in the settings.
var weightedRules = []struct {
	code, setting string
	weight        func(*ReviewWeights) int
}{
	{"status-title", "status_title", func(w *ReviewWeights) int { return w.StatusTitle }},
	{"recurring", "recurring", func(w *ReviewWeights) int { return w.Recurring }},
	{"no-agenda", "no_agenda", func(w *ReviewWeights) int { return w.NoAgenda }},
	{"many-attendees", "many_attendees", func(w *ReviewWeights) int { return w.ManyAttendees }},
	{"long", "long", func(w *ReviewWeights) int { return w.Long }},
	{"outside-hours", "outside_hours", func(w *ReviewWeights) int { return w.OutsideHours }},
	{"outside-core-hours", "outside_core_hours", func(w *ReviewWeights) int { return w.OutsideCoreHours }},
	{"one-way", "one_way", func(w *ReviewWeights) int { return w.OneWay }},
	{"review-by-meeting", "review_by_meeting", func(w *ReviewWeights) int { return w.ReviewByMeeting }},
	{"decision-title", "decision_title", func(w *ReviewWeights) int { return w.DecisionTitle }},
}

func (r *reviewer) weight(code string) int {
	for _, rule := range weightedRules {
		if rule.code == code {
			return rule.weight(&r.settings.Weights)
		}
	}
	return 0
}

// judge gives a meeting its reasons, score and verdict. A meeting that is
// live on purpose stays live whatever its score: precision matters more
// than recall, so a meeting goes async only when nothing keeps it live,
// its title names the format that replaces it, and its score reaches the
// settings' go-async score. Failing that, a meeting outside some
// attendee's working hours and outside the core hours moves into them
// when a core window is long enough for it.
func (r *reviewer) judge(mt *meeting, matched func(string) []string, out *MeetingReview) {
	keep := r.keepLiveReasons(mt, matched)
	reasons, format := r.flagReasons(keep, mt, matched(mt.summary))
	flags := reasons[len(keep):]
	for _, f := range flags {
		out.Score += f.Weight
	}
	out.Reasons = reasons
	out.Verdict = VerdictKeepLive
	goal := r.settings.GoAsyncScore
	switch {
	case len(keep) > 0:
		out.Explanation = keep[0].Detail
	case format != nil && out.Score >= goal:
		out.Verdict, out.Suggestion = VerdictGoAsync, format.suggestion
		out.Template = replacementTemplate(format.suggestion, mt, out.OccurrencesPerWeek, r.responseHours)
		out.Explanation = fmt.Sprintf("Score %d reaches the go-async score of %d, and the title names what can replace it: %s.", out.Score, goal, format.suggestion)
	case hasReason(flags, "outside-hours") && hasReason(flags, "outside-core-hours"):
		w, ok := r.coreWindowFor(mt.minutes)
		if !ok {
			out.Explanation = fmt.Sprintf("It costs someone time outside their working hours, but no core window is long enough for its %d minutes.", mt.minutes)
			break
		}
		out.Verdict = VerdictMoveIntoCoreHours
		out.Template = moveTemplate(mt, r.core, w, r.team.Location)
		out.Explanation = "Nothing in its title names an async format, but it costs someone time outside their working hours and falls outside the core hours, where everyone is expected."
	case format == nil:
		out.Explanation = fmt.Sprintf("Score %d; nothing in its title names an async format that could replace it.", out.Score)
	default:
		out.Explanation = fmt.Sprintf("Score %d is below the go-async score of %d.", out.Score, goal)
	}
}

// keepLiveReasons are why a meeting stays live on purpose: two people, or
// a title (any of its occurrences') from a keep-live list.
func (r *reviewer) keepLiveReasons(mt *meeting, matched func(string) []string) []Reason {
	var keep []Reason
	if mt.people == 2 {
		keep = append(keep, Reason{Code: "one-on-one", Detail: "Two people meet: 1:1 conversations stay live."})
	}
	for k, rule := range titleRules {
		if rule.live == "" || hasReason(keep, rule.code) {
			continue
		}
		for _, summary := range mt.summaries {
			if word := matched(summary)[k]; word != "" {
				keep = append(keep, Reason{Code: rule.code, Detail: fmt.Sprintf("The title says %q: %s.", word, rule.live)})
				break
			}
		}
	}
	return keep
}

// flagReasons appends to reasons the weighted reasons that apply, rules
// weighing 0 left out, and returns the first format the title names.
func (r *reviewer) flagReasons(reasons []Reason, mt *meeting, words []string) ([]Reason, *titleRule) {
	flags := slices.Grow(reasons, 6)
	add := func(code, format string, args ...any) {
		if w := r.weight(code); w > 0 {
			flags = append(flags, Reason{Code: code, Weight: w, Detail: fmt.Sprintf(format, args...)})
		}
	}
	var replacement *titleRule
	for k, rule := range titleRules {
		if rule.suggestion == "" || words[k] == "" || r.weight(rule.code) == 0 {
			continue
		}
		add(rule.code, "The title says %q.", words[k])
		if replacement == nil {
			replacement = &titleRules[k]
		}
	}
	if mt.recurring {
		add("recurring", "It recurs%s: %s a week in the range.", frequencyText(mt.frequency), countText(float64(len(mt.occurrences))/r.weeks, "occurrence"))
	}
	if !mt.hasAgenda {
		add("no-agenda", "No agenda: no invitation has a description beyond how to join.")
	}
	if s := r.settings; mt.people >= s.ManyAttendees {
		add("many-attendees", "%d people are invited; %d or more count as many.", mt.people, s.ManyAttendees)
	}
	if s := r.settings; mt.minutes >= s.LongMinutes {
		add("long", "It lasts %d minutes; %d or more count as long.", mt.minutes, s.LongMinutes)
	}
	if who := r.outsideHoursText(mt); who != "" {
		add("outside-hours", "It falls outside the working hours of %s.", who)
	}
	if r.core != nil {
		outside := 0
		for _, occ := range mt.occurrences {
			if !occ.inCore {
				outside++
			}
		}
		if outside > 0 {
			add("outside-core-hours", "%d of %d occurrences fall outside the team's core hours.", outside, len(mt.occurrences))
		}
	}
	return flags, replacement
}

// maxNamed is how many members a sentence names before "and N more".
const maxNamed = 5

// outsideHoursText names the members for whom some occurrence falls
// outside their working hours, each with how many of the occurrences
// they attend: "Gus (4 of 4) and Fay (1 of 4)"; "" when nobody.
func (r *reviewer) outsideHoursText(mt *meeting) string {
	if !slices.ContainsFunc(mt.occurrences, func(occ meetingOccurrence) bool { return len(occ.outside) > 0 }) {
		return ""
	}
	outside := make([]int, len(mt.members))
	attended := make([]int, len(mt.members))
	for _, occ := range mt.occurrences {
		for _, m := range occ.members {
			i, _ := slices.BinarySearch(mt.members, m)
			attended[i]++
		}
		for _, m := range occ.outside {
			i, _ := slices.BinarySearch(mt.members, m)
			outside[i]++
		}
	}
	var named []string
	more := 0
	for i, m := range mt.members {
		switch {
		case outside[i] == 0:
		case len(named) == maxNamed:
			more++
		default:
			member := &r.team.Members[m]
			named = append(named, fmt.Sprintf("%s (%d of %d)", nameOf(member), outside[i], attended[i]))
		}
	}
	if more > 0 {
		named = append(named, fmt.Sprintf("%d more", more))
	}
	if len(named) == 1 {
		return named[0]
	}
	return strings.Join(named[:len(named)-1], ", ") + " and " + named[len(named)-1]
}

// nameOf is how a sentence names a member: their name, else their id.
func nameOf(m *Member) string { return cmp.Or(m.Name, m.ID) }

// coreWindowFor is the first adopted core window, Monday first, long
// enough for a meeting of the given minutes.
func (r *reviewer) coreWindowFor(minutes int) (Window, bool) {
	for _, w := range r.coreWindows {
		if int(w.End-w.Start) >= minutes {
			return w, true
		}
	}
	return Window{}, false
}

// weekOrder lists core windows in the order of the week, Monday first,
// the rotation's weeks one after the other; none for no core hours.
func weekOrder(core *CoreHours) []Window {
	if core == nil {
		return nil
	}
	order := func(w Window) int {
		day, _ := ParseWeekday(w.Weekday)
		return (w.Week*7+(int(day)+6)%7)*minutesPerDay + int(w.Start)
	}
	windows := slices.Clone(core.Windows)
	slices.SortStableFunc(windows, func(a, b Window) int { return cmp.Compare(order(a), order(b)) })
	return windows
}

func hasReason(reasons []Reason, code string) bool {
	return slices.ContainsFunc(reasons, func(r Reason) bool { return r.Code == code })
}

// frequencyText is " weekly" for "WEEKLY", "" when there is no rule.
func frequencyText(freq string) string {
	if freq == "" {
		return ""
	}
	word := map[string]string{"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}[freq]
	return " " + cmp.Or(word, "by a "+strings.ToLower(freq)+" rule")
}

// countText writes a count a week for a sentence: "1 occurrence", "4.75 occurrences".
func countText(n float64, noun string) string {
	n = round2(n)
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%g %ss", n, noun)
}
