package planner

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
	_ "time/tzdata" // results must not depend on the host's zone data
)

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    Clock
		wantErr bool
	}{
		{"00:00", 0, false},
		{"09:30", 570, false},
		{"23:59", 1439, false},
		{"24:00", 1440, false},
		{"24:01", 0, true},
		{"25:00", 0, true},
		{"12:60", 0, true},
		{"9:30", 0, true},
		{"09:3", 0, true},
		{"09-30", 0, true},
		{"+9:30", 0, true},
		{"", 0, true},
		{"09:30:00", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseClock(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseClock(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("ParseClock(%q) = %d, want %d", tc.in, got, tc.want)
			}
			if !tc.wantErr && got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func TestParseWeeklyHours(t *testing.T) {
	got, err := ParseWeeklyHours(map[string][][]string{
		"mon": {{"13:00", "17:00"}, {"09:00", "12:00"}},
		"fri": {{"22:00", "06:00"}},
		"sat": {{"08:00", "24:00"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var want WeeklyHours
	want[time.Monday] = []ClockRange{{780, 1020}, {540, 720}}
	want[time.Friday] = []ClockRange{{1320, 360}}
	want[time.Saturday] = []ClockRange{{480, 1440}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseWeeklyHours = %v, want %v", got, want)
	}
	wantFormat := map[string][][]string{
		"mon": {{"09:00", "12:00"}, {"13:00", "17:00"}},
		"fri": {{"22:00", "06:00"}},
		"sat": {{"08:00", "24:00"}},
	}
	if f := got.Format(); !reflect.DeepEqual(f, wantFormat) {
		t.Errorf("Format = %v, want %v", f, wantFormat)
	}
}

func TestParseWeeklyHoursErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        map[string][][]string
		wantField string
	}{
		{"unknown key", map[string][][]string{"monday": {{"09:00", "17:00"}}}, "monday"},
		{"one value", map[string][][]string{"tue": {{"09:00"}}}, "tue[0]"},
		{"three values", map[string][][]string{"tue": {{"09:00", "10:00", "11:00"}}}, "tue[0]"},
		{"malformed end", map[string][][]string{"tue": {{"09:00", "17:00"}, {"18:00", "7pm"}}}, "tue[1][1]"},
		{"malformed start", map[string][][]string{"wed": {{"9:00", "17:00"}}}, "wed[0][0]"},
		{"24:00 as start", map[string][][]string{"wed": {{"24:00", "02:00"}}}, "wed[0][0]"},
		{"zero length", map[string][][]string{"thu": {{"10:00", "10:00"}}}, "thu[0]"},
		{"overlap same day", map[string][][]string{"fri": {{"09:00", "12:00"}, {"11:30", "14:00"}}}, "fri[1]"},
		{"overlap written first", map[string][][]string{"fri": {{"11:30", "14:00"}, {"09:00", "12:00"}}}, "fri[1]"},
		{"overnight spills into next day", map[string][][]string{"mon": {{"22:00", "06:00"}}, "tue": {{"05:00", "09:00"}}}, "tue[0]"},
		{"sunday overnight into monday", map[string][][]string{"sun": {{"23:00", "02:00"}}, "mon": {{"01:00", "09:00"}}}, "sun[0]"},
		{"saturday overnight into sunday", map[string][][]string{"sat": {{"20:00", "04:00"}}, "sun": {{"03:00", "05:00"}}}, "sun[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWeeklyHours(tc.in)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want *FieldError", err)
			}
			if fe.Field != tc.wantField {
				t.Errorf("Field = %q (%v), want %q", fe.Field, err, tc.wantField)
			}
		})
	}
}

func TestParseWeeklyHoursAdjacentIsFine(t *testing.T) {
	_, err := ParseWeeklyHours(map[string][][]string{
		"mon": {{"22:00", "06:00"}},
		"tue": {{"06:00", "09:00"}},
		"sun": {{"00:00", "24:00"}},
	})
	if err != nil {
		t.Fatalf("adjacent ranges rejected: %v", err)
	}
}

func TestWeekdayKeys(t *testing.T) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		got, err := ParseWeekday(WeekdayKey(d))
		if err != nil || got != d {
			t.Errorf("ParseWeekday(WeekdayKey(%v)) = %v, %v", d, got, err)
		}
	}
	if _, err := ParseWeekday("Mon"); err == nil {
		t.Error(`ParseWeekday("Mon") accepted`)
	}
}

func TestDateRangeJSON(t *testing.T) {
	var r DateRange
	if err := json.Unmarshal([]byte(`{"start":"2026-12-24","end":"2027-01-03"}`), &r); err != nil {
		t.Fatal(err)
	}
	want := DateRange{Date{2026, 12, 24}, Date{2027, 1, 3}}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
	out, _ := json.Marshal(r)
	if string(out) != `{"start":"2026-12-24","end":"2027-01-03"}` {
		t.Errorf("marshal = %s", out)
	}
	if err := (DateRange{Date{2026, 12, 24}, Date{2026, 12, 23}}).Validate(); err == nil {
		t.Error("reversed range accepted")
	}
	for _, bad := range []string{"2026-2-01", "2026-02-30", "26-02-01", "2026-02-01T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if got := (Date{2026, 12, 31}).AddDays(1); got != (Date{2027, 1, 1}) {
		t.Errorf("AddDays across year end = %v", got)
	}
	if got := (Date{2026, 1, 5}).Weekday(); got != time.Monday {
		t.Errorf("2026-01-05 weekday = %v, want Monday", got)
	}
	if got := (Date{1969, 12, 31}).Weekday(); got != time.Wednesday {
		t.Errorf("1969-12-31 weekday = %v, want Wednesday", got)
	}
}
