package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MemberCalendar is the iCalendar file a member imported, kept verbatim: it
// is parsed and expanded when read, so each reader sees the current
// expansion rules and any window it asks for.
type MemberCalendar struct {
	MemberID string `gorm:"primaryKey"`
	ICS      string `gorm:"column:ics"`
	// SHA256 is the hex digest of ICS; importing the same bytes again is a no-op.
	SHA256 string `gorm:"column:sha256"`
	// Events counts the file's VEVENTs, overrides included, as read at import.
	Events int
	// ImportedAt is when these bytes were first stored.
	ImportedAt time.Time
}

// PutMemberCalendar replaces the calendar of a member of the team with
// c.ICS and c.Events in one transaction, and fills in c.SHA256 and
// c.ImportedAt. When the member's stored calendar has the same bytes nothing
// is written and c keeps the earlier ImportedAt and Events, so a repeated
// import is idempotent. It returns ErrNotFound when the team has no such member.
func (s *Store) PutMemberCalendar(ctx context.Context, teamID string, c *MemberCalendar) error {
	sum := sha256.Sum256([]byte(c.ICS))
	c.SHA256 = hex.EncodeToString(sum[:])
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&Member{}, "team_id = ? AND id = ?", teamID, c.MemberID).Error; err != nil {
			return translate(err)
		}
		var old MemberCalendar
		err := tx.Select("sha256", "events", "imported_at").Take(&old, "member_id = ?", c.MemberID).Error
		switch {
		case err == nil && old.SHA256 == c.SHA256:
			c.Events, c.ImportedAt = old.Events, old.ImportedAt
			return nil
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
			return translate(err)
		}
		c.ImportedAt = s.Now()
		// An upsert rather than insert-or-update, so two first imports racing
		// for one member both succeed, the last one winning.
		if err := translate(tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "member_id"}},
			UpdateAll: true,
		}).Create(c).Error); err != nil {
			return err
		}
		return bumpRevision(tx, teamID, c.ImportedAt)
	})
}

// FindMemberCalendar returns the calendar of a member of the team, or
// ErrNotFound when the member has none or is not in the team.
func (s *Store) FindMemberCalendar(ctx context.Context, teamID, memberID string) (*MemberCalendar, error) {
	var c MemberCalendar
	err := s.teamCalendars(ctx, teamID).Take(&c, "member_calendars.member_id = ?", memberID).Error
	if err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// FindTeamCalendars returns the calendars of a team's members without
// their text (ICS is empty): a planner keeps parsed calendars by digest and
// fetches only the texts it lacks, with FindCalendarTexts.
func (s *Store) FindTeamCalendars(ctx context.Context, teamID string) ([]MemberCalendar, error) {
	var rows []MemberCalendar
	err := s.teamCalendars(ctx, teamID).
		Select("member_calendars.member_id", "member_calendars.sha256", "member_calendars.events", "member_calendars.imported_at").
		Order("member_calendars.member_id").Find(&rows).Error
	return rows, translate(err)
}

// textBatch keeps each IN list well under both engines' parameter limits.
const textBatch = 500

// FindCalendarTexts returns, keyed by digest, the texts of the team's
// calendars, uploaded or subscribed, whose SHA256 is among digests. A
// digest that no calendar of the team has any more (replaced meanwhile) is
// absent.
func (s *Store) FindCalendarTexts(ctx context.Context, teamID string, digests []string) (map[string]string, error) {
	out := make(map[string]string, len(digests))
	for start := 0; start < len(digests); start += textBatch {
		batch := digests[start:min(start+textBatch, len(digests))]
		var rows []MemberCalendar
		err := s.teamCalendars(ctx, teamID).
			Select("member_calendars.sha256", "member_calendars.ics").
			Where("member_calendars.sha256 IN ?", batch).
			Find(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.SHA256] = r.ICS
		}
		if err := s.addSubscriptionTexts(ctx, teamID, batch, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addSubscriptionTexts adds to texts the copies of the team's subscriptions
// whose digest is among digests and not in texts yet.
func (s *Store) addSubscriptionTexts(ctx context.Context, teamID string, digests []string, texts map[string]string) error {
	var missing []string
	for _, d := range digests {
		if _, ok := texts[d]; !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var rows []Subscription
	err := s.db.WithContext(ctx).Model(&Subscription{}).Select("sha256", "ics").
		Where("team_id = ? AND sha256 IN ?", teamID, missing).Find(&rows).Error
	for _, r := range rows {
		texts[r.SHA256] = r.ICS
	}
	return translate(err)
}

// teamCalendars selects the calendars of the team's members.
func (s *Store) teamCalendars(ctx context.Context, teamID string) *gorm.DB {
	return s.db.WithContext(ctx).Model(&MemberCalendar{}).
		Joins("JOIN members ON members.id = member_calendars.member_id").
		Where("members.team_id = ?", teamID)
}

// DeleteMemberCalendar removes the calendar of a member of the team, or
// returns ErrNotFound when the member has none or is not in the team.
func (s *Store) DeleteMemberCalendar(ctx context.Context, teamID, memberID string) error {
	return s.transaction(ctx, func(tx *gorm.DB) error {
		inTeam := tx.Model(&Member{}).Select("id").Where("team_id = ?", teamID)
		res := tx.Where("member_id = ? AND member_id IN (?)", memberID, inTeam).Delete(&MemberCalendar{})
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return bumpRevision(tx, teamID, s.Now())
	})
}
