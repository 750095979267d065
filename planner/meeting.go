package planner

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// maxMeetingSeconds separates meetings from blocks: a busy instance of a
// day or more (a conference, travel) is not a meeting anyone could replace.
const maxMeetingSeconds = secondsPerDay

// meeting is one meeting as the team sees it: every member's busy
// instances with its UID, grouped into occurrences. A RECURRENCE-ID
// override is the occurrence it replaces, so a moved occurrence stays part
// of its series.
type meeting struct {
	uid       string
	summary   string   // the most common summary of its instances
	summaries []string // every distinct summary, the most common first
	organizer string
	frequency string // the RRULE FREQ of its series, "" when it does not recur by rule
	recurring bool
	hasAgenda bool // some instance has a description beyond conferencing details
	minutes   int  // the most common length
	// people invited and not declining, at least the members attending;
	// others are those of them whose address is no member's.
	people, others int
	members        []int32 // attending some occurrence, in team order
	occurrences    []meetingOccurrence
}

// meetingOccurrence is one occurrence of a meeting in the range.
type meetingOccurrence struct {
	span
	// members attend it: it is busy in their calendars and they are not
	// off. outside are those of them outside their working hours for some
	// of it, in team order, and outsideSeconds how long, one per outside.
	members, outside []int32
	outsideSeconds   []int32
	inCore           bool // wholly inside an occurrence of the adopted core hours
}

// sighting is one member's busy instance of a meeting.
type sighting struct {
	meeting int32
	member  int32
	event   int32 // index into the member's Busy
	// outside is the seconds of it outside the member's working hours.
	outside int32
	// occurrence identifies the occurrence: the instance's RECURRENCE-ID,
	// or its start when it has none.
	occurrence int64
	span
}

// notMeetings counts the busy instances in the range that review leaves out.
type notMeetings struct {
	allDay, tooLong, alone int
}

