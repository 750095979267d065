package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	"github.com/labstack/echo/v4"

	"overlap/planner"
	"overlap/store"
)

// memberRequest is the body of POST and PATCH /v1/teams/{team}/members.
// Absent fields keep their value (PATCH) or take their default (POST);
// an empty preferred_hours object clears the preferred hours.
type memberRequest struct {
	Name           *string            `json:"name"`
	Email          *string            `json:"email"`
	Timezone       *string            `json:"timezone"`
	WorkingHours   store.WeeklyHours  `json:"working_hours"`
	PreferredHours store.WeeklyHours  `json:"preferred_hours"`
	Required       *bool              `json:"required"`
	TimeOff        *[]store.DateRange `json:"time_off"`
}

// defaultWorkingHours is Monday to Friday, 09:00–17:00.
func defaultWorkingHours() store.WeeklyHours {
	h := store.WeeklyHours{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		h[d] = [][]string{{"09:00", "17:00"}}
	}
	return h
}

func (r *memberRequest) apply(m *store.Member) error {
	if r.Name != nil {
		m.Name = *r.Name
	}
	if r.Email != nil {
		m.Email = *r.Email
	}
	if r.Timezone != nil {
		m.Timezone = *r.Timezone
	}
	if r.WorkingHours != nil {
		m.WorkingHours = r.WorkingHours
	}
	if r.PreferredHours != nil {
		m.PreferredHours = r.PreferredHours
		if len(m.PreferredHours) == 0 {
			m.PreferredHours = nil
		}
	}
	setIfGiven(&m.Required, r.Required)
	setIfGiven(&m.TimeOff, r.TimeOff)
	if m.TimeOff == nil {
		m.TimeOff = []store.DateRange{}
	}
	var err error
	if m.Name, err = requireText("name", m.Name, 200); err != nil {
		return err
	}
	if m.Email, err = normalEmail(m.Email); err != nil {
		return err
	}
	_, err = plannerMember(*m)
	return err
}

// normalEmail accepts a bare address and lower-cases it, so that uniqueness
// within a team ignores case.
func normalEmail(s string) (string, error) {
	s, err := requireText("email", s, 254)
	if err != nil {
		return "", err
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", fieldProblem("email", fmt.Sprintf("%q is not a bare email address", s))
	}
	return strings.ToLower(s), nil
}

// plannerMember converts and validates a stored member, naming the JSON
// field at fault. Busy instances are the caller's to add.
func plannerMember(m store.Member) (planner.Member, error) {
	out := planner.Member{ID: m.ID, Name: m.Name, Required: m.Required}
	var err error
	if out.Location, err = loadZone("timezone", m.Timezone); err != nil {
		return out, err
	}
	if out.Working, err = planner.ParseWeeklyHours(m.WorkingHours); err != nil {
		return out, withFieldPrefix("working_hours", err)
	}
	if out.Working.IsZero() {
		return out, fieldProblem("working_hours", "must give at least one range")
	}
	if m.PreferredHours != nil {
		if out.Preferred, err = planner.ParseWeeklyHours(m.PreferredHours); err != nil {
			return out, withFieldPrefix("preferred_hours", err)
		}
	}
	for i, r := range m.TimeOff {
		field := fmt.Sprintf("time_off[%d]", i)
		var dr planner.DateRange
		if dr.Start, err = planner.ParseDate(r.Start); err != nil {
			return out, withFieldPrefix(field+".start", err)
		}
		if dr.End, err = planner.ParseDate(r.End); err != nil {
			return out, withFieldPrefix(field+".end", err)
		}
		if err := dr.Validate(); err != nil {
			return out, withFieldPrefix(field, err)
		}
		out.TimeOff = append(out.TimeOff, dr)
	}
	return out, nil
}

// withFieldPrefix places a field error (the planner's, or a problem naming
// a field) under its parent JSON field.
func withFieldPrefix(parent string, err error) error {
	var (
		fe *planner.FieldError
		p  *Problem
	)
	field := ""
	switch {
	case errors.As(err, &fe):
		field = fe.Field
		p = fieldProblem(parent, fe.Message)
	case errors.As(err, &p) && p.Field != "":
		field = p.Field
		copied := *p
		p = &copied
	case errors.As(err, &p):
		return err
	default:
		return fieldProblem(parent, strings.TrimPrefix(err.Error(), "planner: "))
	}
	switch {
	case field == "":
		p.Field = parent
	case strings.HasPrefix(field, "["):
		p.Field = parent + field
	default:
		p.Field = parent + "." + field
	}
	return p
}

func (s *Server) createMemberHandler(c echo.Context) error {
	var req memberRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	m := &store.Member{TeamID: c.Param("team"), Required: true, WorkingHours: defaultWorkingHours()}
	if err := req.apply(m); err != nil {
		return err
	}
	if err := s.store.CreateMember(c.Request().Context(), m); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/teams/"+m.TeamID+"/members/"+m.ID)
	return c.JSON(http.StatusCreated, m)
}

func (s *Server) listMembersHandler(c echo.Context) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	// An empty page must still tell a missing team from a team with no members.
	if _, err := s.store.FindTeamByID(ctx, c.Param("team")); err != nil {
		return err
	}
	members, next, err := s.store.FindMembers(ctx, c.Param("team"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(members, next))
}

func (s *Server) getMemberHandler(c echo.Context) error {
	m, err := s.store.FindMemberByID(c.Request().Context(), c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) updateMemberHandler(c echo.Context) error {
	var req memberRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	m, err := s.store.UpdateMember(c.Request().Context(), c.Param("team"), c.Param("member"), req.apply)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) deleteMemberHandler(c echo.Context) error {
	if err := s.store.DeleteMember(c.Request().Context(), c.Param("team"), c.Param("member")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
