package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CoreHours is the set of core windows a team adopted. Definition is the
// planner's JSON for it; the store keeps it opaque so that the shape has one
// owner.
type CoreHours struct {
	TeamID     string `gorm:"primaryKey"`
	Definition string
	AdoptedAt  time.Time
}

// TableName keeps the table name explicit: GORM would pluralise the type name.
func (CoreHours) TableName() string { return "team_core_hours" }

// PutCoreHours adopts core hours for an existing team, replacing any
// earlier ones. definition sees the team under its row lock and returns the
// definition to store, or an error that aborts without writing; so a policy
// change cannot slip between its checks and the write. It returns
// ErrNotFound when the team does not exist.
func (s *Store) PutCoreHours(ctx context.Context, teamID string, definition func(*Team) (string, error)) (*CoreHours, error) {
	c := &CoreHours{TeamID: teamID}
	err := s.putTeamRow(ctx, teamID, c, func(t *Team) error {
		var err error
		c.Definition, err = definition(t)
		c.AdoptedAt = s.Now()
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// putTeamRow writes row, a team's one row in a table of its own, in place
// of the team's earlier one, holding the team's row lock: fill sees the
// team and completes the row, or fails and nothing is written. It returns
// ErrNotFound when the team does not exist.
func (s *Store) putTeamRow(ctx context.Context, teamID string, row any, fill func(*Team) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t Team
		if err := lockTeam(tx, teamID, &t); err != nil {
			return err
		}
		if err := fill(&t); err != nil {
			return err
		}
		return translate(tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(row).Error)
	})
}

// FindCoreHours returns a team's adopted core hours, or ErrNotFound.
func (s *Store) FindCoreHours(ctx context.Context, teamID string) (*CoreHours, error) {
	var c CoreHours
	if err := s.db.WithContext(ctx).Take(&c, "team_id = ?", teamID).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}
