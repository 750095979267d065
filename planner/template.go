package planner

import (
	"fmt"
	"time"
)

// replacementTemplate is a short text a team can paste to replace the
// meeting with the suggested format, promising the team's response time.
func replacementTemplate(suggestion string, mt *meeting, perWeek float64, responseHours int) string {
	within := hoursText(responseHours)
	switch suggestion {
	case SuggestWrittenStandup:
		return fmt.Sprintf("Written stand-up instead of %q. %s, post in the team channel, at a time that suits you:\n"+
			"1. What did you finish since your last update?\n"+
			"2. What will you work on next?\n"+
			"3. What is blocking you, and who can help?\n"+
			"Read the others' updates and answer questions within %s.", mt.summary, cadence(perWeek), within)
	case SuggestRecordedVideo:
		return fmt.Sprintf("Recorded video instead of %q. The presenter records it (10 minutes or less works best) and posts the link "+
			"with a written summary of the key points. Questions go in the comments and are answered within %s; "+
			"anything the comments cannot settle goes to the next core-hours slot.", mt.summary, within)
	case SuggestDocComments:
		return fmt.Sprintf("Document comments instead of %q. The author shares the document with a review deadline %s ahead. "+
			"Reviewers comment in threads; the author answers every thread, resolves it, and writes the outcome at the top. "+
			"Only threads that do not converge go to the next core-hours slot.", mt.summary, within)
	case SuggestDecisionLog:
		return fmt.Sprintf("Decision-log entry instead of %q. Write the context, the options, a recommendation and who decides. "+
			"Objections and questions go in comments within %s; then the decider records the decision, its date and "+
			"the reasons in the team's decision log.", mt.summary, within)
	}
	return ""
}

// cadence says how often a written update is due: as often as the
// meeting met in the range.
func cadence(perWeek float64) string {
	switch {
	case perWeek >= 4:
		return "Each working day"
	case perWeek >= 0.9:
		return "Each week"
	case perWeek >= 0.4:
		return "Every other week"
	}
	return "When the meeting would have been"
}

// moveTemplate proposes a core window for a meeting.
func moveTemplate(mt *meeting, core *CoreHours, w Window, loc *time.Location) string {
	day, _ := ParseWeekday(w.Weekday)
	week := ""
	if core.CycleWeeks > 1 {
		week = fmt.Sprintf(" in week %d of %d of the rotation", w.Week+1, core.CycleWeeks)
	}
	return fmt.Sprintf("Move %q into the team's core hours, for example %s %s–%s (%s)%s, so that nobody attends it outside their working hours.",
		mt.summary, day.String()[:3], w.Start, w.End, loc, week)
}