// findMeetings groups the members' busy instances starting in rng into
// meetings. An instance a member has time off for is left out: they are
// away. core are the occurrences of the adopted core hours, sorted.
func findMeetings(ctx context.Context, team *Team, tls []timeline, core []span, rng span) ([]meeting, notMeetings, error) {
	perMember := make([][]sighting, len(team.Members))
	skipped := make([]notMeetings, len(team.Members))
	inParallel(len(team.Members), minShare, func(from, to int) {
		for m := from; m < to && ctx.Err() == nil; m++ {
			perMember[m], skipped[m] = sightings(&team.Members[m], &tls[m], int32(m), rng)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, notMeetings{}, err
	}
	var skip notMeetings
	for _, s := range skipped {
		skip.allDay += s.allDay
		skip.tooLong += s.tooLong
	}
	byMeeting, uids := groupByMeeting(team, perMember)
	emails := make(map[string]bool, len(team.Members))
	for _, member := range team.Members {
		emails[member.Email] = member.Email != ""
	}
	out := make([]meeting, len(byMeeting))
	inParallel(len(out), minShare, func(from, to int) {
		for i := from; i < to; i++ {
			if i%checkEvery == 0 && ctx.Err() != nil {
				return
			}
			out[i] = newMeeting(team, uids[i], byMeeting[i], emails, core)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, notMeetings{}, err
	}
	// A meeting needs two people: an entry only one person sees is their
	// own time (focus time, a reminder).
	meetings := out[:0]
	for _, mt := range out {
		if mt.people < 2 {
			for _, occ := range mt.occurrences {
				skip.alone += len(occ.members)
			}
			continue
		}
		meetings = append(meetings, mt)
	}
	return meetings, skip, nil
}

// sightings lists member m's busy instances starting in rng that may be
// meetings, with how much of each falls outside their working hours, and
// counts the all-day and day-long ones left out.
func sightings(member *Member, tl *timeline, m int32, rng span) (out []sighting, skipped notMeetings) {
	out = make([]sighting, 0, len(member.Busy))
	for i := range member.Busy {
		e := &member.Busy[i]
		s := busySpan(e)
		switch {
		case s.start < rng.start || s.start >= rng.end || s.end <= s.start:
			continue
		case e.AllDay:
			skipped.allDay++
			continue
		case s.end-s.start >= maxMeetingSeconds:
			skipped.tooLong++
			continue
		case coveredAnywhere(tl.timeOff, s) > 0:
			continue
		}
		occurrence := s.start
		if !e.RecurrenceID.IsZero() {
			occurrence = e.RecurrenceID.Unix()
		}
		out = append(out, sighting{member: m, event: int32(i), outside: int32(s.end - s.start - coveredAnywhere(tl.working, s)), occurrence: occurrence, span: s})
	}
	return out, skipped
}

// coveredAnywhere is covered for a lookup in no particular order.
func coveredAnywhere(spans []span, s span) int64 {
	at, _ := slices.BinarySearchFunc(spans, s.start, func(x span, t int64) int { return cmp.Compare(x.end, t+1) })
	return covered(spans, &at, s)
}

// groupByMeeting numbers meetings by UID in order of first sighting and
// returns each meeting's sightings in order of occurrence, then member,
// with a member's second sighting of an occurrence (the same meeting in
// two of their calendars) left out.
func groupByMeeting(team *Team, perMember [][]sighting) ([][]sighting, []string) {
	total := 0
	for _, group := range perMember {
		total += len(group)
	}
	// A meeting is seen a few times at least: in several calendars, or
	// every week.
	ids := make(map[string]int32, total/4)
	uids := make([]string, 0, total/4)
	counts := make([]int, 0, total/4)
	for m := range perMember {
		for i := range perMember[m] {
			s := &perMember[m][i]
			uid := team.Members[m].Busy[s.event].UID
			id, ok := ids[uid]
			if !ok {
				id = int32(len(uids))
				ids[uid] = id
				uids = append(uids, uid)
				counts = append(counts, 0)
			}
			s.meeting = id
			counts[id]++
		}
	}
	// A counting sort by meeting keeps members in team order within each.
	all := make([]sighting, total)
	next := make([]int, len(counts))
	for id, at := 0, 0; id < len(counts); id++ {
		next[id] = at
		at += counts[id]
	}
	out := make([][]sighting, len(counts))
	for id := range out {
		out[id] = all[next[id] : next[id]+counts[id]]
	}
	for m := range perMember {
		for _, s := range perMember[m] {
			all[next[s.meeting]] = s
			next[s.meeting]++
		}
	}
	for id, group := range out {
		slices.SortStableFunc(group, func(a, b sighting) int { return cmp.Compare(a.occurrence, b.occurrence) })
		out[id] = slices.CompactFunc(group, func(a, b sighting) bool { return a.occurrence == b.occurrence && a.member == b.member })
	}
	return out, uids
}

// newMeeting builds a meeting from its sightings, in order of occurrence
// then member. An occurrence takes its times from the first member's
// instance of it.
func newMeeting(team *Team, uid string, group []sighting, emails map[string]bool, core []span) meeting {
	mt := meeting{uid: uid, occurrences: make([]meetingOccurrence, 0, countOccurrences(group))}
	// Every occurrence's members share one array, and those outside
	// working hours another: together they hold at most one entry per
	// sighting, so neither grows.
	members := make([]int32, 0, len(group))
	outside := make([]int32, 0, len(group))
	outsideSeconds := make([]int32, 0, len(group))
	var summaries, organizers counter[string]
	var lengths counter[int64]
	var invited addressSet
	for start := 0; start < len(group); {
		end := start + 1
		for end < len(group) && group[end].occurrence == group[start].occurrence {
			end++
		}
		occ := meetingOccurrence{span: group[start].span}
		occ.inCore = insideAny(core, occ.span)
		firstMember, firstOutside := len(members), len(outside)
		for _, s := range group[start:end] {
			e := sightedEvent(team, s)
			members = append(members, s.member)
			if s.outside > 0 {
				outside = append(outside, s.member)
				outsideSeconds = append(outsideSeconds, s.outside)
			}
			summaries.add(e.Summary)
			if e.Organizer != "" {
				// Addresses compare in lower case, as attendees' are kept.
				organizers.add(strings.ToLower(e.Organizer))
			}
			mt.hasAgenda = mt.hasAgenda || e.HasDescription
			mt.recurring = mt.recurring || e.Recurring
			mt.frequency = cmp.Or(mt.frequency, e.Frequency)
			invited.add(e.Attendees)
		}
		occ.members = members[firstMember:len(members):len(members)]
		occ.outside = outside[firstOutside:len(outside):len(outside)]
		occ.outsideSeconds = outsideSeconds[firstOutside:len(outside):len(outside)]
		lengths.add(occ.end - occ.start)
		mt.occurrences = append(mt.occurrences, occ)
		start = end
	}
	mt.summaries = summaries.byCount()
	mt.summary = mt.summaries[0]
	mt.organizer = organizers.mostCommon()
	mt.minutes = int(lengths.mostCommon() / 60)
	mt.members = slices.Clone(members)
	slices.Sort(mt.members)
	mt.members = slices.Compact(mt.members)
	for _, organizer := range organizers {
		invited.insert(organizer.value)
	}
	mt.people = max(len(invited.addresses), len(mt.members))
	for _, a := range invited.addresses {
		if !emails[a] {
			mt.others++
		}
	}
	return mt
}

// countOccurrences counts the occurrences among sightings in order of
// occurrence.
func countOccurrences(group []sighting) int {
	n := 0
	for i := range group {
		if i == 0 || group[i].occurrence != group[i-1].occurrence {
			n++
		}
	}
	return n
}

func sightedEvent(team *Team, s sighting) *Event { return &team.Members[s.member].Busy[s.event] }

// insideAny reports whether s lies wholly inside one of spans, which are
// sorted and disjoint.
func insideAny(spans []span, s span) bool {
	i, _ := slices.BinarySearchFunc(spans, s.start, func(x span, t int64) int { return cmp.Compare(x.end, t+1) })
	return i < len(spans) && spans[i].start <= s.start && spans[i].end >= s.end
}

// counter counts the values it is given, keeping their first order.
type counter[T comparable] []counted[T]

type counted[T comparable] struct {
	value T
	count int
}

func (c *counter[T]) add(v T) {
	for i := range *c {
		if (*c)[i].value == v {
			(*c)[i].count++
			return
		}
	}
	*c = append(*c, counted[T]{v, 1})
}

// mostCommon is the most common value, the first on a tie; the zero value
// when there is none.
func (c counter[T]) mostCommon() T {
	var best counted[T]
	for _, v := range c {
		if v.count > best.count {
			best = v
		}
	}
	return best.value
}

// byCount lists the values, the most common first; ties keep their order.
func (c counter[T]) byCount() []T {
	sorted := slices.Clone(c)
	slices.SortStableFunc(sorted, func(a, b counted[T]) int { return cmp.Compare(b.count, a.count) })
	out := make([]T, len(sorted))
	for i, v := range sorted {
		out[i] = v.value
	}
	return out
}

// addressSet gathers the distinct attendee addresses of a meeting's
// instances, sorted. The instances of one event share their list, and
// the calendars of one meeting mostly hold the same list, so a list read
// before, or equal to the first one read, is skipped.
type addressSet struct {
	read      []*string // the first element of each list read
	first     []string
	addresses []string
}

func (a *addressSet) add(list []string) {
	if len(list) == 0 || slices.Contains(a.read, &list[0]) {
		return
	}
	a.read = append(a.read, &list[0])
	if a.first == nil {
		a.first = list
	} else if slices.Equal(a.first, list) {
		return
	}
	for _, address := range list {
		a.insert(address)
	}
}

func (a *addressSet) insert(address string) {
	if i, found := slices.BinarySearch(a.addresses, address); !found {
		a.addresses = slices.Insert(a.addresses, i, address)
	}
}
