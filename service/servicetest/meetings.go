package servicetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// NewMeetingTeam generates a team of n members, in squads of eight, whose
// calendars share their meetings as a company's do: each meeting is in
// the calendar of every member it invites, under one UID. A member has
// about 25 busy instances a week from the week of from on, for five
// weeks: the squad's daily stand-up (one day cancelled, one moved, one
// declined), its weekly sync, retrospective and 1:1s with the lead, design
// reviews and demos with neighbouring squads, coffee with people across
// the team, a monthly all-hands, one-off meetings with titles of every
// kind, and focus time of their own.
func NewMeetingTeam(seed uint64, n int, from time.Time) Team {
	r := rand.New(rand.NewPCG(seed, 2))
	team := Team{Name: "Generated", Timezone: Zones[r.IntN(len(Zones))]}
	g := &meetingGenerator{r: r, calendars: make([]strings.Builder, n)}
	for i := range n {
		g.members = append(g.members, Member{
			ID: fmt.Sprintf("m%04d", i), Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("member%04d@example.com", i),
			Timezone: Zones[r.IntN(len(Zones))],
		})
		g.calendars[i].WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Overlap//servicetest meetings//EN\r\n")
	}
	for squad := 0; squad < n; squad += squadSize {
		g.squadMeetings(squad, from)
	}
	g.companyMeetings(from)
	for i := range g.members {
		g.calendars[i].WriteString("END:VCALENDAR\r\n")
		g.members[i].ICS = g.calendars[i].String()
	}
	team.Members = g.members
	return team
}

const (
	squadSize      = 8
	generatedWeeks = 5
)

// oneOffTitles name one-off meetings of every kind review tells apart.
var oneOffTitles = []string{
	"Status update", "RFC review: caching", "Vendor decision", "Incident triage", "Roadmap discussion", "Customer call",
	"Interview: frontend", "Product demo prep", "Planning workshop", "Budget sign-off", "Hiring sync", "Architecture chat",
}

type meetingGenerator struct {
	r         *rand.Rand
	members   []Member
	calendars []strings.Builder
	uids      int
}

// meetingSpec is one meeting to write into its members' calendars.
type meetingSpec struct {
	summary   string
	organizer int
	members   []int
	others    []string // invited addresses outside the team
	start     time.Time
	minutes   int
	rule      string // RRULE value, "" for a one-off meeting
	agenda    bool
	exdate    time.Time
	moved     time.Time   // an occurrence moved half an hour later
	declined  map[int]int // member → days after start of the occurrence they decline
}

// squadMeetings writes the meetings of the squad starting at member first.
func (g *meetingGenerator) squadMeetings(first int, from time.Time) {
	squad := g.span(first, squadSize)
	neighbours := g.span(first, 2*squadSize)
	lead := squad[0]
	at := func(day, minutes int) time.Time {
		return g.monday(lead, from).AddDate(0, 0, day).Add(time.Duration(minutes) * time.Minute)
	}
	standup := at(0, 9*60+30)
	g.write(meetingSpec{summary: "Daily stand-up", organizer: lead, members: squad, start: standup, minutes: 15,
		rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", exdate: standup.AddDate(0, 0, 9), moved: standup.AddDate(0, 0, 3),
		declined: map[int]int{squad[len(squad)-1]: 8}})
	g.write(meetingSpec{summary: "Weekly sync", organizer: lead, members: squad, start: at(1, 11*60), minutes: 30, rule: "FREQ=WEEKLY", agenda: true})
	g.write(meetingSpec{summary: "Sprint retro", organizer: lead, members: squad, start: at(4, 14*60), minutes: 60, rule: "FREQ=WEEKLY;INTERVAL=2"})
	g.write(meetingSpec{summary: "Design review", organizer: lead, members: neighbours, start: at(2, 15*60), minutes: 60, rule: "FREQ=WEEKLY", agenda: true})
	g.write(meetingSpec{summary: "Product demo", organizer: lead, members: g.span(first, 3*squadSize), start: at(3, 16*60), minutes: 45,
		rule: "FREQ=WEEKLY;INTERVAL=2", others: []string{"sales@example.org"}})
	for _, m := range squad[1:] {
		g.write(meetingSpec{summary: "1:1", organizer: lead, members: []int{lead, m}, start: at(g.r.IntN(5), (12+g.r.IntN(4))*60), minutes: 30, rule: "FREQ=WEEKLY"})
	}
	for week := range generatedWeeks {
		for range 2 * squadSize {
			organizer := neighbours[g.r.IntN(len(neighbours))]
			attendees := []int{organizer}
			for _, m := range neighbours {
				if m != organizer && g.r.IntN(len(neighbours)) < 4 {
					attendees = append(attendees, m)
				}
			}
			start := g.monday(organizer, from).AddDate(0, 0, 7*week+g.r.IntN(5)).Add(time.Duration(9*60+g.r.IntN(28)*15) * time.Minute)
			g.write(meetingSpec{summary: oneOffTitles[g.r.IntN(len(oneOffTitles))], organizer: organizer, members: attendees, start: start,
				minutes: 30 * (1 + g.r.IntN(2)), agenda: g.r.IntN(2) == 0})
		}
	}
	for _, m := range squad {
		g.write(meetingSpec{summary: "Focus time", organizer: m, members: []int{m}, start: g.monday(m, from).AddDate(0, 0, 1).Add(13 * time.Hour),
			minutes: 120, rule: "FREQ=WEEKLY;BYDAY=TU,TH"})
	}
}

