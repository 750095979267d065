package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"overlap/calendar"
	"overlap/store"
)

// TeamFile is a team described offline, in the API's shape: the team's
// fields with its members inline, each member naming iCalendar files.
type TeamFile struct {
	Team    store.Team
	Members []store.Member
	// Calendars holds, per member, the calendar paths as written in the file.
	Calendars [][]string
}

type teamFileJSON struct {
	TeamInput
	Members []teamFileMember `json:"members"`
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
	var in teamFileJSON
	if err := DecodeJSON(data, &in); err != nil {
		return nil, err
	}
	out := &TeamFile{Team: newTeam()}
	if err := in.apply(&out.Team); err != nil {
		return nil, err
	}
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

// LoadTeamFile is LoadTeam for a team file: calendars[i] are member i's
// calendars, already parsed by the caller.
func (s *Service) LoadTeamFile(ctx context.Context, file *TeamFile, calendars [][]*calendar.Calendar, from, to time.Time) (*PlanningTeam, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	sourced := make([][]sourcedCalendar, len(calendars))
	for i, cals := range calendars {
		for _, cal := range cals {
			sourced[i] = append(sourced[i], sourcedCalendar{cal: cal})
		}
	}
	return s.planningTeam(ctx, file.Team, file.Members, sourced, from, to, nil)
}
