package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Team is a group of members that plans core hours together.
type Team struct {
	ID string `json:"id" gorm:"primaryKey"`
	// Name is shown to people; it need not be unique.
	Name string `json:"name"`
	// Timezone is the IANA zone core hours are expressed in.
	Timezone string `json:"timezone"`
	// Policy limits the core hours proposed for the team.
	Policy Policy `json:"policy" gorm:"serializer:json"`
	// Norms say which work is live, which async, and how fast each async
	// channel answers.
	Norms Norms `json:"norms" gorm:"serializer:json"`
	// ConferenceURL is where the team meets live; "" when it has none.
	ConferenceURL string    `json:"conference_url"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// Revision counts the writes that change what the team's feeds show;
	// each is bumped in the transaction of its write (see bumpRevision).
	Revision  int64     `json:"-"`
	RevisedAt time.Time `json:"-"`
	// SlotSequenceBase moves every slot's feed SEQUENCE forward; the
	// service raises it when a change could take a slot's status back.
	SlotSequenceBase int `json:"-"`
}

// Norms are a team's working agreements, stored as JSON.
type Norms struct {
	// Live and Async name kinds of work ("decisions", "status updates").
	Live     []string       `json:"live"`
	Async    []string       `json:"async"`
	Channels []ResponseNorm `json:"channels"`
}

// ResponseNorm is the expected response time of one async channel.
type ResponseNorm struct {
	Channel       string `json:"channel"`
	ResponseHours int    `json:"response_hours"`
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
	t.UpdatedAt, t.RevisedAt = t.CreatedAt, t.CreatedAt
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

// UpdateTeam loads the team and its adopted core hours (nil when none),
// lets apply change the team and saves it, all in one transaction that
// holds the team's row lock, so no adoption of core hours can slip between
// apply's checks and the write. An error from apply aborts without writing.
// The team's revision moves on; a new zone re-states adopted core hours in
// it from now on (an adoption row), as the windows are read in the team's
// zone. It returns the saved team, or ErrNotFound.
func (s *Store) UpdateTeam(ctx context.Context, id string, apply func(*Team, *CoreHours) error) (*Team, error) {
	var t Team
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := lockTeam(tx, id, &t); err != nil {
			return err
		}
		var core *CoreHours
		var found CoreHours
		switch err := tx.Take(&found, "team_id = ?", id).Error; {
		case err == nil:
			core = &found
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return translate(err)
		}
		zone := t.Timezone
		if err := apply(&t, core); err != nil {
			return err
		}
		t.ID = id
		t.UpdatedAt = s.Now()
		t.Revision++
		t.RevisedAt = t.UpdatedAt
		if core != nil && t.Timezone != zone {
			if err := addAdoption(tx, id, core.Definition, t.Timezone, t.UpdatedAt); err != nil {
				return err
			}
		}
		return translate(tx.Save(&t).Error)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// lockTeam reads the team into t holding its row lock until the
// transaction ends (SELECT … FOR UPDATE on PostgreSQL; SQLite has one
// writer at a time and ignores the clause). Writes that check a team-wide
// rule take this lock first, so they run one after another.
func lockTeam(tx *gorm.DB, id string, t *Team) error {
	return translate(tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Take(t, "id = ?", id).Error)
}

// bumpRevision moves a team's revision on, inside the transaction of a
// write that changes what its feeds show.
func bumpRevision(tx *gorm.DB, teamID string, at time.Time) error {
	res := tx.Model(&Team{}).Where("id = ?", teamID).
		UpdateColumns(map[string]any{"revision": gorm.Expr("revision + 1"), "revised_at": at})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
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
