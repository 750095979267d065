package planner

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file holds plain, obviously correct versions of what the planner
// computes fast, and the random teams they are compared on. They share with
// the planner only wallToUnix (the DST rule, tested by hand in
// TestWallToUnix), CycleWeek, dailyWindows, compareBusy (the order that
// picks the busy event reported) and the Score and variance arithmetic.

// propertyZones mix half- and quarter-hour offsets, both hemispheres' DST,
// a 30-minute DST (Lord Howe) and a zone that dropped DST (Sao Paulo, 2019).
var propertyZones = []string{
	"Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/Sao_Paulo",
	"Europe/Berlin", "America/New_York", "America/Santiago", "Pacific/Auckland", "UTC",
}

// propertyDates are clock changes in both hemispheres and year ends;
// random ranges start in the week before one.
var propertyDates = []string{
	"2026-03-08", // New York springs forward
	"2026-03-29", // Berlin springs forward
	"2026-04-05", // Sydney, Lord Howe (30 minutes), Chatham, Auckland fall back; Santiago too
	"2026-09-06", // Santiago springs forward at midnight
	"2026-09-27", // Auckland and Chatham spring forward
	"2026-10-04", // Sydney and Lord Howe spring forward
	"2026-10-25", // Berlin falls back
	"2026-11-01", // New York falls back
	"2026-12-31", // year end
	"2018-11-04", // Sao Paulo springs forward, under its last DST rules
	"2019-02-17", // Sao Paulo falls back for the last time
	"2019-12-31", // year end, Sao Paulo without DST
}

// randomCase is a team and a range from one seed.
type randomCase struct {
	name     string
	team     Team
	from, to time.Time
}

// randomCases makes n teams of up to 7 members in mixed zones, over ranges
// of 1 to 20 days starting in the week before a clock change or year end.
func randomCases(tb testing.TB, n int) []randomCase {
	tb.Helper()
	locs := make([]*time.Location, len(propertyZones))
	for i, z := range propertyZones {
		locs[i] = mustLoad(tb, z)
	}
	var out []randomCase
	for seed := range uint64(n) {
		r := rand.New(rand.NewPCG(seed, 11))
		date := propertyDates[r.IntN(len(propertyDates))]
		from := utc(date + "T00:00:00Z").Add(time.Duration(r.IntN(7*96)-7*96) * 15 * time.Minute)
		to := from.Add(time.Duration(1+r.IntN(20*24)) * time.Hour)
		team := variedTeam(r, locs, from, to)
		out = append(out, randomCase{name: date + "_seed" + string(rune('a'+seed%26)) + string(rune('a'+seed/26%26)), team: team, from: from, to: to})
	}
	return out
}

// variedTeam builds a team with whatever working hours may hold: split
// shifts, overnight ranges, hours off the quarter-hour grid, weekends,
// preferred hours, busy events (a few that take no time), time off and a
// policy of its own. In half the teams the required members share the
// team's zone and office hours, so that some windows keep the quorum and
// others do not.
func variedTeam(r *rand.Rand, locs []*time.Location, from, to time.Time) Team {
	policy := DefaultPolicy()
	policy.MinSlotMinutes = (1 + r.IntN(8)) * gridMinutes
	policy.MaxCoreMinutesPerDay = policy.MinSlotMinutes + r.IntN(9)*gridMinutes
	policy.Quorum = []float64{0, 0.5, 1}[r.IntN(3)]
	if r.IntN(4) == 0 {
		policy.CoreWeekdays = append(policy.CoreWeekdays, time.Saturday)
	}
	team := Team{Location: locs[r.IntN(len(locs))], Policy: policy}
	office := r.IntN(2) == 0
	for i := range 1 + r.IntN(7) {
		m := Member{ID: "m" + string(rune('a'+i)), Location: locs[r.IntN(len(locs))], Required: r.IntN(4) > 0}
		for m.Working = randomHours(r); m.Working.IsZero(); m.Working = randomHours(r) {
		}
		if office && m.Required {
			m.Location = team.Location
			start := Clock(7*60 + r.IntN(13)*15)
			m.Working = WeeklyHours{}
			for _, d := range mondayFirst[:5] {
				m.Working[d] = []ClockRange{{start, start + Clock(8*60+r.IntN(9)*15)}}
			}
		}
		if r.IntN(2) == 0 {
			m.Preferred = randomHours(r)
		}
		span := int(to.Sub(from).Minutes()) + 2*minutesPerDay
		for range r.IntN(30) {
			start := from.Add(time.Duration(r.IntN(span)-minutesPerDay) * time.Minute)
			if r.IntN(5) == 0 {
				start = start.Add(time.Duration(r.Int64N(int64(time.Minute)))) // off the second
			}
			length := time.Duration(5*(1+r.IntN(36))) * time.Minute
			if r.IntN(20) == 0 {
				length = -length * time.Duration(r.IntN(2)) // takes no time
			}
			m.Busy = append(m.Busy, Event{Start: start, End: start.Add(length), Summary: []string{"standup", "review", "1:1"}[r.IntN(3)]})
		}
		if r.IntN(5) == 0 {
			d := DateOf(from).AddDays(r.IntN(21) - 3)
			m.TimeOff = []DateRange{{d, d.AddDays(r.IntN(4))}}
		}
		team.Members = append(team.Members, m)
	}
	return team
}

