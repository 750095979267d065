package planner

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"overlap/service/servicetest"
)

// benchZones are the 24 zones of the generated teams used across the
// project's benchmarks: half- and quarter-hour offsets, both hemispheres' DST.
var benchZones = servicetest.Zones

func benchmarkPlan(b *testing.B, members int) {
	from := utc("2026-01-05T00:00:00Z")
	to := from.AddDate(0, 0, 90)
	team := randomTeam(b, rand.New(rand.NewPCG(1, 2)), members, benchZones, 25, from, 90)
	b.ReportAllocs()
	b.ResetTimer()
	var plan TeamPlan
	for b.Loop() {
		var err error
		if plan, err = Plan(context.Background(), team, from, to); err != nil {
			b.Fatal(err)
		}
	}
	// The size of the answer matters as much as the time to make it.
	heat, err := json.Marshal(plan.Overlap)
	if err != nil {
		b.Fatal(err)
	}
	whole, err := json.Marshal(plan)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(heat)), "heatmap-json-bytes")
	b.ReportMetric(float64(len(whole)), "plan-json-bytes")
}

// BenchmarkPlan1000 is 1,000 members in 24 zones, ~25 busy instances each a
// week, over 90 days: heat map, proposals and DST preview.
func BenchmarkPlan1000(b *testing.B) { benchmarkPlan(b, 1000) }

// BenchmarkPlan10000 is ten times the members, to show how cost grows.
func BenchmarkPlan10000(b *testing.B) { benchmarkPlan(b, 10000) }

// BenchmarkHourGrid1000 lays the heat map of 1,000 members over 31 days
// out on the hours of a zone: what the overlap picture draws, at its
// longest range.
func BenchmarkHourGrid1000(b *testing.B) {
	from := utc("2026-03-02T00:00:00Z")
	to := from.AddDate(0, 0, 31)
	team := randomTeam(b, rand.New(rand.NewPCG(1, 2)), 1000, benchZones, 25, from, 31)
	heat, err := Overlap(context.Background(), team, from, to)
	if err != nil {
		b.Fatal(err)
	}
	loc := mustLoad(b, "Europe/Berlin")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		HourGrid(heat, loc, from, to)
	}
}
