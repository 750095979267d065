package store

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Secret is a credential kept in a column: it prints, logs and encodes to
// JSON as "[secret]", so a struct holding one can be logged or dumped
// without leaking it. Reveal returns the value itself.
type Secret string

const secretShown = "[secret]"

// Reveal returns the secret, for the one place that uses it.
func (s Secret) Reveal() string { return string(s) }

func (Secret) String() string                 { return secretShown }
func (Secret) GoString() string               { return secretShown }
func (Secret) LogValue() slog.Value           { return slog.StringValue(secretShown) }
func (Secret) MarshalJSON() ([]byte, error)   { return []byte(`"` + secretShown + `"`), nil }
func (s Secret) Value() (driver.Value, error) { return string(s), nil }

// Scan reads the column; a NULL is the empty secret.
func (s *Secret) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*s = Secret(v)
	case []byte:
		*s = Secret(v)
	case nil:
		*s = ""
	default:
		return fmt.Errorf("store: a secret cannot be read from %T", src)
	}
	return nil
}

// Subscription is a calendar a member subscribes to by address: the last
// good copy of the feed, kept like an uploaded calendar, and the state of
// its refresh schedule. All its times come from the caller's clock.
type Subscription struct {
	ID       string `gorm:"primaryKey"`
	TeamID   string
	MemberID string
	// Name is how people tell the member's calendars apart.
	Name string
	// URL is the address fetched; URLSHA256 is its digest, unique per member.
	URL       Secret `gorm:"column:url"`
	URLSHA256 string `gorm:"column:url_sha256"`
	// MaskedURL is what may be shown: scheme, host and a masked path.
	MaskedURL string
	// ICS is the last good copy; SHA256 its digest, Events its VEVENTs and
	// ImportedAt when these bytes were first stored.
	ICS        string `gorm:"column:ics"`
	SHA256     string `gorm:"column:sha256"`
	Events     int
	ImportedAt time.Time
	// ETag and LastModified are the validators of the copy, for conditional requests.
	ETag         string `gorm:"column:etag"`
	LastModified string
	// IntervalSeconds is the refresh interval in force.
	IntervalSeconds int
	// Failures counts failed refreshes in a row; LastError is the reason of the last.
	Failures  int
	LastError string
	// LastSuccessAt is the last refresh that confirmed or replaced the copy.
	LastSuccessAt time.Time
	LastAttemptAt time.Time
	NextAttemptAt time.Time
	// StaleAt is LastSuccessAt plus twice the interval.
	StaleAt time.Time
	// LeaseOwner is refreshing the subscription until LeaseExpiresAt.
	LeaseOwner     string
	LeaseExpiresAt *time.Time
	CreatedAt      time.Time
}

// TableName keeps the table name explicit.
func (Subscription) TableName() string { return "calendar_subscriptions" }

// The states of a subscription, as its list can be filtered by.
const (
	// SubscriptionOK: the last refresh succeeded and is recent.
	SubscriptionOK = "ok"
	// SubscriptionStale: the last refresh succeeded, but longer ago than
	// twice the interval (the refreshes are late).
	SubscriptionStale = "stale"
	// SubscriptionFailing: the last refresh failed; the copy is kept.
	SubscriptionFailing = "failing"
)

// State is the subscription's state at now; the same rule as the SQL of
// whereState.
func (s *Subscription) State(now time.Time) string {
	switch {
	case s.Failures > 0:
		return SubscriptionFailing
	case !now.Before(s.StaleAt):
		return SubscriptionStale
	default:
		return SubscriptionOK
	}
}

func whereState(q *gorm.DB, state string, now time.Time) *gorm.DB {
	switch state {
	case SubscriptionFailing:
		return q.Where("failures > 0")
	case SubscriptionStale:
		return q.Where("failures = 0 AND stale_at <= ?", now)
	case SubscriptionOK:
		return q.Where("failures = 0 AND stale_at > ?", now)
	default:
		return q
	}
}

