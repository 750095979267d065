package planner

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// reviewMonday starts a week without clock changes anywhere.
var reviewMonday = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// reviewTeam is two members in Berlin, one in New York and one in
// Singapore, all working 09:00–17:00 on weekdays, in a team stated in
// Berlin time.
func reviewTeam(t testing.TB) Team {
	t.Helper()
	team := Team{Location: mustLoad(t, "Europe/Berlin"), Policy: DefaultPolicy()}
	for i, zone := range []string{"Europe/Berlin", "Europe/Berlin", "America/New_York", "Asia/Singapore"} {
		team.Members = append(team.Members, Member{
			ID: fmt.Sprintf("m%d", i), Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%d@example.com", i),
			Location: mustLoad(t, zone), Working: DefaultWorkingHours(), Required: true,
		})
	}
	return team
}

// call is a meeting put into members' calendars: on the given weekdays
// of the review week (0 is Monday), at a UTC time of day.
type call struct {
	uid, title string
	days       []int
	at         time.Duration // after midnight UTC
	minutes    int
	members    []int // in the calendars of these members, the first organizing
	others     int   // invited people outside the team
	agenda     bool
	recurring  bool
}

// invite adds the call's instances to its members' busy events.
func invite(team *Team, c call) {
	attendees := make([]string, 0, len(c.members)+c.others)
	for _, m := range c.members {
		attendees = append(attendees, team.Members[m].Email)
	}
	for i := range c.others {
		attendees = append(attendees, fmt.Sprintf("guest%d@example.org", i))
	}
	for _, m := range c.members {
		for _, d := range c.days {
			start := reviewMonday.AddDate(0, 0, d).Add(c.at)
			e := Event{UID: c.uid, Summary: c.title, Start: start, End: start.Add(time.Duration(c.minutes) * time.Minute),
				Organizer: team.Members[c.members[0]].Email, AttendeeCount: len(attendees), Attendees: attendees,
				HasDescription: c.agenda, Recurring: c.recurring}
			if c.recurring {
				e.RecurrenceID, e.Frequency = start, "WEEKLY"
			}
			team.Members[m].Busy = append(team.Members[m].Busy, e)
		}
	}
}

