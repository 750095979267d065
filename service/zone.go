package service

import (
	"strings"
	"time"
)

// LoadZone reads a member's or team's zone: names of the tz database only,
// never "Local" (it would depend on the host), naming field on failure.
func LoadZone(field, name string) (*time.Location, error) {
	if name == "" {
		return nil, fieldError(field, "is required")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" || name == "Factory" || strings.HasPrefix(name, "right/") || strings.HasPrefix(name, "posix/") {
		return nil, fieldError(field, "%q is not an IANA time zone", Excerpt(name))
	}
	return loc, nil
}