// companyMeetings writes the meetings across squads: coffee for four
// people picked anywhere, and the monthly all-hands everyone is invited
// to (through a list address, so each calendar names only its owner).
func (g *meetingGenerator) companyMeetings(from time.Time) {
	n := len(g.members)
	for range n / 8 {
		people := []int{g.r.IntN(n), g.r.IntN(n), g.r.IntN(n), g.r.IntN(n)}
		g.write(meetingSpec{summary: "Virtual coffee", organizer: people[0], members: unique(people),
			start: g.monday(people[0], from).AddDate(0, 0, 2).Add(15 * time.Hour), minutes: 30, rule: "FREQ=WEEKLY"})
	}
	uid := g.uid()
	start := g.monday(0, from).AddDate(0, 0, 17).Add(17 * time.Hour)
	for m := range g.members {
		g.event(m, uid, meetingSpec{summary: "Company all-hands", organizer: 0, members: []int{0, m}, others: []string{"everyone@example.com"},
			start: start, minutes: 60, rule: "FREQ=MONTHLY;BYDAY=3TH", agenda: true}, nil, "")
	}
}

// span is up to size members from first, wrapping around the team.
func (g *meetingGenerator) span(first, size int) []int {
	out := make([]int, 0, size)
	for i := range min(size, len(g.members)) {
		out = append(out, (first+i)%len(g.members))
	}
	return out
}

func unique(members []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, m := range members {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// monday is midnight starting the week of from in member m's zone.
func (g *meetingGenerator) monday(m int, from time.Time) time.Time {
	loc, err := time.LoadLocation(g.members[m].Timezone)
	if err != nil {
		panic(err)
	}
	t := from.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()-int(t.Weekday()+6)%7, 0, 0, 0, 0, loc)
}

func (g *meetingGenerator) uid() string {
	g.uids++
	return fmt.Sprintf("meeting-%06d@example.com", g.uids)
}

// write puts the meeting into the calendar of each member it invites,
// with its cancelled, moved and declined occurrences.
func (g *meetingGenerator) write(s meetingSpec) {
	uid := g.uid()
	for _, m := range s.members {
		g.event(m, uid, s, nil, "")
		if !s.moved.IsZero() {
			moved := s
			moved.start = s.moved.Add(30 * time.Minute)
			g.event(m, uid, moved, &s.moved, "")
		}
		if days, ok := s.declined[m]; ok {
			occurrence := s.start.AddDate(0, 0, days)
			declined := s
			declined.start = occurrence
			g.event(m, uid, declined, &occurrence, g.members[m].Email)
		}
	}
}

// event writes one VEVENT of s into member m's calendar: the series, or
// the override of the occurrence at recurrenceID; decliner's attendance
// is DECLINED.
func (g *meetingGenerator) event(m int, uid string, s meetingSpec, recurrenceID *time.Time, decliner string) {
	b := &g.calendars[m]
	zone := g.members[s.organizer].Timezone
	local := func(t time.Time) string { return t.In(s.start.Location()).Format("20060102T150405") }
	fmt.Fprintf(b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:%s\r\n", uid, s.summary)
	fmt.Fprintf(b, "DTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n", zone, local(s.start), zone, local(s.start.Add(time.Duration(s.minutes)*time.Minute)))
	if recurrenceID != nil {
		fmt.Fprintf(b, "RECURRENCE-ID;TZID=%s:%s\r\n", zone, local(*recurrenceID))
	} else if s.rule != "" {
		fmt.Fprintf(b, "RRULE:%s\r\n", s.rule)
		if !s.exdate.IsZero() {
			fmt.Fprintf(b, "EXDATE;TZID=%s:%s\r\n", zone, local(s.exdate))
		}
	}
	if s.agenda {
		b.WriteString("DESCRIPTION:Agenda in the team doc.\r\n")
	}
	fmt.Fprintf(b, "ORGANIZER:mailto:%s\r\n", g.members[s.organizer].Email)
	if len(s.members) > 1 || len(s.others) > 0 {
		for _, a := range s.members {
			status := "ACCEPTED"
			if g.members[a].Email == decliner {
				status = "DECLINED"
			}
			fmt.Fprintf(b, "ATTENDEE;PARTSTAT=%s:mailto:%s\r\n", status, g.members[a].Email)
		}
		for _, other := range s.others {
			fmt.Fprintf(b, "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:%s\r\n", other)
		}
	}
	b.WriteString("END:VEVENT\r\n")
}
