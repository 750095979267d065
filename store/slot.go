package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Actor is who made a change: the API key's id and label.
type Actor struct {
	KeyID string `json:"key_id"`
	Label string `json:"label"`
}

// SlotState is what is stored about one derived slot: slots themselves are
// computed from the team's core hours, and a row exists only for a slot
// that carries state.
type SlotState struct {
	TeamID  string `gorm:"primaryKey"`
	SlotID  string `gorm:"primaryKey"`
	StartAt time.Time
	EndAt   time.Time
	// Revision counts the changes to the slot's agenda and status.
	Revision     int
	CancelReason *string
	// CancelledBy is set with CancelReason.
	CancelledBy Actor `gorm:"embedded;embeddedPrefix:cancelled_by_"`
	CancelledAt *time.Time
	// UpdatedAt is the store's clock at the last change, not GORM's.
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
	// Items is the agenda, in the order the items were added.
	Items []AgendaItem `gorm:"-"`
}

// AgendaItem is one point on a slot's agenda.
type AgendaItem struct {
	ID     string `gorm:"primaryKey"`
	TeamID string
	SlotID string
	Title  string
	// OwnerID is nil once the owning member has been removed.
	OwnerID    *string
	Minutes    int
	Kind       string
	PreReadURL string
	AddedBy    Actor `gorm:"embedded;embeddedPrefix:added_by_"`
	CreatedAt  time.Time
}

// SlotRef names a derived slot and the times it was derived with.
type SlotRef struct {
	ID         string
	Start, End time.Time
}

// ErrStale means the team changed between the caller's reading and its
// write; the caller reads again and retries.
var ErrStale = errors.New("store: the team changed meanwhile")

// FindSlotStates returns the states of the team's slots starting in
// [from, to), with their agendas, by start.
func (s *Store) FindSlotStates(ctx context.Context, teamID string, from, to time.Time) ([]SlotState, error) {
	var states []SlotState
	err := s.db.WithContext(ctx).Where("team_id = ? AND start_at >= ? AND start_at < ?", teamID, from, to).
		Order("start_at, slot_id").Find(&states).Error
	if err != nil {
		return nil, translate(err)
	}
	return states, s.addItems(s.db.WithContext(ctx), teamID, states)
}

// FindSlotState returns the state of one slot with its agenda, or ErrNotFound.
func (s *Store) FindSlotState(ctx context.Context, teamID, slotID string) (*SlotState, error) {
	return findSlotState(s, s.db.WithContext(ctx), teamID, slotID)
}

func findSlotState(s *Store, db *gorm.DB, teamID, slotID string) (*SlotState, error) {
	var st SlotState
	if err := db.Take(&st, "team_id = ? AND slot_id = ?", teamID, slotID).Error; err != nil {
		return nil, translate(err)
	}
	states := []SlotState{st}
	if err := s.addItems(db, teamID, states); err != nil {
		return nil, err
	}
	return &states[0], nil
}

// FindEventfulSlotStates returns the states that carry an agenda item or a
// cancellation, by start: the ones a change of core hours could orphan.
func (s *Store) FindEventfulSlotStates(ctx context.Context, teamID string) ([]SlotState, error) {
	db := s.db.WithContext(ctx)
	withItems := db.Model(&AgendaItem{}).Select("slot_id").Where("team_id = ?", teamID)
	var states []SlotState
	err := db.Where("team_id = ? AND (cancel_reason IS NOT NULL OR slot_id IN (?))", teamID, withItems).
		Order("start_at, slot_id").Find(&states).Error
	if err != nil {
		return nil, translate(err)
	}
	return states, s.addItems(db, teamID, states)
}

