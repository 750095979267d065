package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

// TeamFile is a team described offline, in the API's shape: the team's
// fields with its members inline, each member naming iCalendar files.
type TeamFile struct {
	Team    store.Team
	Members []store.Member
	// Calendars holds, per member, the calendar paths as written in the file.
	Calendars [][]string
	// CoreHours are the team's core hours ("core_hours", optional, as the
	// API adopts them); nil when the file has none.
	CoreHours *planner.CoreHours
	// ReviewSettings are the file's "review_settings" (optional, as the
	// API takes them), absent fields taking their defaults.
	ReviewSettings planner.ReviewSettings
}

type teamFileJSON struct {
	TeamInput
	Members        []teamFileMember        `json:"members"`
	CoreHours      *planner.CoreHours      `json:"core_hours"`
	ReviewSettings *planner.ReviewSettings `json:"review_settings"`
}

type teamFileMember struct {
	// ID names the member in the output; it defaults to the email.
	ID string `json:"id"`
	MemberInput
	Calendars []string `json:"calendars"`
}

// ReadTeamFile decodes and validates a team file with the API's rules; a
// field error names the path, such as "members[1].working_hours.mon[0]".
func ReadTeamFile(data []byte) (*TeamFile, error) {
	in := teamFileJSON{ReviewSettings: new(planner.DefaultReviewSettings())}
	if err := DecodeJSON(data, &in); err != nil {
		return nil, err
	}
	out := &TeamFile{Team: newTeam(), CoreHours: in.CoreHours}
	if err := in.apply(&out.Team); err != nil {
		return nil, err
	}
	if err := in.checkReview(out.Team.Policy); err != nil {
		return nil, err
	}
	out.ReviewSettings = *in.ReviewSettings
	ids := map[string]int{}
	for i, fm := range in.Members {
		m := newMember("")
		field := fmt.Sprintf("members[%d]", i)
		if err := fm.apply(&m); err != nil {
			return nil, under(field, err)
		}
		m.ID = strings.TrimSpace(fm.ID)
		if m.ID == "" {
			m.ID = m.Email
		}
		if j, taken := ids[m.ID]; taken {
			return nil, fieldError(field+".id", "%q is also members[%d]", Excerpt(m.ID), j)
		}
		ids[m.ID] = i
		out.Members = append(out.Members, m)
		out.Calendars = append(out.Calendars, fm.Calendars)
	}
	return out, nil
}

// checkReview checks the file's core hours against the team's policy and
// its review settings.
func (in *teamFileJSON) checkReview(policy store.Policy) error {
	if in.ReviewSettings == nil { // "review_settings": null
		in.ReviewSettings = new(planner.DefaultReviewSettings())
	}
	if err := in.ReviewSettings.Validate(); err != nil {
		return under("review_settings", err)
	}
	if in.CoreHours == nil {
		return nil
	}
	p, err := plannerPolicy(policy)
	if err != nil {
		return err
	}
	return under("core_hours", in.CoreHours.Validate(p))
}

// LoadTeamFile is LoadTeam for a team file: calendars[i] are member i's
// calendars, already parsed by the caller.
func (s *Service) LoadTeamFile(ctx context.Context, file *TeamFile, calendars [][]*calendar.Calendar, from, to time.Time) (*PlanningTeam, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	return s.planningTeam(ctx, file.Team, file.Members, calendars, from, to, nil)
}
