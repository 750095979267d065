package service

import (
	"time"

	"overlap/planner"
)

// Answers asked for in a zone (?tz=) carry each item's local start and end
// in it beside the UTC instants; PlanResult and ReviewResult have InZone
// from the planner's answers they hold.

// InZone adds the local times of the heat map's segments in loc.
func (r *OverlapResult) InZone(loc *time.Location) { r.Overlap.InZone(loc) }

// InZone adds the local times of the occurrences, when listed, in loc.
func (a *AdoptedCoreHours) InZone(loc *time.Location) {
	if a.Occurrences != nil {
		planner.OccurrencesInZone(*a.Occurrences, loc)
	}
}

// InZone adds every slot's local start and end in loc.
func (l *SlotList) InZone(loc *time.Location) {
	for i := range l.Slots {
		l.Slots[i].InZone(loc)
	}
}

// InZone adds the slot's local start and end in loc.
func (s *Slot) InZone(loc *time.Location) { s.SetLocal(s.Start, s.End, loc) }
