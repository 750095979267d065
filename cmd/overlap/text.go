package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"overlap/planner"
	"overlap/service"
)

// The text format is for a person at a terminal: a few lines, times in the
// team's zone and each member's, the JSON's details left out. Long lists
// stop after a few lines and say how many more --format json has.

// textWriter writes lines and keeps the first error.
type textWriter struct {
	w   *bufio.Writer
	err error
}

func newTextWriter(w io.Writer) *textWriter { return &textWriter{w: bufio.NewWriter(w)} }

func (t *textWriter) line(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format+"\n", args...)
	}
}

func (t *textWriter) flush() error {
	if t.err != nil {
		return t.err
	}
	return t.w.Flush()
}

// textListed bounds the lines of one list.
const textListed = 12

// members looks up a team's members by id.
type members map[string]*planner.Member

func membersOf(team planner.Team) members {
	out := members{}
	for i := range team.Members {
		out[team.Members[i].ID] = &team.Members[i]
	}
	return out
}

func (m members) name(id string) string {
	if member, ok := m[id]; ok && member.Name != "" {
		return member.Name
	}
	return id
}

// namesOf lists names, the first few of them and how many more.
func namesOf(names []string) string {
	if len(names) <= 4 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
}

// dayAndTime is an instant as "Mon 11 Jan 2027 09:00".
func dayAndTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006 15:04")
}

func minutesText(minutes float64) string {
	switch {
	case minutes >= 120:
		return fmt.Sprintf("%.3g h", minutes/60)
	default:
		return fmt.Sprintf("%.4g min", minutes)
	}
}

// writePlanText summarises a plan: the best windows in the team's zone and
// each member's, who is outside their hours, the fairness spread, and the
// weeks when clocks move the windows for someone.
func writePlanText(w io.Writer, team *loadedTeamFile, plan planner.TeamPlan) error {
	out := newTextWriter(w)
	loc := team.Team.Location
	out.line("%s: %d members; times in %s, the team's zone.", team.file.Team.Name, len(team.Team.Members), loc)
	out.line("Range: %s to %s.", dayAndTime(team.From, loc), dayAndTime(team.To, loc))
	switch {
	case len(team.Team.Members) == 0:
		out.line("The team has no members: add them to the file, then plan.")
		return out.flush()
	case plan.NoOverlap:
		out.line("No moment in the range has every required member available.")
	default:
		out.line("Every required member is available at once for %s in the range.", minutesText(float64(plan.FullOverlapMinutes)))
	}
	if len(plan.Proposals) == 0 {
		out.line("No core hours fit the team's policy in this range: check the members' working hours and the policy.")
		return out.flush()
	}
	byID := membersOf(team.Team)
	best := plan.Proposals[0]
	out.line("")
	out.line("Best core hours (proposal 1 of %d, %s; %s):", len(plan.Proposals), kindText(best), quorumText(best))
	writeWindows(out, best, team.Team)
	writeBurden(out, best, byID)
	writeDSTText(out, plan.DSTChanges, best, byID)
	if len(plan.Proposals) > 1 {
		out.line("")
		out.line("Next best:")
		for _, p := range plan.Proposals[1:min(len(plan.Proposals), 4)] {
			out.line("  %d. %s (%s; %s; spread %s)", p.Rank, windowsText(p.Windows), kindText(p), quorumText(p), minutesText(p.Fairness.StdDevMinutes))
		}
	}
	return out.flush()
}

func kindText(p planner.Proposal) string {
	if p.CycleWeeks > 1 {
		return fmt.Sprintf("a rotation of %d weeks", p.CycleWeeks)
	}
	return "the same every week"
}

func quorumText(p planner.Proposal) string {
	if p.Score.MeetsQuorum {
		return "meets the quorum"
	}
	return fmt.Sprintf("misses the quorum, %.0f%% of required attendance", p.Score.RequiredAttendance*100)
}

// windowGroup is windows at the same times of the same cycle week, on
// several weekdays: "Mon–Fri 14:00–16:00".
type windowGroup struct {
	week       int
	start, end planner.Clock
	days       []string
	indices    []int
}

