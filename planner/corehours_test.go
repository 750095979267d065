package planner

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestCoreHoursJSONAndOccurrences(t *testing.T) {
	in := `{"cycle_weeks":2,"windows":[{"week":0,"weekday":"tue","start":"14:00","end":"16:00"},{"week":1,"weekday":"tue","start":"22:00","end":"24:00"}]}`
	var core CoreHours
	if err := json.Unmarshal([]byte(in), &core); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(core)
	if string(out) != in {
		t.Errorf("round trip = %s", out)
	}
	team := officeTeam(t, "UTC", "Europe/London")
	team.Members[0].Busy = []Event{{Start: utc("2026-01-13T15:00:00Z"), End: utc("2026-01-13T15:30:00Z"), Summary: "1:1"}}
	// 2026-01-12 is 9142 days (1306 weeks) after 2001-01-01: an even week.
	occurrences, err := CoreOccurrences(context.Background(), team, core, utc("2026-01-12T00:00:00Z"), utc("2026-01-26T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range occurrences {
		got = append(got, o.Start.Format(time.RFC3339)+" "+o.End.Format(time.RFC3339))
	}
	want := []string{"2026-01-13T14:00:00Z 2026-01-13T16:00:00Z", "2026-01-20T22:00:00Z 2026-01-21T00:00:00Z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("occurrences = %v, want %v", got, want)
	}
	if len(occurrences[1].OutsideHours) != 1 || len(occurrences[1].Attendees) != 0 {
		t.Errorf("late occurrence = %+v, want London outside working hours", occurrences[1])
	}
	if want := []Conflict{{Member: "Europe/London", Reason: "busy", Summary: "1:1"}}; !reflect.DeepEqual(occurrences[0].Conflicts, want) {
		t.Errorf("conflicts = %+v, want %+v", occurrences[0].Conflicts, want)
	}
}

func TestCycleWeek(t *testing.T) {
	tests := []struct {
		date Date
		n    int
		want int
	}{
		{Date{2001, 1, 1}, 2, 0},
		{Date{2001, 1, 7}, 2, 0},
		{Date{2001, 1, 8}, 2, 1},
		{Date{2000, 12, 31}, 2, 1},
		{Date{2026, 1, 12}, 2, 0},
		{Date{2026, 1, 19}, 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.date.String(), func(t *testing.T) {
			if got := CycleWeek(tc.date, tc.n); got != tc.want {
				t.Errorf("CycleWeek(%v, %d) = %d, want %d", tc.date, tc.n, got, tc.want)
			}
		})
	}
}

func TestCoreOccurrencesOfNoneIsAnArray(t *testing.T) {
	team := officeTeam(t, "UTC", "Europe/London")
	core := CoreHours{CycleWeeks: 1, Windows: dailyWindows(team.Policy, 0, 56, 8)}
	occs, err := CoreOccurrences(context.Background(), team, core, utc("2026-01-10T00:00:00Z"), utc("2026-01-12T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := json.Marshal(occs); string(out) != "[]" {
		t.Errorf("occurrences over a weekend = %s, want []", out)
	}
}
