package service

import (
	"context"
	"time"

	"overlap/planner"
)

// ParseBound reads one end of a planning range: an RFC 3339 instant, or a
// plain date (2027-01-11) meaning the midnight that starts it in zone. A
// person thinks in dates; an instant says exactly when.
func ParseBound(field, raw string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t.UTC(), nil
	}
	if d, err := planner.ParseDate(raw); err == nil {
		return d.At(0, zone), nil
	}
	return time.Time{}, fieldError(field, "%q is neither a date such as 2027-01-11 nor an RFC 3339 instant such as 2027-01-11T09:00:00Z", Excerpt(raw))
}

// isDate reports whether raw is written as a plain date.
func isDate(raw string) bool {
	_, err := planner.ParseDate(raw)
	return err == nil
}

// TeamRange reads the range of a team's planning request from its from
// and to as written, each an instant or a date; dates are read in zone,
// or in the team's zone when zone is nil. The range is checked as
// CheckRange checks it.
func (s *Service) TeamRange(ctx context.Context, teamID, from, to string, zone *time.Location) (time.Time, time.Time, error) {
	if zone == nil && (isDate(from) || isDate(to)) {
		t, err := s.FindTeam(ctx, teamID)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if zone, err = LoadZone("timezone", t.Timezone); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	return ReadRange(from, to, zone)
}

// ReadRange reads a range from its from and to as written (see
// ParseBound), dates in zone, and checks it; an empty bound is reported
// missing.
func ReadRange(from, to string, zone *time.Location) (time.Time, time.Time, error) {
	var bounds [2]time.Time
	names := [2]string{"from", "to"}
	for i, raw := range [2]string{from, to} {
		if raw == "" {
			continue // CheckRange names the missing one
		}
		t, err := ParseBound(names[i], raw, zone)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		bounds[i] = t
	}
	return bounds[0], bounds[1], CheckRange(bounds[0], bounds[1])
}
