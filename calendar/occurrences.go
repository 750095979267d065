package calendar

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"overlap/planner"
)

// occurrences is an expansion in compact form: a year of a large calendar
// is hundreds of thousands of instances, held and sorted at once. What
// instances of one event share is kept once, in sources.
type occurrences struct {
	// blocks have a fixed size: one growing slice would, while it is
	// copied, briefly hold two copies of everything.
	blocks  [][]occurrence
	sources []source
	order   []uint32 // indices in Instance order, once sorted
}

const occurrenceBlock = 1024

// occurrence is one instance: its times in UTC as Unix seconds (the
// nanoseconds, nearly always zero, are in the source).
type occurrence struct {
	start, end int64
	source     uint32
}

// source is what a run of instances shares.
type source struct {
	item               *event // the master or the override shown
	frequency          uint8  // the master's rrule.Frequency plus one; 0 without RRULE
	busy               bool
	rid                ridKind
	fixedRID           time.Time // when rid is ridFixed
	startNano, endNano uint32
}

// ridKind says where an instance's RecurrenceID comes from.
type ridKind uint8

const (
	ridNone  ridKind = iota // nil
	ridStart                // the instance's start
	ridFixed                // the source's fixedRID
)

func (s *occurrences) add(o occurrence) {
	if len(s.blocks) == 0 || len(s.blocks[len(s.blocks)-1]) == occurrenceBlock {
		s.blocks = append(s.blocks, make([]occurrence, 0, occurrenceBlock))
	}
	last := &s.blocks[len(s.blocks)-1]
	*last = append(*last, o)
}

func (s *occurrences) at(i uint32) *occurrence {
	return &s.blocks[i/occurrenceBlock][i%occurrenceBlock]
}

// sort orders by start, then UID, then end. It sorts indices rather than
// the occurrences themselves, which would need them in one slice; the
// permutation is the same.
func (s *occurrences) sort() {
	n := 0
	for _, block := range s.blocks {
		n += len(block)
	}
	s.order = make([]uint32, n)
	for i := range s.order {
		s.order[i] = uint32(i)
	}
	slices.SortFunc(s.order, func(i, j uint32) int {
		a, b := s.at(i), s.at(j)
		sa, sb := &s.sources[a.source], &s.sources[b.source]
		if c := cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(sa.startNano, sb.startNano)); c != 0 {
			return c
		}
		if c := strings.Compare(sa.item.uid, sb.item.uid); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.end, b.end), cmp.Compare(sa.endNano, sb.endNano))
	})
}

// all yields the occurrences in Instance order.
func (s *occurrences) all() iter.Seq[*occurrence] {
	return func(yield func(*occurrence) bool) {
		for _, i := range s.order {
			if !yield(s.at(i)) {
				return
			}
		}
	}
}

// instance builds o's Instance.
func (s *occurrences) instance(o *occurrence) Instance {
	src := &s.sources[o.source]
	in := Instance{Event: planner.Event{
		UID:            src.item.uid,
		Summary:        src.item.summary,
		HasDescription: src.item.hasDescription,
		Organizer:      src.item.organizer,
		AttendeeCount:  len(src.item.attendees),
		Attendees:      src.item.people,
		AllDay:         src.item.start.kind == kindDate,
		Start:          time.Unix(o.start, int64(src.startNano)).UTC(),
		End:            time.Unix(o.end, int64(src.endNano)).UTC(),
		Recurring:      src.rid != ridNone,
	}, Busy: src.busy}
	if src.frequency > 0 {
		in.Frequency = rrule.Frequency(src.frequency - 1).String()
	}
	switch src.rid {
	case ridStart:
		in.RecurrenceID = in.Start
	case ridFixed:
		in.RecurrenceID = src.fixedRID
	}
	return in
}
