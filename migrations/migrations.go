// Package migrations holds the versioned SQL schema, embedded in the binary.
//
// Files are applied in lexical order by goose, each in its own transaction, and
// recorded in the goose_db_version table. The same SQL runs on SQLite and
// PostgreSQL, so it sticks to types and statements both accept.
package migrations

import "embed"

// FS holds the *.sql migration files.
//
//go:embed *.sql
var FS embed.FS
