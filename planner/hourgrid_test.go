package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// describeCell is a cell as the tests state it: the hour, its length and
// who is available throughout or in part, or "out" outside the range.
func describeCell(h HeatMap, c HourCell) string {
	if !c.InRange {
		return fmt.Sprintf("%02d out %dm", c.Hour, c.Minutes())
	}
	names := func(idx []int) string {
		var out []string
		for _, m := range idx {
			out = append(out, h.Members[m])
		}
		return "[" + strings.Join(out, " ") + "]"
	}
	return fmt.Sprintf("%02d %dm full%s part%s", c.Hour, c.Minutes(), names(c.Full), names(c.Part))
}

func everyDay(start, end string) map[string][][]string {
	r := [][]string{{start, end}}
	return map[string][][]string{"mon": r, "tue": r, "wed": r, "thu": r, "fri": r, "sat": r, "sun": r}
}

// TestHourGrid lays heat maps out on the wall-clock hours of a zone: at
// the clock changes of both hemispheres, in 45- and 30-minute zones, and
// for a range that starts mid-hour. "u" works 00:00–12:00 UTC every day,
// "a" 09:00–17:00 UTC on weekdays, "b" 10:00–12:00 Berlin time on
// weekdays and is busy 09:30–10:00 UTC on Monday 12 January 2026.
func TestHourGrid(t *testing.T) {
	members := map[string]Member{
		"u": {ID: "u", Location: time.UTC, Working: weekly(t, everyDay("00:00", "12:00"))},
		"a": utcMember(t, "a", "09:00", "17:00", false),
		"b": {ID: "b", Location: mustLoad(t, "Europe/Berlin"), Working: weekly(t, weekdays("10:00", "12:00")),
			Busy: []Event{{Start: utc("2026-01-12T09:30:00Z"), End: utc("2026-01-12T10:00:00Z")}}},
	}
	tests := []struct {
		name     string
		members  string
		zone     string
		from, to string
		rows     int
		// want lists cells of some rows, keyed by row index.
		want map[int][]string
		// minutes is the length of each row of want, in minutes.
		minutes int
	}{
		{"Berlin, a whole hour and one in part", "a b", "Europe/Berlin", "2026-01-11T23:00:00Z", "2026-01-12T23:00:00Z", 1,
			map[int][]string{0: {"09 60m full[] part[]", "10 60m full[a] part[b]", "11 60m full[a b] part[]", "12 60m full[a] part[]", "18 60m full[] part[]"}}, 24 * 60},
		{"New York springs forward: 02:00 does not exist", "u", "America/New_York", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 1,
			map[int][]string{0: {"01 60m full[u] part[]", "02 out 0m", "03 60m full[u] part[]", "07 60m full[u] part[]", "08 60m full[] part[]"}}, 23 * 60},
		{"New York falls back: 01:00 lasts two hours", "u", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", 1,
			map[int][]string{0: {"01 120m full[u] part[]", "02 60m full[u] part[]", "06 60m full[u] part[]", "07 60m full[] part[]"}}, 25 * 60},
		{"Sydney falls back in April: 02:00 lasts two hours", "u", "Australia/Sydney", "2026-04-04T13:00:00Z", "2026-04-05T14:00:00Z", 1,
			map[int][]string{0: {"02 120m full[] part[]", "09 60m full[] part[]", "10 60m full[u] part[]", "21 60m full[u] part[]", "22 60m full[] part[]"}}, 25 * 60},
		{"Sydney springs forward in October: 02:00 does not exist", "u", "Australia/Sydney", "2026-10-03T14:00:00Z", "2026-10-04T13:00:00Z", 1,
			map[int][]string{0: {"01 60m full[] part[]", "02 out 0m", "03 60m full[] part[]", "11 60m full[u] part[]", "22 60m full[u] part[]", "23 60m full[] part[]"}}, 23 * 60},
		{"Kathmandu's hours are a quarter past the UTC hour", "a", "Asia/Kathmandu", "2026-01-11T18:15:00Z", "2026-01-12T18:15:00Z", 1,
			map[int][]string{0: {"14 60m full[] part[a]", "15 60m full[a] part[]", "22 60m full[] part[a]", "23 60m full[] part[]"}}, 24 * 60},
		{"Lord Howe springs forward by half an hour", "u", "Australia/Lord_Howe", "2026-10-03T13:30:00Z", "2026-10-04T13:00:00Z", 1,
			map[int][]string{0: {"02 30m full[] part[]", "03 60m full[] part[]", "10 60m full[] part[]", "11 60m full[u] part[]"}}, 23*60 + 30},
		{"a range starting mid-hour: the hour counts from the start", "a", "UTC", "2026-01-12T10:30:00Z", "2026-01-12T12:00:00Z", 1,
			map[int][]string{0: {"09 out 60m", "10 60m full[a] part[]", "11 60m full[a] part[]", "12 out 60m"}}, 24 * 60},
		{"a week in Berlin is seven rows", "a", "Europe/Berlin", "2026-01-11T23:00:00Z", "2026-01-18T23:00:00Z", 7,
			map[int][]string{5: {"10 60m full[] part[]"}, 6: {"10 60m full[] part[]"}, 4: {"10 60m full[a] part[]"}}, 24 * 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := Team{Location: time.UTC, Policy: DefaultPolicy()}
			for _, id := range strings.Fields(tc.members) {
				team.Members = append(team.Members, members[id])
			}
			from, to := utc(tc.from), utc(tc.to)
			heat, err := Overlap(context.Background(), team, from, to)
			if err != nil {
				t.Fatal(err)
			}
			rows := HourGrid(heat, mustLoad(t, tc.zone), from, to)
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(rows), tc.rows)
			}
			for r, cells := range tc.want {
				row := rows[r]
				minutes := 0
				got := map[int]string{}
				for _, c := range row.Cells {
					minutes += c.Minutes()
					got[c.Hour] = describeCell(heat, c)
				}
				if minutes != tc.minutes {
					t.Errorf("%s has %d minutes, want %d", row.Date, minutes, tc.minutes)
				}
				for _, want := range cells {
					var hour int
					fmt.Sscanf(want, "%d", &hour)
					if got[hour] != want {
						t.Errorf("%s: got %q, want %q", row.Date, got[hour], want)
					}
				}
			}
		})
	}
}

