package calendar

import (
	_ "embed"
	"encoding/xml"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:generate go run ./internal/zonelist/generate -zip $GOROOT/lib/time/zoneinfo.zip -o ianazones.go

// windowsZonesXML is CLDR's Windows→IANA table; see windowszones-NOTICE.md for its licence.
//
//go:embed windowszones.xml
var windowsZonesXML []byte

var windowsZones = sync.OnceValue(func() map[string]string {
	var doc struct {
		MapZones []struct {
			Other     string `xml:"other,attr"`
			Territory string `xml:"territory,attr"`
			Type      string `xml:"type,attr"`
		} `xml:"windowsZones>mapTimezones>mapZone"`
	}
	if err := xml.Unmarshal(windowsZonesXML, &doc); err != nil {
		panic("calendar: embedded windowszones.xml is invalid: " + err.Error())
	}
	zones := make(map[string]string)
	for _, z := range doc.MapZones {
		// Territory 001 ("world") names the canonical zone of each Windows name.
		if z.Territory == "001" {
			zones[z.Other] = z.Type
		}
	}
	return zones
})

// WindowsZoneName maps a Windows time zone name ("Pacific Standard Time")
// to the IANA zone CLDR gives for it (territory 001, "America/Los_Angeles").
func WindowsZoneName(name string) (iana string, ok bool) {
	iana, ok = windowsZones()[name]
	return iana, ok
}

// IsIANAZone reports whether name is a zone of the tz database Go embeds
// (time/tzdata). It refuses what time.LoadLocation may accept from the
// host's files without naming a place: "Local", "localtime", "Factory",
// "posix/…", "right/…".
func IsIANAZone(name string) bool {
	_, found := slices.BinarySearch(ianaZones, name)
	return found
}

// loadIANA loads a zone that IsIANAZone accepts.
func loadIANA(name string) *time.Location {
	if !IsIANAZone(name) {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// zoneResolver resolves TZIDs in the order DESIGN.md fixes: exact IANA name,
// the file's own VTIMEZONE, the CLDR Windows table, then path-prefixed IDs
// such as /mozilla.org/20050126_1/Europe/Berlin.
type zoneResolver struct {
	vtimezones map[string]*vtimezone
	gen        *generator // expands the VTIMEZONEs' rules
	cache      map[string]resolvedZone
}

// resolvedZone is the answer for one TZID: its zone, or nil and, when the
// file's VTIMEZONE for it is unusable, why.
type resolvedZone struct {
	loc     *time.Location
	problem error
}

func (zr *zoneResolver) resolve(tzid string) (*time.Location, error) {
	tzid = strings.TrimSpace(strings.Trim(tzid, `"`))
	if z, ok := zr.cache[tzid]; ok {
		return z.loc, z.problem
	}
	var z resolvedZone
	z.loc = loadIANA(tzid)
	if vt := zr.vtimezones[tzid]; z.loc == nil && vt != nil {
		z.loc, z.problem = vt.location(tzid, zr.gen)
	}
	if z.loc == nil {
		if name, ok := windowsZones()[tzid]; ok {
			z.loc = loadIANA(name)
		}
	}
	if z.loc == nil {
		z.loc = loadPrefixed(tzid)
	}
	if z.loc != nil {
		z.problem = nil // another reading found the zone
	}
	if zr.cache == nil {
		zr.cache = make(map[string]resolvedZone)
	}
	zr.cache[tzid] = z
	return z.loc, z.problem
}

// loadPrefixed strips leading path segments ("/mozilla.org/20050126_1/",
// "/softwarestudio.org/Olson_20011030_5/") until an IANA name remains.
func loadPrefixed(tzid string) *time.Location {
	segments := strings.FieldsFunc(tzid, func(r rune) bool { return r == '/' })
	// No IANA name has more than three segments (America/Argentina/Salta):
	// longer tails are not tried, which keeps a TZID of megabytes cheap.
	for i := max(1, len(segments)-3); i < len(segments); i++ {
		if loc := loadIANA(strings.Join(segments[i:], "/")); loc != nil {
			return loc
		}
	}
	return nil
}

// offsetAt returns loc's UTC offset in seconds at the Unix instant sec.
func offsetAt(loc *time.Location, sec int64) int64 {
	_, off := time.Unix(sec, 0).In(loc).Zone()
	return int64(off)
}

// wallToInstant reads the wall clock wall (its UTC fields) in loc.
// RFC 5545 §3.3.5: a local time in a DST gap is read with the offset before
// the gap (02:30 becomes 03:30 daylight time), and a repeated local time means
// its first occurrence. time.Date leaves both unspecified, and rrule-go then
// moves gap times an hour early.
func wallToInstant(wall time.Time, loc *time.Location) time.Time {
	t, _ := wallToInstantGap(wall, loc)
	return t
}

// wallToInstantGap is wallToInstant that also reports whether wall fell in a
// gap and was moved forward.
func wallToInstantGap(wall time.Time, loc *time.Location) (time.Time, bool) {
	if loc == time.UTC {
		return wall, false
	}
	w := wall.Unix()
	const day = 86400
	before, after := offsetAt(loc, w-day), offsetAt(loc, w+day)
	if before == after && offsetAt(loc, w-before) == before {
		return time.Unix(w-before, int64(wall.Nanosecond())).UTC(), false
	}
	candidates := []int64{before, after, offsetAt(loc, w)}
	best, found := int64(0), false
	for _, off := range candidates {
		// A valid offset maps back onto itself; the largest valid one is
		// the earliest instant, i.e. the first of two repeated times.
		if offsetAt(loc, w-off) == off && (!found || off > best) {
			best, found = off, true
		}
	}
	if !found {
		// In a gap, offsets only grow, so the offset before it is the smaller.
		best = min(before, after)
	}
	return time.Unix(w-best, int64(wall.Nanosecond())).UTC(), !found
}

// instantToWall gives t's wall clock in loc as a UTC-located time, the
// space in which recurrence rules are expanded.
func instantToWall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}