// randomHours draws weekly hours, dropping any range that would overlap
// another.
func randomHours(r *rand.Rand) WeeklyHours {
	var w WeeklyHours
	for d := range w {
		if r.IntN(5) == 0 {
			continue
		}
		start := Clock(r.IntN(minutesPerDay/5) * 5)
		if r.IntN(2) == 0 {
			start = start / 30 * 30
		}
		length := Clock(30 + r.IntN(10*12)*5)
		w[d] = append(w[d], ClockRange{start, (start + length) % minutesPerDay})
		if r.IntN(3) == 0 {
			second := (start + length + Clock(15+r.IntN(24)*5)) % minutesPerDay
			w[d] = append(w[d], ClockRange{second, (second + Clock(30+r.IntN(24)*5)) % minutesPerDay})
		}
		if w.Validate() != nil {
			w[d] = nil
		}
	}
	return w
}

// plainSpans lays weekly hours on every date from two days before lo to
// one after hi, each range by the DST rule, then unions them.
func plainSpans(w WeeklyHours, loc *time.Location, lo, hi int64) []span {
	var out []span
	last := DateOf(time.Unix(hi, 0).In(loc)).AddDays(1)
	for d := DateOf(time.Unix(lo, 0).In(loc)).AddDays(-2); !last.Before(d); d = d.AddDays(1) {
		for _, r := range w[d.Weekday()] {
			end := d
			if r.End <= r.Start {
				end = d.AddDays(1)
			}
			out = append(out, span{wallToUnix(d, int(r.Start), loc), wallToUnix(end, int(r.End), loc)})
		}
	}
	return plainUnion(out)
}

// plainUnion sorts spans and joins those that overlap or touch.
func plainUnion(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var out []span
	for _, s := range spans {
		switch {
		case s.end <= s.start:
		case len(out) > 0 && s.start <= out[len(out)-1].end:
			out[len(out)-1].end = max(out[len(out)-1].end, s.end)
		default:
			out = append(out, s)
		}
	}
	return out
}

// plainOverlap is how many seconds of s the sorted, disjoint spans cover.
func plainOverlap(spans []span, s span) int64 {
	var total int64
	for i := sort.Search(len(spans), func(i int) bool { return spans[i].end > s.start }); i < len(spans) && spans[i].start < s.end; i++ {
		total += min(spans[i].end, s.end) - max(spans[i].start, s.start)
	}
	return total
}

// plainMember is one member's hours, time off and busy time, as spans.
type plainMember struct {
	working, preferred, timeOff, busy []span
}

func newPlainMember(m Member, lo, hi int64) plainMember {
	p := plainMember{working: plainSpans(m.Working, m.Location, lo, hi), preferred: plainSpans(m.Preferred, m.Location, lo, hi)}
	if m.Preferred.IsZero() {
		p.preferred = p.working
	}
	for _, off := range m.TimeOff {
		p.timeOff = append(p.timeOff, span{wallToUnix(off.Start, 0, m.Location), wallToUnix(off.End.AddDays(1), 0, m.Location)})
	}
	p.timeOff = plainUnion(p.timeOff)
	for _, b := range m.Busy {
		p.busy = append(p.busy, plainBusy(b))
	}
	p.busy = plainUnion(p.busy)
	return p
}

// availableAt is the definition: working, not busy, not off.
func (p plainMember) availableAt(t int64) bool {
	at := span{t, t + 1}
	return plainOverlap(p.working, at) > 0 && plainOverlap(p.busy, at) == 0 && plainOverlap(p.timeOff, at) == 0
}

// plainSegment is a stretch of time with the same members available.
type plainSegment struct {
	span
	available string // ids joined by spaces, in team order
}