// digestOf is the hex SHA-256 of a text.
func digestOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// CreateSubscription stores a new subscription of a member of the team,
// with its first copy, and fills in ID, SHA256, URLSHA256 and CreatedAt.
// The member may have fewer than maxPerMember subscriptions (no limit when
// 0); the count is taken under the team's row lock. It returns ErrNotFound
// when the team has no such member, ErrTooMany at the limit and ErrConflict
// when the member already subscribes to the address.
func (s *Store) CreateSubscription(ctx context.Context, sub *Subscription, maxPerMember int) error {
	sub.ID = newID()
	sub.CreatedAt = s.Now()
	sub.SHA256 = digestOf(sub.ICS)
	sub.URLSHA256 = digestOf(sub.URL.Reveal())
	sub.LeaseOwner, sub.LeaseExpiresAt = "", nil
	return s.transaction(ctx, func(tx *gorm.DB) error {
		if err := lockTeam(tx, sub.TeamID, &Team{}); err != nil {
			return err
		}
		if err := tx.Select("id").Take(&Member{}, "team_id = ? AND id = ?", sub.TeamID, sub.MemberID).Error; err != nil {
			return translate(err)
		}
		if err := checkLimit(tx.Model(&Subscription{}).Where("member_id = ?", sub.MemberID), maxPerMember); err != nil {
			return err
		}
		return translate(tx.Create(sub).Error)
	})
}

// FindSubscription returns a subscription of a member of the team, its
// copy included, or ErrNotFound.
func (s *Store) FindSubscription(ctx context.Context, teamID, memberID, id string) (*Subscription, error) {
	var sub Subscription
	err := s.db.WithContext(ctx).Take(&sub, "team_id = ? AND member_id = ? AND id = ?", teamID, memberID, id).Error
	if err != nil {
		return nil, translate(err)
	}
	return &sub, nil
}

// FindSubscriptions lists a member's subscriptions in creation order,
// without their copies (ICS is empty), only those in state at now when
// state is not "". It returns the cursor of the next page, or "".
func (s *Store) FindSubscriptions(ctx context.Context, teamID, memberID, state string, now time.Time, p Page) ([]Subscription, string, error) {
	q := s.db.WithContext(ctx).Model(&Subscription{}).Omit("ics").Where("team_id = ? AND member_id = ?", teamID, memberID)
	return paginate(whereState(q, state, now), p, func(sub Subscription) string { return sub.ID })
}

// DeleteSubscription removes a subscription of a member of the team, or
// returns ErrNotFound. A refresh in flight finds it gone and writes nothing.
func (s *Store) DeleteSubscription(ctx context.Context, teamID, memberID, id string) error {
	res := s.db.WithContext(ctx).Delete(&Subscription{}, "team_id = ? AND member_id = ? AND id = ?", teamID, memberID, id)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// leaseFree selects the rows no replica holds at now.
const leaseFree = "(lease_owner = '' OR lease_expires_at IS NULL OR lease_expires_at <= ?)"

// ClaimDueSubscriptions leases to owner, until the given time, up to limit
// subscriptions due at now that no other replica holds, the longest
// overdue first, and returns them with their copies. On PostgreSQL the
// rows are chosen with FOR UPDATE SKIP LOCKED, so replicas claiming at the
// same moment each get different ones without waiting for each other; a
// lease that expires (its replica died mid-refresh) frees the row again.
// SQLite, with one writer, runs claims one after another.
func (s *Store) ClaimDueSubscriptions(ctx context.Context, owner string, now, until time.Time, limit int) ([]Subscription, error) {
	var claimed []Subscription
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var ids []string
		err := tx.Model(&Subscription{}).
			Where("next_attempt_at <= ? AND "+leaseFree, now, now).
			Order("next_attempt_at").Order("id").Limit(limit).
			Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked}).
			Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return translate(err)
		}
		err = tx.Model(&Subscription{}).Where("id IN ?", ids).
			Updates(map[string]any{"lease_owner": owner, "lease_expires_at": until}).Error
		if err != nil {
			return translate(err)
		}
		return translate(tx.Where("id IN ?", ids).Order("next_attempt_at").Order("id").Find(&claimed).Error)
	})
	return claimed, err
}

