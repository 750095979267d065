package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"overlap/planner"
	"overlap/store"
)

// Slot is one occurrence of a team's adopted core hours, with who can
// attend, its agenda and its status as of the service's clock.
type Slot struct {
	ID    string    `json:"id"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Local is the slot in the team's zone.
	Local  SlotLocal          `json:"local"`
	Status planner.SlotStatus `json:"status"`
	// AgendaCutoff is when the slot is cancelled for async work if it has
	// no agenda by then.
	AgendaCutoff time.Time          `json:"agenda_cutoff"`
	Attendees    []string           `json:"attendees"`
	Conflicts    []planner.Conflict `json:"conflicts"`
	OutsideHours []string           `json:"outside_hours"`
	Agenda       []AgendaItem       `json:"agenda"`
	// AgendaMinutes is the sum of the items' minutes.
	AgendaMinutes int `json:"agenda_minutes"`
	// Cancellation is set when Status is cancelled-async.
	Cancellation *Cancellation `json:"cancellation"`
	// Sequence is the slot's SEQUENCE in the feeds.
	Sequence int `json:"sequence"`
	// UpdatedAt is when the slot last changed: derived, its agenda or
	// status changed, or its cutoff passed without an agenda.
	UpdatedAt time.Time `json:"updated_at"`
	planner.LocalTimes
}

// SlotLocal is a slot's date and wall-clock times in a zone.
type SlotLocal struct {
	Date     string        `json:"date"`
	Start    planner.Clock `json:"start"`
	End      planner.Clock `json:"end"`
	Timezone string        `json:"timezone"`
}

// AgendaItem is one point on a slot's agenda.
type AgendaItem struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Owner is the owning member's id; null once they left the team.
	Owner      *string     `json:"owner"`
	Minutes    int         `json:"minutes"`
	Kind       string      `json:"kind"`
	PreReadURL string      `json:"pre_read_url,omitempty"`
	AddedBy    store.Actor `json:"added_by"`
	CreatedAt  time.Time   `json:"created_at"`
}

// Cancellation says why a slot goes async.
type Cancellation struct {
	Reason string `json:"reason"`
	// By is the key that cancelled it; null when the agenda cutoff did.
	By *store.Actor `json:"by"`
	At time.Time    `json:"at"`
}

// SlotList is a team's slots over a range.
type SlotList struct {
	From     time.Time        `json:"from"`
	To       time.Time        `json:"to"`
	Timezone string           `json:"timezone"`
	Slots    []Slot           `json:"slots"`
	Notices  []CalendarNotice `json:"notices"`
}

// cutoffReason is the reason of a cancellation by the agenda cutoff.
const cutoffReason = "no agenda by the agenda cutoff: the team works async instead"

// Slots lists a team's slots starting in [from, to), as of now.
func (s *Service) Slots(ctx context.Context, teamID string, from, to time.Time) (*SlotList, error) {
	set, err := s.loadSlots(ctx, teamID, from, to, s.now())
	if err != nil {
		return nil, err
	}
	return &SlotList{From: set.from, To: set.to, Timezone: set.team.Timezone, Slots: set.slots, Notices: set.notices}, nil
}

// slotSet is a team read consistently at one revision, with its slots
// over a range.
type slotSet struct {
	team     store.Team
	planning planner.Team
	from, to time.Time
	slots    []Slot
	notices  []CalendarNotice
}

// maxRereads bounds how often a read starts again because the team
// changed while it was read.
const maxRereads = 5

// loadSlots derives the slots of a team in [from, to) with their members'
// attendance and stored state, judged at now. The team's revision is read
// before and after, so the slots are those of exactly one revision.
func (s *Service) loadSlots(ctx context.Context, teamID string, from, to, now time.Time) (*slotSet, error) {
	for range maxRereads {
		before, err := s.FindTeam(ctx, teamID)
		if err != nil {
			return nil, err
		}
		set, err := s.readSlots(ctx, *before, from, to, now)
		if err != nil {
			return nil, err
		}
		after, err := s.FindTeam(ctx, teamID)
		if err != nil {
			return nil, err
		}
		if after.Revision == before.Revision {
			return set, nil
		}
	}
	return nil, &ConflictError{Message: "the team is changing too fast to be read; try again"}
}

func (s *Service) readSlots(ctx context.Context, t store.Team, from, to, now time.Time) (*slotSet, error) {
	pt, err := s.LoadTeam(ctx, t.ID, from, to)
	if err != nil {
		return nil, err
	}
	adoptions, err := s.store.FindAdoptions(ctx, t.ID, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	states, err := s.store.FindSlotStates(ctx, t.ID, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	stateOf := make(map[string]*store.SlotState, len(states))
	for i := range states {
		stateOf[states[i].SlotID] = &states[i]
	}
	set := &slotSet{team: t, planning: pt.Team, from: pt.From, to: pt.To, notices: pt.Notices, slots: []Slot{}}
	segs, err := segments(adoptions, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	for _, seg := range segs {
		occurrences, err := planner.CoreOccurrences(ctx, adoptionTeam(pt.Team, seg.zone), seg.core, seg.from, pt.To)
		if err != nil {
			return nil, err
		}
		for _, o := range occurrences {
			if !o.Start.Before(seg.to) {
				break
			}
			id := planner.SlotID(t.ID, o.Start, o.End)
			set.slots = append(set.slots, newSlot(t, id, o, stateOf[id], seg.effectiveFrom, now))
		}
	}
	return set, nil
}

// segment is the part of a range in which one adoption is in force: slots
// starting in [from, to) come from it.
type segment struct {
	core          planner.CoreHours
	zone          *time.Location
	from, to      time.Time
	effectiveFrom time.Time
}

// segments splits [from, to) between adoptions as FindAdoptions returns them.
func segments(adoptions []store.Adoption, from, to time.Time) ([]segment, error) {
	var out []segment
	for i, a := range adoptions {
		core, zone, err := decodeAdoption(a)
		if err != nil {
			return nil, err
		}
		seg := segment{core: core, zone: zone, from: laterOf(from, a.EffectiveFrom), to: to, effectiveFrom: a.EffectiveFrom}
		if i+1 < len(adoptions) {
			seg.to = adoptions[i+1].EffectiveFrom
		}
		if seg.to.After(seg.from) {
			out = append(out, seg)
		}
	}
	return out, nil
}

// adoptionTeam is the team as core hours adopted in zone see it. Their
// windows were checked against the policy of their day; a later policy
// must not hide the slots they made.
func adoptionTeam(team planner.Team, zone *time.Location) planner.Team {
	team.Location = zone
	team.Policy.CoreWeekdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	team.Policy.MinSlotMinutes, team.Policy.MaxCoreMinutesPerDay = 15, 24*60
	return team
}

// newSlot puts a derived occurrence and its stored state together.
func newSlot(t store.Team, id string, o planner.Occurrence, st *store.SlotState, derivedAt, now time.Time) Slot {
	zone, _ := LoadZone("timezone", t.Timezone) // checked on write
	localStart, localEnd := o.Start.In(zone), o.End.In(zone)
	out := Slot{
		ID: id, Start: o.Start, End: o.End,
		Local:        SlotLocal{Date: planner.DateOf(localStart).String(), Start: clockOf(localStart), End: clockOf(localEnd), Timezone: t.Timezone},
		AgendaCutoff: planner.AgendaCutoff(o.Start, t.Policy.AgendaCutoffHours),
		Attendees:    o.Attendees, Conflicts: o.Conflicts, OutsideHours: o.OutsideHours,
		Agenda:    []AgendaItem{},
		UpdatedAt: derivedAt,
	}
	revision, cancelled := 0, false
	if st != nil {
		revision, cancelled = st.Revision, st.CancelReason != nil
		out.Agenda = agendaOf(st)
		out.Cancellation = leadCancellation(st)
		out.UpdatedAt = laterOf(out.UpdatedAt, st.UpdatedAt)
	}
	for _, it := range out.Agenda {
		out.AgendaMinutes += it.Minutes
	}
	out.Status = planner.SlotStatusAt(o.Start, t.Policy.AgendaCutoffHours, len(out.Agenda), cancelled, now)
	byCutoff := out.Status == planner.SlotCancelledAsync && !cancelled
	if byCutoff {
		out.Cancellation = &Cancellation{Reason: cutoffReason, At: out.AgendaCutoff}
		out.UpdatedAt = laterOf(out.UpdatedAt, out.AgendaCutoff)
	}
	out.Sequence = planner.SlotSequence(revision, t.SlotSequenceBase, byCutoff)
	return out
}

func agendaOf(st *store.SlotState) []AgendaItem {
	out := make([]AgendaItem, len(st.Items))
	for i, it := range st.Items {
		out[i] = AgendaItem{ID: it.ID, Title: it.Title, Owner: it.OwnerID, Minutes: it.Minutes, Kind: it.Kind,
			PreReadURL: it.PreReadURL, AddedBy: it.AddedBy, CreatedAt: it.CreatedAt.UTC()}
	}
	return out
}

func leadCancellation(st *store.SlotState) *Cancellation {
	if st.CancelReason == nil {
		return nil
	}
	by := st.CancelledBy
	c := &Cancellation{Reason: *st.CancelReason, By: &by}
	if st.CancelledAt != nil {
		c.At = st.CancelledAt.UTC()
	}
	return c
}

func clockOf(t time.Time) planner.Clock { return planner.Clock(t.Hour()*60 + t.Minute()) }

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// decodeAdoption reads stored core hours and their zone; a failure is the
// server's fault.
func decodeAdoption(a store.Adoption) (planner.CoreHours, *time.Location, error) {
	var core planner.CoreHours
	if err := json.Unmarshal([]byte(a.Definition), &core); err != nil {
		return core, nil, fmt.Errorf("service: stored adoption %s: %w", a.ID, err)
	}
	zone, err := LoadZone("timezone", a.Timezone)
	return core, zone, err
}

// derivedSlot is a slot's times and the adoption that made it.
type derivedSlot struct {
	ref       store.SlotRef
	derivedAt time.Time
}

// deriveSlots lays adoptions (as FindAdoptions returns them) onto
// [from, to) without looking at members: each slot comes from the
// adoption in force when it starts.
func deriveSlots(teamID string, adoptions []store.Adoption, from, to time.Time) ([]derivedSlot, error) {
	segs, err := segments(adoptions, from, to)
	if err != nil {
		return nil, err
	}
	var out []derivedSlot
	for _, seg := range segs {
		for _, st := range planner.SlotTimes(seg.core, seg.zone, seg.from, to) {
			if !st.Start.Before(seg.to) {
				break
			}
			out = append(out, derivedSlot{store.SlotRef{ID: planner.SlotID(teamID, st.Start, st.End), Start: st.Start, End: st.End}, seg.effectiveFrom})
		}
	}
	return out, nil
}

// foundSlot is a slot named by id, at the team revision it was found at.
type foundSlot struct {
	ref  store.SlotRef
	team store.Team
	// state is nil when the slot carries none.
	state *store.SlotState
	// orphaned slots carry state but are no longer derived: core hours
	// adopted since moved them.
	orphaned bool
}

// findSlot finds a team's slot by id: the id names its times, and the
// adoptions say whether it is still derived. A stored state of a slot no
// longer derived makes it orphaned.
func (s *Service) findSlot(ctx context.Context, teamID, slotID string, now time.Time) (*foundSlot, error) {
	t, err := s.FindTeam(ctx, teamID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.FindSlotState(ctx, teamID, slotID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	from, to, named := planner.SlotIDTimes(slotID)
	if !named {
		return nil, &NotFoundError{What: "slot"}
	}
	to = to.Add(time.Second)
	adoptions, err := s.store.FindAdoptions(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	derived, err := deriveSlots(teamID, adoptions, from, to)
	if err != nil {
		return nil, err
	}
	for _, d := range derived {
		if d.ref.ID == slotID {
			return &foundSlot{ref: d.ref, team: *t, state: st}, nil
		}
	}
	if st == nil {
		return nil, &NotFoundError{What: "slot"}
	}
	return &foundSlot{ref: store.SlotRef{ID: slotID, Start: st.StartAt.UTC(), End: st.EndAt.UTC()}, team: *t, state: st, orphaned: true}, nil
}

// FindSlot returns one slot of the team, with attendance, as of now. A
// slot that core hours adopted since no longer make is a *NotFoundError;
// OrphanedSlots lists those that carry state.
func (s *Service) FindSlot(ctx context.Context, teamID, slotID string) (*Slot, error) {
	now := s.now()
	found, err := s.findSlot(ctx, teamID, slotID, now)
	if err != nil {
		return nil, err
	}
	if found.orphaned {
		return nil, &NotFoundError{What: "slot (core hours adopted since moved it; see the orphaned slots)"}
	}
	set, err := s.loadSlots(ctx, teamID, found.ref.Start, found.ref.End.Add(time.Second), now)
	if err != nil {
		return nil, err
	}
	for i := range set.slots {
		if set.slots[i].ID == slotID {
			return &set.slots[i], nil
		}
	}
	return nil, &NotFoundError{What: "slot"}
}

// OrphanedSlot is the state of a slot that adopted core hours no longer
// make: kept, never silently dropped, until its items are removed.
type OrphanedSlot struct {
	ID           string        `json:"id"`
	Start        time.Time     `json:"start"`
	End          time.Time     `json:"end"`
	Agenda       []AgendaItem  `json:"agenda"`
	Cancellation *Cancellation `json:"cancellation"`
}

// OrphanedSlots lists the slots that carry an agenda or a cancellation but
// are no longer derived from the team's core hours, by start.
func (s *Service) OrphanedSlots(ctx context.Context, teamID string) ([]OrphanedSlot, error) {
	if _, err := s.FindTeam(ctx, teamID); err != nil {
		return nil, err
	}
	return s.orphanedSince(ctx, teamID, time.Time{})
}

// orphanedSince lists the orphaned slots starting at or after since.
func (s *Service) orphanedSince(ctx context.Context, teamID string, since time.Time) ([]OrphanedSlot, error) {
	states, err := s.store.FindEventfulSlotStates(ctx, teamID)
	if err != nil {
		return nil, err
	}
	states = slices.DeleteFunc(states, func(st store.SlotState) bool { return st.StartAt.Before(since) })
	out := []OrphanedSlot{}
	if len(states) == 0 {
		return out, nil
	}
	from, to := states[0].StartAt, states[0].EndAt
	for _, st := range states {
		to = laterOf(to, st.EndAt)
	}
	adoptions, err := s.store.FindAdoptions(ctx, teamID, from, to.Add(time.Second))
	if err != nil {
		return nil, err
	}
	derived, err := deriveSlots(teamID, adoptions, from, to.Add(time.Second))
	if err != nil {
		return nil, err
	}
	live := make(map[string]bool, len(derived))
	for _, d := range derived {
		live[d.ref.ID] = true
	}
	for i := range states {
		st := &states[i]
		if live[st.SlotID] {
			continue
		}
		out = append(out, OrphanedSlot{ID: st.SlotID, Start: st.StartAt.UTC(), End: st.EndAt.UTC(), Agenda: agendaOf(st), Cancellation: leadCancellation(st)})
	}
	return out, nil
}
