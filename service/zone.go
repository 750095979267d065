package service

import (
	"sync"
	"time"

	"overlap/calendar"
)

// LoadZone reads a member's or team's zone: names of the tz database the
// binary embeds only — not "Local", "Factory" or the host's "right/…" files,
// which would make answers depend on the machine. A Windows zone name
// ("Pacific Standard Time") is refused with the IANA name to use instead,
// so that what is stored is always the name every calendar app reads.
func LoadZone(field, name string) (*time.Location, error) {
	switch {
	case name == "":
		return nil, fieldError(field, "is required")
	case !calendar.IsIANAZone(name):
		if iana, ok := calendar.WindowsZoneName(name); ok {
			return nil, fieldError(field, "%q is a Windows zone name; use the IANA name %q", Excerpt(name), iana)
		}
		return nil, fieldError(field, "%q is not an IANA time zone", Excerpt(name))
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		zones.Store(name, loc)
	}
	return loc, err
}

// zones keeps loaded locations: time.LoadLocation reads the tz database
// again on every call, and a large team asks for the same few zones a
// thousand times per request.
var zones sync.Map
