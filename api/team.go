package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/planner"
	"overlap/store"
)

// teamRequest is the body of POST and PATCH /v1/teams. Absent fields keep
// their value (PATCH) or take their default (POST).
type teamRequest struct {
	Name     *string        `json:"name"`
	Timezone *string        `json:"timezone"`
	Policy   *policyRequest `json:"policy"`
}

type policyRequest struct {
	MaxCoreMinutesPerDay *int     `json:"max_core_minutes_per_day"`
	MinSlotMinutes       *int     `json:"min_slot_minutes"`
	Quorum               *float64 `json:"quorum"`
	CoreWeekdays         []string `json:"core_weekdays"`
	AgendaCutoffHours    *int     `json:"agenda_cutoff_hours"`
}

// defaultStorePolicy is planner.DefaultPolicy in the stored shape.
func defaultStorePolicy() store.Policy {
	d := planner.DefaultPolicy()
	days := make([]string, len(d.CoreWeekdays))
	for i, wd := range d.CoreWeekdays {
		days[i] = planner.WeekdayKey(wd)
	}
	return store.Policy{
		MaxCoreMinutesPerDay: d.MaxCoreMinutesPerDay,
		MinSlotMinutes:       d.MinSlotMinutes,
		Quorum:               d.Quorum,
		CoreWeekdays:         days,
		AgendaCutoffHours:    d.AgendaCutoffHours,
	}
}

// apply copies the given fields onto t and validates the result.
func (r *teamRequest) apply(t *store.Team) error {
	if r.Name != nil {
		t.Name = *r.Name
	}
	if r.Timezone != nil {
		t.Timezone = *r.Timezone
	}
	if p := r.Policy; p != nil {
		setIfGiven(&t.Policy.MaxCoreMinutesPerDay, p.MaxCoreMinutesPerDay)
		setIfGiven(&t.Policy.MinSlotMinutes, p.MinSlotMinutes)
		setIfGiven(&t.Policy.Quorum, p.Quorum)
		setIfGiven(&t.Policy.AgendaCutoffHours, p.AgendaCutoffHours)
		if p.CoreWeekdays != nil {
			t.Policy.CoreWeekdays = p.CoreWeekdays
		}
	}
	var err error
	if t.Name, err = requireText("name", t.Name, 200); err != nil {
		return err
	}
	if _, err := loadZone("timezone", t.Timezone); err != nil {
		return err
	}
	_, err = plannerPolicy(t.Policy)
	return err
}

func setIfGiven[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// plannerPolicy converts and validates a stored policy; errors name "policy.<field>".
func plannerPolicy(p store.Policy) (planner.Policy, error) {
	out := planner.Policy{
		MaxCoreMinutesPerDay: p.MaxCoreMinutesPerDay,
		MinSlotMinutes:       p.MinSlotMinutes,
		Quorum:               p.Quorum,
		AgendaCutoffHours:    p.AgendaCutoffHours,
	}
	for i, key := range p.CoreWeekdays {
		wd, err := planner.ParseWeekday(key)
		if err != nil {
			return out, fieldProblem(fmt.Sprintf("policy.core_weekdays[%d]", i), fmt.Sprintf("%q is not one of mon, tue, wed, thu, fri, sat, sun", key))
		}
		out.CoreWeekdays = append(out.CoreWeekdays, wd)
	}
	if err := out.Validate(); err != nil {
		if fe, ok := err.(*planner.FieldError); ok {
			return out, fieldProblem("policy."+fe.Field, fe.Message)
		}
		return out, err
	}
	return out, nil
}

func (s *Server) createTeamHandler(c echo.Context) error {
	var req teamRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	t := &store.Team{Policy: defaultStorePolicy()}
	if err := req.apply(t); err != nil {
		return err
	}
	if err := s.store.CreateTeam(c.Request().Context(), t); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/teams/"+t.ID)
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
	teams, next, err := s.store.FindTeams(c.Request().Context(), only, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(teams, next))
}

func (s *Server) getTeamHandler(c echo.Context) error {
	t, err := s.store.FindTeamByID(c.Request().Context(), c.Param("team"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) updateTeamHandler(c echo.Context) error {
	var req teamRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// Read before the update's transaction: SQLite has a single connection.
	adopted, _, err := s.adoptedCoreHours(ctx, c.Param("team"))
	hasAdopted := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	t, err := s.store.UpdateTeam(ctx, c.Param("team"), func(t *store.Team) error {
		if err := req.apply(t); err != nil {
			return err
		}
		if !hasAdopted {
			return nil
		}
		// A policy change must not leave the adopted core hours outside it.
		policy, err := plannerPolicy(t.Policy)
		if err != nil {
			return err
		}
		if err := adopted.Validate(policy); err != nil {
			return fieldProblem("policy", "the team's adopted core hours would break it ("+err.Error()+"); adopt new core hours first")
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) deleteTeamHandler(c echo.Context) error {
	if err := s.store.DeleteTeam(c.Request().Context(), c.Param("team")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
