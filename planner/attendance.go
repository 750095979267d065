package planner

import (
	"cmp"
	"context"
	"math"
	"slices"
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
