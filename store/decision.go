package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Decision is an entry of a team's decision log.
type Decision struct {
	ID       string `gorm:"primaryKey"`
	TeamID   string
	Title    string
	Context  string
	Decision string
	// OwnerID is nil once the owning member has been removed.
	OwnerID *string
	// DueDate is YYYY-MM-DD, or nil.
	DueDate *string
	Status  string
	// SlotID is the slot the decision came from, or nil.
	SlotID    *string
	CreatedAt time.Time
	// UpdatedAt is the store's clock at the last change, not GORM's.
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
	// Changes is the history of its status, oldest first.
	Changes []DecisionChange `gorm:"-"`
}

// DecisionChange is one change of a decision's status; the first is its
// creation, from "".
type DecisionChange struct {
	ID         string `gorm:"primaryKey"`
	DecisionID string
	FromStatus string
	ToStatus   string
	By         Actor `gorm:"embedded;embeddedPrefix:by_"`
	ChangedAt  time.Time
}

// DecisionFilter narrows a list of decisions; empty fields match all.
type DecisionFilter struct {
	Status  string
	OwnerID string
}

// CreateDecision stores a new decision of an existing team with its first
// history entry, and sets its ID and timestamps. The owner, when set, must
// be a member of the team (else ErrUnknownOwner).
func (s *Store) CreateDecision(ctx context.Context, d *Decision, by Actor) error {
	d.ID = newID()
	d.CreatedAt = s.Now()
	d.UpdatedAt = d.CreatedAt
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&Team{}, "id = ?", d.TeamID).Error; err != nil {
			return translate(err)
		}
		if err := checkOwner(tx, d.TeamID, d.OwnerID); err != nil {
			return err
		}
		if err := translate(tx.Create(d).Error); err != nil {
			return err
		}
		return addChange(tx, d, "", by)
	})
}

// ErrUnknownOwner is an owner who is not a member of the team.
var ErrUnknownOwner = errors.New("store: the owner is not a member of the team")

// checkOwner reports ErrUnknownOwner when owner is set and not a member of the team.
func checkOwner(tx *gorm.DB, teamID string, owner *string) error {
	if owner == nil {
		return nil
	}
	err := translate(tx.Select("id").Take(&Member{}, "team_id = ? AND id = ?", teamID, *owner).Error)
	if errors.Is(err, ErrNotFound) {
		return ErrUnknownOwner
	}
	return err
}

func addChange(tx *gorm.DB, d *Decision, from string, by Actor) error {
	c := DecisionChange{ID: newID(), DecisionID: d.ID, FromStatus: from, ToStatus: d.Status, By: by, ChangedAt: d.UpdatedAt}
	if err := tx.Create(&c).Error; err != nil {
		return translate(err)
	}
	d.Changes = append(d.Changes, c)
	return nil
}

// FindDecisionByID returns a decision of the team with its history, or ErrNotFound.
func (s *Store) FindDecisionByID(ctx context.Context, teamID, id string) (*Decision, error) {
	return findDecision(s.db.WithContext(ctx), teamID, id)
}

func findDecision(db *gorm.DB, teamID, id string) (*Decision, error) {
	var d Decision
	if err := db.Take(&d, "team_id = ? AND id = ?", teamID, id).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Where("decision_id = ?", id).Order("id").Find(&d.Changes).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// FindDecisions lists a team's decisions in creation order, filtered, and
// returns the cursor of the next page, or "". Their history is not loaded.
func (s *Store) FindDecisions(ctx context.Context, teamID string, f DecisionFilter, p Page) ([]Decision, string, error) {
	q := s.db.WithContext(ctx).Model(&Decision{}).Where("team_id = ?", teamID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.OwnerID != "" {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	return paginate(q, p, func(d Decision) string { return d.ID })
}

// UpdateDecision loads a decision of the team, lets apply change it and
// saves it in one transaction, adding a history entry by `by` when the
// status changed. An error from apply aborts without writing.
func (s *Store) UpdateDecision(ctx context.Context, teamID, id string, by Actor, apply func(*Decision) error) (*Decision, error) {
	var out *Decision
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		d, err := findDecision(tx, teamID, id)
		if err != nil {
			return err
		}
		before := d.Status
		if err := apply(d); err != nil {
			return err
		}
		if err := checkOwner(tx, teamID, d.OwnerID); err != nil {
			return err
		}
		d.ID, d.TeamID = id, teamID
		d.UpdatedAt = s.Now()
		if err := translate(tx.Save(d).Error); err != nil {
			return err
		}
		if d.Status != before {
			if err := addChange(tx, d, before, by); err != nil {
				return err
			}
		}
		out = d
		return nil
	})
	return out, err
}
