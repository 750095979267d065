package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Member is a person in a team, with where and when they work.
type Member struct {
	ID     string `json:"id" gorm:"primaryKey"`
	TeamID string `json:"team_id"`
	Name   string `json:"name"`
	// Email is stored lower-cased; it is unique within a team.
	Email string `json:"email"`
	// Timezone is the member's IANA zone; their hours are wall-clock times in it.
	Timezone string `json:"timezone"`
	// WorkingHours maps mon…sun to ["HH:MM","HH:MM"] ranges.
	WorkingHours WeeklyHours `json:"working_hours" gorm:"serializer:json"`
	// PreferredHours, in the same shape, is where the member would rather meet; nil when not given.
	PreferredHours WeeklyHours `json:"preferred_hours" gorm:"serializer:json"`
	// Required members count toward the team's quorum.
	Required  bool        `json:"required"`
	TimeOff   []DateRange `json:"time_off" gorm:"serializer:json"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// WeeklyHours maps a weekday key (mon…sun) to its ["HH:MM","HH:MM"] ranges.
type WeeklyHours map[string][][]string

// DateRange is an inclusive range of dates (YYYY-MM-DD) in the member's zone.
type DateRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// CreateMember stores a new member of an existing team that has fewer
// than maxMembers members (no limit when maxMembers is 0). The count is
// taken under the team's row lock, so concurrent creations cannot pass the
// limit together. It returns ErrNotFound when the team does not exist,
// ErrTooMany at the limit, and ErrConflict when the team already has a
// member with that email.
func (s *Store) CreateMember(ctx context.Context, m *Member, maxMembers int) error {
	m.ID = newID()
	m.CreatedAt = s.Now()
	m.UpdatedAt = m.CreatedAt
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := lockTeam(tx, m.TeamID, &Team{}); err != nil {
			return err
		}
		if err := checkLimit(tx.Model(&Member{}).Where("team_id = ?", m.TeamID), maxMembers); err != nil {
			return err
		}
		if err := translate(tx.Create(m).Error); err != nil {
			return err
		}
		return bumpRevision(tx, m.TeamID, m.CreatedAt)
	})
}

// FindMemberByID returns a member of the team or ErrNotFound.
func (s *Store) FindMemberByID(ctx context.Context, teamID, id string) (*Member, error) {
	var m Member
	if err := s.db.WithContext(ctx).Take(&m, "team_id = ? AND id = ?", teamID, id).Error; err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// FindMembers lists a team's members in creation order and returns the
// cursor of the next page, or "".
func (s *Store) FindMembers(ctx context.Context, teamID string, p Page) ([]Member, string, error) {
	q := s.db.WithContext(ctx).Model(&Member{}).Where("team_id = ?", teamID)
	return paginate(q, p, func(m Member) string { return m.ID })
}

// FindAllMembers returns every member of a team, for planning.
func (s *Store) FindAllMembers(ctx context.Context, teamID string) ([]Member, error) {
	var ms []Member
	err := s.db.WithContext(ctx).Where("team_id = ?", teamID).Order("id").Find(&ms).Error
	return ms, translate(err)
}

// UpdateMember loads the member, lets apply change it and saves it in one
// transaction; an error from apply aborts without writing.
func (s *Store) UpdateMember(ctx context.Context, teamID, id string, apply func(*Member) error) (*Member, error) {
	var m Member
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&m, "team_id = ? AND id = ?", teamID, id).Error; err != nil {
			return translate(err)
		}
		if err := apply(&m); err != nil {
			return err
		}
		m.ID, m.TeamID = id, teamID
		m.UpdatedAt = s.Now()
		if err := translate(tx.Save(&m).Error); err != nil {
			return err
		}
		return bumpRevision(tx, teamID, m.UpdatedAt)
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteMember removes a member of the team, or returns ErrNotFound. The
// agenda items and decisions they owned stay, without an owner; the slots
// of those items count a change.
func (s *Store) DeleteMember(ctx context.Context, teamID, id string) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		owned := tx.Model(&AgendaItem{}).Select("slot_id").Where("team_id = ? AND owner_id = ?", teamID, id)
		if err := tx.Model(&SlotState{}).Where("team_id = ? AND slot_id IN (?)", teamID, owned).
			UpdateColumns(map[string]any{"revision": gorm.Expr("revision + 1"), "updated_at": now}).Error; err != nil {
			return translate(err)
		}
		res := tx.Delete(&Member{}, "team_id = ? AND id = ?", teamID, id)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return bumpRevision(tx, teamID, now)
	})
}
