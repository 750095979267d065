package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

func (s *Server) createDecisionHandler(c echo.Context) error {
	var in service.DecisionInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.svc.CreateDecision(c.Request().Context(), c.Param("team"), in, callerActor(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.link("/v1/teams/"+d.TeamID+"/decisions/"+d.ID))
	return c.JSON(http.StatusCreated, d)
}

func (s *Server) listDecisionsHandler(c echo.Context) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	filter := store.DecisionFilter{Status: c.QueryParam("status"), OwnerID: c.QueryParam("owner")}
	decisions, next, err := s.svc.FindDecisions(c.Request().Context(), c.Param("team"), filter, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(decisions, next))
}

func (s *Server) getDecisionHandler(c echo.Context) error {
	d, err := s.svc.FindDecision(c.Request().Context(), c.Param("team"), c.Param("decision"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) updateDecisionHandler(c echo.Context) error {
	var in service.DecisionInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.svc.UpdateDecision(c.Request().Context(), c.Param("team"), c.Param("decision"), in, callerActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