func groupWindows(windows []planner.Window) []windowGroup {
	var out []windowGroup
	for i, w := range windows {
		at := slices.IndexFunc(out, func(g windowGroup) bool { return g.week == w.Week && g.start == w.Start && g.end == w.End })
		if at < 0 {
			out = append(out, windowGroup{week: w.Week, start: w.Start, end: w.End})
			at = len(out) - 1
		}
		out[at].days = append(out[at].days, w.Weekday)
		out[at].indices = append(out[at].indices, i)
	}
	return out
}

var weekdayOrder = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// daysText is weekdays as "Mon–Fri" when they run on, else "Mon, Wed".
func daysText(days []string) string {
	positions := make([]int, len(days))
	for i, d := range days {
		positions[i] = slices.Index(weekdayOrder, d)
	}
	slices.Sort(positions)
	name := func(p int) string { return strings.ToUpper(weekdayOrder[p][:1]) + weekdayOrder[p][1:] }
	if n := len(positions); n >= 3 && positions[n-1]-positions[0] == n-1 {
		return name(positions[0]) + "–" + name(positions[n-1])
	}
	names := make([]string, len(positions))
	for i, p := range positions {
		names[i] = name(p)
	}
	return strings.Join(names, ", ")
}

func (g windowGroup) text(cycleWeeks int) string {
	s := fmt.Sprintf("%s %s–%s", daysText(g.days), g.start, g.end)
	if cycleWeeks > 1 {
		s += fmt.Sprintf(" (week %d of %d)", g.week+1, cycleWeeks)
	}
	return s
}

func windowsText(windows []planner.Window) string {
	cycle := 1
	for _, w := range windows {
		cycle = max(cycle, w.Week+1)
	}
	var parts []string
	for _, g := range groupWindows(windows) {
		parts = append(parts, g.text(cycle))
	}
	return strings.Join(parts, ", ")
}

// writeWindows lists the proposal's windows in the team's zone, and under
// each the local times of every zone the members are in, read from its
// first occurrence in the range.
func writeWindows(out *textWriter, p planner.Proposal, team planner.Team) {
	zones, names := membersByZone(team)
	for _, g := range groupWindows(p.Windows) {
		out.line("  %s %s", g.text(p.CycleWeeks), team.Location)
		at := slices.IndexFunc(p.Occurrences, func(o planner.Occurrence) bool { return slices.Contains(g.indices, o.Window) })
		if at < 0 {
			continue
		}
		o := p.Occurrences[at]
		teamDate := planner.DateOf(o.Start.In(team.Location))
		for _, zone := range zones {
			start, end := o.Start.In(zone), o.End.In(zone)
			day := ""
			switch date := planner.DateOf(start); {
			case teamDate.Before(date):
				day = ", the next day"
			case date.Before(teamDate):
				day = ", the day before"
			}
			out.line("    %-28s %s–%s%s  %s", zone.String(), start.Format("15:04"), end.Format("15:04"), day, namesOf(names[zone.String()]))
		}
	}
}

// membersByZone lists the members' zones in team order, and the names of
// each zone's members.
func membersByZone(team planner.Team) ([]*time.Location, map[string][]string) {
	var zones []*time.Location
	names := map[string][]string{}
	for _, m := range team.Members {
		key := m.Location.String()
		if _, seen := names[key]; !seen {
			zones = append(zones, m.Location)
		}
		names[key] = append(names[key], m.Name)
	}
	return zones, names
}

