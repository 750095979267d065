package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

const keyContextKey = "overlap.apikey"

// authenticate requires a valid bearer key and remembers it for the scope checks.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		header := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return newProblem("unauthorized", "send Authorization: Bearer <api key>")
		}
		key, err := s.svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
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
	team, _ := strings.CutPrefix(callerScope(c), service.ScopeTeamPrefix)
	if team == callerScope(c) {
		return ""
	}
	return team
}

func forbidden(detail string) error { return newProblem("forbidden", detail) }

func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if callerScope(c) != service.ScopeAdmin {
			return forbidden("this operation needs an admin key")
		}
		return next(c)
	}
}

// requireTeamRead lets admin and read keys, and the key of the team in the path, through.
func requireTeamRead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scope := callerScope(c)
		if scope != service.ScopeAdmin && scope != service.ScopeRead && scopedTeam(c) != c.Param("team") {
			return forbidden("the API key is scoped to another team")
		}
		return next(c)
	}
}

// requireTeamWrite lets admin keys, and the key of the team in the path, through.
func requireTeamWrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch {
		case callerScope(c) == service.ScopeAdmin:
		case callerScope(c) == service.ScopeRead:
			return forbidden("a read key cannot change anything")
		case scopedTeam(c) != c.Param("team"):
			return forbidden("the API key is scoped to another team")
		}
		return next(c)
	}
}