// TestHourGridAgreesWithTheHeatMap: across a clock change, a member
// counts as available throughout an hour exactly when every segment of
// the hour lists them, and in part when some do.
func TestHourGridAgreesWithTheHeatMap(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	team := Team{Location: time.UTC, Policy: DefaultPolicy(), Members: []Member{
		{ID: "x", Location: berlin, Working: weekly(t, weekdays("08:10", "12:50")),
			Busy: []Event{{Start: utc("2026-03-30T08:20:00Z"), End: utc("2026-03-30T08:40:00Z")}}},
		{ID: "y", Location: mustLoad(t, "Asia/Kolkata"), Working: weekly(t, weekdays("13:00", "21:30"))},
		utcMember(t, "z", "07:00", "15:00", false),
	}}
	from, to := utc("2026-03-27T00:00:00Z"), utc("2026-04-01T00:00:00Z") // Berlin springs forward on the 29th
	heat, err := Overlap(context.Background(), team, from, to)
	if err != nil {
		t.Fatal(err)
	}
	checkHourGrid(t, heat, berlin, from, to)
}

// FuzzHourGrid lays random teams' heat maps out in zones with clock
// changes and odd offsets, over ranges starting at any minute.
func FuzzHourGrid(f *testing.F) {
	f.Add(uint64(1), uint8(4), uint8(0), uint16(0), uint8(7))
	f.Add(uint64(2), uint8(9), uint8(3), uint16(17), uint8(31))
	f.Add(uint64(3), uint8(0), uint8(5), uint16(1439), uint8(1))
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Asia/Kathmandu", "Pacific/Apia", "UTC"}
	f.Fuzz(func(t *testing.T, seed uint64, members, zone uint8, startMinute uint16, days uint8) {
		r := rand.New(rand.NewPCG(seed, 3))
		from := time.Date(2024+r.IntN(6), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, int(startMinute%1440), 0, 0, time.UTC)
		length := int(days%32) + 1
		to := from.Add(time.Duration(length)*24*time.Hour - time.Duration(r.IntN(1440))*time.Minute)
		team := randomTeam(t, r, int(members%12), zones, 10, from, length)
		heat, err := Overlap(context.Background(), team, from, to)
		if err != nil {
			t.Fatal(err)
		}
		checkHourGrid(t, heat, mustLoad(t, zones[int(zone)%len(zones)]), from, to)
	})
}

// checkHourGrid lays the heat map of [from, to) out in loc and checks the
// grid: a row per date the range touches, 24 hours each, one after the
// other, and every hour in the range agreeing with a plain scan of the
// heat map's segments.
func checkHourGrid(t *testing.T, heat HeatMap, loc *time.Location, from, to time.Time) {
	t.Helper()
	rows := HourGrid(heat, loc, from, to)
	if first, last := DateOf(from.In(loc)), DateOf(to.Add(-time.Second).In(loc)); len(rows) == 0 || rows[0].Date != first || rows[len(rows)-1].Date != last {
		t.Fatalf("%d rows for %s to %s", len(rows), first, last)
	}
	var previous *HourCell
	for _, row := range rows {
		if len(row.Cells) != 24 {
			t.Fatalf("%s has %d hours", row.Date, len(row.Cells))
		}
		for i := range row.Cells {
			c := &row.Cells[i]
			if previous != nil && !previous.End.Equal(c.Start) {
				t.Fatalf("%s %02d starts at %s, not where the hour before ends (%s)", row.Date, c.Hour, c.Start, previous.End)
			}
			previous = c
			inRange := c.Start.Before(to) && c.End.After(from) && c.End.After(c.Start)
			if c.InRange != inRange {
				t.Fatalf("%s %02d: in range %v, want %v", row.Date, c.Hour, c.InRange, inRange)
			}
			if !c.InRange {
				continue
			}
			full, part := scanHour(heat, laterOf(c.Start, from), earlierOf(c.End, to))
			if fmt.Sprint(full) != fmt.Sprint(c.Full) || fmt.Sprint(part) != fmt.Sprint(c.Part) {
				t.Errorf("%s %02d: full %v part %v, want %v %v", row.Date, c.Hour, c.Full, c.Part, full, part)
			}
		}
	}
}

// scanHour finds who is available all of [lo, hi) and who for part of it
// by walking every segment: the plain reading HourGrid must agree with.
func scanHour(heat HeatMap, lo, hi time.Time) (full, part []int) {
	seen := make([]time.Duration, len(heat.Members))
	for i, ids := range heat.Available() {
		s := heat.Segments[i]
		overlap := earlierOf(s.End, hi).Sub(laterOf(s.Start, lo))
		if overlap <= 0 {
			continue
		}
		for _, id := range ids {
			seen[slices.Index(heat.Members, id)] += overlap
		}
	}
	for m, d := range seen {
		switch {
		case d == hi.Sub(lo):
			full = append(full, m)
		case d > 0:
			part = append(part, m)
		}
	}
	return full, part
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
