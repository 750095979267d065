package api

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v4"

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

const keyContextKey = "overlap.apikey"

// authenticate requires a valid bearer key and remembers it for the scope checks.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		header := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return newProblem("unauthorized", "send Authorization: Bearer <api key>")
		}
		key, err := s.store.FindAPIKeyByToken(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, store.ErrNotFound) {
			return newProblem("unauthorized", "the API key is unknown or revoked")
		}
		if err != nil {
			return err
		}
		c.Set(keyContextKey, key)
		return next(c)
	}
}

func callerScope(c echo.Context) string {
	key, _ := c.Get(keyContextKey).(*store.APIKey)
	if key == nil {
		return ""
	}
	return key.Scope
}

// scopedTeam returns the team id of a team-scoped key, or "".
func scopedTeam(c echo.Context) string {
	team, _ := strings.CutPrefix(callerScope(c), ScopeTeamPrefix)
	if team == callerScope(c) {
		return ""
	}
	return team
}

func forbidden(detail string) error { return newProblem("forbidden", detail) }

func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if callerScope(c) != ScopeAdmin {
			return forbidden("this operation needs an admin key")
		}
		return next(c)
	}
}

// requireTeamRead lets admin and read keys, and the key of the team in the path, through.
func requireTeamRead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scope := callerScope(c)
		if scope != ScopeAdmin && scope != ScopeRead && scopedTeam(c) != c.Param("team") {
			return forbidden("the API key is scoped to another team")
		}
		return next(c)
	}
}

// requireTeamWrite lets admin keys, and the key of the team in the path, through.
func requireTeamWrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch {
		case callerScope(c) == ScopeAdmin:
		case callerScope(c) == ScopeRead:
			return forbidden("a read key cannot change anything")
		case scopedTeam(c) != c.Param("team"):
			return forbidden("the API key is scoped to another team")
		}
		return next(c)
	}
}
