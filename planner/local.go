package planner

import "time"

// LocalTimes is an item's start and end read in the zone an answer was asked
// in: RFC 3339 with that zone's offset, beside the UTC instants. Both are
// absent unless the answer was asked for in a zone.
type LocalTimes struct {
	LocalStart *time.Time `json:"local_start,omitempty"`
	LocalEnd   *time.Time `json:"local_end,omitempty"`
}

// SetLocal reads start and end in loc; a zero end (an item that has only a
// start) leaves LocalEnd absent.
func (l *LocalTimes) SetLocal(start, end time.Time, loc *time.Location) {
	s := start.In(loc)
	l.LocalStart = &s
	if !end.IsZero() {
		e := end.In(loc)
		l.LocalEnd = &e
	}
}

// InZone adds each segment's local start and end in loc.
func (h *HeatMap) InZone(loc *time.Location) {
	for i := range h.Segments {
		s := &h.Segments[i]
		s.SetLocal(s.Start, s.End, loc)
	}
}

// OccurrencesInZone adds each occurrence's local start and end in loc.
func OccurrencesInZone(occurrences []Occurrence, loc *time.Location) {
	for i := range occurrences {
		o := &occurrences[i]
		o.SetLocal(o.Start, o.End, loc)
	}
}

// InZone adds local times in loc to the heat map, every proposal's
// occurrences and the DST preview's starts.
func (p *TeamPlan) InZone(loc *time.Location) {
	p.Overlap.InZone(loc)
	for i := range p.Proposals {
		OccurrencesInZone(p.Proposals[i].Occurrences, loc)
	}
	for i := range p.DSTChanges {
		c := &p.DSTChanges[i]
		c.SetLocal(c.Start, time.Time{}, loc)
	}
}

// InZone adds local times in loc to every meeting occurrence.
func (r *Review) InZone(loc *time.Location) {
	for i := range r.Meetings {
		for j := range r.Meetings[i].Occurrences {
			o := &r.Meetings[i].Occurrences[j]
			o.SetLocal(o.Start, o.End, loc)
		}
	}
}

// At is the instant a wall-clock time on d reads in loc, by the rules of
// DESIGN.md: a time in a spring-forward gap moves forward by the gap, an
// ambiguous fall-back time is its first occurrence.
func (d Date) At(c Clock, loc *time.Location) time.Time {
	return time.Unix(wallToUnix(d, int(c), loc), 0).UTC()
}
