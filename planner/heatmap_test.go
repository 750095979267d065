package planner

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestOverlapHandWorked(t *testing.T) {
	tests := []struct {
		name     string
		zones    []string
		from, to string
		want     [][2]string
	}{
		{"NY London Berlin in January", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-01-13T00:00:00Z", "2026-01-14T00:00:00Z", [][2]string{{"2026-01-13T14:00:00Z", "2026-01-13T16:00:00Z"}}},
		{"NY London Berlin in July", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-07-14T00:00:00Z", "2026-07-15T00:00:00Z", [][2]string{{"2026-07-14T13:00:00Z", "2026-07-14T15:00:00Z"}}},
		{"NY London Berlin in the March mismatch weeks: three hours", []string{"America/New_York", "Europe/London", "Europe/Berlin"},
			"2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", [][2]string{{"2026-03-10T13:00:00Z", "2026-03-10T16:00:00Z"}}},
		{"Kathmandu +05:45 with Kolkata +05:30", []string{"Asia/Kathmandu", "Asia/Kolkata"},
			"2026-01-13T00:00:00Z", "2026-01-14T00:00:00Z", [][2]string{{"2026-01-13T03:30:00Z", "2026-01-13T11:15:00Z"}}},
		{"Lord Howe and Sydney both +11 in summer", []string{"Australia/Lord_Howe", "Australia/Sydney"},
			"2026-01-13T12:00:00Z", "2026-01-14T12:00:00Z", [][2]string{{"2026-01-13T22:00:00Z", "2026-01-14T06:00:00Z"}}},
		{"Lord Howe and Sydney in winter: half an hour apart", []string{"Australia/Lord_Howe", "Australia/Sydney"},
			"2026-07-13T12:00:00Z", "2026-07-14T12:00:00Z", [][2]string{{"2026-07-13T23:00:00Z", "2026-07-14T06:30:00Z"}}},
		{"Los Angeles day crosses midnight UTC, with Tokyo", []string{"America/Los_Angeles", "Asia/Tokyo"},
			"2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", [][2]string{
				{"2026-01-13T00:00:00Z", "2026-01-13T01:00:00Z"},
				{"2026-01-14T00:00:00Z", "2026-01-14T01:00:00Z"},
				{"2026-01-15T00:00:00Z", "2026-01-15T01:00:00Z"},
				{"2026-01-16T00:00:00Z", "2026-01-16T01:00:00Z"},
			}},
		{"New York and Sydney: none", []string{"America/New_York", "Australia/Sydney"},
			"2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := officeTeam(t, "UTC", tc.zones...)
			heat, err := Overlap(context.Background(), team, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			if got := fullSpans(heat); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("full overlap = %v, want %v", got, tc.want)
			}
			segs := heat.Segments
			if !segs[0].Start.Equal(utc(tc.from)) || !segs[len(segs)-1].End.Equal(utc(tc.to)) {
				t.Errorf("segments cover %v..%v, want %s..%s", segs[0].Start, segs[len(segs)-1].End, tc.from, tc.to)
			}
			for i := 1; i < len(segs); i++ {
				if !segs[i].Start.Equal(segs[i-1].End) || len(segs[i].Joined)+len(segs[i].Left) == 0 {
					t.Fatalf("segments %d and %d are not contiguous with distinct sets: %+v %+v", i-1, i, segs[i-1], segs[i])
				}
			}
		})
	}
}

// fullSpans lists the segments in which all members are available.
func fullSpans(heat HeatMap) [][2]string {
	var out [][2]string
	for _, s := range heat.Segments {
		if s.Count == len(heat.Members) {
			out = append(out, [2]string{s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339)})
		}
	}
	return out
}

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
