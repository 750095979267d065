package planner

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestHeatMapJSON: "a" works 09:00-17:00 UTC; "b" works 10:00-12:00 in
// Berlin (09:00-11:00 UTC in January) and is busy 09:30-10:00 UTC.
func TestHeatMapJSON(t *testing.T) {
	team := Team{Location: time.UTC, Policy: DefaultPolicy(), Members: []Member{
		utcMember(t, "a", "09:00", "17:00", true),
		{ID: "b", Location: mustLoad(t, "Europe/Berlin"), Working: weekly(t, weekdays("10:00", "12:00")),
			Busy: []Event{{Start: utc("2026-01-12T09:30:00Z"), End: utc("2026-01-12T10:00:00Z")}}},
	}}
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"nobody available at the start: the first segment is empty", "2026-01-12T08:00:00Z", "2026-01-12T12:00:00Z", `{"members":["a","b"],"segments":[` +
			`{"start":"2026-01-12T08:00:00Z","end":"2026-01-12T09:00:00Z","count":0,"joined":[],"left":[]},` +
			`{"start":"2026-01-12T09:00:00Z","end":"2026-01-12T09:30:00Z","count":2,"joined":[0,1],"left":[]},` +
			`{"start":"2026-01-12T09:30:00Z","end":"2026-01-12T10:00:00Z","count":1,"joined":[],"left":[1]},` +
			`{"start":"2026-01-12T10:00:00Z","end":"2026-01-12T11:00:00Z","count":2,"joined":[1],"left":[]},` +
			`{"start":"2026-01-12T11:00:00Z","end":"2026-01-12T12:00:00Z","count":1,"joined":[],"left":[1]}]}`},
		{"both available at the start: the first segment lists them", "2026-01-12T09:15:00Z", "2026-01-12T10:30:00Z", `{"members":["a","b"],"segments":[` +
			`{"start":"2026-01-12T09:15:00Z","end":"2026-01-12T09:30:00Z","count":2,"joined":[0,1],"left":[]},` +
			`{"start":"2026-01-12T09:30:00Z","end":"2026-01-12T10:00:00Z","count":1,"joined":[],"left":[1]},` +
			`{"start":"2026-01-12T10:00:00Z","end":"2026-01-12T10:30:00Z","count":2,"joined":[1],"left":[]}]}`},
		{"a weekend: one empty segment", "2026-01-10T00:00:00Z", "2026-01-12T00:00:00Z", `{"members":["a","b"],"segments":[` +
			`{"start":"2026-01-10T00:00:00Z","end":"2026-01-12T00:00:00Z","count":0,"joined":[],"left":[]}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			heat, err := Overlap(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(heat)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestHeatMapOfNoMembers(t *testing.T) {
	heat, err := Overlap(context.Background(), Team{Location: time.UTC, Policy: DefaultPolicy()}, utc("2026-01-12T00:00:00Z"), utc("2026-01-13T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(heat)
	if want := `{"members":[],"segments":[{"start":"2026-01-12T00:00:00Z","end":"2026-01-13T00:00:00Z","count":0,"joined":[],"left":[]}]}`; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
