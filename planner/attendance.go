package planner

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
)

// conflictReason is Conflict.Reason as a small value for per-occurrence
// tables.
type conflictReason uint8

const (
	noConflict conflictReason = iota
	busyConflict
	timeOffConflict
)

func (r conflictReason) String() string {
	return [...]string{noConflict: "", busyConflict: "busy", timeOffConflict: "time_off"}[r]
}

// memberStatus is one member at one occurrence.
type memberStatus struct {
	summary string // of the conflicting busy instance
	reason  conflictReason
	inside  bool // inside working hours for the whole occurrence
	// preferred is inside preferred hours (working hours when the member
	// states none) for the whole occurrence.
	preferred bool
}

// tally is what the pass over the members finds for one set of core hours.
type tally struct {
	weeks weeks // over which burden is measured
	// instances lie over the burden weeks, in time order; occurrences
	// index those inside the range.
	instances   []instance
	occurrences []int
	// statuses[o*members+m] is member m at occurrence o.
	statuses []memberStatus
	// Per member, at the occurrences: seconds outside working hours and
	// whole minutes inside preferred hours, for the score.
	outside, preferred []int64
	// Per member, at the instances of the burden weeks the member is not
	// off: seconds outside working and outside preferred hours.
	burden, burdenPreferred []int64
}

// measurement is one set of core hours measured against the team.
type measurement struct {
	occurrences []Occurrence
	score       Score
	burden      []MemberBurden
	fairness    Fairness
	burdenWeeks int
	dstChanges  []DSTChange
}

// measure measures each set of core hours exactly against every member's
// timeline and busy instances; the same code serves adopted core hours and
// every proposal.
func measure(ctx context.Context, team Team, timelines []timeline, cores []CoreHours, period span) ([]measurement, error) {
	tallies, err := tallyMembers(ctx, team, timelines, cores, period)
	if err != nil {
		return nil, err
	}
	out := make([]measurement, len(cores))
	var wg sync.WaitGroup
	for k, core := range cores {
		wg.Go(func() { out[k] = tallies[k].summarize(ctx, team, core) })
	}
	wg.Wait()
	return out, ctx.Err()
}

// visit is one instance of one set of core hours, as the member pass meets
// it.
type visit struct {
	span
	core       int // index into the tallies
	occurrence int // index into that tally's occurrences; -1 outside the range
}

// schedule is every instance of every set of core hours in time order: the
// pass walks it once per member, so each lookup in the member's timeline
// resumes where the last stopped.
type schedule struct {
	members int
	visits  []visit
	// longest is the longest occurrence: a busy instance can only overlap
	// occurrences starting less than this before it.
	longest int64
}

// tallyMembers lays out every set of core hours over its burden weeks, then
// walks each member's timeline and busy instances once through all of them,
// members shared out between processors.
func tallyMembers(ctx context.Context, team Team, timelines []timeline, cores []CoreHours, period span) ([]tally, error) {
	members := len(timelines)
	tallies := make([]tally, len(cores))
	s := schedule{members: members}
	for k, core := range cores {
		t := &tallies[k]
		t.weeks = weeksAround(team.Location, core.CycleWeeks, period)
		t.instances = instances(core, team.Location, t.weeks.start, t.weeks.end)
		for i, in := range t.instances {
			v := visit{in.span, k, -1}
			if in.start >= period.start && in.end <= period.end {
				v.occurrence = len(t.occurrences)
				t.occurrences = append(t.occurrences, i)
				s.longest = max(s.longest, in.end-in.start)
			}
			s.visits = append(s.visits, v)
		}
		t.statuses = make([]memberStatus, len(t.occurrences)*members)
		t.outside, t.preferred = make([]int64, members), make([]int64, members)
		t.burden, t.burdenPreferred = make([]int64, members), make([]int64, members)
	}
	slices.SortStableFunc(s.visits, func(a, b visit) int { return cmp.Compare(a.start, b.start) })
	inParallel(members, minShare, func(from, to int) {
		conflicts := make([]int32, len(s.visits))
		for m := from; m < to && ctx.Err() == nil; m++ {
			s.tallyMember(m, &team.Members[m], &timelines[m], tallies, conflicts)
		}
	})
	return tallies, ctx.Err()
}

