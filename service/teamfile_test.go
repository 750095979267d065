package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"overlap/planner"
	"overlap/service"
)

func TestReadTeamFile(t *testing.T) {
	file, err := service.ReadTeamFile([]byte(`{"name":"T","timezone":"Asia/Kolkata","policy":{"quorum":0.5},
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
		{`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"UTC","calendars":["a.ics",7]}]}`, "members[0].calendars[1]"},
		{`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"UTC","working_hours":{}}]}`, "members[0].working_hours"},
	}
	for _, tc := range bad {
		_, err := service.ReadTeamFile([]byte(tc.body))
		var fe *planner.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: error %v, want one naming %s", tc.body, err, tc.field)
		}
	}
}

// FuzzReadTeamFile: any input is either a valid team that plans, or a
// field or malformed-input error; never a panic.
func FuzzReadTeamFile(f *testing.F) {
	f.Add(`{"name":"T","timezone":"UTC","members":[{"name":"A","email":"a@example.com","timezone":"Asia/Kathmandu","working_hours":{"mon":[["22:00","06:00"]]}}]}`)
	f.Add(`{"name":"T","timezone":"Europe/Berlin","policy":{"core_weekdays":["sat"],"quorum":0}}`)
	f.Add(`{"members":[{"time_off":[{"start":"2026-02-29","end":"2026-03-01"}]}]}`)
	f.Add(`[]`)
	svc := service.New(nil, service.Limits{}, nil)
	from := time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		file, err := service.ReadTeamFile([]byte(body))
		if err != nil {
			var (
				fe *planner.FieldError
				me *service.MalformedError
			)
			if !errors.As(err, &fe) && !errors.As(err, &me) {
				t.Fatalf("error %T %v is neither a field nor a malformed-input error", err, err)
			}
			return
		}
		team, err := svc.LoadTeamFile(context.Background(), file, make([][]service.CalendarReader, len(file.Members)), from, from.AddDate(0, 0, 7))
		if err != nil {
			t.Fatalf("a valid team file does not load: %v", err)
		}
		if _, err := planner.Plan(context.Background(), team.Team, team.From, team.To); err != nil {
			t.Fatalf("a valid team file does not plan: %v", err)
		}
	})
}
