package api

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

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
	teamRequest
	Members []teamFileMember `json:"members"`
}

type teamFileMember struct {
	// ID names the member in the output; it defaults to the email.
	ID string `json:"id"`
	memberRequest
	Calendars []string `json:"calendars"`
}

// ReadTeamFile decodes and validates a team file with the API's rules; an
// error is a *Problem naming the field, such as "members[1].working_hours.mon[0]".
func ReadTeamFile(r io.Reader) (*TeamFile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var in teamFileJSON
	if err := dec.Decode(&in); err != nil {
		return nil, jsonProblem(err)
	}
	out := &TeamFile{Team: store.Team{Policy: defaultStorePolicy()}}
	if err := in.apply(&out.Team); err != nil {
		return nil, err
	}
	ids := map[string]int{}
	for i, fm := range in.Members {
		m := store.Member{Required: true, WorkingHours: defaultWorkingHours()}
		field := fmt.Sprintf("members[%d]", i)
		if err := fm.apply(&m); err != nil {
			return nil, withFieldPrefix(field, err)
		}
		m.ID = strings.TrimSpace(fm.ID)
		if m.ID == "" {
			m.ID = m.Email
		}
		if j, taken := ids[m.ID]; taken {
			return nil, fieldProblem(field+".id", fmt.Sprintf("%q is also members[%d]", m.ID, j))
		}
		ids[m.ID] = i
		out.Members = append(out.Members, m)
		out.Calendars = append(out.Calendars, fm.Calendars)
	}
	return out, nil
}
