package planner

import (
	"fmt"
	"math"
	"time"
)

// Event is one busy calendar instance, already expanded by the calendar
// layer (recurrences, transparency, cancellations and declines resolved).
// It keeps what meeting review needs beside the times, so that a busy
// instance has one shape from the calendar reader to every use.
type Event struct {
	UID string
	// RecurrenceID is the instance's original start (RFC 5545 §3.8.4.4) in
	// UTC; zero for an event that neither recurs nor overrides an occurrence.
	RecurrenceID time.Time
	Start, End   time.Time // UTC, half-open
	AllDay       bool
	Summary      string
	Organizer    string // address without "mailto:"
	// AttendeeCount counts the ATTENDEE entries, the member's own included.
	AttendeeCount int
	// Attendees are the addresses (lower case, without "mailto:") of the
	// attendees who are people, not rooms or equipment, and did not
	// decline. The instances of one event share the slice: read it only.
	Attendees []string
	// HasDescription is true when the description says something beyond
	// the conferencing details (join links, dial-in numbers) apps add.
	HasDescription bool
	// Recurring is true for an instance of a series (RRULE or RDATE) or an
	// override of one; Frequency is its RRULE's FREQ ("WEEKLY"), "" without one.
	Recurring bool
	Frequency string
}

// Member is one person's zone, hours and calendar.
type Member struct {
	ID   string
	Name string
	// Email is the address calendars invite the member by, in lower case:
	// meeting review tells team members from other attendees by it.
	Email    string
	Location *time.Location
	Working  WeeklyHours
	// Preferred hours; when empty, the working hours count as preferred.
	Preferred WeeklyHours
	// Required members count towards the quorum and the attendance ranking.
	Required bool
	// TimeOff dates are whole days in the member's zone.
	TimeOff []DateRange
	// Busy events that take no time (End <= Start) are ignored: a calendar
	// can hold anything, and one odd event must not stop a team's planning.
	// The planner only reads them, so callers may share one slice between
	// teams and requests.
	Busy []Event
}

// Policy limits the core hours a team may adopt.
type Policy struct {
	MaxCoreMinutesPerDay int
	MinSlotMinutes       int
	// Quorum is the share of required members (0..1) who must be inside their
	// working hours for a window to qualify.
	Quorum            float64
	CoreWeekdays      []time.Weekday
	AgendaCutoffHours int
}

// DefaultPolicy is the policy of a new team: two hours a day at most, slots of
// at least 30 minutes, every required member, Monday to Friday.
func DefaultPolicy() Policy {
	return Policy{
		MaxCoreMinutesPerDay: 120,
		MinSlotMinutes:       30,
		Quorum:               1,
		CoreWeekdays:         []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		AgendaCutoffHours:    24,
	}
}

// Validate returns a *FieldError naming the JSON field at fault.
func (p Policy) Validate() error {
	switch {
	case p.MinSlotMinutes < gridMinutes || p.MinSlotMinutes > minutesPerDay || p.MinSlotMinutes%gridMinutes != 0:
		return fieldErrorf("min_slot_minutes", "must be a multiple of %d between %d and %d", gridMinutes, gridMinutes, minutesPerDay)
	case p.MaxCoreMinutesPerDay < p.MinSlotMinutes || p.MaxCoreMinutesPerDay > minutesPerDay || p.MaxCoreMinutesPerDay%gridMinutes != 0:
		return fieldErrorf("max_core_minutes_per_day", "must be a multiple of %d between min_slot_minutes (%d) and %d", gridMinutes, p.MinSlotMinutes, minutesPerDay)
	case math.IsNaN(p.Quorum) || p.Quorum < 0 || p.Quorum > 1:
		return fieldErrorf("quorum", "must be between 0 and 1")
	case p.AgendaCutoffHours < 0 || p.AgendaCutoffHours > 24*14:
		return fieldErrorf("agenda_cutoff_hours", "must be between 0 and %d", 24*14)
	case len(p.CoreWeekdays) == 0:
		return fieldErrorf("core_weekdays", "must list at least one weekday")
	}
	var seen [7]bool
	for i, d := range p.CoreWeekdays {
		field := fmt.Sprintf("core_weekdays[%d]", i)
		if d < time.Sunday || d > time.Saturday {
			return fieldErrorf(field, "is not a weekday")
		}
		if seen[d] {
			return fieldErrorf(field, "%s is listed twice", WeekdayKey(d))
		}
		seen[d] = true
	}
	return nil
}

func (p Policy) isCoreWeekday(d time.Weekday) bool {
	for _, c := range p.CoreWeekdays {
		if c == d {
			return true
		}
	}
	return false
}

// Team is what the planner plans for. Location is the reference zone in which
// core windows and core weekdays are stated.
type Team struct {
	Location *time.Location
	Policy   Policy
	Members  []Member
}

// Validate returns a *FieldError with a path such as "members[2].working_hours.mon[0]".
func (t Team) Validate() error {
	if t.Location == nil {
		return fieldErrorf("timezone", "is required")
	}
	if err := t.Policy.Validate(); err != nil {
		return prefixed("policy", err)
	}
	ids := make(map[string]bool, len(t.Members))
	for i := range t.Members {
		m := &t.Members[i]
		if err := m.Validate(); err != nil {
			return prefixed(fmt.Sprintf("members[%d]", i), err)
		}
		if m.ID == "" {
			return fieldErrorf(fmt.Sprintf("members[%d].id", i), "is required")
		}
		if ids[m.ID] {
			return fieldErrorf(fmt.Sprintf("members[%d].id", i), "%q is used by another member", m.ID)
		}
		ids[m.ID] = true
	}
	return nil
}

// Validate checks a member on its own: a zone, working hours with at least
// one range (someone who never works cannot be planned for), valid
// preferred hours and time off. Errors are *FieldError named like the JSON
// fields ("working_hours.mon[0]").
func (m Member) Validate() error {
	if m.Location == nil {
		return fieldErrorf("timezone", "is required")
	}
	if err := m.Working.Validate(); err != nil {
		return prefixed("working_hours", err)
	}
	if m.Working.IsZero() {
		return fieldErrorf("working_hours", "must give at least one range")
	}
	if err := m.Preferred.Validate(); err != nil {
		return prefixed("preferred_hours", err)
	}
	for i, r := range m.TimeOff {
		if err := r.Validate(); err != nil {
			return prefixed(fmt.Sprintf("time_off[%d]", i), err)
		}
	}
	return nil
}

// maxRange bounds the work a single request can ask for.
const maxRange = 366 * 24 * time.Hour

func validateRange(from, to time.Time) error {
	if !to.After(from) {
		return fieldErrorf("to", "must be after from")
	}
	if to.Sub(from) > maxRange {
		return fieldErrorf("to", "must be at most 366 days after from")
	}
	return nil
}
