package calendar

import (
	"slices"
	"time"
)

// series is one master event being expanded, in the wall clock of its zone.
type series struct {
	master    *event
	loc       *time.Location
	start     time.Time // DTSTART instant
	exactSpan time.Duration
	nominal   *duration // DATE DTEND or DURATION: days follow the calendar
	// longest is the longest instance, RDATE periods included: the rules
	// run from that long before the window.
	longest time.Duration
	// noTime is set when DTEND or DURATION makes every instance take no
	// time or run backwards: the master's instances are skipped.
	noTime bool
	// rdates are the walls of the RDATEs; periodEnds the ends of those with
	// VALUE=PERIOD.
	rdates     []time.Time
	periodEnds map[time.Time]time.Time
}

// end of a master-generated instance at wall (instant start): DTEND−DTSTART
// exactly for DATE-TIMEs (RFC 5545 §3.8.5.3), nominal days for DATEs and for
// the days of a DURATION.
func (s *series) end(wall, start time.Time) time.Time {
	if s.nominal != nil {
		return s.nominal.addTo(wall, start, s.loc)
	}
	return start.Add(s.exactSpan)
}

func (x *expansion) newSeries(m *event) *series {
	s := &series{master: m, loc: m.start.zone(x.floating), start: m.start.instant(x.floating), periodEnds: map[time.Time]time.Time{}}
	switch {
	case m.end != nil && (m.start.kind == kindDate || m.end.kind == kindDate):
		days := int(m.end.wall.Sub(m.start.wall).Round(24*time.Hour) / (24 * time.Hour))
		s.nominal = &duration{days: days}
		s.noTime = days <= 0
	case m.end != nil:
		s.exactSpan = m.end.instant(x.floating).Sub(s.start)
		s.noTime = s.exactSpan <= 0
	case m.duration != nil:
		s.nominal = m.duration
		s.noTime = !m.duration.positive()
	case m.start.kind == kindDate:
		s.nominal = &duration{days: 1}
	}
	s.longest = max(s.end(m.start.wall, s.start).Sub(s.start), 0)
	for _, rd := range m.rdates {
		wall := s.wall(rd.start, x.floating)
		start := wallToInstant(wall, s.loc)
		var end time.Time
		switch {
		case rd.end != nil:
			end = rd.end.instant(x.floating)
		case rd.dur != nil:
			end = rd.dur.addTo(wall, start, s.loc)
		default:
			s.rdates = append(s.rdates, wall)
			continue
		}
		if !end.After(start) {
			x.warn(rd.line, "RDATE period ends at or before its start; value skipped")
			continue
		}
		s.rdates = append(s.rdates, wall)
		s.periodEnds[wall] = end
		s.longest = max(s.longest, end.Sub(start))
	}
	return s
}

// wall is t in the series' wall clock.
func (s *series) wall(t icalTime, floating *time.Location) time.Time {
	m := s.master
	if t.kind != m.start.kind || t.kind == kindZoned && t.loc != s.loc {
		return instantToWall(t.instant(floating), s.loc)
	}
	return t.wall
}

// expandSeries emits the instances of a master event and its overrides.
func (x *expansion) expandSeries(m *event, overrides []*event) {
	s := x.newSeries(m)
	if s.noTime {
		x.warnNoTime(m)
		for _, ov := range overrides {
			if x.gen.charge(1, ov.line) {
				x.emitOwn(ov, m, nil, 0)
			}
		}
		return
	}
	// Each master reads all the overrides of its UID, and a file may give
	// thousands of masters one UID.
	if !x.gen.charge(int64(len(overrides)), m.line) {
		return
	}
	// Walls from this low can start an instance that overlaps the window:
	// zone offsets are within maxZoneOffset, and a daylight saving change
	// (two hours at most, Antarctica/Troll) can lengthen the longest instance.
	low := x.from.Add(-maxZoneOffset - s.longest - 2*time.Hour)
	high := x.to.Add(maxZoneOffset)
	candidates := x.candidates(s, low, high)
	matched := x.emitCandidates(s, candidates, overrides, low, high)
	for _, ov := range overrides {
		if matched[ov] {
			continue
		}
		if !x.gen.charge(1, ov.line) {
			return
		}
		// An override of an occurrence outside the walls generated here is
		// not checked against the rule: it replaces that occurrence.
		if wall := instantToWall(ov.recurrenceID.instant(x.floating), s.loc); !wall.Before(low) && !wall.After(high) {
			x.warn(ov.line, "RECURRENCE-ID is not an occurrence of its master event (excluded or off-rule); kept as an extra instance")
		}
		x.emitOwn(ov, m, nil, 0)
	}
}

