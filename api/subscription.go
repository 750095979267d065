package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
)

// createSubscriptionHandler subscribes a member to a published calendar,
// fetched before the answer; the answer never holds the address itself.
func (s *Server) createSubscriptionHandler(c echo.Context) error {
	var in service.SubscriptionInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	sub, err := s.svc.CreateSubscription(c.Request().Context(), c.Param("team"), c.Param("member"), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.link("/v1/teams/"+sub.TeamID+"/members/"+sub.MemberID+"/subscriptions/"+sub.ID))
	return c.JSON(http.StatusCreated, sub)
}

func (s *Server) listSubscriptionsHandler(c echo.Context) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	subs, next, err := s.svc.FindSubscriptions(c.Request().Context(), c.Param("team"), c.Param("member"), c.QueryParam("state"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(subs, next))
}

func (s *Server) getSubscriptionHandler(c echo.Context) error {
	sub, err := s.svc.FindSubscription(c.Request().Context(), c.Param("team"), c.Param("member"), c.Param("subscription"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sub)
}

func (s *Server) deleteSubscriptionHandler(c echo.Context) error {
	if err := s.svc.DeleteSubscription(c.Request().Context(), c.Param("team"), c.Param("member"), c.Param("subscription")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) refreshSubscriptionHandler(c echo.Context) error {
	sub, err := s.svc.RefreshSubscription(c.Request().Context(), c.Param("team"), c.Param("member"), c.Param("subscription"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sub)
}