// analyze reviews the team over the review week.
func analyze(t testing.TB, team Team, core *CoreHours, settings ReviewSettings) Analysis {
	t.Helper()
	a, err := Analyze(context.Background(), ReviewInput{Team: team, Core: core, Settings: settings, From: reviewMonday, To: reviewMonday.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func reasonCodes(m MeetingReview) string {
	codes := make([]string, len(m.Reasons))
	for i, r := range m.Reasons {
		codes[i] = r.Code
	}
	return strings.Join(codes, " ")
}

// tuesdayAfternoon is core hours of Tuesday 14:00–16:00 in Berlin.
var tuesdayAfternoon = &CoreHours{CycleWeeks: 1, Windows: []Window{{Weekday: "tue", Start: 14 * 60, End: 16 * 60}}}

func TestVerdicts(t *testing.T) {
	weekdays := []int{0, 1, 2, 3, 4}
	berliners := []int{0, 1}
	nineBerlin := 8 * time.Hour // 09:00 in Berlin, 03:00 in New York
	tests := []struct {
		name           string
		call           call
		core           *CoreHours
		settings       func(*ReviewSettings)
		wantVerdict    string
		wantSuggestion string
		wantCodes      string
	}{
		{name: "a daily stand-up without agenda goes async",
			call:        call{title: "Daily stand-up", days: weekdays, at: 14 * time.Hour, minutes: 15, members: []int{0, 1, 2}, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring no-agenda"},
		{name: "a one-off status meeting with an agenda stays below the score",
			call:        call{title: "Status update", days: []int{1}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, agenda: true},
			wantVerdict: VerdictKeepLive, wantCodes: "status-title"},
		{name: "two people are a 1:1 whatever the title says",
			call:        call{title: "Weekly status sync", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: berliners, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "one-on-one status-title recurring no-agenda"},
		{name: "one member and one guest are two people",
			call:        call{title: "Weekly status", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: []int{0}, others: 1, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "one-on-one status-title recurring no-agenda"},
		{name: "a 1:1 title keeps three people live",
			call:        call{title: "Weekly 1:1 + HR", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "one-on-one status-title recurring no-agenda"},
		{name: "an incident call stays live",
			call:        call{title: "Incident sync: payments outage", days: weekdays, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "incident status-title recurring no-agenda"},
		{name: "on-call stays live", call: call{title: "On-Call handover", days: []int{4}, at: 14 * time.Hour, minutes: 15, members: []int{0, 1, 2}},
			wantVerdict: VerdictKeepLive, wantCodes: "incident no-agenda"},
		{name: "a retrospective stays live", call: call{title: "Sprint Retro", days: []int{4}, at: 14 * time.Hour, minutes: 60, members: []int{0, 1, 2}, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "retrospective recurring no-agenda long"},
		{name: "social time stays live", call: call{title: "Coffee & updates", days: []int{2}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "social status-title recurring no-agenda"},
		{name: "an interview stays live", call: call{title: "Interview – feedback round", days: []int{2}, at: 14 * time.Hour, minutes: 60, members: []int{0, 1}, others: 1},
			wantVerdict: VerdictKeepLive, wantCodes: "interview review-by-meeting no-agenda long"},
		{name: "a workshop stays live", call: call{title: "Kick-off workshop", days: []int{2}, at: 14 * time.Hour, minutes: 120, members: []int{0, 1, 2}},
			wantVerdict: VerdictKeepLive, wantCodes: "workshop no-agenda long"},
		{name: "a recurring all-hands becomes a recorded video",
			call:        call{title: "All-Hands", days: []int{3}, at: 15 * time.Hour, minutes: 60, members: []int{0, 1, 2}, others: 20, agenda: true, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestRecordedVideo, wantCodes: "one-way recurring many-attendees long"},
		{name: "a spec review without agenda becomes document comments",
			call:        call{title: "Spec review: billing API", days: []int{2}, at: 14 * time.Hour, minutes: 45, members: []int{0, 1, 2}},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestDocComments, wantCodes: "review-by-meeting no-agenda"},
		{name: "a decision meeting without agenda becomes a decision-log entry",
			call:        call{title: "Vendor decision", days: []int{2}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestDecisionLog, wantCodes: "decision-title no-agenda"},
		{name: "German", call: call{title: "Statusmeeting Plattform", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, agenda: true, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring"},
		{name: "French", call: call{title: "POINT HEBDO – équipe", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, agenda: true, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring"},
		{name: "Spanish without accents", call: call{title: "Reunion de estado", days: []int{0}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, agenda: true, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring"},
		{name: "Japanese", call: call{title: "週次進捗確認", days: []int{0}, at: 8 * time.Hour, minutes: 30, members: []int{0, 1, 3}, agenda: true, recurring: true},
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring"},
		{name: "no title words, outside hours and core hours: move into core hours",
			call:        call{title: "Roadmap discussion", days: []int{0}, at: nineBerlin, minutes: 60, members: []int{0, 1, 2}, agenda: true, recurring: true},
			core:        tuesdayAfternoon,
			wantVerdict: VerdictMoveIntoCoreHours, wantCodes: "recurring long outside-hours outside-core-hours"},
		{name: "without core hours there is nothing to move into",
			call:        call{title: "Roadmap discussion", days: []int{0}, at: nineBerlin, minutes: 60, members: []int{0, 1, 2}, agenda: true, recurring: true},
			wantVerdict: VerdictKeepLive, wantCodes: "recurring long outside-hours"},
		{name: "no core window is long enough",
			call:        call{title: "Roadmap discussion", days: []int{0}, at: nineBerlin, minutes: 180, members: []int{0, 1, 2}, agenda: true, recurring: true},
			core:        tuesdayAfternoon,
			wantVerdict: VerdictKeepLive, wantCodes: "recurring long outside-hours outside-core-hours"},
		{name: "inside core hours is not outside them",
			call:        call{title: "Roadmap discussion", days: []int{1}, at: 13 * time.Hour, minutes: 60, members: []int{0, 1}, others: 1, agenda: true},
			core:        tuesdayAfternoon,
			wantVerdict: VerdictKeepLive, wantCodes: "long"},
		{name: "a rule weighing 0 is off",
			call:        call{title: "Daily stand-up", days: weekdays, at: 14 * time.Hour, minutes: 15, members: []int{0, 1, 2}, recurring: true},
			settings:    func(s *ReviewSettings) { s.Weights.StatusTitle = 0 },
			wantVerdict: VerdictKeepLive, wantCodes: "recurring no-agenda"},
		{name: "an empty keep-live list turns that kind off",
			call:        call{title: "Weekly retro", days: []int{4}, at: 14 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true},
			settings:    func(s *ReviewSettings) { s.Words.Retrospective = nil },
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring no-agenda"},
		{name: "a team's own words", call: call{title: "Tuesday huddle", days: []int{1}, at: 14 * time.Hour, minutes: 15, members: []int{0, 1, 2}, recurring: true},
			settings:    func(s *ReviewSettings) { s.Words.StatusTitle = append(s.Words.StatusTitle, "huddle") },
			wantVerdict: VerdictGoAsync, wantSuggestion: SuggestWrittenStandup, wantCodes: "status-title recurring no-agenda"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			team := reviewTeam(t)
			tc.call.uid = "meeting"
			invite(&team, tc.call)
			settings := DefaultReviewSettings()
			if tc.settings != nil {
				tc.settings(&settings)
			}
			review := analyze(t, team, tc.core, settings).Review
			if len(review.Meetings) != 1 {
				t.Fatalf("%d meetings, want 1: %+v", len(review.Meetings), review.Meetings)
			}
			m := review.Meetings[0]
			if m.Verdict != tc.wantVerdict || m.Suggestion != tc.wantSuggestion || reasonCodes(m) != tc.wantCodes {
				t.Errorf("verdict %s %q, reasons %q; want %s %q, reasons %q\n%s", m.Verdict, m.Suggestion, reasonCodes(m),
					tc.wantVerdict, tc.wantSuggestion, tc.wantCodes, m.Explanation)
			}
			if (m.Template != "") != (m.Verdict != VerdictKeepLive) {
				t.Errorf("verdict %s with template %q", m.Verdict, m.Template)
			}
		})
	}
}

// TestReasonDetails pins the sentences that name people and numbers.
func TestReasonDetails(t *testing.T) {
	team := reviewTeam(t)
	// Monday to Friday 08:00 UTC: 03:00 in New York, 16:00 in Singapore.
	invite(&team, call{uid: "standup", title: "Stand-up", days: []int{0, 1, 2, 3, 4}, at: 8 * time.Hour, minutes: 15, members: []int{0, 2, 3}, others: 5, recurring: true})
	settings := DefaultReviewSettings()
	settings.ManyAttendees = 8
	m := analyze(t, team, tuesdayAfternoon, settings).Review.Meetings[0]
	want := map[string]string{
		"status-title":       `The title says "stand-up".`,
		"recurring":          "It recurs weekly: 5 occurrences a week in the range.",
		"no-agenda":          "No agenda: no invitation has a description beyond how to join.",
		"many-attendees":     "8 people are invited; 8 or more count as many.",
		"outside-hours":      "It falls outside the working hours of Member 2 (5 of 5).",
		"outside-core-hours": "5 of 5 occurrences fall outside the team's core hours.",
	}
	for _, r := range m.Reasons {
		if r.Detail != want[r.Code] {
			t.Errorf("%s: %q, want %q", r.Code, r.Detail, want[r.Code])
		}
	}
	if len(m.Reasons) != len(want) {
		t.Errorf("reasons %q, want %d", reasonCodes(m), len(want))
	}
	for _, text := range []string{"Each working day", "1. What did you finish", "within 24 hours"} {
		if !strings.Contains(m.Template, text) {
			t.Errorf("template lacks %q:\n%s", text, m.Template)
		}
	}
}

// TestResponseHoursInTemplates checks that the templates promise the
// team's response time.
func TestResponseHoursInTemplates(t *testing.T) {
	team := reviewTeam(t)
	invite(&team, call{uid: "a", title: "Weekly demo", days: []int{1}, at: 9 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true})
	a, err := Analyze(context.Background(), ReviewInput{Team: team, Settings: DefaultReviewSettings(), ResponseHours: 4, From: reviewMonday, To: reviewMonday.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	if m := a.Review.Meetings[0]; !strings.Contains(m.Template, "within 4 hours") || a.Review.ResponseHours != 4 {
		t.Errorf("response hours %d, template:\n%s", a.Review.ResponseHours, m.Template)
	}
}

// TestMeetingsAreOnePerUID checks the grouping: one meeting across
// calendars, a moved occurrence part of its series, a copy in a second
// calendar of the same member counted once, time off and entries of one
// person left out.
func TestMeetingsAreOnePerUID(t *testing.T) {
	team := reviewTeam(t)
	invite(&team, call{uid: "sync", title: "Team sync", days: []int{0, 2}, at: 9 * time.Hour, minutes: 30, members: []int{0, 1, 2, 3}, recurring: true})
	// Member 1 moved Wednesday's occurrence by an hour in their copy; member 3 has a second calendar with the meeting.
	moved := &team.Members[1].Busy[1]
	moved.Start, moved.End = moved.Start.Add(time.Hour), moved.End.Add(time.Hour)
	team.Members[3].Busy = append(team.Members[3].Busy, team.Members[3].Busy...)
	team.Members[2].TimeOff = []DateRange{{Start: Date{2026, time.January, 7}, End: Date{2026, time.January, 7}}}
	invite(&team, call{uid: "focus", title: "Focus time", days: []int{1}, at: 9 * time.Hour, minutes: 120, members: []int{0}})
	allDay := Event{UID: "holiday", Summary: "Holiday", Start: reviewMonday.AddDate(0, 0, 4), End: reviewMonday.AddDate(0, 0, 5), AllDay: true}
	team.Members[0].Busy = append(team.Members[0].Busy, allDay)
	review := analyze(t, team, nil, DefaultReviewSettings()).Review
	if len(review.Meetings) != 1 {
		t.Fatalf("meetings %+v, want the sync alone", review.Meetings)
	}
	m := review.Meetings[0]
	var occurrences []string
	for _, occ := range m.Occurrences {
		occurrences = append(occurrences, occ.Start.Format("Mon 15:04")+" "+strings.Join(occ.Attendees, ","))
	}
	want := []string{"Mon 09:00 m0,m1,m2,m3", "Wed 09:00 m0,m1,m3"}
	if !slices.Equal(occurrences, want) {
		t.Errorf("occurrences %q, want %q", occurrences, want)
	}
	if m.Attendees.People != 4 || m.Attendees.Others != 0 || strings.Join(m.Attendees.Team, ",") != "m0,m1,m2,m3" {
		t.Errorf("attendees %+v", m.Attendees)
	}
	if got := (NotMeetings{AllDay: 1, OnePerson: 1}); review.NotMeetings != got {
		t.Errorf("not meetings %+v, want %+v", review.NotMeetings, got)
	}
}

// TestGiveBack checks the person-hours by hand: a 30-minute stand-up on
// five days with three members attending, but one member off on Friday,
// is (5×3 − 1) × 0.5 = 7 person-hours a week; a 1:1 gives nothing back.
func TestGiveBack(t *testing.T) {
	team := reviewTeam(t)
	team.Members[1].TimeOff = []DateRange{{Start: Date{2026, time.January, 9}, End: Date{2026, time.January, 9}}}
	invite(&team, call{uid: "standup", title: "Stand-up", days: []int{0, 1, 2, 3, 4}, at: 9 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true})
	invite(&team, call{uid: "one-on-one", title: "Weekly status", days: []int{2}, at: 10 * time.Hour, minutes: 60, members: []int{0, 1}, recurring: true})
	a := analyze(t, team, nil, DefaultReviewSettings())
	if got := a.Review.TotalPersonHoursPerWeek; got != 7 {
		t.Errorf("total give-back %v, want 7", got)
	}
	perMember := map[string]float64{}
	for _, g := range a.Review.GiveBack {
		perMember[g.Member] = g.PersonHoursPerWeek
	}
	if want := map[string]float64{"m0": 2.5, "m1": 2, "m2": 2.5}; fmt.Sprint(perMember) != fmt.Sprint(want) {
		t.Errorf("give-back per member %v, want %v", perMember, want)
	}
	load := map[string]MemberLoad{}
	for _, ml := range a.Load.Members {
		load[ml.Member] = ml
	}
	if got := load["m0"]; got.MeetingHoursPerWeek != 3.5 || got.GoAsyncHoursPerWeek != 2.5 || got.MeetingsAttended != 6 {
		t.Errorf("m0's load %+v, want 3.5 hours a week in 6 meetings, 2.5 given back", got)
	}
	if got := load["m2"]; got.OutsideWorkingHoursPerWeek != 2.5 {
		t.Errorf("m2 attends the 04:00 stand-up outside working hours: %+v", got)
	}
}

// TestPerWeekOverLongRanges checks that figures per week divide by the
// range's weeks, and that a range shorter than a week counts as one.
func TestPerWeekOverLongRanges(t *testing.T) {
	team := reviewTeam(t)
	for week := range 2 {
		invite(&team, call{uid: "standup", title: "Stand-up", days: []int{7*week + 0, 7*week + 2}, at: 9 * time.Hour, minutes: 30, members: []int{0, 1, 2}, recurring: true})
	}
	for _, tc := range []struct {
		days       int
		wantWeeks  float64
		wantPerWk  float64
		wantGiveBk float64
	}{{14, 2, 2, 3}, {3, 1, 2, 3}, {1, 1, 1, 1.5}} {
		a, err := Analyze(context.Background(), ReviewInput{Team: team, Settings: DefaultReviewSettings(), From: reviewMonday, To: reviewMonday.AddDate(0, 0, tc.days)})
		if err != nil {
			t.Fatal(err)
		}
		m := a.Review.Meetings[0]
		if a.Review.Weeks != tc.wantWeeks || m.OccurrencesPerWeek != tc.wantPerWk || m.PersonHoursPerWeek != tc.wantGiveBk {
			t.Errorf("%d days: weeks %v, occurrences a week %v, give-back %v; want %v, %v, %v", tc.days, a.Review.Weeks, m.OccurrencesPerWeek,
				m.PersonHoursPerWeek, tc.wantWeeks, tc.wantPerWk, tc.wantGiveBk)
		}
	}
}

// TestFairnessLedger counts core slots outside each member's hours, early
// and late, and their shares: Tuesday and Thursday 14:00–16:00 in Berlin
// is 08:00–10:00 in New York (early, outside 09:00–17:00) and 21:00–23:00
// in Singapore (late); member 1 prefers 09:00–12:00 (late, outside
// preferred) and is off on Thursday.
func TestFairnessLedger(t *testing.T) {
	team := reviewTeam(t)
	core := &CoreHours{CycleWeeks: 1, Windows: []Window{{Weekday: "tue", Start: 14 * 60, End: 16 * 60}, {Weekday: "thu", Start: 14 * 60, End: 16 * 60}}}
	for _, d := range mondayFirst[:5] {
		team.Members[1].Preferred[d] = []ClockRange{{9 * 60, 12 * 60}}
	}
	team.Members[1].TimeOff = []DateRange{{Start: Date{2026, time.January, 8}, End: Date{2026, time.January, 8}}}
	load := analyze(t, team, core, DefaultReviewSettings()).Load
	var got []string
	for _, ml := range load.Members {
		got = append(got, fmt.Sprintf("%s slots=%d outside=%d/%d early=%d late=%d share=%v", ml.Member, ml.CoreSlots,
			ml.CoreSlotsOutsideWorking, ml.CoreSlotsOutsidePreferred, ml.EarlySlots, ml.LateSlots, ml.InconvenientShare))
	}
	want := []string{
		"m0 slots=2 outside=0/0 early=0 late=0 share=0",
		"m1 slots=1 outside=0/1 early=0 late=1 share=0.2",
		"m2 slots=2 outside=2/2 early=2 late=0 share=0.4",
		"m3 slots=2 outside=2/2 early=0 late=2 share=0.4",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ledger\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if tot := load.Totals; tot.CoreSlots != 7 || tot.InconvenientSlots != 5 || tot.EarlySlots != 2 || tot.LateSlots != 3 || tot.Members != 4 {
		t.Errorf("totals %+v", tot)
	}
}

func TestReviewRefusesBadInput(t *testing.T) {
	team := reviewTeam(t)
	tests := []struct {
		name      string
		in        func(*ReviewInput)
		wantField string
	}{
		{"empty range", func(in *ReviewInput) { in.To = in.From }, "to"},
		{"core hours against the policy", func(in *ReviewInput) {
			in.Core = &CoreHours{CycleWeeks: 1, Windows: []Window{{Weekday: "sat", Start: 600, End: 660}}}
		}, "core_hours.windows[0].weekday"},
		{"a weight out of range", func(in *ReviewInput) { in.Settings.Weights.NoAgenda = 11 }, "review_settings.weights.no_agenda"},
		{"a word without letters", func(in *ReviewInput) { in.Settings.Words.Social = []string{"coffee", " - "} }, "review_settings.words.social[1]"},
		{"too few for many", func(in *ReviewInput) { in.Settings.ManyAttendees = 2 }, "review_settings.many_attendees"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := ReviewInput{Team: team, Settings: DefaultReviewSettings(), From: reviewMonday, To: reviewMonday.AddDate(0, 0, 7)}
			tc.in(&in)
			_, err := Analyze(context.Background(), in)
			if fe, ok := err.(*FieldError); !ok || fe.Field != tc.wantField {
				t.Errorf("err = %v, want a field error naming %s", err, tc.wantField)
			}
		})
	}
}

// TestDefaultReviewSettingsAreValid keeps the defaults within the limits
// the settings are checked against.
func TestDefaultReviewSettingsAreValid(t *testing.T) {
	if err := DefaultReviewSettings().Validate(); err != nil {
		t.Fatal(err)
	}
}

// randomTitle draws a title from every word list, with filler words.
func randomTitle(r *rand.Rand, s *ReviewSettings) string {
	var parts []string
	for range 1 + r.IntN(3) {
		rule := titleRules[r.IntN(len(titleRules))]
		if words := rule.words(&s.Words); len(words) > 0 && r.IntN(3) > 0 {
			parts = append(parts, words[r.IntN(len(words))])
		} else {
			parts = append(parts, []string{"Platform", "Q3", "–", "(weekly)", "Ana/Bo", "📈"}[r.IntN(6)])
		}
	}
	return strings.Join(parts, " ")
}

// randomSettings varies weights, thresholds and the go-async score.
func randomSettings(r *rand.Rand) ReviewSettings {
	s := DefaultReviewSettings()
	s.GoAsyncScore = 1 + r.IntN(8)
	s.ManyAttendees = 3 + r.IntN(10)
	s.LongMinutes = 5 + r.IntN(120)
	for _, p := range []*int{&s.Weights.StatusTitle, &s.Weights.Recurring, &s.Weights.NoAgenda, &s.Weights.ManyAttendees, &s.Weights.Long,
		&s.Weights.OutsideHours, &s.Weights.OutsideCoreHours, &s.Weights.OneWay, &s.Weights.ReviewByMeeting, &s.Weights.DecisionTitle} {
		*p = r.IntN(maxReviewWeight + 1)
	}
	if r.IntN(4) == 0 {
		s.Words.OneOnOne = nil // the headcount alone must still keep two people live
	}
	return s
}

// TestTwoPersonMeetingIsNeverGoAsync is the precision property: whatever
// the title, the settings and the reasons, two people are never told to go
// async.
func TestTwoPersonMeetingIsNeverGoAsync(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 1))
	for i := range 2000 {
		settings := randomSettings(r)
		team := reviewTeam(t)
		c := call{uid: "m", title: randomTitle(r, &settings), at: time.Duration(r.IntN(24*4)) * 15 * time.Minute, minutes: 15 * (1 + r.IntN(12)),
			agenda: r.IntN(2) == 0, recurring: r.IntN(2) == 0}
		for d := range 5 {
			if r.IntN(2) == 0 || d == 4 && len(c.days) == 0 {
				c.days = append(c.days, d)
			}
		}
		ownListsOnly := false
		switch r.IntN(3) {
		case 0:
			c.members = []int{r.IntN(2), 2 + r.IntN(2)}
		case 1:
			c.members, c.others = []int{r.IntN(4)}, 1
		default:
			// Each calendar lists its owner alone, as some published feeds do.
			c.members, ownListsOnly = []int{1, 3}, true
		}
		invite(&team, c)
		if ownListsOnly {
			for _, m := range c.members {
				for e := range team.Members[m].Busy {
					team.Members[m].Busy[e].Attendees = []string{team.Members[m].Email}
				}
			}
		}
		var core *CoreHours
		if r.IntN(2) == 0 {
			core = tuesdayAfternoon
		}
		meetings := analyze(t, team, core, settings).Review.Meetings
		if len(meetings) != 1 {
			t.Fatalf("case %d: %d meetings, want 1", i, len(meetings))
		}
		for _, m := range meetings {
			if m.Attendees.People != 2 {
				t.Fatalf("case %d: %d people, want 2", i, m.Attendees.People)
			}
			if m.Verdict == VerdictGoAsync || m.PersonHoursPerWeek != 0 || !hasReason(m.Reasons, "one-on-one") {
				t.Fatalf("case %d: %q by two people: %s %q, give-back %v, reasons %q", i, m.Summary, m.Verdict, m.Suggestion, m.PersonHoursPerWeek, reasonCodes(m))
			}
		}
	}
}

// TestReviewKeepsItsPromises checks, on random teams and meetings, what
// every review promises: verdicts from the vocabulary, scores that add up,
// give-back only for go-async and adding up to the total, per meeting and
// per member.
func TestReviewKeepsItsPromises(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 1))
	for i := range 300 {
		settings := randomSettings(r)
		team := reviewTeam(t)
		for k := range 1 + r.IntN(8) {
			c := call{uid: fmt.Sprint("m", k), title: randomTitle(r, &settings), at: time.Duration(r.IntN(24*4)) * 15 * time.Minute,
				minutes: 15 * (1 + r.IntN(12)), others: r.IntN(12), agenda: r.IntN(2) == 0, recurring: r.IntN(2) == 0}
			for d := range 7 {
				if r.IntN(3) == 0 {
					c.days = append(c.days, d)
				}
			}
			for m := range team.Members {
				if r.IntN(2) == 0 {
					c.members = append(c.members, m)
				}
			}
			if len(c.members) > 0 {
				invite(&team, c)
			}
		}
		checkReviewPromises(t, fmt.Sprint("case ", i), analyze(t, team, tuesdayAfternoon, settings), settings)
	}
}

func checkReviewPromises(t *testing.T, name string, a Analysis, s ReviewSettings) {
	t.Helper()
	var total float64
	for _, m := range a.Review.Meetings {
		score := 0
		for _, reason := range m.Reasons {
			score += reason.Weight
		}
		keep := slices.ContainsFunc(m.Reasons, func(r Reason) bool { return r.Weight == 0 })
		suggested := slices.Contains([]string{SuggestWrittenStandup, SuggestRecordedVideo, SuggestDocComments, SuggestDecisionLog}, m.Suggestion)
		switch {
		case score != m.Score:
			t.Errorf("%s: %q scores %d, its reasons add up to %d", name, m.Summary, m.Score, score)
		case m.Verdict == VerdictGoAsync && (keep || !suggested || m.Score < s.GoAsyncScore || m.Attendees.People < 3):
			t.Errorf("%s: %q goes async with reasons %q, score %d, %d people", name, m.Summary, reasonCodes(m), m.Score, m.Attendees.People)
		case m.Verdict != VerdictGoAsync && (m.Suggestion != "" || m.PersonHoursPerWeek != 0):
			t.Errorf("%s: %q is %s with suggestion %q and give-back %v", name, m.Summary, m.Verdict, m.Suggestion, m.PersonHoursPerWeek)
		case m.Verdict == VerdictGoAsync && m.PersonHoursPerWeek != m.AttendedHoursPerWeek:
			t.Errorf("%s: %q gives back %v of %v", name, m.Summary, m.PersonHoursPerWeek, m.AttendedHoursPerWeek)
		case m.Verdict == VerdictMoveIntoCoreHours && !(hasReason(m.Reasons, "outside-hours") && hasReason(m.Reasons, "outside-core-hours")):
			t.Errorf("%s: %q moves into core hours with reasons %q", name, m.Summary, reasonCodes(m))
		}
		total += m.PersonHoursPerWeek
	}
	var perMember float64
	for _, g := range a.Review.GiveBack {
		perMember += g.PersonHoursPerWeek
	}
	// Each figure is rounded to hundredths on its own.
	if slack := 0.006 * float64(len(a.Review.Meetings)+len(a.Review.GiveBack)+1); math.Abs(total-a.Review.TotalPersonHoursPerWeek) > slack || math.Abs(perMember-a.Review.TotalPersonHoursPerWeek) > slack {
		t.Errorf("%s: total give-back %v; meetings add up to %v, members to %v", name, a.Review.TotalPersonHoursPerWeek, total, perMember)
	}
	if !slices.IsSortedFunc(a.Review.Meetings, func(x, y MeetingReview) int { return -cmpFloat(x.PersonHoursPerWeek, y.PersonHoursPerWeek) }) {
		t.Errorf("%s: meetings not sorted by give-back", name)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FuzzReview reviews a meeting whose title, headcount, length and times
// the fuzzer chooses, under settings it varies, and checks the review's
// promises; a title from a keep-live list, or two people, never go async.
func FuzzReview(f *testing.F) {
	f.Add("Daily stand-up", uint64(1), uint8(3), uint8(2), uint16(15), uint16(540), true, false)
	f.Add("Weekly 1:1", uint64(2), uint8(1), uint8(1), uint16(30), uint16(600), true, false)
	f.Add("Réunion de l'équipe — point hebdo", uint64(3), uint8(4), uint8(0), uint16(60), uint16(1380), false, true)
	f.Add("週次進捗確認・障害対応", uint64(4), uint8(2), uint8(9), uint16(90), uint16(0), true, true)
	f.Fuzz(func(t *testing.T, title string, seed uint64, members, others uint8, minutes, at uint16, recurring, agenda bool) {
		r := rand.New(rand.NewPCG(seed, 2))
		settings := randomSettings(r)
		team := reviewTeam(t)
		c := call{uid: "fuzzed", title: title, at: time.Duration(at%(24*60)) * time.Minute, minutes: 1 + int(minutes)%(24*60-1),
			others: int(others % 40), agenda: agenda, recurring: recurring, days: []int{r.IntN(5)}}
		for m := range 1 + int(members)%len(team.Members) {
			c.members = append(c.members, m)
		}
		invite(&team, c)
		a := analyze(t, team, tuesdayAfternoon, settings)
		checkReviewPromises(t, "fuzzed", a, settings)
		t0 := newTitle(title)
		for _, m := range a.Review.Meetings {
			for _, rule := range titleRules {
				list := newWordList(rule.words(&settings.Words))
				if _, found := list.find(&t0); found && rule.live != "" && m.Verdict != VerdictKeepLive {
					t.Errorf("%q holds a %s word but is %s", title, rule.code, m.Verdict)
				}
			}
			if m.Attendees.People == 2 && m.Verdict == VerdictGoAsync {
				t.Errorf("%q by two people goes async", title)
			}
		}
	})
}

// TestPermute compares the in-place permutation with building the
// permuted slice anew, on random permutations.
func TestPermute(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	for n := range 40 {
		order := r.Perm(n)
		s := r.Perm(n)
		want := make([]int, n)
		for i, j := range order {
			want[i] = s[j]
		}
		permute(s, order)
		if !slices.Equal(s, want) {
			t.Fatalf("permute with %v: %v, want %v", order, s, want)
		}
	}
}

// TestOutsideHoursAcrossClockChanges reviews two weekly meetings at fixed
// UTC times over the end of daylight saving time in Sydney and on the
// Chatham Islands (both on Sunday 5 April 2026), with a member in
// Kathmandu (UTC+05:45), all working 09:00–17:00. Monday 22:00 UTC is
// Tuesday 09:00 in Sydney before the change and 08:00 after; Monday 20:00
// UTC is 09:45 on the Chatham Islands before and 08:45 after.
func TestOutsideHoursAcrossClockChanges(t *testing.T) {
	team := Team{Location: mustLoad(t, "Australia/Sydney"), Policy: DefaultPolicy()}
	for _, zone := range []string{"Australia/Sydney", "Pacific/Chatham", "Asia/Kathmandu"} {
		city := zone[strings.Index(zone, "/")+1:]
		team.Members = append(team.Members, Member{ID: city, Name: city, Email: strings.ToLower(city) + "@example.com",
			Location: mustLoad(t, zone), Working: DefaultWorkingHours()})
	}
	from := time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC)
	mondays := []int{0, 7, 14, 21}
	for _, c := range []call{
		{uid: "a", title: "Planning", at: 22 * time.Hour},
		{uid: "b", title: "Roadmap", at: 20 * time.Hour},
	} {
		c.days, c.minutes, c.members, c.agenda = mondays, 30, []int{0, 1, 2}, true
		invite(&team, c)
	}
	// invite places calls in the week of reviewMonday; move them to the weeks from 23 March.
	shift := from.Sub(reviewMonday)
	for m := range team.Members {
		for e := range team.Members[m].Busy {
			b := &team.Members[m].Busy[e]
			b.Start, b.End = b.Start.Add(shift), b.End.Add(shift)
		}
	}
	a, err := Analyze(context.Background(), ReviewInput{Team: team, Settings: DefaultReviewSettings(), From: from, To: from.AddDate(0, 0, 28)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Planning": "It falls outside the working hours of Sydney (2 of 4) and Kathmandu (4 of 4).",
		"Roadmap":  "It falls outside the working hours of Sydney (4 of 4), Chatham (2 of 4) and Kathmandu (4 of 4).",
	}
	for _, m := range a.Review.Meetings {
		var got string
		for _, r := range m.Reasons {
			if r.Code == "outside-hours" {
				got = r.Detail
			}
		}
		if got != want[m.Summary] {
			t.Errorf("%s: %q, want %q", m.Summary, got, want[m.Summary])
		}
	}
}
