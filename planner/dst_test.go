package planner

import (
	"context"
	"reflect"
	"testing"
	"time"
)

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

func TestPlanDSTPreview(t *testing.T) {
	team := officeTeam(t, "Europe/London", "America/New_York", "Europe/London", "Europe/Berlin")
	plan, err := Plan(context.Background(), team, utc("2026-03-02T00:00:00Z"), utc("2026-04-04T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if w := plan.Proposals[0].Windows[0]; w.Start != 14*60 || w.End != 16*60 {
		t.Fatalf("best window = %+v, want 14:00-16:00 London", w)
	}
	var got []string
	for _, c := range plan.DSTChanges {
		if c.Rank == 1 && c.Window.Weekday == "mon" {
			got = append(got, c.Member+" "+c.Date.String()+" "+c.LocalBefore.String()+"->"+c.LocalAfter.String())
		}
	}
	want := []string{
		"America/New_York 2026-03-09 09:00->10:00",
		"America/New_York 2026-03-30 10:00->09:00",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DST changes = %v, want %v", got, want)
	}
}