// ClaimSubscription leases one subscription of a member of the team to
// owner until the given time, whether due or not, and returns it with its
// copy. It returns ErrNotFound when there is no such subscription and
// ErrConflict when another replica holds it.
func (s *Store) ClaimSubscription(ctx context.Context, teamID, memberID, id, owner string, now, until time.Time) (*Subscription, error) {
	var sub Subscription
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Take(&sub, "team_id = ? AND member_id = ? AND id = ?", teamID, memberID, id).Error
		if err != nil {
			return translate(err)
		}
		if sub.LeaseOwner != "" && sub.LeaseExpiresAt != nil && sub.LeaseExpiresAt.After(now) {
			return ErrConflict
		}
		sub.LeaseOwner, sub.LeaseExpiresAt = owner, &until
		return translate(tx.Model(&sub).Updates(map[string]any{"lease_owner": owner, "lease_expires_at": until}).Error)
	})
	if err != nil {
		return nil, err
	}
	return &sub, nil
}

// scheduleColumns are what every refresh writes; copyColumns what a
// refresh that brought new bytes writes besides.
var (
	scheduleColumns = []string{"etag", "last_modified", "interval_seconds", "failures", "last_error",
		"last_success_at", "last_attempt_at", "next_attempt_at", "stale_at", "lease_owner", "lease_expires_at"}
	copyColumns = []string{"ics", "sha256", "events", "imported_at"}
)

// FinishSubscriptionRefresh writes the outcome of a refresh that owner
// leased, and releases the lease, in one statement: the schedule fields
// of sub always, its copy (ICS, Events, ImportedAt; SHA256 is filled in)
// only when newCopy is set. It returns ErrConflict, writing nothing, when
// owner no longer holds the lease (it expired and another replica took
// over) or the subscription is gone.
func (s *Store) FinishSubscriptionRefresh(ctx context.Context, sub *Subscription, owner string, newCopy bool) error {
	columns := scheduleColumns
	if newCopy {
		sub.SHA256 = digestOf(sub.ICS)
		columns = append(append([]string{}, scheduleColumns...), copyColumns...)
	}
	sub.LeaseOwner, sub.LeaseExpiresAt = "", nil
	res := s.db.WithContext(ctx).Model(&Subscription{}).
		Where("id = ? AND lease_owner = ?", sub.ID, owner).
		Select(columns).Updates(sub)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// ReleaseSubscription gives up owner's lease on a subscription without
// writing an outcome, so another replica may refresh it at once.
func (s *Store) ReleaseSubscription(ctx context.Context, id, owner string) error {
	return translate(s.db.WithContext(ctx).Model(&Subscription{}).
		Where("id = ? AND lease_owner = ?", id, owner).
		Updates(map[string]any{"lease_owner": "", "lease_expires_at": nil}).Error)
}

// FindTeamSubscriptionCopies returns the subscriptions of a team's members
// with only ID, MemberID and SHA256: a planner fetches the texts it has not
// parsed yet with FindCalendarTexts.
func (s *Store) FindTeamSubscriptionCopies(ctx context.Context, teamID string) ([]Subscription, error) {
	var rows []Subscription
	err := s.db.WithContext(ctx).Model(&Subscription{}).Select("id", "member_id", "sha256").
		Where("team_id = ?", teamID).Order("member_id").Order("id").Find(&rows).Error
	return rows, translate(err)
}

// OldestSubscriptionSuccess returns the earliest last success of all
// subscriptions, and false when there are none.
func (s *Store) OldestSubscriptionSuccess(ctx context.Context) (time.Time, bool, error) {
	var rows []Subscription
	err := s.db.WithContext(ctx).Model(&Subscription{}).Select("last_success_at").
		Order("last_success_at").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return time.Time{}, false, translate(err)
	}
	return rows[0].LastSuccessAt, true, nil
}
