package service

import (
	"context"
	"errors"
	"strings"

	"overlap/store"
)

// The scopes an API key can carry.
const (
	ScopeAdmin = "admin"
	ScopeRead  = "read"
	// ScopeTeamPrefix followed by a team id lets a team lead read and write that team.
	ScopeTeamPrefix = "team:"
)

// ValidScope reports whether scope is one a key may carry.
func ValidScope(scope string) bool {
	switch {
	case scope == ScopeAdmin, scope == ScopeRead:
		return true
	case strings.HasPrefix(scope, ScopeTeamPrefix):
		return len(scope) > len(ScopeTeamPrefix)
	}
	return false
}

// CreateAPIKey makes a key and returns it with its token, which is shown
// once and never stored. A team scope must name an existing team.
func (s *Service) CreateAPIKey(ctx context.Context, scope, label string) (*store.APIKey, string, error) {
	if !ValidScope(scope) {
		return nil, "", fieldError("scope", "%q is not admin, read or team:<team id>", Excerpt(scope))
	}
	if team, ok := strings.CutPrefix(scope, ScopeTeamPrefix); ok {
		if _, err := s.FindTeam(ctx, team); err != nil {
			return nil, "", err
		}
	}
	return s.store.CreateAPIKey(ctx, scope, label)
}

// BootstrapAdminKey makes an admin key when no key was ever made, and
// returns its token; "" when keys exist.
func (s *Service) BootstrapAdminKey(ctx context.Context, label string) (string, error) {
	n, err := s.store.CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	_, token, err := s.store.CreateAPIKey(ctx, ScopeAdmin, label)
	return token, err
}

// FindAPIKeys lists every key, revoked ones included, never their tokens.
func (s *Service) FindAPIKeys(ctx context.Context) ([]store.APIKey, error) {
	return s.store.FindAPIKeys(ctx)
}

// RevokeAPIKey stops a key from authenticating.
func (s *Service) RevokeAPIKey(ctx context.Context, id string) error {
	return notFoundAs(s.store.RevokeAPIKey(ctx, id), "API key")
}

// ErrUnknownKey is a token that is not an unrevoked key's.
var ErrUnknownKey = errors.New("service: the API key is unknown or revoked")

// Authenticate returns the unrevoked key of token, or ErrUnknownKey.
func (s *Service) Authenticate(ctx context.Context, token string) (*store.APIKey, error) {
	k, err := s.store.FindAPIKeyByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownKey
	}
	return k, err
}

// Readiness problems.
var (
	ErrDatabaseDown      = errors.New("database unreachable")
	ErrMigrationsPending = errors.New("migrations pending")
	ErrMigrationsUnknown = errors.New("migration status unknown")
)

// Ready reports whether the service can answer: the database answers and
// its schema is fully migrated.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return ErrDatabaseDown
	}
	pending, err := s.store.HasPendingMigrations(ctx)
	switch {
	case err != nil:
		return ErrMigrationsUnknown
	case pending:
		return ErrMigrationsPending
	}
	return nil
}
