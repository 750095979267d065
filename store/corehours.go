package store

import (
	"context"
	"errors"
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
// earlier ones, and records the adoption, in force from now in the team's
// zone, in the history slots are derived from. definition sees the team under its row lock and returns the
// definition to store, or an error that aborts without writing; so a policy
// change cannot slip between its checks and the write. It returns
// ErrNotFound when the team does not exist.
func (s *Store) PutCoreHours(ctx context.Context, teamID string, definition func(*Team) (string, error)) (*CoreHours, error) {
	c := &CoreHours{TeamID: teamID}
	fill := func(t *Team) error {
		var err error
		c.Definition, err = definition(t)
		c.AdoptedAt = s.Now()
		return err
	}
	record := func(tx *gorm.DB, t *Team) error {
		if err := addAdoption(tx, teamID, c.Definition, t.Timezone, c.AdoptedAt); err != nil {
			return err
		}
		return bumpRevision(tx, teamID, c.AdoptedAt)
	}
	if err := s.putTeamRow(ctx, teamID, c, fill, record); err != nil {
		return nil, err
	}
	return c, nil
}

// putTeamRow writes row, a team's one row in a table of its own, in place
// of the team's earlier one, holding the team's row lock: fill sees the
// team and completes the row, or fails and nothing is written; then, when
// not nil, writes what goes with the row in the same transaction. It
// returns ErrNotFound when the team does not exist.
func (s *Store) putTeamRow(ctx context.Context, teamID string, row any, fill func(*Team) error, then func(*gorm.DB, *Team) error) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		var t Team
		if err := lockTeam(tx, teamID, &t); err != nil {
			return err
		}
		if err := fill(&t); err != nil {
			return err
		}
		if err := translate(tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(row).Error); err != nil || then == nil {
			return err
		}
		return then(tx, &t)
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

// Adoption is core hours in force from EffectiveFrom until the next
// adoption, stated in Timezone.
type Adoption struct {
	ID            string
	TeamID        string
	Definition    string
	Timezone      string
	EffectiveFrom time.Time
}

// TableName keeps the table name explicit.
func (Adoption) TableName() string { return "core_hours_adoptions" }

func addAdoption(tx *gorm.DB, teamID, definition, zone string, from time.Time) error {
	a := &Adoption{ID: newID(), TeamID: teamID, Definition: definition, Timezone: zone, EffectiveFrom: from}
	return translate(tx.Create(a).Error)
}

// FindAdoptions returns the adoptions in force at some time in [from, to),
// oldest first: the last one that took effect by from, and every later one
// that took effect before to.
func (s *Store) FindAdoptions(ctx context.Context, teamID string, from, to time.Time) ([]Adoption, error) {
	db := s.db.WithContext(ctx)
	var out []Adoption
	var first Adoption
	err := db.Where("team_id = ? AND effective_from <= ?", teamID, from).Order("effective_from DESC, id DESC").Take(&first).Error
	switch {
	case err == nil:
		out = append(out, first)
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, translate(err)
	}
	var later []Adoption
	if err := db.Where("team_id = ? AND effective_from > ? AND effective_from < ?", teamID, from, to).
		Order("effective_from, id").Find(&later).Error; err != nil {
		return nil, translate(err)
	}
	return append(out, later...), nil
}
