package planner

import (
	"math"
	"time"
)

// MemberBurden is what a proposal costs one member over its burden weeks:
// the range widened to whole weeks of the team zone, Monday to Monday, and
// then to whole cycles of the proposal, so that every week of a rotation
// counts, those the range does not reach included. Occurrences the member
// has time off for cost them nothing: they do not attend.
type MemberBurden struct {
	Member string `json:"member"`
	// The per-week figures average over all the burden weeks, the member's
	// weeks off included, so that members compare on the same footing.
	OutsideWorkingMinutesPerWeek   float64 `json:"outside_working_minutes_per_week"`
	OutsidePreferredMinutesPerWeek float64 `json:"outside_preferred_minutes_per_week"`
	// InconvenientMinutes is the total outside working hours over the
	// burden weeks.
	InconvenientMinutes int `json:"inconvenient_minutes"`
}

// Fairness summarises how evenly inconvenient minutes (MemberBurden's, time
// off left out) fall on members.
type Fairness struct {
	StdDevMinutes float64 `json:"stddev_minutes"`
	MaxMinutes    int     `json:"max_minutes"`
	// MaxMember carries MaxMinutes (the first such member in team order).
	MaxMember string `json:"max_member,omitempty"`
}

// weeks is a span of whole weeks in the team zone.
type weeks struct {
	span
	count int
}

// weeksAround widens period to whole weeks of loc, Monday 00:00 to Monday
// 00:00, and then to a whole number of cycles of cycleWeeks weeks.
func weeksAround(loc *time.Location, cycleWeeks int, period span) weeks {
	first := DateOf(time.Unix(period.start, 0).In(loc))
	monday := first.AddDays(-((int(first.Weekday()) + 6) % 7))
	last := DateOf(time.Unix(period.end-1, 0).In(loc))
	count := (last.days()-monday.days())/7 + 1
	count = (count + cycleWeeks - 1) / cycleWeeks * cycleWeeks
	return weeks{span{wallToUnix(monday, 0, loc), wallToUnix(monday.AddDays(7*count), 0, loc)}, count}
}

// burdens is each member's burden over the tally's weeks, and how fairly it
// falls.
func (t *tally) burdens(team Team) ([]MemberBurden, Fairness) {
	out := make([]MemberBurden, len(team.Members))
	var f Fairness
	var sum, sumSq int64
	for m, member := range team.Members {
		minutes := t.burden[m] / 60
		out[m] = MemberBurden{
			Member:                         member.ID,
			OutsideWorkingMinutesPerWeek:   round2(float64(minutes) / float64(t.weeks.count)),
			OutsidePreferredMinutesPerWeek: round2(float64(t.burdenPreferred[m]/60) / float64(t.weeks.count)),
			InconvenientMinutes:            int(minutes),
		}
		sum += minutes
		sumSq += minutes * minutes
		if int(minutes) > f.MaxMinutes {
			f.MaxMinutes, f.MaxMember = int(minutes), member.ID
		}
	}
	if n := int64(len(out)); n > 0 {
		f.StdDevMinutes = round2(math.Sqrt(variance(n, sum, sumSq)))
	}
	return out, f
}

// variance of n values from their sum and sum of squares, kept in integers
// until here so that equal sums give equal results however they were added.
func variance(n, sum, sumSq int64) float64 {
	mean := float64(sum) / float64(n)
	return max(0, float64(sumSq)/float64(n)-mean*mean)
}
