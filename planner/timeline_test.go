package planner

import (
	"reflect"
	"testing"
	"time"
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWallToUnix(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		date  Date
		clock string
		want  string
	}{
		{"new york ordinary", "America/New_York", Date{2026, 1, 13}, "09:00", "2026-01-13T14:00:00Z"},
		{"new york spring gap moves forward", "America/New_York", Date{2026, 3, 8}, "02:30", "2026-03-08T07:30:00Z"},
		{"new york fall-back takes first", "America/New_York", Date{2026, 11, 1}, "01:30", "2026-11-01T05:30:00Z"},
		{"berlin spring gap moves forward", "Europe/Berlin", Date{2026, 3, 29}, "02:30", "2026-03-29T01:30:00Z"},
		{"berlin fall-back takes first", "Europe/Berlin", Date{2026, 10, 25}, "02:30", "2026-10-25T00:30:00Z"},
		{"sydney spring gap (october)", "Australia/Sydney", Date{2026, 10, 4}, "02:30", "2026-10-03T16:30:00Z"},
		{"sydney fall-back takes first (april)", "Australia/Sydney", Date{2026, 4, 5}, "02:30", "2026-04-04T15:30:00Z"},
		{"santiago spring gap at midnight", "America/Santiago", Date{2026, 9, 6}, "00:30", "2026-09-06T04:30:00Z"},
		{"santiago fall-back takes first", "America/Santiago", Date{2026, 4, 4}, "23:30", "2026-04-05T02:30:00Z"},
		{"lord howe 30-minute gap", "Australia/Lord_Howe", Date{2026, 10, 4}, "02:15", "2026-10-03T15:45:00Z"},
		{"lord howe 30-minute fall-back takes first", "Australia/Lord_Howe", Date{2026, 4, 5}, "01:45", "2026-04-04T14:45:00Z"},
		{"chatham +12:45 gap", "Pacific/Chatham", Date{2026, 9, 27}, "03:00", "2026-09-26T14:15:00Z"},
		{"kathmandu +05:45", "Asia/Kathmandu", Date{2026, 1, 13}, "09:00", "2026-01-13T03:15:00Z"},
		{"sao paulo with DST (2019 rules)", "America/Sao_Paulo", Date{2019, 1, 15}, "09:00", "2019-01-15T11:00:00Z"},
		{"sao paulo after DST was abolished", "America/Sao_Paulo", Date{2020, 1, 15}, "09:00", "2020-01-15T12:00:00Z"},
		{"samoa skipped 2011-12-30 moves a day forward", "Pacific/Apia", Date{2011, 12, 30}, "10:00", "2011-12-30T20:00:00Z"},
		{"auckland across year end", "Pacific/Auckland", Date{2027, 1, 1}, "00:00", "2026-12-31T11:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseClock(tc.clock)
			if err != nil {
				t.Fatal(err)
			}
			got := time.Unix(wallToUnix(tc.date, int(c), mustLoad(t, tc.zone)), 0).UTC()
			if want := utc(tc.want); !got.Equal(want) {
				t.Errorf("got %s, want %s", got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

// TestZoneDaysMatchesWallToUnix checks the per-date offset cache against the
// careful conversion on every quarter hour of years with DST changes, a zone
// that skipped a day, a fixed zone and dates outside the cached range.
func TestZoneDaysMatchesWallToUnix(t *testing.T) {
	locs := []*time.Location{time.FixedZone("fixed", -(9*3600 + 30*60))}
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "Pacific/Apia", "Africa/Casablanca", "UTC"} {
		locs = append(locs, mustLoad(t, name))
	}
	for _, year := range []int{2011, 2026} {
		lo := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		hi := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for _, loc := range locs {
			z := newZoneDays(loc, lo, hi)
			for day := int(lo/secondsPerDay) - 10; day <= int(hi/secondsPerDay)+10; day++ {
				for minutes := 0; minutes <= minutesPerDay; minutes += gridMinutes {
					if got, want := z.unix(day, minutes), wallToUnix(dateFromDays(day), minutes, loc); got != want {
						t.Fatalf("%s %s +%d min: got %d, want %d", loc, dateFromDays(day), minutes, got, want)
					}
				}
			}
		}
	}
}

func weekly(tb testing.TB, in map[string][][]string) WeeklyHours {
	tb.Helper()
	w, err := ParseWeeklyHours(in)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func weekdays(start, end string) map[string][][]string {
	r := [][]string{{start, end}}
	return map[string][][]string{"mon": r, "tue": r, "wed": r, "thu": r, "fri": r}
}

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
