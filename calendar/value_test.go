package calendar

import (
	"testing"
	"time"
)

// parseBasic must accept exactly what time.Parse accepts with the layouts
// it replaces, and read the same instant.
func checkParseBasic(t *testing.T, s string) {
	t.Helper()
	for _, withTime := range []bool{false, true} {
		layout := "20060102"
		if withTime {
			layout = "20060102T150405"
		}
		want, err := time.Parse(layout, s)
		got, ok := parseBasic(s, withTime)
		if ok != (err == nil) || ok && !got.Equal(want) {
			t.Errorf("parseBasic(%q, %v) = %v, %v; time.Parse gives %v, %v", s, withTime, got, ok, want, err)
		}
	}
}

func TestParseBasic(t *testing.T) {
	for _, s := range []string{
		"20260105", "20240229", "20230229", "20261231", "20260230", "20260431", "20261301", "20260001", "20260100",
		"00010101", "99991231", "2026010", "202601055", "2026-01-05", "2026010a",
		"20260105T090000", "20260105T235959", "20260105T240000", "20260105T126000", "20260105T120060",
		"20240229T120000", "20230229T120000", "20260105 090000", "20260105T0900", "20260105T09000Z", "+0260105T090000",
		"20260105T-90000", "",
	} {
		checkParseBasic(t, s)
	}
}

func FuzzParseBasic(f *testing.F) {
	f.Add("20260105T090000")
	f.Add("20240229")
	f.Fuzz(checkParseBasic)
}
