package planner

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// FuzzPlan builds a team from the fuzzer's numbers (seeded members, hours
// that may be overnight or split, busy instances, time off, policy and range)
// and checks that Plan never panics and its windows keep to the policy.
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
				m.Busy = append(m.Busy, Event{Start: s, End: s.Add(time.Duration(1+r.IntN(180)) * time.Minute)})
			}
			team.Members = append(team.Members, m)
		}
		plan, err := Plan(context.Background(), team, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range plan.Proposals {
			if err := p.CoreHours().Validate(policy); err != nil {
				t.Errorf("proposal %d: %v", p.Rank, err)
			}
		}
	})
}
