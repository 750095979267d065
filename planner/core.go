package planner

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
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
// outside working hours.
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
	lo, hi := from.Unix(), to.Unix()
	tls, err := buildTimelines(ctx, team, lo, hi)
	if err != nil {
		return nil, err
	}
	evals, err := evaluate(ctx, team, tls, []CoreHours{core}, lo, hi)
	if err != nil {
		return nil, err
	}
	return evals[0].occurrences, nil
}

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

// Score explains a proposal's rank; fields are compared in this order.
type Score struct {
	MeetsQuorum bool `json:"meets_quorum"`
	// RequiredAttendance is the mean share of required members who attend,
	// rounded for display; proposals rank on the exact share.
	RequiredAttendance float64 `json:"required_attendance"`
	// PreferredMinutes sums member-minutes inside preferred hours.
	PreferredMinutes int `json:"preferred_minutes"`
	// OutsideWorkingMinutes sums member-minutes outside working hours. Unlike
	// MemberBurden it counts time off too: it ranks the recurring windows,
	// which should not turn on who happens to be away in the range.
	OutsideWorkingMinutes int `json:"outside_working_minutes"`
	// UTCShifts counts occurrences whose UTC time of day differs from the
	// first occurrence of the same window.
	UTCShifts int `json:"utc_shifts"`

	attendance fraction
}

// setAttendance records that required members attended attended of
// possible times (members × occurrences).
func (s *Score) setAttendance(attended, possible int) {
	s.attendance = fraction{int64(attended), int64(possible)}
	s.RequiredAttendance = round2(s.attendance.float())
}

// fraction is a share kept as integers: rounded shares of large teams tie
// where the exact ones do not (148/150 and 149/150 both show 0.99). A
// fraction of nothing (whole 0) is 0.
type fraction struct{ part, whole int64 }

func (f fraction) float() float64 {
	if f.whole == 0 {
		return 0
	}
	return float64(f.part) / float64(f.whole)
}

// compare orders fractions by value, cross-multiplying.
func (f fraction) compare(g fraction) int {
	return cmp.Compare(f.part*max(g.whole, 1), g.part*max(f.whole, 1))
}

// DSTChange reports an occurrence whose local start time, for one member,
// differs from the previous occurrence of the same window because clocks
// changed somewhere.
type DSTChange struct {
	Rank          int       `json:"rank"`
	Window        Window    `json:"window"`
	Date          Date      `json:"date"`
	Start         time.Time `json:"start"`
	Member        string    `json:"member"`
	LocalBefore   Clock     `json:"local_before"`
	LocalAfter    Clock     `json:"local_after"`
	WorkingBefore bool      `json:"inside_working_hours_before"`
	WorkingAfter  bool      `json:"inside_working_hours_after"`
}

type evaluation struct {
	occurrences []Occurrence
	burden      []MemberBurden
	fairness    Fairness
	score       Score
	dstChanges  []DSTChange
}

// status is one member at one occurrence.
type status struct {
	summary string // of the conflicting busy instance
	reason  conflictReason
	inside  bool // inside working hours for the whole occurrence
}

// tally is what the first pass of evaluate gathers for one set of core
// hours, in slots of its own per member.
type tally struct {
	insts []instance
	// statuses[o*members+m] is member m at occurrence o.
	statuses []status
	// outside, burden and burdenPreferred (seconds outside working or
	// preferred hours, the burdens leaving out time off) and preferred
	// (whole minutes per occurrence) per member.
	outside, burden, burdenPreferred, preferred []int64
}

