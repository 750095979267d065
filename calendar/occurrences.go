package calendar

import (
	"cmp"
	"iter"
	"slices"
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

// occurrence is one instance: its times in UTC as Unix seconds (iCalendar
// times have no fractions of a second).
type occurrence struct {
	start, end int64
	source     uint32
}

// source is what a run of instances shares.
type source struct {
	item      *event // the master or the override shown
	frequency uint8  // the master's rrule.Frequency plus one; 0 without RRULE
	busy      bool
	point     bool // takes no time: never busy
	rid       ridKind
	fixedRID  time.Time // when rid is ridFixed
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
// permutation is the same. Each index is sorted with its start and the
// rank of its UID, so that comparisons rarely look further.
func (s *occurrences) sort() {
	uids := make([]string, len(s.sources))
	for i, src := range s.sources {
		uids[i] = src.item.uid
	}
	slices.Sort(uids)
	uids = slices.Compact(uids)
	rank := make([]uint32, len(s.sources))
	for i, src := range s.sources {
		r, _ := slices.BinarySearch(uids, src.item.uid)
		rank[i] = uint32(r)
	}

	type key struct {
		start       int64
		rank, index uint32
	}
	keys := make([]key, 0, len(s.blocks)*occurrenceBlock)
	for b, block := range s.blocks {
		for i, o := range block {
			keys = append(keys, key{o.start, rank[o.source], uint32(b*occurrenceBlock + i)})
		}
	}
	slices.SortFunc(keys, func(x, y key) int {
		if c := cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.rank, y.rank)); c != 0 {
			return c
		}
		return cmp.Compare(s.at(x.index).end, s.at(y.index).end)
	})
	s.order = make([]uint32, len(keys))
	for i, k := range keys {
		s.order[i] = k.index
	}
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
		Start:          time.Unix(o.start, 0).UTC(),
		End:            time.Unix(o.end, 0).UTC(),
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
