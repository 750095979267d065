package store

import (
	"context"
	"time"
)

// ReviewSettings are a team's meeting-review settings. Settings is the
// planner's JSON for them; the store keeps it opaque so that the shape has
// one owner.
type ReviewSettings struct {
	TeamID    string `gorm:"primaryKey"`
	Settings  string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"` // set by the store's clock, like every stamp
}

// TableName keeps the table name explicit: GORM would pluralise the type name.
func (ReviewSettings) TableName() string { return "team_review_settings" }

// PutReviewSettings stores a team's review settings, replacing earlier
// ones, under the team's row lock so that it cannot outlive a concurrent
// deletion of the team. It returns ErrNotFound when the team does not exist.
func (s *Store) PutReviewSettings(ctx context.Context, teamID, settings string) (*ReviewSettings, error) {
	r := &ReviewSettings{TeamID: teamID, Settings: settings}
	err := s.putTeamRow(ctx, teamID, r, func(*Team) error {
		r.UpdatedAt = s.Now()
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// FindReviewSettings returns a team's stored review settings, or
// ErrNotFound when it stored none.
func (s *Store) FindReviewSettings(ctx context.Context, teamID string) (*ReviewSettings, error) {
	var r ReviewSettings
	if err := s.db.WithContext(ctx).Take(&r, "team_id = ?", teamID).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}
