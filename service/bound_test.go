package service_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"overlap/planner"
	"overlap/service"
)

// TestParseBound reads range bounds as people and tools write them:
// instants as they are, dates as the midnight that starts them in a zone,
// across clock changes in both hemispheres and in 45-minute zones.
func TestParseBound(t *testing.T) {
	tests := []struct {
		name, raw, zone, want string
	}{
		{"an instant in UTC", "2027-01-11T09:00:00Z", "Europe/Berlin", "2027-01-11T09:00:00Z"},
		{"an instant with an offset", "2027-01-11T09:00:00+05:45", "UTC", "2027-01-11T03:15:00Z"},
		{"a date in Berlin's winter", "2027-01-11", "Europe/Berlin", "2027-01-10T23:00:00Z"},
		{"a date in Berlin's summer", "2027-07-12", "Europe/Berlin", "2027-07-11T22:00:00Z"},
		{"the day New York springs forward", "2026-03-08", "America/New_York", "2026-03-08T05:00:00Z"},
		{"the day Sydney falls back", "2026-04-05", "Australia/Sydney", "2026-04-04T13:00:00Z"},
		{"a date in Kathmandu", "2027-01-11", "Asia/Kathmandu", "2027-01-10T18:15:00Z"},
		{"a date in Chatham", "2027-01-11", "Pacific/Chatham", "2027-01-10T10:15:00Z"},
		// Santiago's clocks jump from 00:00 to 01:00: the day starts at 01:00.
		{"a midnight that does not exist", "2026-09-06", "America/Santiago", "2026-09-06T04:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zone, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got, err := service.ParseBound("from", tc.raw, zone)
			if err != nil || got.Format(time.RFC3339) != tc.want || got.Location() != time.UTC {
				t.Errorf("got %v (%v), want %s", got, err, tc.want)
			}
		})
	}
}

func TestParseBoundRefusals(t *testing.T) {
	for _, raw := range []string{"", "yesterday", "2027-02-29", "2027-1-11", "11/01/2027", "2027-01-11 09:00", "2027-01-11T09:00", strings.Repeat("9", 200)} {
		_, err := service.ParseBound("to", raw, time.UTC)
		var fe *planner.FieldError
		if !errors.As(err, &fe) || fe.Field != "to" || !strings.Contains(fe.Message, "neither a date such as 2027-01-11 nor an RFC 3339 instant") || len(fe.Message) > 200 {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

// FuzzParseBound: any text is read or refused with a field error, never
// a panic, and what is read is a UTC instant.
func FuzzParseBound(f *testing.F) {
	for _, seed := range []string{"2027-01-11", "2027-01-11T09:00:00Z", "2027-01-11T09:00:00.5+05:45", "0000-01-01", "9999-12-31", "2027-13-40"} {
		f.Add(seed)
	}
	zone, err := time.LoadLocation("America/Santiago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := service.ParseBound("from", raw, zone)
		var fe *planner.FieldError
		switch {
		case err != nil && (!errors.As(err, &fe) || fe.Field != "from"):
			t.Fatalf("%q: %v is not a field error naming from", raw, err)
		case err == nil && got.Location() != time.UTC:
			t.Fatalf("%q: %v is not UTC", raw, got)
		}
	})
}
