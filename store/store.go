// Package store keeps Overlap's data in SQLite (the embedded default) or
// PostgreSQL through GORM, with one code path for both engines. It knows
// nothing of HTTP or of the domain's rules: it reads and writes rows,
// translates database errors into ErrNotFound, ErrConflict and ErrTooMany,
// and takes the row locks that make a check and its write one step.
// Subscriptions and the leases of their refreshes are in subscription.go;
// slot state, feed tokens and decisions get a file each here.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"overlap/migrations"
)

// The error vocabulary of the store; the API maps each to one HTTP status.
var (
	// ErrNotFound means the addressed record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means the write would break a uniqueness rule.
	ErrConflict = errors.New("store: conflict")
	// ErrTooMany means the write would pass a limit on how many records may exist.
	ErrTooMany = errors.New("store: limit reached")
)

// Engine names the database behind a Store.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the persistence layer. It is safe for concurrent use.
type Store struct {
	db     *gorm.DB
	sqlDB  *sql.DB
	engine Engine
	// feedLookup is prepared once per Store (see FindFeedByToken).
	feedLookup feedLookup
	// writes counts this process's writes, each counted after it commits
	// (see WriteGeneration).
	writes atomic.Uint64
	// Now is the clock used for created/updated stamps; tests may replace it.
	Now func() time.Time
}

// IsPostgresURL reports whether dsn selects PostgreSQL rather than a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL selects
// PostgreSQL; anything else is a SQLite file path (":memory:" for a private
// in-memory database). It does not migrate; call Migrate.
func Open(dsn string) (*Store, error) {
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		TranslateError: true,
		NowFunc:        now,
	}
	var (
		dialector gorm.Dialector
		engine    Engine
	)
	if IsPostgresURL(dsn) {
		dialector, engine = postgres.Open(dsn), Postgres
	} else {
		dialector, engine = sqlite.Open(sqliteDSN(dsn)), SQLite
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", engine, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if engine == SQLite {
		// SQLite allows one writer; a single connection turns lock contention
		// into queueing instead of SQLITE_BUSY errors, and keeps an in-memory
		// database alive for the life of the Store.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetConnMaxLifetime(0)
	}
	s := &Store{db: db, sqlDB: sqlDB, engine: engine, Now: now}
	if err := s.countWrites(); err != nil {
		sqlDB.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// now is the default clock: UTC at PostgreSQL's microsecond precision, so a
// stored time reads back equal on both engines.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func sqliteDSN(path string) string {
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	if path == ":memory:" {
		return "file::memory:?" + pragmas
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas + "&_pragma=journal_mode(WAL)"
}

// countWrites counts every statement that may change rows once it has run:
// outside a transaction that is once it has committed, and transaction
// adds one more after its commit.
func (s *Store) countWrites() error {
	count := func(*gorm.DB) { s.writes.Add(1) }
	cb := s.db.Callback()
	for _, register := range []func() error{
		func() error { return cb.Create().After("gorm:create").Register("overlap:count_write", count) },
		func() error { return cb.Update().After("gorm:update").Register("overlap:count_write", count) },
		func() error { return cb.Delete().After("gorm:delete").Register("overlap:count_write", count) },
		func() error { return cb.Raw().After("gorm:raw").Register("overlap:count_write", count) },
	} {
		if err := register(); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}

// transaction runs fn in one transaction and counts it as a write once it
// has ended.
func (s *Store) transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	defer s.writes.Add(1)
	return s.db.WithContext(ctx).Transaction(fn)
}

// WriteGeneration changes whenever this process has written to the
// database. exclusive is true when no other process writes to it (the
// embedded SQLite file, served by one process), so a value read while the
// generation stayed the same is still current; on PostgreSQL, shared by
// replicas, it is false and readers must ask the database.
func (s *Store) WriteGeneration() (generation uint64, exclusive bool) {
	return s.writes.Load(), s.engine == SQLite
}

// Engine reports which database the Store talks to.
func (s *Store) Engine() Engine { return s.engine }

// Close releases the database connections.
func (s *Store) Close() error {
	if s.feedLookup.stmt != nil {
		s.feedLookup.stmt.Close()
	}
	return s.sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, migrations.FS)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions it applied. It is idempotent.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// HasPendingMigrations reports whether the schema lags the embedded migrations.
func (s *Store) HasPendingMigrations(ctx context.Context) (bool, error) {
	p, err := s.migrator()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: migration status: %w", err)
	}
	return pending, nil
}

// newID returns a time-ordered UUID, so ordering by id is ordering by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// randomToken returns n random bytes, hex encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// translate maps GORM errors onto the store's vocabulary.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	default:
		return fmt.Errorf("store: %w", err)
	}
}

// checkLimit returns ErrTooMany when max is positive and the rows q selects
// number max or more; callers hold the lock that keeps the count true.
func checkLimit(q *gorm.DB, max int) error {
	if max <= 0 {
		return nil
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return translate(err)
	}
	if n >= int64(max) {
		return ErrTooMany
	}
	return nil
}

// Page asks for one page of a list, in creation order.
type Page struct {
	// After is the id of the last item of the previous page ("" for the first).
	After string
	// Limit is the page size.
	Limit int
}

// paginate applies a keyset page and fetches one extra row to know whether
// another page follows.
func paginate[T any](q *gorm.DB, p Page, idOf func(T) string) ([]T, string, error) {
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []T
	if err := q.Order("id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, "", translate(err)
	}
	next := ""
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		next = idOf(rows[len(rows)-1])
	}
	return rows, next, nil
}
