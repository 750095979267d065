package api_test

import (
	"errors"
	"strings"
	"testing"

	"overlap/api"
	"overlap/calendar"
	"overlap/store"
)

func TestReadTeamFile(t *testing.T) {
	file, err := api.ReadTeamFile(strings.NewReader(`{"name":"T","timezone":"Asia/Kolkata","policy":{"quorum":0.5},
		"members":[{"name":"A","email":"A@example.com","timezone":"Asia/Kathmandu","calendars":["a.ics"]},
		           {"id":"b","name":"B","email":"b@example.com","timezone":"Pacific/Chatham","required":false}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if file.Team.Policy.Quorum != 0.5 || file.Team.Policy.MaxCoreMinutesPerDay != 120 || len(file.Members) != 2 {
		t.Errorf("team: %+v", file)
	}
	if m := file.Members[0]; m.ID != "a@example.com" || !m.Required || len(m.WorkingHours) != 5 || file.Calendars[0][0] != "a.ics" {
		t.Errorf("first member: %+v, calendars %v", m, file.Calendars[0])
	}
	if m := file.Members[1]; m.ID != "b" || m.Required || file.Calendars[1] != nil {
		t.Errorf("second member: %+v", m)
	}

	bad := []struct{ body, field string }{
		{`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"Nowhere"}]}`, "members[0].timezone"},
		{`{"name":"T","timezone":"UTC","members":[{"id":"x","name":"A","email":"a@example.com","timezone":"UTC"},{"id":"x","name":"B","email":"b@example.com","timezone":"UTC"}]}`, "members[1].id"},
		{`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"UTC","preferred_hours":{"fri":[["18:00","09:00"]],"sat":[["08:00","10:00"]]}}]}`, "members[0].preferred_hours.sat[0]"},
		{`{"name":"T","timezone":"UTC","policy":{"quorum":2}}`, "policy.quorum"},
		{`{"name":"T","timezone":"UTC","owner":"me"}`, "owner"},
	}
	for _, tc := range bad {
		_, err := api.ReadTeamFile(strings.NewReader(tc.body))
		var p *api.Problem
		if !errors.As(err, &p) || p.Field != tc.field {
			t.Errorf("%s: error %v, want one naming %s", tc.body, err, tc.field)
		}
	}
}

// FuzzReadTeamFile: any input is either a valid team or a problem, never a panic.
func FuzzReadTeamFile(f *testing.F) {
	f.Add(`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"Asia/Kathmandu","working_hours":{"mon":[["22:00","06:00"]]}}]}`)
	f.Add(`{"name":"T","timezone":"Europe/Berlin","policy":{"core_weekdays":["sat"],"quorum":0}}`)
	f.Add(`{"members":[{"time_off":[{"start":"2026-02-29","end":"2026-03-01"}]}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		file, err := api.ReadTeamFile(strings.NewReader(body))
		if err != nil {
			var p *api.Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %T %v is not a problem", err, err)
			}
			return
		}
		if _, err := api.PlannerTeam(file.Team, file.Members, noBusy); err != nil {
			t.Fatalf("a valid team file does not convert: %v", err)
		}
	})
}

func noBusy(store.Member) ([]calendar.Instance, error) { return nil, nil }
