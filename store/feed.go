package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Feed is a subscription to a team's slots: the team feed (MemberID nil)
// or one member's. Only a hash of the token in its URL is stored.
type Feed struct {
	ID        string  `json:"id" gorm:"primaryKey"`
	TeamID    string  `json:"team_id"`
	MemberID  *string `json:"member_id"`
	TokenHash string  `json:"-"`
	// Label tells feeds apart in a list, e.g. who it was made for.
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RotatedAt *time.Time `json:"rotated_at"`
}

// feedTokenPrefix marks feed tokens; the 160 random bits after it cannot
// be guessed, so a fast hash is enough to keep them out of the database.
const feedTokenPrefix = "ovf_"

// CreateFeed stores a new feed for an existing team (and, when MemberID is
// set, a member of it) and returns its token, which is not stored and
// cannot be recovered later. It returns ErrNotFound for a missing team or member.
func (s *Store) CreateFeed(ctx context.Context, f *Feed) (string, error) {
	token := feedTokenPrefix + randomToken(20)
	f.ID, f.TokenHash, f.CreatedAt, f.RotatedAt = newID(), hashToken(token), s.Now(), nil
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&Team{}, "id = ?", f.TeamID).Error; err != nil {
			return translate(err)
		}
		if f.MemberID != nil {
			if err := tx.Select("id").Take(&Member{}, "team_id = ? AND id = ?", f.TeamID, *f.MemberID).Error; err != nil {
				return translate(err)
			}
		}
		return translate(tx.Create(f).Error)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// FindFeeds lists a team's feeds in creation order; memberID, when not
// "", keeps that member's.
func (s *Store) FindFeeds(ctx context.Context, teamID, memberID string, p Page) ([]Feed, string, error) {
	q := s.db.WithContext(ctx).Model(&Feed{}).Where("team_id = ?", teamID)
	if memberID != "" {
		q = q.Where("member_id = ?", memberID)
	}
	return paginate(q, p, func(f Feed) string { return f.ID })
}

// RotateFeed gives a feed of the team a new token, returned once; the old
// one stops working at once. An unknown feed is ErrNotFound.
func (s *Store) RotateFeed(ctx context.Context, teamID, id string) (*Feed, string, error) {
	token := feedTokenPrefix + randomToken(20)
	now := s.Now()
	db := s.db.WithContext(ctx)
	res := db.Model(&Feed{}).Where("team_id = ? AND id = ?", teamID, id).
		UpdateColumns(map[string]any{"token_hash": hashToken(token), "rotated_at": now})
	if res.Error != nil {
		return nil, "", translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, "", ErrNotFound
	}
	var f Feed
	if err := db.Take(&f, "id = ?", id).Error; err != nil {
		return nil, "", translate(err)
	}
	return &f, token, nil
}

// DeleteFeed revokes a feed of the team: its URL stops working for good.
func (s *Store) DeleteFeed(ctx context.Context, teamID, id string) error {
	res := s.db.WithContext(ctx).Delete(&Feed{}, "team_id = ? AND id = ?", teamID, id)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// FeedLookup is what serving a feed needs to know before anything else:
// whose feed it is and the team's revision.
type FeedLookup struct {
	FeedID   string
	TeamID   string
	MemberID string // "" for the team feed
	Revision int64
	// RevisedAt is when the revision last moved.
	RevisedAt time.Time
}

// feedLookupSQL is the one query a feed request makes before its answer is
// known: the token's feed joined with its team's revision.
const feedLookupSQL = `SELECT feeds.id, feeds.team_id, COALESCE(feeds.member_id, ''), teams.revision, teams.revised_at
FROM feeds JOIN teams ON teams.id = feeds.team_id WHERE feeds.token_hash = ?`

// feedLookup is the prepared form of feedLookupSQL, made on first use.
type feedLookup struct {
	once sync.Once
	stmt *sql.Stmt
	err  error
}

// FindFeedByToken returns the feed of token with its team's revision, or
// ErrNotFound. It runs one prepared statement, without GORM, since every
// poll of every subscribed calendar makes it.
func (s *Store) FindFeedByToken(ctx context.Context, token string) (*FeedLookup, error) {
	if !strings.HasPrefix(token, feedTokenPrefix) {
		return nil, ErrNotFound
	}
	s.feedLookup.once.Do(func() {
		query := feedLookupSQL
		if s.engine == Postgres {
			query = strings.Replace(query, "?", "$1", 1)
		}
		s.feedLookup.stmt, s.feedLookup.err = s.sqlDB.Prepare(query)
	})
	if s.feedLookup.err != nil {
		return nil, translate(s.feedLookup.err)
	}
	var f FeedLookup
	err := s.feedLookup.stmt.QueryRowContext(ctx, hashToken(token)).Scan(&f.FeedID, &f.TeamID, &f.MemberID, &f.Revision, &f.RevisedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, translate(err)
	}
	f.RevisedAt = f.RevisedAt.UTC()
	return &f, nil
}
