package planner

import (
	"context"
	"math/rand/v2"
	"testing"
)

// benchZones are 24 zones spread around the globe, including half- and
// quarter-hour offsets and both hemispheres' DST.
var benchZones = []string{
	"America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
	"America/Santiago", "Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Helsinki",
	"Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Singapore", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney",
	"Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham",
}

func benchmarkPlan(b *testing.B, members int) {
	from := utc("2026-01-05T00:00:00Z")
	to := from.AddDate(0, 0, 90)
	team := randomTeam(b, rand.New(rand.NewPCG(1, 2)), members, benchZones, 25, from, 90)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Plan(context.Background(), team, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan1000 is 1,000 members in 24 zones, ~25 busy instances each a
// week, over 90 days: heat map, proposals and DST preview.
func BenchmarkPlan1000(b *testing.B) { benchmarkPlan(b, 1000) }

// BenchmarkPlan10000 is ten times the members, to show how cost grows.
func BenchmarkPlan10000(b *testing.B) { benchmarkPlan(b, 10000) }