// addItems fills in the agendas of states, items in the order added.
func (s *Store) addItems(db *gorm.DB, teamID string, states []SlotState) error {
	if len(states) == 0 {
		return nil
	}
	index := make(map[string]int, len(states))
	ids := make([]string, len(states))
	for i, st := range states {
		index[st.SlotID], ids[i] = i, st.SlotID
		states[i].Items = []AgendaItem{}
	}
	for start := 0; start < len(ids); start += textBatch {
		var items []AgendaItem
		err := db.Where("team_id = ? AND slot_id IN ?", teamID, ids[start:min(start+textBatch, len(ids))]).
			Order("id").Find(&items).Error
		if err != nil {
			return translate(err)
		}
		for _, it := range items {
			st := &states[index[it.SlotID]]
			st.Items = append(st.Items, it)
		}
	}
	return nil
}

// SlotChange is a change to one slot, checked and made under the team's
// lock. It sees the slot's current state (a fresh one, Revision 0, when
// none is stored) and changes it, or returns an error that aborts.
type SlotChange func(st *SlotState) error

// AddAgendaItem adds item to the slot's agenda once check accepts the
// slot's state. teamRevision is the team revision the caller derived the
// slot at: a different one is ErrStale.
func (s *Store) AddAgendaItem(ctx context.Context, teamID string, ref SlotRef, teamRevision int64, item *AgendaItem, check SlotChange) (*SlotState, error) {
	return s.changeSlot(ctx, teamID, ref, teamRevision, func(tx *gorm.DB, st *SlotState) error {
		if err := check(st); err != nil {
			return err
		}
		item.ID, item.TeamID, item.SlotID, item.CreatedAt = newID(), teamID, ref.ID, s.Now()
		st.Items = append(st.Items, *item)
		return translate(tx.Create(item).Error)
	})
}

// DeleteAgendaItem removes an item of the slot's agenda once check accepts
// the slot's state; an unknown item is ErrNotFound.
func (s *Store) DeleteAgendaItem(ctx context.Context, teamID string, ref SlotRef, teamRevision int64, itemID string, check SlotChange) error {
	_, err := s.changeSlot(ctx, teamID, ref, teamRevision, func(tx *gorm.DB, st *SlotState) error {
		kept := st.Items[:0]
		for _, it := range st.Items {
			if it.ID != itemID {
				kept = append(kept, it)
			}
		}
		if len(kept) == len(st.Items) {
			return ErrNotFound
		}
		if err := check(st); err != nil {
			return err
		}
		st.Items = kept
		return translate(tx.Delete(&AgendaItem{}, "team_id = ? AND id = ?", teamID, itemID).Error)
	})
	return err
}

// CancelSlot records a cancellation once check accepts the slot's state.
func (s *Store) CancelSlot(ctx context.Context, teamID string, ref SlotRef, teamRevision int64, reason string, by Actor, check SlotChange) (*SlotState, error) {
	return s.changeSlot(ctx, teamID, ref, teamRevision, func(_ *gorm.DB, st *SlotState) error {
		if err := check(st); err != nil {
			return err
		}
		now := s.Now()
		st.CancelReason, st.CancelledBy, st.CancelledAt = &reason, by, &now
		return nil
	})
}

// changeSlot runs change on the slot's state under the team's lock, then
// stores the state with its revision moved on and bumps the team's.
func (s *Store) changeSlot(ctx context.Context, teamID string, ref SlotRef, teamRevision int64, change func(tx *gorm.DB, st *SlotState) error) (*SlotState, error) {
	var out *SlotState
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var t Team
		if err := lockTeam(tx, teamID, &t); err != nil {
			return err
		}
		if t.Revision != teamRevision {
			return ErrStale
		}
		st, err := findSlotState(s, tx, teamID, ref.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			st = &SlotState{TeamID: teamID, SlotID: ref.ID, StartAt: ref.Start, EndAt: ref.End, Items: []AgendaItem{}}
		case err != nil:
			return err
		}
		// The row first: the items refer to it.
		st.Revision++
		st.UpdatedAt = s.Now()
		if err := translate(tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(st).Error); err != nil {
			return err
		}
		if err := change(tx, st); err != nil {
			return err
		}
		if err := translate(tx.Save(st).Error); err != nil {
			return err
		}
		out = st
		return bumpRevision(tx, teamID, st.UpdatedAt)
	})
	return out, err
}
