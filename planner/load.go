package planner

import (
	"context"
	"time"
)

// LoadReport is each member's meeting load and core-hours burden over a
// range, and the team's totals: what people tools read.
type LoadReport struct {
	From             time.Time    `json:"from"`
	To               time.Time    `json:"to"`
	Weeks            float64      `json:"weeks"`
	CoreHoursAdopted bool         `json:"core_hours_adopted"`
	Members          []MemberLoad `json:"members"`
	Totals           LoadTotals   `json:"totals"`
}

// MemberLoad is one member's load over the range.
type MemberLoad struct {
	Member   string `json:"member"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	LoadFigures
	// InconvenientShare is the member's share of the team's inconvenient
	// slots, from 0 to 1: the fairness ledger of who carries the early and
	// late hours.
	InconvenientShare float64 `json:"inconvenient_share"`
}

// LoadTotals add up the members' load.
type LoadTotals struct {
	Members int `json:"members"`
	LoadFigures
}

// LoadFigures are the load of a member, or of the team. Meetings are
// those of the review (two people or more, shorter than a day, not
// all-day), and the figures per week are over the range divided by its
// weeks.
type LoadFigures struct {
	// MeetingsAttended counts the meeting occurrences attended.
	MeetingsAttended    int     `json:"meetings_attended"`
	MeetingHoursPerWeek float64 `json:"meeting_hours_per_week"`
	// OutsideWorkingHoursPerWeek is the part of those meetings outside the
	// attendee's working hours.
	OutsideWorkingHoursPerWeek float64 `json:"outside_working_hours_per_week"`
	// GoAsyncHoursPerWeek is what the go-async verdicts give back: the
	// hours in those meetings.
	GoAsyncHoursPerWeek float64 `json:"go_async_hours_per_week"`
	// CoreSlots counts the occurrences of the adopted core hours in the
	// range that members are expected at: all but those in their time off.
	CoreSlots                 int `json:"core_slots"`
	CoreSlotsOutsideWorking   int `json:"core_slots_outside_working"`
	CoreSlotsOutsidePreferred int `json:"core_slots_outside_preferred"`
	// InconvenientSlots are the core slots outside working or preferred
	// hours: EarlySlots of them start before noon in the member's zone,
	// LateSlots at noon or later.
	InconvenientSlots int `json:"inconvenient_slots"`
	EarlySlots        int `json:"early_slots"`
	LateSlots         int `json:"late_slots"`
}

// addSlots adds the core-slot counts of o.
func (f *LoadFigures) addSlots(o LoadFigures) {
	f.CoreSlots += o.CoreSlots
	f.CoreSlotsOutsideWorking += o.CoreSlotsOutsideWorking
	f.CoreSlotsOutsidePreferred += o.CoreSlotsOutsidePreferred
	f.InconvenientSlots += o.InconvenientSlots
	f.EarlySlots += o.EarlySlots
	f.LateSlots += o.LateSlots
}

// meetingSeconds is one member's time in meetings over the range.
type meetingSeconds struct {
	attended       int
	total, outside int64
	goAsync        int64
}

// loadReport adds up each member's meetings, reviews[i] being the verdict
// on meetings[i], and their core slots.
func (r *reviewer) loadReport(ctx context.Context, tls []timeline, meetings []meeting, reviews []MeetingReview) (LoadReport, error) {
	seconds := make([]meetingSeconds, len(r.team.Members))
	for i := range meetings {
		goAsync := reviews[i].Verdict == VerdictGoAsync
		for _, occ := range meetings[i].occurrences {
			length := occ.end - occ.start
			for _, m := range occ.members {
				seconds[m].attended++
				seconds[m].total += length
				if goAsync {
					seconds[m].goAsync += length
				}
			}
			for j, m := range occ.outside {
				seconds[m].outside += int64(occ.outsideSeconds[j])
			}
		}
	}
	members, err := r.coreSlots(ctx, tls)
	if err != nil {
		return LoadReport{}, err
	}
	out := LoadReport{From: time.Unix(r.rng.start, 0).UTC(), To: time.Unix(r.rng.end, 0).UTC(), Weeks: round2(r.weeks),
		CoreHoursAdopted: r.core != nil, Members: members}
	var sum meetingSeconds
	t := &out.Totals
	t.Members = len(members)
	for m := range members {
		ml, s := &members[m], seconds[m]
		ml.MeetingsAttended = s.attended
		ml.MeetingHoursPerWeek, ml.OutsideWorkingHoursPerWeek, ml.GoAsyncHoursPerWeek = r.perWeek(s.total), r.perWeek(s.outside), r.perWeek(s.goAsync)
		sum.attended += s.attended
		sum.total += s.total
		sum.outside += s.outside
		sum.goAsync += s.goAsync
		t.addSlots(ml.LoadFigures)
	}
	t.MeetingsAttended = sum.attended
	t.MeetingHoursPerWeek, t.OutsideWorkingHoursPerWeek, t.GoAsyncHoursPerWeek = r.perWeek(sum.total), r.perWeek(sum.outside), r.perWeek(sum.goAsync)
	for m := range members {
		members[m].InconvenientShare = ratio(members[m].InconvenientSlots, t.InconvenientSlots)
	}
	return out, nil
}

// coreSlots starts each member's load with their core slots: how many,
// and how many fall outside their hours, early or late.
func (r *reviewer) coreSlots(ctx context.Context, tls []timeline) ([]MemberLoad, error) {
	n := len(r.team.Members)
	out := make([]MemberLoad, n)
	for m, member := range r.team.Members {
		out[m] = MemberLoad{Member: member.ID, Name: member.Name, Timezone: member.Location.String()}
	}
	if r.core == nil {
		return out, nil
	}
	tallies, err := tallyMembers(ctx, r.team, tls, []CoreHours{*r.core}, r.rng)
	if err != nil {
		return nil, err
	}
	t := &tallies[0]
	for o, i := range t.occurrences {
		start := t.instances[i].start
		for m, st := range t.statuses[o*n : (o+1)*n] {
			if st.reason == timeOffConflict {
				continue
			}
			ml := &out[m]
			ml.CoreSlots++
			if !st.inside {
				ml.CoreSlotsOutsideWorking++
			}
			if !st.preferred {
				ml.CoreSlotsOutsidePreferred++
			}
			if st.inside && st.preferred {
				continue
			}
			ml.InconvenientSlots++
			if localClock(start, offsetAt(start, r.team.Members[m].Location)) < 12*60 {
				ml.EarlySlots++
			} else {
				ml.LateSlots++
			}
		}
	}
	return out, nil
}
