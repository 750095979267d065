package planner

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Window is one recurring core window, stated in the team's reference zone.
// It is a plain, storable value that round-trips through JSON:
//
//	{"week":0,"weekday":"tue","start":"14:00","end":"16:00"}
//
// An occurrence starts at Start on the date (a spring-forward gap moves it
// forward, a fall-back ambiguity takes the first occurrence) and lasts
// End-Start minutes of real time, even across a clock change.
type Window struct {
	// Week is the window's position in the rotation cycle, 0-based; always 0
	// when CycleWeeks is 1. See RotationEpoch.
	Week    int    `json:"week"`
	Weekday string `json:"weekday"`
	Start   Clock  `json:"start"`
	End     Clock  `json:"end"`
}

// CoreHours is a team's adopted (or proposed) set of core windows.
type CoreHours struct {
	// CycleWeeks is 1 for the same windows every week, 2 for windows that
	// alternate weekly, and so on.
	CycleWeeks int      `json:"cycle_weeks"`
	Windows    []Window `json:"windows"`
}

// RotationEpoch anchors rotation cycles: a date in the team's reference zone
// is in cycle week ((days since this Monday) / 7) mod CycleWeeks. Counting
// civil dates, not instants, keeps the answer independent of clock changes,
// and a fixed anchor keeps stored core hours meaning the same forever.
var RotationEpoch = Date{2001, time.January, 1}

// CycleWeek is the position of date d in a cycle of n weeks.
func CycleWeek(d Date, n int) int {
	weeks := floorDiv(d.days()-RotationEpoch.days(), 7)
	return (weeks%n + n) % n
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// maxCycleWeeks keeps rotations short enough for people to remember.
const maxCycleWeeks = 8

// Validate checks core hours against the team's policy. Errors are
// *FieldError such as "windows[1].start".
func (c CoreHours) Validate(p Policy) error {
	if c.CycleWeeks < 1 || c.CycleWeeks > maxCycleWeeks {
		return fieldErrorf("cycle_weeks", "must be between 1 and %d", maxCycleWeeks)
	}
	if len(c.Windows) == 0 {
		return fieldErrorf("windows", "must list at least one window")
	}
	type dayKey struct {
		week int
		day  time.Weekday
	}
	minutes := map[dayKey]int{}
	for i, w := range c.Windows {
		field := fmt.Sprintf("windows[%d]", i)
		day, err := ParseWeekday(w.Weekday)
		switch {
		case w.Week < 0 || w.Week >= c.CycleWeeks:
			return fieldErrorf(field+".week", "must be between 0 and cycle_weeks-1 (%d)", c.CycleWeeks-1)
		case err != nil:
			return fieldErrorf(field+".weekday", "%v", err)
		case !p.isCoreWeekday(day):
			return fieldErrorf(field+".weekday", "%s is not one of the policy's core weekdays", w.Weekday)
		case w.Start < 0 || w.Start >= minutesPerDay || w.Start%gridMinutes != 0:
			return fieldErrorf(field+".start", "must be on a %d-minute boundary before 24:00", gridMinutes)
		case w.End <= w.Start || w.End > minutesPerDay || w.End%gridMinutes != 0:
			return fieldErrorf(field+".end", "must be on a %d-minute boundary after start, at most 24:00", gridMinutes)
		case int(w.End-w.Start) < p.MinSlotMinutes:
			return fieldErrorf(field+".end", "window is shorter than min_slot_minutes (%d)", p.MinSlotMinutes)
		}
		for j, other := range c.Windows[:i] {
			if other.Week == w.Week && other.Weekday == w.Weekday && other.Start < w.End && w.Start < other.End {
				return fieldErrorf(field, "overlaps windows[%d]", j)
			}
		}
		key := dayKey{w.Week, day}
		minutes[key] += int(w.End - w.Start)
		if minutes[key] > p.MaxCoreMinutesPerDay {
			return fieldErrorf(field, "%s in week %d has %d core minutes, more than max_core_minutes_per_day (%d)", w.Weekday, w.Week, minutes[key], p.MaxCoreMinutesPerDay)
		}
	}
	return nil
}

// dailyWindows is one window per core weekday, Monday first.
func dailyWindows(p Policy, week, start, length int) []Window {
	var out []Window
	for _, d := range mondayFirst {
		if p.isCoreWeekday(d) {
			out = append(out, Window{Week: week, Weekday: WeekdayKey(d), Start: Clock(start * gridMinutes), End: Clock((start + length) * gridMinutes)})
		}
	}
	return out
}

// Occurrence is one concrete instance of a core window.
type Occurrence struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Window indexes the proposal's (or core hours') windows.
	Window int `json:"window"`
	// Attendees are inside their working hours and free for the whole window.
	Attendees []string `json:"attendees"`
	// Conflicts are members with a busy instance or time off during it.
	Conflicts []Conflict `json:"conflicts"`
	// OutsideHours are members with no conflict for whom the window falls
	// (partly) outside their working hours.
	OutsideHours []string `json:"outside_hours"`
	LocalTimes
}

// Conflict says why a member cannot attend an occurrence.
type Conflict struct {
	Member string `json:"member"`
	// Reason is "time_off" or "busy".
	Reason  string `json:"reason"`
	Summary string `json:"summary,omitempty"`
}

// instance is a window occurrence before members are looked at.
type instance struct {
	window int
	date   Date
	span
}

// instances lays core hours onto the team zone's dates, keeping occurrences
// that lie wholly inside [lo, hi), in time order.
func instances(c CoreHours, loc *time.Location, lo, hi int64) []instance {
	var out []instance
	last := DateOf(time.Unix(hi, 0).In(loc))
	for d := DateOf(time.Unix(lo, 0).In(loc)); !last.Before(d); d = d.AddDays(1) {
		week := CycleWeek(d, c.CycleWeeks)
		for i, w := range c.Windows {
			if w.Week != week || w.Weekday != WeekdayKey(d.Weekday()) {
				continue
			}
			start := wallToUnix(d, int(w.Start), loc)
			s := span{start, start + int64(w.End-w.Start)*60}
			if s.start >= lo && s.end <= hi {
				out = append(out, instance{i, d, s})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b instance) int { return cmp.Compare(a.start, b.start) })
	return out
}

// CoreOccurrences instantiates adopted core hours over [from, to): each
// occurrence with who can attend, who has a conflict and who would be
// outside working hours; never nil. Errors are *FieldError, or ctx.Err().
func CoreOccurrences(ctx context.Context, team Team, core CoreHours, from, to time.Time) ([]Occurrence, error) {
	if err := validateRange(from, to); err != nil {
		return nil, err
	}
	if err := team.Validate(); err != nil {
		return nil, err
	}
	if err := core.Validate(team.Policy); err != nil {
		return nil, err
	}
	period := span{from.Unix(), to.Unix()}
	timelines, err := buildTimelines(ctx, team, period, weeksAround(team.Location, core.CycleWeeks, period).span)
	if err != nil {
		return nil, err
	}
	measured, err := measure(ctx, team, timelines, []CoreHours{core}, period)
	if err != nil {
		return nil, err
	}
	return measured[0].occurrences, nil
}
