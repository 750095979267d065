package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"overlap/service/servicetest"
)

// countingWriter counts the bytes of the command's output.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkPlanCommand1000 is `overlap plan` end to end, in process, for a
// generated team of 1,000 members in 24 zones with one calendar file each
// (~30 busy instances a week), over 90 days: read the files, parse and
// expand every calendar, plan, and write the JSON. It reports the output's
// size beside the time.
//
//	go test ./cmd/overlap -run '^$' -bench PlanCommand1000 -benchmem -count 6
func BenchmarkPlanCommand1000(b *testing.B) {
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	dir := b.TempDir()
	gen := servicetest.NewTeam(1, 1000, from)
	names := make([]string, len(gen.Members))
	for i, m := range gen.Members {
		names[i] = fmt.Sprintf("%s.ics", m.ID)
		if err := os.WriteFile(filepath.Join(dir, names[i]), []byte(m.ICS), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	file, err := gen.File(names)
	if err != nil {
		b.Fatal(err)
	}
	teamPath := filepath.Join(dir, "team.json")
	if err := os.WriteFile(teamPath, file, 0o644); err != nil {
		b.Fatal(err)
	}
	out := &countingWriter{}
	b.ReportAllocs()
	for b.Loop() {
		out.n = 0
		app := newApp()
		app.Writer, app.ErrWriter = out, io.Discard
		err := app.RunContext(context.Background(), []string{"overlap", "plan", "--team", teamPath,
			"--from", from.Format(time.RFC3339), "--to", from.AddDate(0, 0, 90).Format(time.RFC3339)})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.n), "output-bytes")
}
