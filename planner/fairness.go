package planner

// MemberBurden is what a proposal costs one member. Occurrences the member
// has time off for (a "time_off" conflict) cost them nothing: they do not
// attend.
type MemberBurden struct {
	Member string `json:"member"`
	// The per-week figures average over every week of the range, the
	// member's weeks off included (range length / 7 days), so that members
	// compare on the same footing and a figure times the weeks gives the
	// member's total.
	OutsideWorkingMinutesPerWeek   float64 `json:"outside_working_minutes_per_week"`
	OutsidePreferredMinutesPerWeek float64 `json:"outside_preferred_minutes_per_week"`
	// InconvenientMinutes is the total outside working hours over the range.
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
