package planner

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// FuzzPlan builds a team from the fuzzer's numbers (seeded members, hours
// that may be overnight or split, busy events including some that take no
// time, policy and range) and checks that Plan never fails or panics and
// that its answer keeps its promises: windows within the policy, every
// listed attendee really free, occurrences always a list, ranks in order of
// exact attendance.
func FuzzPlan(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint16(600), uint16(1200), uint8(120), uint8(30), uint8(10), uint16(14))
	f.Add(uint64(2), uint8(1), uint16(1320), uint16(360), uint8(60), uint8(60), uint8(5), uint16(1))
	f.Add(uint64(3), uint8(6), uint16(0), uint16(1440), uint8(240), uint8(15), uint8(0), uint16(60))
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Asia/Kathmandu", "Pacific/Apia"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = mustLoad(f, z)
	}
	f.Fuzz(func(t *testing.T, seed uint64, members uint8, start, end uint16, maxQuarters, minQuarters uint8, busy uint8, days uint16) {
		r := rand.New(rand.NewPCG(seed, 1))
		policy := DefaultPolicy()
		policy.MaxCoreMinutesPerDay = int(maxQuarters%96+1) * gridMinutes
		policy.MinSlotMinutes = int(minQuarters%96+1) * gridMinutes
		policy.Quorum = r.Float64()
		if policy.Validate() != nil {
			return
		}
		from := time.Date(2010+r.IntN(20), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
		to := from.Add(time.Duration(days%60+1) * 24 * time.Hour)
		team := Team{Location: locs[r.IntN(len(locs))], Policy: policy}
		for i := range int(members % 8) {
			var w WeeklyHours
			for d := range w {
				if r.IntN(3) > 0 {
					w[d] = []ClockRange{{Clock(start % minutesPerDay), Clock(end%minutesPerDay + 1)}}
				}
			}
			if w.Validate() != nil {
				return
			}
			m := Member{ID: string(rune('a' + i)), Location: locs[r.IntN(len(locs))], Working: w, Required: r.IntN(2) == 0}
			for range int(busy % 40) {
				s := from.Add(time.Duration(r.Int64N(int64(to.Sub(from)))))
				length := time.Duration(1+r.IntN(180)) * time.Minute
				if r.IntN(8) == 0 {
					length = -length * time.Duration(r.IntN(2)) // an event taking no time
				}
				m.Busy = append(m.Busy, Event{Start: s, End: s.Add(length)})
			}
			team.Members = append(team.Members, m)
		}
		plan, err := Plan(context.Background(), team, from, to)
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, team, plan)
	})
}

// checkPlan checks the promises of a plan against the raw inputs.
func checkPlan(t *testing.T, team Team, plan TeamPlan) {
	t.Helper()
	byID := map[string]Member{}
	for _, m := range team.Members {
		byID[m.ID] = m
	}
	var previous fraction
	for i, p := range plan.Proposals {
		if err := p.CoreHours().Validate(team.Policy); err != nil {
			t.Errorf("proposal %d: %v", p.Rank, err)
		}
		if p.Rank != i+1 || len(p.Occurrences) == 0 {
			t.Errorf("proposal %d at %d has %d occurrences", p.Rank, i, len(p.Occurrences))
		}
		attended, required := 0, 0
		for _, o := range p.Occurrences {
			if o.Attendees == nil || o.Conflicts == nil || o.OutsideHours == nil {
				t.Errorf("proposal %d occurrence %v has a null list", p.Rank, o.Start)
			}
			for _, id := range o.Attendees {
				assertFree(t, byID[id], o.Start, o.End)
				if byID[id].Required {
					attended++
				}
			}
			for _, m := range team.Members {
				if m.Required {
					required++
				}
			}
		}
		exact := fraction{int64(attended), int64(required)}
		if i > 0 && p.Score.MeetsQuorum == plan.Proposals[i-1].Score.MeetsQuorum && exact.compare(previous) > 0 {
			t.Errorf("proposal %d attends %d/%d, more than proposal %d ranked above it", p.Rank, attended, required, i)
		}
		previous = exact
	}
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "null") {
		t.Errorf("plan JSON holds a null")
	}
}

// assertFree checks an attendee against the raw inputs: no busy event
// taking time overlaps, no time-off date touches, and working hours cover
// the window.
func assertFree(t *testing.T, m Member, start, end time.Time) {
	t.Helper()
	for _, b := range m.Busy {
		if b.End.After(b.Start) && b.Start.Before(end) && start.Before(b.End) {
			t.Errorf("%s listed for %v but busy %v-%v", m.ID, start, b.Start, b.End)
		}
	}
	for _, off := range m.TimeOff {
		for _, d := range []Date{DateOf(start.In(m.Location)), DateOf(end.Add(-time.Second).In(m.Location))} {
			if !d.Before(off.Start) && !off.End.Before(d) {
				t.Errorf("%s listed for %v but off on %v", m.ID, start, d)
			}
		}
	}
	avail, _ := Availability(Member{ID: m.ID, Location: m.Location, Working: m.Working}, start.Add(-24*time.Hour), end.Add(24*time.Hour))
	inside := false
	for _, iv := range avail {
		inside = inside || (!iv[0].After(start) && !iv[1].Before(end))
	}
	if !inside {
		t.Errorf("%s listed for %v-%v outside working hours", m.ID, start, end)
	}
}