// evaluate measures each set of core hours exactly against every member's
// timeline and busy instances; the same code serves adopted core hours and
// every proposal. A first pass walks each member's timeline once through the
// occurrences of all sets together, in time order, so one member's spans
// stay in cache and each lookup resumes where the last stopped, then reads
// the member's busy instances once; members are shared out between
// processors. Then each set's occurrences list members in team order,
// concurrently.
func evaluate(ctx context.Context, team Team, tls []timeline, cores []CoreHours, lo, hi int64) ([]evaluation, error) {
	members := len(tls)
	type visit struct {
		span
		core, occurrence int
	}
	var visits []visit
	tallies := make([]tally, len(cores))
	var longest int64
	for k, core := range cores {
		t := &tallies[k]
		t.insts = instances(core, team.Location, lo, hi)
		t.statuses = make([]status, len(t.insts)*members)
		t.outside, t.burden, t.burdenPreferred, t.preferred = make([]int64, members), make([]int64, members), make([]int64, members), make([]int64, members)
		for o, in := range t.insts {
			visits = append(visits, visit{in.span, k, o})
			longest = max(longest, in.end-in.start)
		}
	}
	slices.SortStableFunc(visits, func(a, b visit) int { return cmp.Compare(a.start, b.start) })
	byDay := newDayIndex(lo, hi, len(visits), func(i int) int64 { return visits[i].start }, nil)
	inParallel(members, func(from, to int) {
		// first[i] is the busy instance reported for visit i: the first in
		// order of start, end and summary among those overlapping it, or -1.
		first := make([]int32, len(visits))
		for m := from; m < to && ctx.Err() == nil; m++ {
			tl, busy := &tls[m], team.Members[m].Busy
			hasPreferred := !team.Members[m].Preferred.IsZero()
			var c cursor
			for i, v := range visits {
				t := &tallies[v.core]
				length := v.end - v.start
				work := covered(tl.working, &c.working, v.span)
				t.outside[m] += length - work
				pref := work
				if hasPreferred {
					pref = covered(tl.preferred, &c.preferred, v.span)
				}
				t.preferred[m] += pref / 60
				st := &t.statuses[v.occurrence*members+m]
				st.inside = work == length
				st.reason = noConflict
				if covered(tl.timeOff, &c.timeOff, v.span) > 0 {
					st.reason = timeOffConflict
				} else {
					t.burden[m] += length - work
					t.burdenPreferred[m] += length - pref
				}
				first[i] = -1
			}
			// Each busy instance marks the visits it overlaps; they start
			// before it ends and less than the longest occurrence before
			// it starts.
			for b := range busy {
				s := span{busy[b].Start.Unix(), busy[b].End.Unix()}
				if s.end <= s.start {
					continue
				}
				i := byDay.from(s.start - longest + 1)
				for i < len(visits) && visits[i].start <= s.start-longest {
					i++
				}
				for ; i < len(visits) && visits[i].start < s.end; i++ {
					if visits[i].end > s.start && (first[i] < 0 || compareBusy(&busy[b], &busy[first[i]]) < 0) {
						first[i] = int32(b)
					}
				}
			}
			for i, v := range visits {
				st := &tallies[v.core].statuses[v.occurrence*members+m]
				if st.reason == noConflict && first[i] >= 0 {
					st.reason, st.summary = busyConflict, busy[first[i]].Summary
				}
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]evaluation, len(cores))
	var wg sync.WaitGroup
	for k, core := range cores {
		wg.Go(func() { out[k] = tallies[k].evaluation(ctx, team, core, lo, hi) })
	}
	wg.Wait()
	return out, ctx.Err()
}

// compareBusy orders busy instances by start, end and summary.
func compareBusy(a, b *Event) int {
	return cmp.Or(cmp.Compare(a.Start.Unix(), b.Start.Unix()), cmp.Compare(a.End.Unix(), b.End.Unix()), strings.Compare(a.Summary, b.Summary))
}

// evaluation lists members per occurrence in team order and scores the core
// hours from the first pass's tally.
func (t *tally) evaluation(ctx context.Context, team Team, core CoreHours, lo, hi int64) evaluation {
	insts, members := t.insts, len(team.Members)
	required, need := quorumNeed(team)
	var ev evaluation
	for _, p := range t.preferred {
		ev.score.PreferredMinutes += int(p)
	}
	zones := newZoneIndex(team.Members)
	nz := len(zones.locs)
	// clocks[o*nz+z] is zone z's local time at occurrence o.
	clocks := make([]Clock, len(insts)*nz)
	offsets := make([]int64, nz)
	previous := make([]int, len(insts)) // previous occurrence of the same window, -1 for the first
	// Clocks change for whole zones at once, so zone sizes give the number
	// of DST changes up front, and only occurrences where some zone's
	// clock moved need looking at member by member.
	moved := make([]bool, len(insts))
	zoneSize := make([]int, nz)
	for _, z := range zones.member {
		zoneSize[z]++
	}
	last := make([]int, len(core.Windows))
	for i := range last {
		last[i] = -1
	}
	changes := 0
	for o, in := range insts {
		zones.offsetsAt(in.start, offsets)
		for z, off := range offsets {
			clocks[o*nz+z] = localClock(in.start, off)
		}
		previous[o], last[in.window] = last[in.window], o
		if p := previous[o]; p >= 0 {
			for z, size := range zoneSize {
				if clocks[p*nz+z] != clocks[o*nz+z] {
					changes += size
					moved[o] = true
				}
			}
		}
	}
	ev.dstChanges = make([]DSTChange, 0, changes)
	firstUTC := make([]int64, len(core.Windows))
	var attendance, quorumOK int
	for o, in := range insts {
		if ctx.Err() != nil {
			return ev
		}
		occ := Occurrence{Window: in.window}
		occ.Start, occ.End = in.times()
		prev := previous[o]
		if prev < 0 {
			firstUTC[in.window] = in.start % secondsPerDay
		} else if in.start%secondsPerDay != firstUTC[in.window] {
			ev.score.UTCShifts++
		}
		row := t.statuses[o*members : (o+1)*members]
		insideRequired, attendees, conflicts := 0, 0, 0
		for m := range row {
			st, required := &row[m], team.Members[m].Required
			if st.inside && required {
				insideRequired++
			}
			switch {
			case st.reason != noConflict:
				conflicts++
			case st.inside:
				attendees++
				if required {
					attendance++
				}
			}
		}
		occ.Attendees = make([]string, 0, attendees)
		occ.Conflicts = make([]Conflict, 0, conflicts)
		occ.OutsideHours = make([]string, 0, members-attendees-conflicts)
		for m := range row {
			st, id := &row[m], team.Members[m].ID
			switch {
			case st.reason != noConflict:
				occ.Conflicts = append(occ.Conflicts, Conflict{Member: id, Reason: st.reason.String(), Summary: st.summary})
			case st.inside:
				occ.Attendees = append(occ.Attendees, id)
			default:
				occ.OutsideHours = append(occ.OutsideHours, id)
			}
			if !moved[o] {
				continue
			}
			z := zones.member[m]
			if before, after := clocks[prev*nz+z], clocks[o*nz+z]; before != after {
				ev.dstChanges = append(ev.dstChanges, DSTChange{
					Window: core.Windows[in.window], Date: in.date, Start: occ.Start, Member: id,
					LocalBefore: before, LocalAfter: after, WorkingBefore: t.statuses[prev*members+m].inside, WorkingAfter: st.inside,
				})
			}
		}
		if insideRequired >= need {
			quorumOK++
		}
		ev.occurrences = append(ev.occurrences, occ)
	}
	ev.score.MeetsQuorum = len(insts) > 0 && quorumOK == len(insts)
	ev.score.setAttendance(attendance, required*len(insts))
	weeks := float64(hi-lo) / (7 * secondsPerDay)
	var sum, sumSq float64
	for m, member := range team.Members {
		ev.score.OutsideWorkingMinutes += int(t.outside[m] / 60)
		mins := int(t.burden[m] / 60)
		ev.burden = append(ev.burden, MemberBurden{
			Member:                         member.ID,
			OutsideWorkingMinutesPerWeek:   round2(float64(mins) / weeks),
			OutsidePreferredMinutesPerWeek: round2(float64(t.burdenPreferred[m]/60) / weeks),
			InconvenientMinutes:            mins,
		})
		sum += float64(mins)
		sumSq += float64(mins) * float64(mins)
		if mins > ev.fairness.MaxMinutes || m == 0 {
			ev.fairness.MaxMinutes, ev.fairness.MaxMember = mins, member.ID
		}
	}
	if n := float64(len(team.Members)); n > 0 {
		mean := sum / n
		ev.fairness.StdDevMinutes = round2(math.Sqrt(max(0, sumSq/n-mean*mean)))
	}
	if ev.fairness.MaxMinutes == 0 {
		ev.fairness.MaxMember = ""
	}
	return ev
}

// quorumNeed returns the number of required members and how many of them a
// window must keep inside working hours.
func quorumNeed(team Team) (required, need int) {
	for _, m := range team.Members {
		if m.Required {
			required++
		}
	}
	return required, int(math.Ceil(team.Policy.Quorum*float64(required) - 1e-9))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func localClock(unix, offset int64) Clock {
	return Clock(((unix+offset)%secondsPerDay + secondsPerDay) % secondsPerDay / 60)
}

// zoneIndex shares offset lookups between members of the same zone, so a
// thousand members in 24 zones cost 24 lookups per instant.
type zoneIndex struct {
	member []int // member → index into locs
	locs   []*time.Location
}

func newZoneIndex(members []Member) zoneIndex {
	byName := map[string]int{}
	z := zoneIndex{member: make([]int, len(members))}
	for i, m := range members {
		idx, ok := byName[m.Location.String()]
		if !ok {
			idx = len(z.locs)
			byName[m.Location.String()] = idx
			z.locs = append(z.locs, m.Location)
		}
		z.member[i] = idx
	}
	return z
}

// offsetsAt fills out, one entry per zone, with the offsets at unix.
func (z zoneIndex) offsetsAt(unix int64, out []int64) {
	for i, loc := range z.locs {
		out[i] = offsetAt(unix, loc)
	}
}
