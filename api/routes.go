package api

import (
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is the whole route table; openapi.yaml describes each entry.
// Every GET also answers HEAD (see headAsGet).
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthzHandler)
	e.GET("/readyz", s.readyzHandler)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{DisableCompression: true})))
	e.GET("/openapi.yaml", s.openAPIHandler)

	// Authentication is attached route by route rather than to the group:
	// group middleware makes Echo answer 404 where the method is wrong and
	// 405 with Allow is due.
	v1 := e.Group("/v1")
	read, write, admin := []echo.MiddlewareFunc{s.authenticate, requireTeamRead}, []echo.MiddlewareFunc{s.authenticate, requireTeamWrite}, []echo.MiddlewareFunc{s.authenticate, requireAdmin}
	v1.GET("/teams", s.listTeamsHandler, s.authenticate)
	v1.POST("/teams", s.createTeamHandler, admin...)
	v1.GET("/teams/:team", s.getTeamHandler, read...)
	v1.PATCH("/teams/:team", s.updateTeamHandler, write...)
	v1.DELETE("/teams/:team", s.deleteTeamHandler, admin...)

	v1.GET("/teams/:team/members", s.listMembersHandler, read...)
	v1.POST("/teams/:team/members", s.createMemberHandler, write...)
	v1.GET("/teams/:team/members/:member", s.getMemberHandler, read...)
	v1.PATCH("/teams/:team/members/:member", s.updateMemberHandler, write...)
	v1.DELETE("/teams/:team/members/:member", s.deleteMemberHandler, write...)
	v1.GET("/teams/:team/members/:member/calendar", s.getMemberCalendarHandler, read...)
	v1.PUT("/teams/:team/members/:member/calendar", s.putMemberCalendarHandler, write...)
	v1.DELETE("/teams/:team/members/:member/calendar", s.deleteMemberCalendarHandler, write...)

	v1.GET("/teams/:team/overlap", s.overlapHandler, read...)
	v1.GET("/teams/:team/core-hours/proposals", s.proposalsHandler, read...)
	v1.GET("/teams/:team/core-hours", s.getCoreHoursHandler, read...)
	v1.PUT("/teams/:team/core-hours", s.putCoreHoursHandler, write...)

	v1.GET("/teams/:team/slots", s.listSlotsHandler, read...)
	v1.GET("/teams/:team/slots/:slot", s.getSlotHandler, read...)
	v1.POST("/teams/:team/slots/:slot/cancel", s.cancelSlotHandler, write...)
	v1.GET("/teams/:team/slots/:slot/agenda", s.listAgendaHandler, read...)
	v1.POST("/teams/:team/slots/:slot/agenda", s.addAgendaItemHandler, write...)
	v1.DELETE("/teams/:team/slots/:slot/agenda/:item", s.deleteAgendaItemHandler, write...)
	v1.GET("/teams/:team/orphaned-slots", s.orphanedSlotsHandler, read...)

	v1.GET("/teams/:team/decisions", s.listDecisionsHandler, read...)
	v1.POST("/teams/:team/decisions", s.createDecisionHandler, write...)
	v1.GET("/teams/:team/decisions/:decision", s.getDecisionHandler, read...)
	v1.PATCH("/teams/:team/decisions/:decision", s.updateDecisionHandler, write...)

	v1.GET("/teams/:team/feeds", s.listTeamFeedsHandler, read...)
	v1.POST("/teams/:team/feeds", s.createTeamFeedHandler, write...)
	v1.POST("/teams/:team/feeds/:feed/rotate", s.rotateFeedHandler, write...)
	v1.DELETE("/teams/:team/feeds/:feed", s.deleteFeedHandler, write...)
	v1.GET("/teams/:team/members/:member/feeds", s.listMemberFeedsHandler, read...)
	v1.POST("/teams/:team/members/:member/feeds", s.createMemberFeedHandler, write...)
	// Calendar apps cannot send an API key: the feed's token is the credential.
	e.GET("/feeds/:token"+feedPathSuffix, s.feedHandler)

	subscriptions := "/teams/:team/members/:member/subscriptions"
	v1.GET(subscriptions, s.listSubscriptionsHandler, read...)
	v1.POST(subscriptions, s.createSubscriptionHandler, write...)
	v1.GET(subscriptions+"/:subscription", s.getSubscriptionHandler, read...)
	v1.DELETE(subscriptions+"/:subscription", s.deleteSubscriptionHandler, write...)
	v1.POST(subscriptions+"/:subscription/refresh", s.refreshSubscriptionHandler, write...)

	v1.GET("/teams/:team/meetings/review", s.reviewHandler, read...)
	v1.GET("/teams/:team/load", s.loadHandler, read...)
	v1.GET("/teams/:team/review-settings", s.getReviewSettingsHandler, read...)
	v1.PUT("/teams/:team/review-settings", s.putReviewSettingsHandler, write...)

	// The team page and what it asks first; the heat map as a picture.
	e.GET("/", s.pageHandler)
	e.GET("/assets/:asset", s.pageAssetHandler)
	v1.GET("/whoami", s.whoamiHandler, s.authenticate)
	v1.GET("/teams/:team/overlap.svg", s.overlapPictureHandler, read...)
}
