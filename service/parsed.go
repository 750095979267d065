package service

import (
	"context"
	"math"

	"github.com/maypok86/otter/v2"

	"overlap/calendar"
)

// parsedCalendars keeps the parsed form of stored calendars by the SHA-256
// of their text, so each version is parsed once per process however many
// requests read it. A digest names exactly one text, so replicas, each with
// its own cache, can never disagree.
type parsedCalendars struct {
	cache *otter.Cache[string, parsedCalendar]
}

type parsedCalendar struct {
	cal  *calendar.Calendar
	size int // bytes of text, the cache's weight
}

// newParsedCalendars keeps the parsed forms of at most maxBytes of text.
func newParsedCalendars(maxBytes int64) *parsedCalendars {
	return &parsedCalendars{cache: otter.Must(&otter.Options[string, parsedCalendar]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(_ string, p parsedCalendar) uint32 {
			return uint32(min(p.size, math.MaxUint32))
		},
	})}
}

// lookup returns the parsed calendar of a digest if it is kept.
func (p *parsedCalendars) lookup(digest string) (*calendar.Calendar, bool) {
	found, ok := p.cache.GetIfPresent(digest)
	return found.cal, ok
}

func (p *parsedCalendars) put(digest string, cal *calendar.Calendar, size int) {
	p.cache.Set(digest, parsedCalendar{cal: cal, size: size})
}

// get returns the parsed calendar of text, whose digest is given, parsing
// and keeping it when it is not kept yet.
func (p *parsedCalendars) get(ctx context.Context, digest, text string) (*calendar.Calendar, error) {
	if cal, ok := p.lookup(digest); ok {
		return cal, nil
	}
	cal, err := parseStored(ctx, text)
	if err != nil {
		return nil, err
	}
	p.put(digest, cal, len(text))
	return cal, nil
}

// expandedCalendars keeps the busy time of stored calendars as expanded
// for one member over one window, so the requests of a page or a script
// that ask for the same team and range again cost the planner's time, not
// the expansion's. The key names everything an expansion depends on: the
// calendar's digest, the member's zone and address, the window and the
// budget it was read under; stored values are never changed by readers.
type expandedCalendars struct {
	cache *otter.Cache[expansionKey, expanded]
}

type expansionKey struct {
	digest, zone, email string
	from, to            int64
	budget              int
}

// eventWeight approximates the memory of one planner.Event with its share
// of strings, the unit of the cache's weight.
const eventWeight = 192

func newExpandedCalendars(maxBytes int64) *expandedCalendars {
	return &expandedCalendars{cache: otter.Must(&otter.Options[expansionKey, expanded]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(_ expansionKey, e expanded) uint32 {
			return uint32(min(int64(len(e.busy)+1)*eventWeight, math.MaxUint32))
		},
	})}
}
