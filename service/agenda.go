package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"overlap/planner"
	"overlap/store"
)

// The kinds of agenda item.
var agendaKinds = []string{"decision", "discussion", "fyi"}

// fyiHint answers an fyi item: accepted, but live time is for what needs it.
const fyiHint = "An fyi item informs without needing anyone live: consider posting it as an async update instead and keeping this slot for decisions and discussions."

// AgendaInput is the body of a new agenda item.
type AgendaInput struct {
	Title      string `json:"title"`
	Owner      string `json:"owner"`
	Minutes    int    `json:"minutes"`
	Kind       string `json:"kind"`
	PreReadURL string `json:"pre_read_url"`
}

// AddedAgendaItem is a new agenda item, with a hint when it may belong in
// an async update rather than in live time.
type AddedAgendaItem struct {
	AgendaItem
	Hint string `json:"hint,omitempty"`
}

// check validates the item on its own (the slot's rules come later).
func (in *AgendaInput) check() error {
	var err error
	if in.Title, err = requireText("title", in.Title, 200); err != nil {
		return err
	}
	if in.Owner == "" {
		return fieldError("owner", "is required: the id of the member who brings the item")
	}
	if in.Minutes < 1 {
		return fieldError("minutes", "must be at least 1")
	}
	if !slices.Contains(agendaKinds, in.Kind) {
		return fieldError("kind", "must be decision, discussion or fyi")
	}
	in.PreReadURL, err = checkWebURL("pre_read_url", in.PreReadURL)
	return err
}

// AddAgendaItem puts an item on a slot's agenda. It is refused when the
// slot has started, is cancelled, or no longer exists (*ConflictError), and
// when the agenda's minutes would exceed the slot (a field error naming
// minutes). The check and the write hold the team's lock.
func (s *Service) AddAgendaItem(ctx context.Context, teamID, slotID string, in AgendaInput, by store.Actor) (*AddedAgendaItem, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if _, err := s.store.FindMemberByID(ctx, teamID, in.Owner); errors.Is(err, store.ErrNotFound) {
		if _, err := s.FindTeam(ctx, teamID); err != nil {
			return nil, err
		}
		return nil, fieldError("owner", "%q is not a member of the team", Excerpt(in.Owner))
	} else if err != nil {
		return nil, err
	}
	item := &store.AgendaItem{Title: in.Title, OwnerID: &in.Owner, Minutes: in.Minutes, Kind: in.Kind, PreReadURL: in.PreReadURL, AddedBy: by}
	err := s.changeSlot(ctx, teamID, slotID, func(found *foundSlot, now time.Time) error {
		_, err := s.store.AddAgendaItem(ctx, teamID, found.ref, found.team.Revision, item, func(st *store.SlotState) error {
			if err := checkOpen(found, st, now, "add to its agenda"); err != nil {
				return err
			}
			length := int(found.ref.End.Sub(found.ref.Start) / time.Minute)
			used := 0
			for _, it := range st.Items {
				used += it.Minutes
			}
			if used+item.Minutes > length {
				return fieldError("minutes", "the agenda would take %d minutes, more than the slot's %d (%d already planned)", used+item.Minutes, length, used)
			}
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	st := &store.SlotState{Items: []store.AgendaItem{*item}}
	out := &AddedAgendaItem{AgendaItem: agendaOf(st)[0]}
	if item.Kind == "fyi" {
		out.Hint = fyiHint
	}
	return out, nil
}

// checkOpen refuses a change to a slot that has started, is cancelled, or
// is orphaned; doing names the change for the message.
func checkOpen(found *foundSlot, st *store.SlotState, now time.Time, doing string) error {
	cutoff := found.team.Policy.AgendaCutoffHours
	switch {
	case found.orphaned:
		return &ConflictError{Message: "the slot no longer exists: core hours adopted since moved it; cannot " + doing}
	case !now.Before(found.ref.Start):
		return &ConflictError{Message: fmt.Sprintf("the slot started at %s: cannot %s", found.ref.Start.Format(time.RFC3339), doing)}
	case st.CancelReason != nil:
		return &ConflictError{Message: "the slot was cancelled by a lead (" + Excerpt(*st.CancelReason) + "): cannot " + doing}
	case planner.SlotStatusAt(found.ref.Start, cutoff, len(st.Items), false, now) == planner.SlotCancelledAsync:
		return &ConflictError{Message: fmt.Sprintf("the slot was cancelled for async work: its agenda cutoff (%s) passed without an agenda; cannot %s",
			planner.AgendaCutoff(found.ref.Start, cutoff).Format(time.RFC3339), doing)}
	}
	return nil
}

// changeSlot finds the slot and runs write with it, again when the team
// changed in between (store.ErrStale), so the slot checked is the slot
// written.
func (s *Service) changeSlot(ctx context.Context, teamID, slotID string, write func(*foundSlot, time.Time) error) error {
	for range maxRereads {
		now := s.now()
		found, err := s.findSlot(ctx, teamID, slotID, now)
		if err != nil {
			return err
		}
		if err = write(found, now); !errors.Is(err, store.ErrStale) {
			return err
		}
	}
	return &ConflictError{Message: "the team is changing too fast; try again"}
}

// Agenda lists a slot's agenda, orphaned slots included.
func (s *Service) Agenda(ctx context.Context, teamID, slotID string) ([]AgendaItem, error) {
	found, err := s.findSlot(ctx, teamID, slotID, s.now())
	if err != nil {
		return nil, err
	}
	if found.state == nil {
		return []AgendaItem{}, nil
	}
	return agendaOf(found.state), nil
}

// DeleteAgendaItem removes an item from a slot's agenda. Items of a slot
// that has started stay, as the record of what it was for; items of an
// orphaned slot can always be removed, which is how a lead clears it.
func (s *Service) DeleteAgendaItem(ctx context.Context, teamID, slotID, itemID string) error {
	return s.changeSlot(ctx, teamID, slotID, func(found *foundSlot, now time.Time) error {
		return notFoundAs(s.store.DeleteAgendaItem(ctx, teamID, found.ref, found.team.Revision, itemID, func(*store.SlotState) error {
			if !found.orphaned && !now.Before(found.ref.Start) {
				return &ConflictError{Message: fmt.Sprintf("the slot started at %s: its agenda is kept as the record", found.ref.Start.Format(time.RFC3339))}
			}
			return nil
		}), "agenda item")
	})
}

// CancelSlot cancels a slot in favour of async work, with the reason
// subscribers will read. A slot that has started or is already cancelled
// is a *ConflictError.
func (s *Service) CancelSlot(ctx context.Context, teamID, slotID, reason string, by store.Actor) (*Slot, error) {
	reason, err := requireText("reason", reason, 500)
	if err != nil {
		return nil, err
	}
	err = s.changeSlot(ctx, teamID, slotID, func(found *foundSlot, now time.Time) error {
		_, err := s.store.CancelSlot(ctx, teamID, found.ref, found.team.Revision, reason, by, func(st *store.SlotState) error {
			return checkOpen(found, st, now, "cancel it")
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.FindSlot(ctx, teamID, slotID)
}
