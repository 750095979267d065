package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
)

func (s *Server) createTeamHandler(c echo.Context) error {
	var in service.TeamInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateTeam(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.link("/v1/teams/"+t.ID))
	return c.JSON(http.StatusCreated, t)
}

func (s *Server) listTeamsHandler(c echo.Context) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	var only []string
	if team := scopedTeam(c); team != "" {
		only = []string{team}
	}
	teams, next, err := s.svc.FindTeams(c.Request().Context(), only, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(teams, next))
}

func (s *Server) getTeamHandler(c echo.Context) error {
	t, err := s.svc.FindTeam(c.Request().Context(), c.Param("team"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) updateTeamHandler(c echo.Context) error {
	var in service.TeamInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.svc.UpdateTeam(c.Request().Context(), c.Param("team"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) deleteTeamHandler(c echo.Context) error {
	if err := s.svc.DeleteTeam(c.Request().Context(), c.Param("team")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
