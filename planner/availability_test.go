package planner

import (
	"reflect"
	"testing"
	"time"
)

func TestAvailability(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	tests := []struct {
		name     string
		member   Member
		from, to string
		want     [][2]string
	}{
		{
			name: "split shift and overnight friday",
			member: Member{ID: "a", Location: berlin, Working: weekly(t, map[string][][]string{
				"mon": {{"09:00", "12:00"}, {"13:00", "17:00"}},
				"fri": {{"22:00", "02:00"}},
			})},
			from: "2026-01-12T00:00:00Z", to: "2026-01-19T00:00:00Z",
			want: [][2]string{
				{"2026-01-12T08:00:00Z", "2026-01-12T11:00:00Z"},
				{"2026-01-12T12:00:00Z", "2026-01-12T16:00:00Z"},
				{"2026-01-16T21:00:00Z", "2026-01-17T01:00:00Z"},
			},
		},
		{
			name: "sunday overnight from the previous week is clipped at from",
			member: Member{ID: "a", Location: berlin, Working: weekly(t, map[string][][]string{
				"sun": {{"23:00", "03:00"}},
			})},
			from: "2026-01-12T00:00:00Z", to: "2026-01-19T00:00:00Z",
			want: [][2]string{
				{"2026-01-12T00:00:00Z", "2026-01-12T02:00:00Z"},
				{"2026-01-18T22:00:00Z", "2026-01-19T00:00:00Z"},
			},
		},
		{
			name: "busy instances and time off are removed",
			member: Member{ID: "a", Location: berlin, Working: weekly(t, weekdays("09:00", "17:00")),
				Busy: []Event{
					{Start: utc("2026-01-13T09:00:00Z"), End: utc("2026-01-13T10:00:00Z"), Summary: "standup"},
					{Start: utc("2026-01-13T09:30:00Z"), End: utc("2026-01-13T10:30:00Z"), Summary: "overlapping"},
				},
				TimeOff: []DateRange{{Date{2026, 1, 14}, Date{2026, 1, 14}}},
			},
			from: "2026-01-13T00:00:00Z", to: "2026-01-16T00:00:00Z",
			want: [][2]string{
				{"2026-01-13T08:00:00Z", "2026-01-13T09:00:00Z"},
				{"2026-01-13T10:30:00Z", "2026-01-13T16:00:00Z"},
				{"2026-01-15T08:00:00Z", "2026-01-15T16:00:00Z"},
			},
		},
		{
			name: "a busy event ending within a second takes that whole second",
			member: Member{ID: "a", Location: time.UTC, Working: weekly(t, weekdays("09:00", "11:00")),
				Busy: []Event{{Start: utc("2026-01-13T09:00:00Z"), End: utc("2026-01-13T10:00:00Z").Add(250 * time.Millisecond)}},
			},
			from: "2026-01-13T00:00:00Z", to: "2026-01-14T00:00:00Z",
			want: [][2]string{{"2026-01-13T10:00:01Z", "2026-01-13T11:00:00Z"}},
		},
		{
			name: "spring-forward start moves forward, end keeps its wall time",
			member: Member{ID: "a", Location: mustLoad(t, "America/New_York"), Working: weekly(t, map[string][][]string{
				"sun": {{"02:30", "05:00"}},
			})},
			from: "2026-03-08T00:00:00Z", to: "2026-03-09T00:00:00Z",
			want: [][2]string{{"2026-03-08T07:30:00Z", "2026-03-08T09:00:00Z"}},
		},
		{
			name: "fall-back start takes the first 02:30",
			member: Member{ID: "a", Location: berlin, Working: weekly(t, map[string][][]string{
				"sun": {{"02:30", "04:00"}},
			})},
			from: "2026-10-25T00:00:00Z", to: "2026-10-26T00:00:00Z",
			want: [][2]string{{"2026-10-25T00:30:00Z", "2026-10-25T03:00:00Z"}},
		},
		{
			name: "time off across year end",
			member: Member{ID: "a", Location: mustLoad(t, "Pacific/Auckland"), Working: weekly(t, weekdays("09:00", "17:00")),
				TimeOff: []DateRange{{Date{2026, 12, 24}, Date{2027, 1, 1}}}},
			from: "2026-12-29T00:00:00Z", to: "2027-01-06T00:00:00Z",
			// 2027-01-04 (Mon) 09:00 NZDT is 2027-01-03T20:00Z.
			want: [][2]string{
				{"2027-01-03T20:00:00Z", "2027-01-04T04:00:00Z"},
				{"2027-01-04T20:00:00Z", "2027-01-05T04:00:00Z"},
				{"2027-01-05T20:00:00Z", "2027-01-06T00:00:00Z"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Availability(tc.member, utc(tc.from), utc(tc.to))
			if err != nil {
				t.Fatal(err)
			}
			var gotText [][2]string
			for _, iv := range got {
				gotText = append(gotText, [2]string{iv[0].Format(time.RFC3339), iv[1].Format(time.RFC3339)})
			}
			if !reflect.DeepEqual(gotText, tc.want) {
				t.Errorf("got  %v\nwant %v", gotText, tc.want)
			}
		})
	}
}
