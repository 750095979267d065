package planner

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// cancelAfter is a context that turns cancelled after its first n looks, so
// that a test can stop the planner at each place it checks.
type cancelAfter struct {
	context.Context
	n     int64
	looks atomic.Int64
}

func newCancelAfter(n int64) *cancelAfter {
	return &cancelAfter{Context: context.Background(), n: n}
}

func (c *cancelAfter) Err() error {
	if c.looks.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

// TestCancelStopsEveryPhase counts the planner's looks at the context in a
// whole run, then cancels after each of a spread of those looks: wherever
// it stops, the call must answer context.Canceled and nothing else.
func TestCancelStopsEveryPhase(t *testing.T) {
	from := utc("2026-03-02T00:00:00Z")
	to := from.AddDate(0, 0, 28)
	team := randomTeam(t, rand.New(rand.NewPCG(3, 4)), 320, benchZones, 10, from, 28)
	core := CoreHours{CycleWeeks: 2, Windows: append(dailyWindows(team.Policy, 0, 36, 8), dailyWindows(team.Policy, 1, 60, 8)...)}
	calls := []struct {
		name string
		call func(context.Context) error
	}{
		{"Plan", func(ctx context.Context) error { _, err := Plan(ctx, team, from, to); return err }},
		{"Overlap", func(ctx context.Context) error { _, err := Overlap(ctx, team, from, to); return err }},
		{"CoreOccurrences", func(ctx context.Context) error { _, err := CoreOccurrences(ctx, team, core, from, to); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			counter := newCancelAfter(math.MaxInt64)
			if err := c.call(counter); err != nil {
				t.Fatal(err)
			}
			looks := counter.looks.Load()
			if looks < 10 {
				t.Fatalf("%d looks at the context in a whole run, want it checked inside the loops", looks)
			}
			for _, n := range spread(looks, 40) {
				if err := c.call(newCancelAfter(n)); !errors.Is(err, context.Canceled) {
					t.Fatalf("cancelled after %d of %d looks: error %v, want context.Canceled", n, looks, err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := c.call(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled context: error %v, want context.Canceled", err)
			}
		})
	}
}

// spread is up to k values from 0 to n-1, evenly apart, the last included.
func spread(n int64, k int) []int64 {
	var out []int64
	for i := range int64(k) {
		if v := i * n / int64(k); len(out) == 0 || v > out[len(out)-1] {
			out = append(out, v)
		}
	}
	return append(out, n-1)
}
