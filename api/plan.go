package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

// PlannerTeam builds the planner's view of a stored team. busy gives each
// member's busy calendar instances. Stored values were validated on write,
// so an error here names the member at fault.
func PlannerTeam(team store.Team, members []store.Member, busy func(store.Member) ([]calendar.Instance, error)) (planner.Team, error) {
	loc, err := loadZone("timezone", team.Timezone)
	if err != nil {
		return planner.Team{}, err
	}
	policy, err := plannerPolicy(team.Policy)
	if err != nil {
		return planner.Team{}, err
	}
	out := planner.Team{Location: loc, Policy: policy, Members: make([]planner.Member, 0, len(members))}
	for i, m := range members {
		pm, err := plannerMember(m)
		if err != nil {
			return out, withFieldPrefix(fmt.Sprintf("members[%d]", i), err)
		}
		instances, err := busy(m)
		if err != nil {
			return out, err
		}
		for _, in := range instances {
			pm.Busy = append(pm.Busy, in.Event)
		}
		out.Members = append(out.Members, pm)
	}
	return out, nil
}

// planRange reads the required ?from and ?to instants (RFC 3339).
func planRange(c echo.Context) (time.Time, time.Time, error) {
	var bounds [2]time.Time
	for i, name := range []string{"from", "to"} {
		raw := c.QueryParam(name)
		if raw == "" {
			return bounds[0], bounds[1], fieldProblem(name, "is required (RFC 3339, e.g. 2026-01-05T00:00:00Z)")
		}
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return bounds[0], bounds[1], fieldProblem(name, fmt.Sprintf("%q is not an RFC 3339 instant", raw))
		}
		bounds[i] = t.UTC()
	}
	return bounds[0], bounds[1], nil
}

// teamForRange reads ?from and ?to, and loads the team in the path with its
// members and their imported calendars expanded over [from, to).
func (s *Server) teamForRange(c echo.Context) (team planner.Team, from, to time.Time, err error) {
	if from, to, err = planRange(c); err != nil {
		return team, from, to, err
	}
	ctx := c.Request().Context()
	stored, err := s.store.FindTeamByID(ctx, c.Param("team"))
	if err != nil {
		return team, from, to, err
	}
	members, err := s.store.FindAllMembers(ctx, stored.ID)
	if err != nil {
		return team, from, to, err
	}
	calendars, err := s.store.FindTeamCalendars(ctx, stored.ID)
	if err != nil {
		return team, from, to, err
	}
	team, err = PlannerTeam(*stored, members, func(m store.Member) ([]calendar.Instance, error) {
		imported, ok := calendars[m.ID]
		if !ok {
			return nil, nil
		}
		instances, _, err := memberBusy(m, imported.ICS, from, to)
		return instances, err
	})
	return team, from, to, err
}

// overlapResponse is the heat map of a range.
type overlapResponse struct {
	From    time.Time       `json:"from"`
	To      time.Time       `json:"to"`
	Overlap planner.HeatMap `json:"overlap"`
}

func (s *Server) overlapHandler(c echo.Context) error {
	team, from, to, err := s.teamForRange(c)
	if err != nil {
		return err
	}
	heat, err := planner.Overlap(c.Request().Context(), team, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, overlapResponse{From: from, To: to, Overlap: heat})
}

func (s *Server) proposalsHandler(c echo.Context) error {
	team, from, to, err := s.teamForRange(c)
	if err != nil {
		return err
	}
	plan, err := planner.Plan(c.Request().Context(), team, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, plan)
}

// coreHoursResponse is a team's adopted core hours, with their occurrences
// when a range is asked for.
type coreHoursResponse struct {
	planner.CoreHours
	AdoptedAt time.Time `json:"adopted_at"`
	// Occurrences is present exactly when a range was asked for.
	Occurrences *[]planner.Occurrence `json:"occurrences,omitempty"`
}

func (s *Server) putCoreHoursHandler(c echo.Context) error {
	var core planner.CoreHours
	if err := s.decodeJSON(c, &core); err != nil {
		return err
	}
	ctx := c.Request().Context()
	team, err := s.store.FindTeamByID(ctx, c.Param("team"))
	if err != nil {
		return err
	}
	policy, err := plannerPolicy(team.Policy)
	if err != nil {
		return err
	}
	if err := core.Validate(policy); err != nil {
		return err
	}
	definition, err := json.Marshal(core)
	if err != nil {
		return err
	}
	stored, err := s.store.PutCoreHours(ctx, team.ID, string(definition))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, coreHoursResponse{CoreHours: core, AdoptedAt: stored.AdoptedAt})
}

// adoptedCoreHours returns a team's adopted core hours, or store.ErrNotFound.
func (s *Server) adoptedCoreHours(ctx context.Context, teamID string) (planner.CoreHours, *store.CoreHours, error) {
	var core planner.CoreHours
	stored, err := s.store.FindCoreHours(ctx, teamID)
	if err != nil {
		return core, nil, err
	}
	if err := json.Unmarshal([]byte(stored.Definition), &core); err != nil {
		return core, nil, fmt.Errorf("stored core hours of team %s: %w", stored.TeamID, err)
	}
	return core, stored, nil
}

func (s *Server) getCoreHoursHandler(c echo.Context) error {
	core, stored, err := s.adoptedCoreHours(c.Request().Context(), c.Param("team"))
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.store.FindTeamByID(c.Request().Context(), c.Param("team")); err != nil {
			return err
		}
		return newProblem("not-found", "the team has not adopted core hours yet")
	}
	if err != nil {
		return err
	}
	res := coreHoursResponse{CoreHours: core, AdoptedAt: stored.AdoptedAt}
	if c.QueryParam("from") == "" && c.QueryParam("to") == "" {
		return c.JSON(http.StatusOK, res)
	}
	team, from, to, err := s.teamForRange(c)
	if err != nil {
		return err
	}
	occurrences, err := planner.CoreOccurrences(c.Request().Context(), team, core, from, to)
	if err != nil {
		return err
	}
	if occurrences == nil {
		occurrences = []planner.Occurrence{}
	}
	res.Occurrences = &occurrences
	return c.JSON(http.StatusOK, res)
}
