package calendar

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"overlap/planner"
)

const (
	// maxZoneOffset bounds |UTC offset| of any zone, to compare wall clocks with instants.
	maxZoneOffset = 15 * time.Hour
	// maxSubDailyPeriods bounds the periods a SECONDLY/MINUTELY/HOURLY rule
	// may step through in one expansion; rrule-go loops inside one call while
	// looking for a match, so this is what keeps a sparse rule from hanging.
	maxSubDailyPeriods = 500_000
	// maxCandidates bounds the occurrences one series may generate around the window.
	maxCandidates = 2_000_000
)

// Expand returns the instances of every event that overlap the half-open
// window [from, to), sorted by start then UID, and the warnings of this
// expansion (parse warnings are in Warnings). An instance overlaps when
// start < to and end > from; a zero-length one when from <= start < to.
// Free instances are included with Busy false. The error is ctx.Err() when
// ctx is done before the expansion is.
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
	x := &expansion{from: from.UTC(), to: to.UTC(), floating: time.UTC, maxPerEvent: opts.MaxInstancesPerEvent, self: map[string]bool{}}
	switch {
	case c.floatingZone != nil:
		x.floating = c.floatingZone
	case opts.DefaultZone != nil:
		x.floating = opts.DefaultZone
	}
	if x.maxPerEvent <= 0 {
		x.maxPerEvent = DefaultMaxInstancesPerEvent
	}
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
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, Expansion{}, err
			}
		}
		switch {
		case ev.recurrenceID == nil:
			x.expandSeries(ev, overrides[ev.uid])
		case !hasMaster[ev.uid]:
			x.warn(ev.line, "RECURRENCE-ID without a master event (a VEVENT with its UID and no RECURRENCE-ID); kept as a single instance")
			x.emitOwn(ev, ev, nil, 0)
		}
	}
	x.found.sort()
	return &x.found, Expansion{Warnings: x.warnings.list}, nil
}

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

// expansion carries the state of one Expand call.
type expansion struct {
	from, to    time.Time
	floating    *time.Location
	maxPerEvent int
	self        map[string]bool
	found       occurrences
	warnings    warningList
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
	if end.Before(start) {
		end = start // RFC 5545 §3.8.2.2: DTEND must be later; read as zero length
	}
	if !x.inWindow(start, end) {
		return false
	}
	src := source{item: item, startNano: uint32(start.Nanosecond()), endNano: uint32(end.Nanosecond())}
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
		src.busy = !item.cancelled && !item.transparent && !declined
		found.sources = append(found.sources, src)
	}
	found.add(occurrence{start: start.Unix(), end: end.Unix(), source: uint32(len(found.sources) - 1)})
	return true
}

