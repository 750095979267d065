package service

import (
	"strings"
	"sync"
	"time"
)

// zones keeps each zone read, by name: reading one means reading and
// parsing the tz database's file, which a team of a thousand members
// would otherwise do a thousand times per request, and the planner shares
// its work between members whose zones are the same *time.Location. Only
// valid names are kept, so the map stays as small as the tz database.
var zones sync.Map // name → *time.Location

// LoadZone reads a member's or team's zone: names of the tz database only,
// never "Local" (it would depend on the host), naming field on failure.
func LoadZone(field, name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" {
		return nil, fieldError(field, "is required")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" || name == "Factory" || strings.HasPrefix(name, "right/") || strings.HasPrefix(name, "posix/") {
		return nil, fieldError(field, "%q is not an IANA time zone", Excerpt(name))
	}
	zones.Store(name, loc)
	return loc, nil
}
