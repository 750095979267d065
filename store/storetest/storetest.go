// Package storetest opens real, migrated, isolated databases for tests:
// in-memory SQLite always, and PostgreSQL when OVERLAP_TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"overlap/store"
)

// EnvDatabaseURL names the variable that points tests at a PostgreSQL server.
const EnvDatabaseURL = "OVERLAP_TEST_DATABASE_URL"

// Engine opens a fresh, migrated store for one test.
type Engine struct {
	Name string
	Open func(tb testing.TB) *store.Store
}

// Engines lists the engines this run tests against. When
// OVERLAP_TEST_DATABASE_URL is set, PostgreSQL is included and an unreachable
// server fails the test rather than skipping it.
func Engines() []Engine {
	engines := []Engine{{Name: "sqlite", Open: OpenSQLite}}
	if os.Getenv(EnvDatabaseURL) != "" {
		engines = append(engines, Engine{Name: "postgres", Open: OpenPostgres})
	}
	return engines
}

// ForEach runs fn as a subtest on every engine of Engines.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t)) })
	}
}

// OpenSQLite opens a private in-memory SQLite store, migrated.
func OpenSQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return mustMigrate(tb, mustOpen(tb, ":memory:"))
}

// OpenPostgres opens a migrated store in a schema of its own (see PostgresSchemaURL).
func OpenPostgres(tb testing.TB) *store.Store {
	tb.Helper()
	return mustMigrate(tb, mustOpen(tb, PostgresSchemaURL(tb)))
}

// PostgresSchemaURL creates an empty schema on the server named by
// OVERLAP_TEST_DATABASE_URL and returns a URL whose connections use it, so
// parallel runs never see each other's rows. The schema is dropped when the
// test ends.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		tb.Fatalf("%s is not set", EnvDatabaseURL)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvDatabaseURL, err)
	}
	tb.Cleanup(func() { admin.Close() })
	schema := "test_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema on %s: %v", EnvDatabaseURL, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func mustOpen(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	s, err := store.Open(dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustMigrate(tb testing.TB, s *store.Store) *store.Store {
	tb.Helper()
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
