package calendar

import (
	"context"
	"iter"
	"strings"
	"time"
)

// maxZoneOffset bounds |UTC offset| of any zone, to compare wall clocks with instants.
const maxZoneOffset = 15 * time.Hour

// Expand returns the instances of every event that overlap the half-open
// window [from, to), sorted by start then UID, and the warnings of this
// expansion (parse warnings are in Warnings). An instance overlaps when
// start < to and end > from; a zero-length one when from <= start < to.
// Free instances are included with Busy false. When the budget
// (ExpandOptions.MaxInstances) runs out, the expansion stops there and
// Cut says where. The error is ctx.Err() when ctx is done before the
// expansion is, and nothing else.
func (c *Calendar) Expand(ctx context.Context, from, to time.Time, opts ExpandOptions) (Expansion, error) {
	found, out, err := c.expand(ctx, from, to, opts)
	if err != nil {
		return Expansion{}, err
	}
	out.Instances = make([]Instance, 0, len(found.order))
	for o := range found.all() {
		out.Instances = append(out.Instances, found.instance(o))
	}
	return out, nil
}

// ExpandSeq is Expand as an iterator over the same instances in the same
// order; its Expansion has the Warnings and Cut, and no Instances. Each
// Instance is built as it is read, so a caller that streams them holds only
// the compact expansion, several times smaller than Expand's slice.
func (c *Calendar) ExpandSeq(ctx context.Context, from, to time.Time, opts ExpandOptions) (iter.Seq[Instance], Expansion, error) {
	found, out, err := c.expand(ctx, from, to, opts)
	if err != nil {
		return nil, Expansion{}, err
	}
	return func(yield func(Instance) bool) {
		for o := range found.all() {
			if !yield(found.instance(o)) {
				return
			}
		}
	}, out, nil
}

func (c *Calendar) expand(ctx context.Context, from, to time.Time, opts ExpandOptions) (*occurrences, Expansion, error) {
	x := &expansion{from: from.UTC(), to: to.UTC(), floating: time.UTC, self: map[string]bool{}}
	switch {
	case c.floatingZone != nil:
		x.floating = c.floatingZone
	case opts.DefaultZone != nil:
		x.floating = opts.DefaultZone
	}
	budget := int64(opts.MaxInstances)
	if budget <= 0 {
		budget = DefaultMaxInstances
	}
	x.gen = newGenerator(ctx, budget, x.warn)
	for _, email := range opts.SelfEmails {
		x.self[strings.ToLower(mailAddress(email))] = true
	}

	overrides := map[string][]*event{}
	hasMaster := map[string]bool{}
	for _, ev := range c.events {
		if ev.recurrenceID != nil {
			overrides[ev.uid] = append(overrides[ev.uid], ev)
		} else {
			hasMaster[ev.uid] = true
		}
	}
	for i, ev := range c.events {
		if i%ctxCheckEvery == 0 && ctx.Err() != nil || x.gen.stop() {
			break
		}
		switch {
		case ev.recurrenceID == nil:
			x.expandSeries(ev, overrides[ev.uid])
		case !hasMaster[ev.uid] && x.gen.charge(1, ev.line):
			x.warn(ev.line, "RECURRENCE-ID without a master event (a VEVENT with its UID and no RECURRENCE-ID); kept as a single instance")
			x.emitOwn(ev, ev, nil, 0)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, Expansion{}, err
	}
	out := Expansion{Cut: x.gen.cut}
	if out.Cut != nil {
		x.warn(out.Cut.Line, "the expansion stopped here, at its budget of %d instances: later instances are left out", out.Cut.Max)
	}
	x.found.sort()
	out.Warnings = x.warnings.list
	return &x.found, out, nil
}

// expansion carries the state of one Expand call.
type expansion struct {
	from, to time.Time
	floating *time.Location
	self     map[string]bool
	gen      *generator
	scratch  []time.Time // the candidates of the series being expanded
	found    occurrences
	warnings warningList
}

func (x *expansion) warn(line int, format string, args ...any) {
	x.warnings.add(line, format, args...)
}

// inWindow applies the window rule stated on Expand.
func (x *expansion) inWindow(start, end time.Time) bool {
	if start.Equal(end) {
		return !start.Before(x.from) && start.Before(x.to)
	}
	return start.Before(x.to) && end.After(x.from)
}

// emit appends an instance of item (the master or an override) if it is in
// the window, and reports whether it was.
func (x *expansion) emit(item, master *event, recurrenceID *time.Time, start, end time.Time) bool {
	if !x.inWindow(start, end) {
		return false
	}
	src := source{item: item, point: !end.After(start)}
	switch {
	case recurrenceID == nil:
	case *recurrenceID == start:
		src.rid = ridStart
	default:
		src.rid, src.fixedRID = ridFixed, *recurrenceID
	}
	if len(master.rules) > 0 {
		src.frequency = uint8(master.rules[0].option.Freq) + 1
	}
	found := &x.found
	// Runs of instances come from one source: share it with the last one.
	if n := len(found.sources); n == 0 || !found.sources[n-1].same(src) {
		declined := false
		for _, a := range item.attendees {
			declined = declined || (a.declined && x.self[a.address])
		}
		// RFC 5545 §3.6.1: a DATE-TIME DTSTART without DTEND or DURATION
		// is a point in time, which keeps no one busy.
		src.busy = !src.point && !item.cancelled && !item.transparent && !declined
		found.sources = append(found.sources, src)
	}
	found.add(occurrence{start: start.Unix(), end: end.Unix(), source: uint32(len(found.sources) - 1)})
	return true
}

// same reports whether s and o are one source; busy follows from item and point.
func (s *source) same(o source) bool {
	return s.item == o.item && s.point == o.point && s.frequency == o.frequency && s.rid == o.rid && s.fixedRID == o.fixedRID
}

// emitOwn emits an override or single event with its own start and end;
// shift moves it for RANGE=THISANDFUTURE.
func (x *expansion) emitOwn(ev, master *event, recurrenceID *time.Time, shift time.Duration) bool {
	if recurrenceID == nil && ev.recurrenceID != nil {
		rid := ev.recurrenceID.instant(x.floating)
		recurrenceID = &rid
	}
	start := ev.start.instant(x.floating)
	end := x.ownEnd(ev, start)
	if (ev.end != nil || ev.duration != nil) && !end.After(start) {
		x.warnNoTime(ev)
		return false
	}
	return x.emit(ev, master, recurrenceID, start.Add(shift), end.Add(shift))
}

// warnNoTime reports an event skipped because its DTEND or DURATION makes
// it take no time or run backwards (RFC 5545 §3.8.2.2: DTEND is later
// than DTSTART).
func (x *expansion) warnNoTime(ev *event) {
	if ev.end != nil {
		x.warn(ev.endLine, "DTEND is not after DTSTART; event skipped")
	} else {
		x.warn(ev.endLine, "DURATION is not positive; event skipped")
	}
}

// ownEnd is the end of an event from its own DTEND or DURATION
// (RFC 5545 §3.6.1: neither means one day for a DATE, zero length otherwise).
func (x *expansion) ownEnd(ev *event, start time.Time) time.Time {
	loc := ev.start.zone(x.floating)
	switch {
	case ev.end != nil:
		return ev.end.instant(x.floating)
	case ev.duration != nil:
		return ev.duration.addTo(ev.start.wall, start, loc)
	case ev.start.kind == kindDate:
		return wallToInstant(ev.start.wall.AddDate(0, 0, 1), loc)
	}
	return start
}
