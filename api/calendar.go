package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// putMemberCalendarHandler replaces the member's calendar with the body.
// Nothing is written unless the whole file is read and within the limits,
// so a refused import leaves the previous calendar as it was.
func (s *Server) putMemberCalendarHandler(c echo.Context) error {
	data, err := s.readBody(c, "text/calendar", s.svc.Limits().MaxCalendarBytes)
	if err != nil {
		return err
	}
	summary, err := s.svc.ImportCalendar(c.Request().Context(), c.Param("team"), c.Param("member"), data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, summary)
}

func (s *Server) getMemberCalendarHandler(c echo.Context) error {
	summary, err := s.svc.CalendarSummary(c.Request().Context(), c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, summary)
}

func (s *Server) deleteMemberCalendarHandler(c echo.Context) error {
	if err := s.svc.DeleteCalendar(c.Request().Context(), c.Param("team"), c.Param("member")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