// writeBurden says who is asked outside their hours, and how fairly.
func writeBurden(out *textWriter, p planner.Proposal, byID members) {
	var outside []planner.MemberBurden
	for _, b := range p.Burden {
		if b.OutsideWorkingMinutesPerWeek > 0 || b.OutsidePreferredMinutesPerWeek > 0 {
			outside = append(outside, b)
		}
	}
	slices.SortStableFunc(outside, func(a, b planner.MemberBurden) int {
		return cmp.Compare(b.OutsideWorkingMinutesPerWeek, a.OutsideWorkingMinutesPerWeek)
	})
	if len(outside) == 0 {
		out.line("Everyone is inside their working and preferred hours.")
	} else {
		out.line("Outside their hours, a week:")
		for _, b := range outside[:min(len(outside), textListed)] {
			out.line("  %-28s %s outside working hours, %s outside preferred hours", byID.name(b.Member), minutesText(b.OutsideWorkingMinutesPerWeek), minutesText(b.OutsidePreferredMinutesPerWeek))
		}
		if more := len(outside) - textListed; more > 0 {
			out.line("  and %d more (--format json lists everyone)", more)
		}
	}
	f := p.Fairness
	if f.MaxMinutes == 0 {
		out.line("Fairness: nobody works outside their hours over %s.", weeksText(p.BurdenWeeks))
		return
	}
	out.line("Fairness: a spread (standard deviation) of %s outside working hours over %s; most: %s, %s.",
		minutesText(f.StdDevMinutes), weeksText(p.BurdenWeeks), byID.name(f.MaxMember), minutesText(float64(f.MaxMinutes)))
}

// writeDSTText lists, for the best proposal, the weeks in which a clock
// change moves its windows for the members of some zone.
func writeDSTText(out *textWriter, changes []planner.DSTChange, best planner.Proposal, byID members) {
	type move struct {
		zone, clocks, hours string
		names               []string
	}
	var weeks []planner.Date
	moves := map[planner.Date][]*move{}
	for _, c := range changes {
		if c.Rank != best.Rank {
			continue
		}
		member := byID[c.Member]
		week := c.Date.AddDays(-((int(c.Date.Weekday()) + 6) % 7))
		if _, seen := moves[week]; !seen {
			weeks = append(weeks, week)
		}
		m := &move{zone: member.Location.String(), clocks: fmt.Sprintf("%s → %s", c.LocalBefore, c.LocalAfter)}
		if c.WorkingBefore != c.WorkingAfter {
			m.hours = ", now " + insideText(c.WorkingAfter)
		}
		at := slices.IndexFunc(moves[week], func(o *move) bool { return o.zone == m.zone && o.clocks == m.clocks && o.hours == m.hours })
		if at < 0 {
			moves[week] = append(moves[week], m)
			at = len(moves[week]) - 1
		}
		if names := &moves[week][at].names; !slices.Contains(*names, member.Name) {
			*names = append(*names, member.Name)
		}
	}
	if len(weeks) == 0 {
		out.line("Clocks: no change in the range moves these windows for anyone.")
		return
	}
	out.line("Clocks change, and the windows move for some:")
	for _, week := range weeks[:min(len(weeks), textListed)] {
		var parts []string
		for _, m := range moves[week] {
			parts = append(parts, fmt.Sprintf("%s in %s %s%s", namesOf(m.names), m.zone, m.clocks, m.hours))
		}
		out.line("  week of %s: %s", dayLabelText(week), strings.Join(parts, "; "))
	}
	if more := len(weeks) - textListed; more > 0 {
		out.line("  and %d more weeks (--format json lists them)", more)
	}
}

func dayLabelText(d planner.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format("Mon 2 Jan 2006")
}

// weeksText is "1 week" or "3 weeks".
func weeksText(n int) string {
	if n == 1 {
		return "1 week"
	}
	return fmt.Sprintf("%d weeks", n)
}

func insideText(inside bool) string {
	if inside {
		return "inside working hours"
	}
	return "outside working hours"
}