// same reports whether s and o are one source; busy follows from item.
func (s *source) same(o source) bool {
	return s.item == o.item && s.frequency == o.frequency && s.rid == o.rid && s.fixedRID == o.fixedRID &&
		s.startNano == o.startNano && s.endNano == o.endNano
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
	return x.emit(ev, master, recurrenceID, start.Add(shift), end.Add(shift))
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

// series is one master event being expanded, in the wall clock of its zone.
type series struct {
	master    *event
	loc       *time.Location
	start     time.Time // DTSTART instant
	exactSpan time.Duration
	nominal   *duration // DATE DTEND or DURATION: days follow the calendar
}

// end of a master-generated instance at wall (instant start): DTEND−DTSTART
// exactly for DATE-TIMEs (RFC 5545 §3.8.5.3), nominal days for DATEs and for
// the days of a DURATION.
func (s *series) end(wall, start time.Time) time.Time {
	if s.nominal != nil {
		return s.nominal.addTo(wall, start, s.loc)
	}
	return start.Add(s.exactSpan)
}

func (x *expansion) expandSeries(m *event, overrides []*event) {
	s := &series{master: m, loc: m.start.zone(x.floating), start: m.start.instant(x.floating)}
	switch {
	case m.end != nil && (m.start.kind == kindDate || m.end.kind == kindDate):
		days := int(m.end.wall.Sub(m.start.wall).Round(24*time.Hour) / (24 * time.Hour))
		s.nominal = &duration{days: days}
	case m.end != nil:
		s.exactSpan = m.end.instant(x.floating).Sub(s.start)
	case m.duration != nil:
		s.nominal = m.duration
	case m.start.kind == kindDate:
		s.nominal = &duration{days: 1}
	}
	span := max(s.end(m.start.wall, s.start).Sub(s.start), 0)

	// Overrides are matched to generated occurrences by their original
	// start in the master's wall clock (RFC 5545 §3.8.4.4).
	byWall := map[time.Time]*event{}
	var ranged []*event // RANGE=THISANDFUTURE, by RECURRENCE-ID
	low := x.from.Add(-maxZoneOffset - span - 48*time.Hour)
	high := x.to.Add(maxZoneOffset)
	for _, ov := range overrides {
		wall := instantToWall(ov.recurrenceID.instant(x.floating), s.loc)
		byWall[wall] = ov
		if ov.thisAndFuture {
			ranged = append(ranged, ov)
		}
		low, high = minTime(low, wall), maxTime(high, wall)
	}
	slices.SortFunc(ranged, func(a, b *event) int {
		return a.recurrenceID.instant(x.floating).Compare(b.recurrenceID.instant(x.floating))
	})

	periodEnds := map[time.Time]time.Time{}
	candidates := []time.Time{m.start.wall}
	for _, rd := range m.rdates {
		wall := rd.start.wall
		if rd.start.kind != m.start.kind || rd.start.kind == kindZoned && rd.start.loc != s.loc {
			wall = instantToWall(rd.start.instant(x.floating), s.loc)
		}
		candidates = append(candidates, wall)
		rdStart := wallToInstant(wall, s.loc)
		switch {
		case rd.end != nil:
			periodEnds[wall] = rd.end.instant(x.floating)
		case rd.dur != nil:
			periodEnds[wall] = rd.dur.addTo(wall, rdStart, s.loc)
		default:
			continue
		}
		span = max(span, periodEnds[wall].Sub(rdStart))
		low = minTime(low, x.from.Add(-maxZoneOffset-span))
	}
	for _, r := range m.rules {
		candidates = x.ruleOccurrences(r, s, low, high, candidates)
	}
	slices.SortFunc(candidates, time.Time.Compare)
	candidates = slices.Compact(candidates)

	excluded, excludedDays := x.exclusions(m, s.loc)
	matched := map[*event]bool{}
	var gapMoved map[time.Time]bool // RFC 5545 §3.3.5 moves gap times onto later ones
	count := 0
	for _, wall := range candidates {
		if wall.Before(low) || wall.After(high) {
			continue
		}
		if excluded[wall] || (m.start.kind != kindDate && excludedDays[dateOf(wall)]) {
			continue
		}
		emitted := false
		if ov := byWall[wall]; ov != nil {
			matched[ov] = true
			emitted = x.emitOwn(ov, m, nil, 0)
		} else {
			start, inGap := wallToInstantGap(wall, s.loc)
			if gapMoved[start] {
				continue
			}
			if inGap {
				if gapMoved == nil {
					gapMoved = map[time.Time]bool{}
				}
				gapMoved[start] = true
			}
			var rid *time.Time
			if m.recurs() || len(overrides) > 0 {
				rid = &start
			}
			if ov := rangeOverride(ranged, start, x.floating); ov != nil {
				emitted = x.emitOwn(ov, m, rid, start.Sub(ov.recurrenceID.instant(x.floating)))
			} else if end, ok := periodEnds[wall]; ok {
				emitted = x.emit(m, m, rid, start, end)
			} else {
				emitted = x.emit(m, m, rid, start, s.end(wall, start))
			}
		}
		if emitted {
			count++
			if count >= x.maxPerEvent {
				x.warn(m.line, "stopped at the cap of %d instances in the window", x.maxPerEvent)
				break
			}
		}
	}
	for _, ov := range overrides {
		if !matched[ov] {
			x.warn(ov.line, "RECURRENCE-ID is not an occurrence of its master event (excluded or off-rule); kept as an extra instance")
			x.emitOwn(ov, m, nil, 0)
		}
	}
}

// rangeOverride returns the RANGE=THISANDFUTURE override governing an
// occurrence starting at start: the latest one before it.
func rangeOverride(ranged []*event, start time.Time, floating *time.Location) *event {
	var found *event
	for _, ov := range ranged {
		if ov.recurrenceID.instant(floating).Before(start) {
			found = ov
		}
	}
	return found
}

// exclusions are the master's EXDATEs as walls in its zone; a DATE EXDATE
// on a DATE-TIME series excludes that whole day, as ical.js reads it.
func (x *expansion) exclusions(m *event, loc *time.Location) (map[time.Time]bool, map[time.Time]bool) {
	walls, days := map[time.Time]bool{}, map[time.Time]bool{}
	for _, ex := range m.exdates {
		switch {
		case ex.kind == kindDate:
			walls[ex.wall] = true
			days[ex.wall] = true
		case ex.kind == m.start.kind && ex.loc == m.start.loc:
			walls[ex.wall] = true
		default:
			walls[instantToWall(ex.instant(x.floating), loc)] = true
		}
	}
	return walls, days
}

func dateOf(wall time.Time) time.Time {
	return time.Date(wall.Year(), wall.Month(), wall.Day(), 0, 0, 0, 0, time.UTC)
}

// ruleOccurrences appends the occurrences of r between low and high (walls).
// The rule runs in wall-clock time so that rrule-go never sees a DST change:
// its own handling shifts gap times an hour early and duplicates hourly
// instances, and it reads UNTIL without Z as UTC.
func (x *expansion) ruleOccurrences(r rule, s *series, low, high time.Time, out []time.Time) []time.Time {
	m := s.master
	option := *r.option
	option.Dtstart = m.start.wall
	if option.Dtstart.IsZero() {
		x.warn(r.line, "DTSTART 0001-01-01 cannot carry a rule; rule ignored")
		return out
	}
	if !option.Until.IsZero() && r.untilUTC && m.start.kind != kindUTC {
		option.Until = instantToWall(option.Until, s.loc)
	}
	if option.Until.IsZero() || option.Until.After(high) {
		option.Until = high
	}
	period := fixedPeriod(option.Freq) * time.Duration(max(option.Interval, 1))
	if option.Count == 0 && period > 0 && low.Sub(option.Dtstart) > period {
		// Without COUNT, occurrences do not depend on how many came before:
		// start stepping a whole number of periods later, close to the window.
		option.Dtstart = option.Dtstart.Add(low.Sub(option.Dtstart) / period * period)
	}
	if option.Freq > rrule.DAILY && period > 0 && option.Until.Sub(option.Dtstart)/period > maxSubDailyPeriods {
		option.Until = option.Dtstart.Add(maxSubDailyPeriods * period)
		x.warn(r.line, "FREQ=%s rule cut after %d periods", option.Freq, maxSubDailyPeriods)
	}
	rr, err := rrule.NewRRule(option)
	if err != nil {
		x.warn(r.line, "RRULE cannot be expanded (%v); rule ignored", err)
		return out
	}
	next := rr.Iterator()
	generated := 0
	for t, ok := next(); ok; t, ok = next() {
		if generated++; generated > maxCandidates {
			x.warn(r.line, "rule cut after %d occurrences", maxCandidates)
			break
		}
		if !t.Before(low) {
			out = append(out, t)
		}
	}
	return out
}

// fixedPeriod is the length of one FREQ period in wall-clock time, or 0
// for MONTHLY and YEARLY whose periods vary.
func fixedPeriod(f rrule.Frequency) time.Duration {
	switch f {
	case rrule.WEEKLY:
		return 7 * 24 * time.Hour
	case rrule.DAILY:
		return 24 * time.Hour
	case rrule.HOURLY:
		return time.Hour
	case rrule.MINUTELY:
		return time.Minute
	case rrule.SECONDLY:
		return time.Second
	}
	return 0
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
