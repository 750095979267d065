package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Team is a group of members that plans core hours together.
type Team struct {
	ID string `json:"id" gorm:"primaryKey"`
	// Name is shown to people; it need not be unique.
	Name string `json:"name"`
	// Timezone is the IANA zone core hours are expressed in.
	Timezone string `json:"timezone"`
	// Policy limits the core hours proposed for the team.
	Policy    Policy    `json:"policy" gorm:"serializer:json"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Policy is a team's core-hours policy, stored as JSON.
type Policy struct {
	MaxCoreMinutesPerDay int      `json:"max_core_minutes_per_day"`
	MinSlotMinutes       int      `json:"min_slot_minutes"`
	Quorum               float64  `json:"quorum"`
	CoreWeekdays         []string `json:"core_weekdays"`
	AgendaCutoffHours    int      `json:"agenda_cutoff_hours"`
}

// CreateTeam stores a new team and sets its ID and timestamps.
func (s *Store) CreateTeam(ctx context.Context, t *Team) error {
	t.ID = newID()
	t.CreatedAt = s.Now()
	t.UpdatedAt = t.CreatedAt
	return translate(s.db.WithContext(ctx).Create(t).Error)
}

// FindTeamByID returns the team or ErrNotFound.
func (s *Store) FindTeamByID(ctx context.Context, id string) (*Team, error) {
	var t Team
	if err := s.db.WithContext(ctx).Take(&t, "id = ?", id).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// FindTeams lists teams in creation order. ids, when not nil, restricts the
// list to those teams. It returns the cursor of the next page, or "".
func (s *Store) FindTeams(ctx context.Context, ids []string, p Page) ([]Team, string, error) {
	q := s.db.WithContext(ctx).Model(&Team{})
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	return paginate(q, p, func(t Team) string { return t.ID })
}

// UpdateTeam loads the team, lets apply change it and saves it, all in one
// transaction; an error from apply aborts without writing. It returns the
// saved team, or ErrNotFound.
func (s *Store) UpdateTeam(ctx context.Context, id string, apply func(*Team) error) (*Team, error) {
	var t Team
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&t, "id = ?", id).Error; err != nil {
			return translate(err)
		}
		if err := apply(&t); err != nil {
			return err
		}
		t.ID = id
		t.UpdatedAt = s.Now()
		return translate(tx.Save(&t).Error)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteTeam removes the team and, by cascade, its members. It returns
// ErrNotFound when there was no such team.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Delete(&Team{}, "id = ?", id)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
