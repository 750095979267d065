package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

// keyInfo is what the calling key is and may do, so that a client (the
// team page) offers only what will succeed.
type keyInfo struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Scope string `json:"scope"`
	// Team is a team key's team; null for admin and read keys, which
	// see every team.
	Team *string `json:"team"`
	// CanWrite: the key changes its teams (admin and team keys).
	CanWrite bool `json:"can_write"`
	// CanAdmin: the key creates and deletes teams.
	CanAdmin bool `json:"can_admin"`
}

func (s *Server) whoamiHandler(c echo.Context) error {
	key, _ := c.Get(keyContextKey).(*store.APIKey)
	info := keyInfo{ID: key.ID, Label: key.Label, Scope: key.Scope, CanAdmin: key.Scope == service.ScopeAdmin}
	if team := scopedTeam(c); team != "" {
		info.Team = &team
	}
	info.CanWrite = info.CanAdmin || info.Team != nil
	return c.JSON(http.StatusOK, info)
}