// writeAnalysisText summarises a meeting review: the flagged meetings
// with their reasons and give-back, then each member's load.
func writeAnalysisText(w io.Writer, team *loadedTeamFile, a *service.Analysis) error {
	out := newTextWriter(w)
	loc := team.Team.Location
	out.line("Meeting review of %s, %s to %s (%.3g weeks); times in %s.", team.file.Team.Name, dayAndTime(a.From, loc), dayAndTime(a.To, loc), a.Weeks, loc)
	if len(a.Meetings) == 0 {
		out.line("No meetings of two or more people in the range: nothing to review. Give the members' calendars in the team file.")
		return out.flush()
	}
	v := a.Verdicts
	out.line("%d meetings: %d could go async, %d could move into core hours, %d stay live.", len(a.Meetings), v.GoAsync, v.MoveIntoCoreHours, v.KeepLive)
	out.line("Going async gives back %s a week.", personHours(a.TotalPersonHoursPerWeek))
	byID := membersOf(team.Team)
	for _, verdict := range []string{planner.VerdictGoAsync, planner.VerdictMoveIntoCoreHours} {
		writeFlagged(out, a.Meetings, verdict, loc)
	}
	if len(a.GiveBack) > 0 {
		var parts []string
		for _, g := range a.GiveBack[:min(len(a.GiveBack), textListed)] {
			parts = append(parts, fmt.Sprintf("%s %.3g h", g.Name, g.PersonHoursPerWeek))
		}
		out.line("")
		out.line("Given back a week: %s%s.", strings.Join(parts, ", "), moreText(len(a.GiveBack)))
	}
	writeLoadText(out, a.Load, byID)
	return out.flush()
}

func personHours(x float64) string {
	if x == 1 {
		return "1 person-hour"
	}
	return fmt.Sprintf("%.4g person-hours", x)
}

func moreText(n int) string {
	if n <= textListed {
		return ""
	}
	return fmt.Sprintf(" and %d more", n-textListed)
}

// writeFlagged lists the meetings with one verdict, each with its reasons.
func writeFlagged(out *textWriter, meetings []planner.MeetingReview, verdict string, loc *time.Location) {
	var flagged []planner.MeetingReview
	for _, m := range meetings {
		if m.Verdict == verdict {
			flagged = append(flagged, m)
		}
	}
	if len(flagged) == 0 {
		return
	}
	out.line("")
	if verdict == planner.VerdictGoAsync {
		out.line("Could go async:")
	} else {
		out.line("Could move into core hours:")
	}
	for _, m := range flagged[:min(len(flagged), textListed)] {
		what := fmt.Sprintf("%d min, %.3g a week", m.DurationMinutes, m.OccurrencesPerWeek)
		if len(m.Occurrences) > 0 {
			what = m.Occurrences[0].Start.In(loc).Format("Mon 15:04") + ", " + what
		}
		line := fmt.Sprintf("  %s (%s)", summaryText(m.Summary), what)
		if m.Suggestion != "" {
			line += fmt.Sprintf(" → %s, giving back %s a week", strings.ReplaceAll(m.Suggestion, "-", " "), personHours(m.PersonHoursPerWeek))
		}
		out.line("%s", line)
		for _, r := range m.Reasons {
			out.line("    - %s (%s)", r.Detail, r.Code)
		}
	}
	if more := len(flagged) - textListed; more > 0 {
		out.line("  and %d more (--format json lists them)", more)
	}
}

func summaryText(s string) string {
	if s == "" {
		return "(no title)"
	}
	return s
}

// writeLoadText lists the members with the most meeting hours first.
func writeLoadText(out *textWriter, load []planner.MemberLoad, byID members) {
	if len(load) == 0 {
		return
	}
	sorted := slices.Clone(load)
	slices.SortStableFunc(sorted, func(a, b planner.MemberLoad) int { return cmp.Compare(b.MeetingHoursPerWeek, a.MeetingHoursPerWeek) })
	out.line("")
	out.line("Load, hours a week (most meetings first):")
	for _, m := range sorted[:min(len(sorted), textListed)] {
		out.line("  %-28s %5.3g in meetings, %.3g outside working hours, %.3g could be given back; %d of %d core slots inconvenient",
			byID.name(m.Member), m.MeetingHoursPerWeek, m.OutsideWorkingHoursPerWeek, m.GoAsyncHoursPerWeek, m.InconvenientSlots, m.CoreSlots)
	}
	if more := len(sorted) - textListed; more > 0 {
		out.line("  and %d more (--format json lists everyone)", more)
	}
}
