// Package servicetest builds realistic teams for benchmarks and load tests:
// members spread over the world's zones, each with an iCalendar file as
// calendar apps export them (zoned recurring meetings, a daily stand-up,
// one-off meetings, a moved and a cancelled occurrence).
package servicetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Zones are 24 zones spread around the globe, including half- and
// quarter-hour offsets and both hemispheres' DST.
var Zones = []string{
	"America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
	"America/Santiago", "Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Helsinki",
	"Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Singapore", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney",
	"Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham",
}

// Member is one generated person: the fields of the API's member and the
// text of their calendar.
type Member struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Timezone string `json:"timezone"`
	ICS      string `json:"-"`
}

// Team is a generated team.
type Team struct {
	Name     string   `json:"name"`
	Timezone string   `json:"timezone"`
	Members  []Member `json:"members"`
}

// NewTeam generates a team of n members from seed, whose calendars hold
// about 25 busy instances a week from the week of from onwards.
func NewTeam(seed uint64, n int, from time.Time) Team {
	r := rand.New(rand.NewPCG(seed, 1))
	team := Team{Name: "Generated", Timezone: Zones[r.IntN(len(Zones))]}
	for i := range n {
		zone := Zones[r.IntN(len(Zones))]
		email := fmt.Sprintf("member%04d@example.com", i)
		team.Members = append(team.Members, Member{
			ID: fmt.Sprintf("m%04d", i), Name: fmt.Sprintf("Member %d", i), Email: email, Timezone: zone,
			ICS: calendarText(r, email, zone, from),
		})
	}
	return team
}

// File is the team in the shape of a team file, each member naming
// calendars[i] as their calendar.
func (t Team) File(calendars []string) ([]byte, error) {
	type fileMember struct {
		Member
		Calendars []string `json:"calendars"`
	}
	out := struct {
		Name     string       `json:"name"`
		Timezone string       `json:"timezone"`
		Members  []fileMember `json:"members"`
	}{Name: t.Name, Timezone: t.Timezone}
	for i, m := range t.Members {
		out.Members = append(out.Members, fileMember{Member: m, Calendars: []string{calendars[i]}})
	}
	return json.MarshalIndent(out, "", "  ")
}

// calendarText writes one member's calendar: a weekday stand-up, eight
// weekly meetings of 30 to 90 minutes, a fortnightly one with a moved and a
// cancelled occurrence, and ten one-off meetings a week for twelve weeks.
func calendarText(r *rand.Rand, email, zone string, from time.Time) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	monday := from.In(loc)
	monday = time.Date(monday.Year(), monday.Month(), monday.Day()-int(monday.Weekday()+6)%7, 0, 0, 0, 0, loc)
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Overlap//servicetest//EN\r\n")
	event := func(uid, summary string, start time.Time, minutes int, extra ...string) {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:%s\r\n", uid, summary)
		fmt.Fprintf(&b, "DTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n", zone, start.Format("20060102T150405"), zone, start.Add(time.Duration(minutes)*time.Minute).Format("20060102T150405"))
		fmt.Fprintf(&b, "ORGANIZER:mailto:%s\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:%s\r\n", email, email)
		for _, line := range extra {
			b.WriteString(line + "\r\n")
		}
		b.WriteString("END:VEVENT\r\n")
	}
	at := func(day, minutes int) time.Time {
		return monday.AddDate(0, 0, day).Add(time.Duration(minutes) * time.Minute)
	}
	event(email+"-standup", "Stand-up", at(0, 9*60+30), 15, "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
	for k := range 8 {
		days := []string{"MO", "TU", "WE", "TH", "FR"}
		event(fmt.Sprintf("%s-weekly-%d", email, k), "Weekly sync", at(r.IntN(5), (10+r.IntN(7))*60+r.IntN(4)*15), 30*(1+r.IntN(3)),
			"RRULE:FREQ=WEEKLY;BYDAY="+days[r.IntN(5)]+","+days[r.IntN(5)])
	}
	review := at(3, 14*60)
	event(email+"-review", "Design review", review, 60, "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "EXDATE;TZID="+zone+":"+review.AddDate(0, 0, 14).Format("20060102T150405"))
	fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s-review\r\nRECURRENCE-ID;TZID=%s:%s\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Design review (moved)\r\nDTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\nEND:VEVENT\r\n",
		email, zone, review.AddDate(0, 0, 28).Format("20060102T150405"), zone, review.AddDate(0, 0, 29).Format("20060102T150405"), zone, review.AddDate(0, 0, 29).Add(time.Hour).Format("20060102T150405"))
	for k := range 120 {
		event(fmt.Sprintf("%s-single-%d", email, k), "Meeting", at(7*(k/10)+r.IntN(5), (9+r.IntN(8))*60+r.IntN(4)*15), 30*(1+r.IntN(2)))
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}
