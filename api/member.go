package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
)

func (s *Server) createMemberHandler(c echo.Context) error {
	var in service.MemberInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.svc.CreateMember(c.Request().Context(), c.Param("team"), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.link("/v1/teams/"+m.TeamID+"/members/"+m.ID))
	return c.JSON(http.StatusCreated, m)
}

func (s *Server) listMembersHandler(c echo.Context) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	members, next, err := s.svc.FindMembers(c.Request().Context(), c.Param("team"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(members, next))
}

func (s *Server) getMemberHandler(c echo.Context) error {
	m, err := s.svc.FindMember(c.Request().Context(), c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) updateMemberHandler(c echo.Context) error {
	var in service.MemberInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.svc.UpdateMember(c.Request().Context(), c.Param("team"), c.Param("member"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) deleteMemberHandler(c echo.Context) error {
	if err := s.svc.DeleteMember(c.Request().Context(), c.Param("team"), c.Param("member")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
