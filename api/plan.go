package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/planner"
)

func (s *Server) overlapHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	heat, err := s.svc.Overlap(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	localize(heat, q.zone)
	return c.JSON(http.StatusOK, heat)
}

func (s *Server) proposalsHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	plan, err := s.svc.Plan(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	localize(plan, q.zone)
	return c.JSON(http.StatusOK, plan)
}

func (s *Server) putCoreHoursHandler(c echo.Context) error {
	var core planner.CoreHours
	if err := s.decodeJSON(c, &core); err != nil {
		return err
	}
	adopted, err := s.svc.AdoptCoreHours(c.Request().Context(), c.Param("team"), core)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adopted)
}

// getCoreHoursHandler answers the adopted core hours, with their
// occurrences when ?from and ?to ask for a range.
func (s *Server) getCoreHoursHandler(c echo.Context) error {
	if c.QueryParam("from") == "" && c.QueryParam("to") == "" {
		if _, err := answerZone(c); err != nil {
			return err
		}
		adopted, err := s.svc.FindCoreHours(c.Request().Context(), c.Param("team"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, adopted)
	}
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	adopted, err := s.svc.CoreHoursOver(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	localize(adopted, q.zone)
	return c.JSON(http.StatusOK, adopted)
}