// plainHeatMap cuts [lo, hi) at every instant where any member's working
// hours, busy time or time off starts or ends, asks each member at the
// start of each piece, and joins neighbours with the same answer.
func plainHeatMap(team Team, lo, hi int64) []plainSegment {
	members := make([]plainMember, len(team.Members))
	cuts := []int64{lo, hi}
	for i, m := range team.Members {
		members[i] = newPlainMember(m, lo, hi)
		for _, spans := range [][]span{members[i].working, members[i].busy, members[i].timeOff} {
			for _, s := range spans {
				for _, t := range []int64{s.start, s.end} {
					if t > lo && t < hi {
						cuts = append(cuts, t)
					}
				}
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []plainSegment
	for i := range len(cuts) - 1 {
		var ids []string
		for m, p := range members {
			if p.availableAt(cuts[i]) {
				ids = append(ids, team.Members[m].ID)
			}
		}
		available := strings.Join(ids, " ")
		if n := len(out); n > 0 && out[n-1].available == available {
			out[n-1].end = cuts[i+1]
			continue
		}
		out = append(out, plainSegment{span{cuts[i], cuts[i+1]}, available})
	}
	return out
}

// plainWeeks counts whole weeks from the Monday on or before from's date in
// loc until they pass to's last instant, rounded up to whole cycles.
func plainWeeks(loc *time.Location, cycle int, from, to time.Time) (monday Date, count int) {
	monday = DateOf(from.In(loc))
	for monday.Weekday() != time.Monday {
		monday = monday.AddDays(-1)
	}
	last := DateOf(to.Add(-time.Second).In(loc))
	for count = 1; !last.Before(monday.AddDays(7*count)) || count%cycle != 0; count++ {
	}
	return monday, count
}

// plainInstance is one occurrence of a window over the burden weeks.
type plainInstance struct {
	span
	window  int
	inRange bool
}

// plainInstances lays the core hours on every date of the burden weeks.
func plainInstances(core CoreHours, loc *time.Location, from, to time.Time) []plainInstance {
	monday, weeks := plainWeeks(loc, core.CycleWeeks, from, to)
	lo, hi := wallToUnix(monday, 0, loc), wallToUnix(monday.AddDays(7*weeks), 0, loc)
	var out []plainInstance
	for d := monday; d.Before(monday.AddDays(7 * weeks)); d = d.AddDays(1) {
		for i, w := range core.Windows {
			if w.Week != CycleWeek(d, core.CycleWeeks) || w.Weekday != WeekdayKey(d.Weekday()) {
				continue
			}
			start := wallToUnix(d, int(w.Start), loc)
			s := span{start, start + int64(w.End-w.Start)*60}
			if s.start >= lo && s.end <= hi {
				out = append(out, plainInstance{s, i, s.start >= from.Unix() && s.end <= to.Unix()})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b plainInstance) int { return cmp.Compare(a.start, b.start) })
	return out
}

// plainMeasure measures core hours one occurrence and one member at a time:
// who attends, who has a conflict and why, the score, and each member's
// burden over the burden weeks.
func plainMeasure(team Team, core CoreHours, from, to time.Time) (list []Occurrence, score Score, burden []MemberBurden) {
	_, weeks := plainWeeks(team.Location, core.CycleWeeks, from, to)
	instances := plainInstances(core, team.Location, from, to)
	lo, hi := from.Unix(), to.Unix()
	if len(instances) > 0 {
		lo, hi = min(lo, instances[0].start), max(hi, instances[len(instances)-1].end)
	}
	members := make([]plainMember, len(team.Members))
	for i, m := range team.Members {
		members[i] = newPlainMember(m, lo-secondsPerDay, hi+secondsPerDay)
	}
	required, need := quorumNeed(team)
	outside, burdenSeconds, burdenPreferred := make([]int64, len(members)), make([]int64, len(members)), make([]int64, len(members))
	firstUTC := map[int]int64{}
	attended, quorate := 0, 0
	for _, in := range instances {
		occurrence := Occurrence{Window: in.window, Attendees: []string{}, Conflicts: []Conflict{}, OutsideHours: []string{}}
		occurrence.Start, occurrence.End = in.times()
		insideRequired := 0
		for i, p := range members {
			m := team.Members[i]
			length, work, pref := in.end-in.start, plainOverlap(p.working, in.span), plainOverlap(p.preferred, in.span)
			off := plainOverlap(p.timeOff, in.span) > 0
			if !off {
				burdenSeconds[i] += length - work
				burdenPreferred[i] += length - pref
			}
			if !in.inRange {
				continue
			}
			outside[i] += length - work
			score.PreferredMinutes += int(pref / 60)
			if work == length && m.Required {
				insideRequired++
			}
			switch busy := firstBusy(m.Busy, in.span); {
			case off:
				occurrence.Conflicts = append(occurrence.Conflicts, Conflict{Member: m.ID, Reason: "time_off"})
			case busy != nil:
				occurrence.Conflicts = append(occurrence.Conflicts, Conflict{Member: m.ID, Reason: "busy", Summary: busy.Summary})
			case work == length:
				occurrence.Attendees = append(occurrence.Attendees, m.ID)
				if m.Required {
					attended++
				}
			default:
				occurrence.OutsideHours = append(occurrence.OutsideHours, m.ID)
			}
		}
		if !in.inRange {
			continue
		}
		if insideRequired >= need {
			quorate++
		}
		if first, seen := firstUTC[in.window]; !seen {
			firstUTC[in.window] = in.start % secondsPerDay
		} else if in.start%secondsPerDay != first {
			score.UTCShifts++
		}
		list = append(list, occurrence)
	}
	score.MeetsQuorum = len(list) > 0 && quorate == len(list)
	score.setAttendance(attended, required*len(list))
	for i, m := range team.Members {
		score.OutsideWorkingMinutes += int(outside[i] / 60)
		minutes := burdenSeconds[i] / 60
		burden = append(burden, MemberBurden{
			Member:                         m.ID,
			OutsideWorkingMinutesPerWeek:   round2(float64(minutes) / float64(weeks)),
			OutsidePreferredMinutesPerWeek: round2(float64(burdenPreferred[i]/60) / float64(weeks)),
			InconvenientMinutes:            int(minutes),
		})
	}
	return list, score, burden
}

// plainBusy is every second an event touches; nothing when it takes no
// time.
func plainBusy(e Event) span {
	if !e.Start.Before(e.End) {
		return span{}
	}
	return span{e.Start.Unix(), e.End.Add(time.Second - 1).Unix()}
}

// firstBusy is the busy event reported for s: of those overlapping it and
// taking time, the first by start, end and summary.
func firstBusy(busy []Event, s span) *Event {
	var first *Event
	for i, b := range busy {
		bs := plainBusy(b)
		if bs.end > bs.start && bs.start < s.end && s.start < bs.end && (first == nil || compareBusy(&busy[i], first) < 0) {
			first = &busy[i]
		}
	}
	return first
}

// plainRotation tries every pair of an even-week and a different odd-week
// start for windows of length quarters, each costed member by member over
// the rotation's burden weeks, and keeps the fairest: pairs keeping the
// quorum first, all pairs when none does.
func plainRotation(team Team, length int, from, to time.Time) (even, odd int, ok bool) {
	starts := quarters - length + 1
	cores := make([][rotationWeeks]CoreHours, starts)
	for q := range starts {
		for week := range rotationWeeks {
			cores[q][week] = CoreHours{CycleWeeks: rotationWeeks, Windows: dailyWindows(team.Policy, week, q, length)}
		}
	}
	monday, weeks := plainWeeks(team.Location, rotationWeeks, from, to)
	lo, hi := wallToUnix(monday, 0, team.Location), wallToUnix(monday.AddDays(7*weeks), 0, team.Location)
	members := make([]plainMember, len(team.Members))
	for i, m := range team.Members {
		members[i] = newPlainMember(m, lo, hi)
	}
	_, need := quorumNeed(team)
	// cost[week][q][m]: minutes outside working hours; quorate[week][q]:
	// every occurrence keeps the quorum inside; seen: it has occurrences.
	var cost [rotationWeeks][][]int64
	var quorate, seen [rotationWeeks][]bool
	for week := range rotationWeeks {
		cost[week], quorate[week], seen[week] = make([][]int64, starts), make([]bool, starts), make([]bool, starts)
		for q := range starts {
			cost[week][q], quorate[week][q] = make([]int64, len(members)), true
			for _, in := range plainInstances(cores[q][week], team.Location, from, to) {
				seen[week][q] = true
				inside := 0
				for i, p := range members {
					work := plainOverlap(p.working, in.span)
					cost[week][q][i] += in.end - in.start - work
					if work == in.end-in.start && team.Members[i].Required {
						inside++
					}
				}
				quorate[week][q] = quorate[week][q] && inside >= need
			}
		}
	}
	// The fairest is the first pair, in order of a then b, with the
	// smallest worst member's minutes, then variance, then total.
	type key struct {
		worst    int64
		variance float64
		sum      int64
	}
	best := key{worst: 1 << 62}
	for _, withQuorum := range []bool{true, false} {
		for a := range starts {
			for b := range starts {
				if a == b || !seen[0][a] || !seen[1][b] || withQuorum && !(quorate[0][a] && quorate[1][b]) {
					continue
				}
				var worst, sum, sumSq int64
				for i := range members {
					x := cost[0][a][i]/60 + cost[1][b][i]/60
					worst, sum, sumSq = max(worst, x), sum+x, sumSq+x*x
				}
				k := key{worst, variance(int64(len(members)), sum, sumSq), sum}
				if cmp.Or(cmp.Compare(k.worst, best.worst), cmp.Compare(k.variance, best.variance), cmp.Compare(k.sum, best.sum)) < 0 {
					best, even, odd, ok = k, a, b, true
				}
			}
		}
		if ok {
			break
		}
	}
	return even, odd, ok
}