// tallyMember adds member m to every tally. conflicts is scratch, one entry
// per visit.
func (s *schedule) tallyMember(m int, member *Member, line *timeline, tallies []tally, conflicts []int32) {
	members := s.members
	hasPreferred := !member.Preferred.IsZero()
	var c cursor
	for _, v := range s.visits {
		t := &tallies[v.core]
		length := v.end - v.start
		work := covered(line.working, &c.working, v.span)
		pref := work
		if hasPreferred {
			pref = covered(line.preferred, &c.preferred, v.span)
		}
		off := covered(line.timeOff, &c.timeOff, v.span) > 0
		if !off {
			t.burden[m] += length - work
			t.burdenPreferred[m] += length - pref
		}
		if v.occurrence < 0 {
			continue
		}
		t.outside[m] += length - work
		t.preferred[m] += pref / 60
		status := &t.statuses[v.occurrence*members+m]
		status.inside = work == length
		status.preferred = pref == length
		status.reason = noConflict
		if off {
			status.reason = timeOffConflict
		}
	}
	s.firstConflicts(member.Busy, conflicts)
	for i, v := range s.visits {
		if v.occurrence < 0 || conflicts[i] < 0 {
			continue
		}
		status := &tallies[v.core].statuses[v.occurrence*members+m]
		if status.reason == noConflict {
			status.reason, status.summary = busyConflict, member.Busy[conflicts[i]].Summary
		}
	}
}

// firstConflicts sets first[i] to the busy instance reported for visit i:
// the first in order of start, end and summary among those overlapping it,
// or -1. Each busy instance marks the visits it overlaps; they start before
// it ends and less than the longest occurrence before it starts.
func (s *schedule) firstConflicts(busy []Event, first []int32) {
	for i := range first {
		first[i] = -1
	}
	for b := range busy {
		taken := busySpan(&busy[b])
		if taken.end <= taken.start {
			continue
		}
		i := sort.Search(len(s.visits), func(i int) bool { return s.visits[i].start > taken.start-s.longest })
		for ; i < len(s.visits) && s.visits[i].start < taken.end; i++ {
			if s.visits[i].end > taken.start && (first[i] < 0 || compareBusy(&busy[b], &busy[first[i]]) < 0) {
				first[i] = int32(b)
			}
		}
	}
}

// compareBusy orders busy instances by start, end and summary.
func compareBusy(a, b *Event) int {
	return cmp.Or(cmp.Compare(a.Start.Unix(), b.Start.Unix()), cmp.Compare(a.End.Unix(), b.End.Unix()), strings.Compare(a.Summary, b.Summary))
}

// summarize turns the tally of one set of core hours into its measurement.
func (t *tally) summarize(ctx context.Context, team Team, core CoreHours) measurement {
	var result measurement
	var attended, quorate int
	result.occurrences, attended, quorate = t.listOccurrences(ctx, team)
	required, _ := quorumNeed(team)
	result.score = t.score(team, attended, quorate, required)
	result.burden, result.fairness = t.burdens(team)
	result.burdenWeeks = t.weeks.count
	result.dstChanges = t.dstChanges(team, core)
	return result
}

// listOccurrences lists, for each occurrence, its attendees, conflicts and
// members outside working hours in team order. It also counts how often
// required members attend, and the occurrences keeping the quorum inside
// working hours.
func (t *tally) listOccurrences(ctx context.Context, team Team) (list []Occurrence, attended, quorate int) {
	members := len(team.Members)
	_, need := quorumNeed(team)
	list = make([]Occurrence, 0, len(t.occurrences))
	for o, i := range t.occurrences {
		if o%checkEvery == 0 && ctx.Err() != nil {
			return list, attended, quorate
		}
		in := t.instances[i]
		occurrence := Occurrence{Window: in.window, Attendees: []string{}, Conflicts: []Conflict{}, OutsideHours: []string{}}
		occurrence.Start, occurrence.End = in.times()
		insideRequired := 0
		for m, status := range t.statuses[o*members : (o+1)*members] {
			member := &team.Members[m]
			if status.inside && member.Required {
				insideRequired++
			}
			switch {
			case status.reason != noConflict:
				occurrence.Conflicts = append(occurrence.Conflicts, Conflict{Member: member.ID, Reason: status.reason.String(), Summary: status.summary})
			case status.inside:
				occurrence.Attendees = append(occurrence.Attendees, member.ID)
				if member.Required {
					attended++
				}
			default:
				occurrence.OutsideHours = append(occurrence.OutsideHours, member.ID)
			}
		}
		if insideRequired >= need {
			quorate++
		}
		list = append(list, occurrence)
	}
	return list, attended, quorate
}

// score ranks the core hours on their occurrences in the range.
func (t *tally) score(team Team, attended, quorate, required int) Score {
	var s Score
	s.MeetsQuorum = len(t.occurrences) > 0 && quorate == len(t.occurrences)
	s.setAttendance(attended, required*len(t.occurrences))
	for m := range team.Members {
		s.PreferredMinutes += int(t.preferred[m])
		s.OutsideWorkingMinutes += int(t.outside[m] / 60)
	}
	firstUTC := map[int]int64{} // per window, the UTC time of day of its first occurrence
	for _, i := range t.occurrences {
		in := t.instances[i]
		first, seen := firstUTC[in.window]
		if !seen {
			firstUTC[in.window] = in.start % secondsPerDay
		} else if in.start%secondsPerDay != first {
			s.UTCShifts++
		}
	}
	return s
}
