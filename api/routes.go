package api

import (
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is the whole route table; openapi.yaml describes each entry.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthzHandler)
	e.GET("/readyz", s.readyzHandler)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{DisableCompression: true})))
	e.GET("/openapi.yaml", s.openAPIHandler)

	v1 := e.Group("/v1", s.authenticate)
	v1.GET("/teams", s.listTeamsHandler)
	v1.POST("/teams", s.createTeamHandler, requireAdmin)
	v1.GET("/teams/:team", s.getTeamHandler, requireTeamRead)
	v1.PATCH("/teams/:team", s.updateTeamHandler, requireTeamWrite)
	v1.DELETE("/teams/:team", s.deleteTeamHandler, requireAdmin)

	v1.GET("/teams/:team/members", s.listMembersHandler, requireTeamRead)
	v1.POST("/teams/:team/members", s.createMemberHandler, requireTeamWrite)
	v1.GET("/teams/:team/members/:member", s.getMemberHandler, requireTeamRead)
	v1.PATCH("/teams/:team/members/:member", s.updateMemberHandler, requireTeamWrite)
	v1.DELETE("/teams/:team/members/:member", s.deleteMemberHandler, requireTeamWrite)
	v1.GET("/teams/:team/members/:member/calendar", s.getMemberCalendarHandler, requireTeamRead)
	v1.PUT("/teams/:team/members/:member/calendar", s.putMemberCalendarHandler, requireTeamWrite)
	v1.DELETE("/teams/:team/members/:member/calendar", s.deleteMemberCalendarHandler, requireTeamWrite)

	v1.GET("/teams/:team/overlap", s.overlapHandler, requireTeamRead)
	v1.GET("/teams/:team/core-hours/proposals", s.proposalsHandler, requireTeamRead)
	v1.GET("/teams/:team/core-hours", s.getCoreHoursHandler, requireTeamRead)
	v1.PUT("/teams/:team/core-hours", s.putCoreHoursHandler, requireTeamWrite)
}