// candidates are the walls of the series' occurrences between low and high:
// DTSTART, RDATEs and each rule's, sorted, without repeats. They are valid
// until the next call, which reuses their memory.
func (x *expansion) candidates(s *series, low, high time.Time) []time.Time {
	m := s.master
	if !x.gen.charge(int64(1+len(s.rdates)), m.line) {
		return nil
	}
	out := append(append(x.scratch[:0], m.start.wall), s.rdates...)
	for _, r := range m.rules {
		option := *r.option
		option.Dtstart = m.start.wall
		if !option.Until.IsZero() && r.untilUTC && m.start.kind != kindUTC {
			option.Until = instantToWall(option.Until, s.loc)
		}
		out = x.gen.ruleWalls(option, r.line, low, high, out)
	}
	slices.SortFunc(out, time.Time.Compare)
	x.scratch = out[:0]
	return slices.Compact(out)
}

// emitCandidates emits the occurrences at candidates, applying EXDATEs and
// overrides; it returns the overrides that replaced an occurrence.
func (x *expansion) emitCandidates(s *series, candidates []time.Time, overrides []*event, low, high time.Time) map[*event]bool {
	m := s.master
	// Overrides are matched to generated occurrences by their original
	// start in the master's wall clock (RFC 5545 §3.8.4.4).
	byWall := map[time.Time]*event{}
	var ranged []*event // RANGE=THISANDFUTURE, by RECURRENCE-ID
	for _, ov := range overrides {
		byWall[instantToWall(ov.recurrenceID.instant(x.floating), s.loc)] = ov
		if ov.thisAndFuture {
			ranged = append(ranged, ov)
		}
	}
	slices.SortFunc(ranged, func(a, b *event) int {
		return a.recurrenceID.instant(x.floating).Compare(b.recurrenceID.instant(x.floating))
	})

	excluded, excludedDays := x.exclusions(m, s.loc)
	matched := map[*event]bool{}
	var gapMoved map[time.Time]bool // RFC 5545 §3.3.5 moves gap times onto later ones
	for _, wall := range candidates {
		if wall.Before(low) || wall.After(high) {
			continue
		}
		if excluded[wall] || (m.start.kind != kindDate && excludedDays[dateOf(wall)]) {
			continue
		}
		if ov := byWall[wall]; ov != nil {
			matched[ov] = true
			x.emitOwn(ov, m, nil, 0)
			continue
		}
		start, inGap := wallToInstantGap(wall, s.loc)
		if gapMoved[start] {
			continue
		}
		if inGap {
			if gapMoved == nil {
				gapMoved = map[time.Time]bool{}
			}
			gapMoved[start] = true
		}
		var rid *time.Time
		if m.recurs() || len(overrides) > 0 {
			rid = &start
		}
		if ov := rangeOverride(ranged, start, x.floating); ov != nil {
			x.emitOwn(ov, m, rid, start.Sub(ov.recurrenceID.instant(x.floating)))
		} else if end, ok := s.periodEnds[wall]; ok {
			x.emit(m, m, rid, start, end)
		} else {
			x.emit(m, m, rid, start, s.end(wall, start))
		}
	}
	return matched
}

// rangeOverride returns the RANGE=THISANDFUTURE override governing an
// occurrence starting at start: the latest one before it. ranged is sorted
// by RECURRENCE-ID.
func rangeOverride(ranged []*event, start time.Time, floating *time.Location) *event {
	i, _ := slices.BinarySearchFunc(ranged, start, func(ov *event, t time.Time) int {
		return ov.recurrenceID.instant(floating).Compare(t)
	})
	if i == 0 {
		return nil
	}
	return ranged[i-1]
}

// exclusions are the master's EXDATEs as walls in its zone; a DATE EXDATE
// on a DATE-TIME series excludes that whole day, as ical.js reads it.
func (x *expansion) exclusions(m *event, loc *time.Location) (map[time.Time]bool, map[time.Time]bool) {
	walls, days := map[time.Time]bool{}, map[time.Time]bool{}
	for _, ex := range m.exdates {
		switch {
		case ex.kind == kindDate:
			walls[ex.wall] = true
			days[ex.wall] = true
		case ex.kind == m.start.kind && ex.loc == m.start.loc:
			walls[ex.wall] = true
		default:
			walls[instantToWall(ex.instant(x.floating), loc)] = true
		}
	}
	return walls, days
}

func dateOf(wall time.Time) time.Time {
	return time.Date(wall.Year(), wall.Month(), wall.Day(), 0, 0, 0, 0, time.UTC)
}
