package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

// The fixture team of testdata/review: seven members in six zones (Berlin
// twice, Paris, New York, Los Angeles, Kolkata, Singapore), each with the
// calendar their app exports — Google Calendar (ana, dev, gus), Outlook
// with Windows zone names and X-MICROSOFT-CDO properties (bo, eli), Apple
// Calendar with VTIMEZONE blocks and X-APPLE properties (chen, fay) — and
// core hours on Tuesday and Thursday 15:00–17:00 Berlin time. The range is
// the four weeks from Monday 2 March 2026, across the US clock change of
// 8 March. Fay is off on Thursday 19 March; Ana prefers to stop at 16:00.
var (
	fixtureFrom = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	fixtureTo   = fixtureFrom.AddDate(0, 0, 28)
)

const fixtureDir = "testdata/review"

// fixtureTeam reads the fixture's team file and calendars as the command
// line does.
func fixtureTeam(t testing.TB) (*service.TeamFile, *service.PlanningTeam) {
	t.Helper()
	return loadTeamFile(t, fixtureDir, mustRead(t, filepath.Join(fixtureDir, "team.json")))
}

// loadTeamFile reads a team file whose calendars are in dir, and loads it
// over the fixture's range; a calendar that reads with warnings fails the
// test.
func loadTeamFile(t testing.TB, dir string, data []byte) (*service.TeamFile, *service.PlanningTeam) {
	t.Helper()
	file, err := service.ReadTeamFile(data)
	if err != nil {
		t.Fatal(err)
	}
	calendars := make([][]service.CalendarReader, len(file.Members))
	for i, names := range file.Calendars {
		for _, name := range names {
			text, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			cal, err := calendar.Parse(context.Background(), strings.NewReader(string(text)), calendar.DefaultLimits)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if w := cal.Warnings(); len(w) > 0 {
				t.Errorf("%s reads with warnings: %v", name, w)
			}
			calendars[i] = append(calendars[i], service.Parsed(cal))
		}
	}
	pt, err := service.New(nil, service.Limits{}, nil).LoadTeamFile(context.Background(), file, calendars, fixtureFrom, fixtureTo)
	if err != nil {
		t.Fatal(err)
	}
	return file, pt
}

func analyzeFixture(t *testing.T) *service.Analysis {
	t.Helper()
	return analyzeTeamFile(t, fixtureDir, string(mustRead(t, filepath.Join(fixtureDir, "team.json"))))
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReviewOfTheFixtureTeam writes down the verdict of every meeting of
// the fixture, the reasons that decide it, and the give-back.
func TestReviewOfTheFixtureTeam(t *testing.T) {
	a := analyzeFixture(t)
	want := []struct {
		summary    string
		verdict    string
		suggestion string
		reasons    string  // codes that must be among the reasons
		giveBack   float64 // person-hours a week
	}{
		// Google, every weekday at 09:30 Berlin, one day cancelled by EXDATE, one moved by RECURRENCE-ID, declined once by Dev.
		{"Daily Stand-up", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring no-agenda", 5.81},
		// Outlook, Mondays 10:00 New York (15:00 UTC, then 14:00 after 8 March): outside Eli's and Dev's hours; 23 March cancelled.
		{"Weekly status update", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring no-agenda many-attendees long outside-hours", 4.5},
		{"Weekly 1:1 Ana / Gus", planner.VerdictKeepLive, "", "one-on-one", 0}, // a room is invited too: still two people
		{"Sync Bo + Eli", planner.VerdictKeepLive, "", "one-on-one", 0},        // Outlook lists the organizer apart
		{"Incident triage", planner.VerdictKeepLive, "", "incident outside-hours", 0},
		{"On-call handover", planner.VerdictKeepLive, "", "incident", 0},
		{"Sprint retrospective", planner.VerdictKeepLive, "", "retrospective", 0},
		{"Virtual coffee ☕", planner.VerdictKeepLive, "", "social", 0},
		{"Interview: Backend engineer (Sam Ortiz)", planner.VerdictKeepLive, "", "interview", 0},
		{"Company All-Hands", planner.VerdictGoAsync, planner.SuggestRecordedVideo, "one-way recurring many-attendees long outside-hours outside-core-hours", 1.5},
		{"Product demo", planner.VerdictGoAsync, planner.SuggestRecordedVideo, "one-way recurring", 1.69},
		{"RFC review: storage engine", planner.VerdictGoAsync, planner.SuggestDocComments, "review-by-meeting no-agenda long outside-hours", 1.25},
		{"Design review", planner.VerdictGoAsync, planner.SuggestDocComments, "review-by-meeting recurring", 3},
		{"Go/no-go decision: v2 launch", planner.VerdictGoAsync, planner.SuggestDecisionLog, "decision-title no-agenda outside-hours", 0.5},
		{"Architecture decision: message queue", planner.VerdictKeepLive, "", "decision-title", 0}, // 3, below 4
		{"Wöchentliche Abstimmung", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring", 1.5},
		{"Point hebdo de l'équipe", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring no-agenda", 1.5},
		{"Reunión de estado LATAM", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring no-agenda", 1},
		{"週次進捗確認", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring outside-hours", 1},
		// Thursdays 11:00 New York: 17:00 Berlin before 8 March, outside Ana's and Gus's hours and the core hours.
		{"Roadmap discussion", planner.VerdictMoveIntoCoreHours, "", "outside-hours outside-core-hours", 0},
		{"Capacity planning", planner.VerdictKeepLive, "", "long outside-core-hours", 0},
		{"Customer call: Acme", planner.VerdictKeepLive, "", "outside-core-hours", 0},
		{"Bug triage", planner.VerdictKeepLive, "", "incident", 0}, // attendees named by urn:uuid with EMAIL
		{"Team lunch 🍜", planner.VerdictKeepLive, "", "social", 0},
		{"Weekly report", planner.VerdictGoAsync, planner.SuggestWrittenStandup, "status-title recurring many-attendees outside-hours", 3.5},
		{"Webinar: new pricing", planner.VerdictKeepLive, "", "one-way", 0},
		{"Kickoff: Project Atlas", planner.VerdictKeepLive, "", "workshop", 0},
		{"Office hours", planner.VerdictMoveIntoCoreHours, "", "recurring long outside-hours outside-core-hours", 0},
	}
	got := map[string]planner.MeetingReview{}
	for _, m := range a.Meetings {
		if _, twice := got[m.Summary]; twice {
			t.Errorf("%q is two meetings", m.Summary)
		}
		got[m.Summary] = m
	}
	for _, w := range want {
		m, ok := got[w.summary]
		if !ok {
			t.Errorf("%q is missing from the review", w.summary)
			continue
		}
		delete(got, w.summary)
		var codes []string
		for _, r := range m.Reasons {
			codes = append(codes, r.Code)
		}
		for _, code := range strings.Fields(w.reasons) {
			if !slices.Contains(codes, code) {
				t.Errorf("%q: reasons %v lack %s", w.summary, codes, code)
			}
		}
		if m.Verdict != w.verdict || m.Suggestion != w.suggestion || m.PersonHoursPerWeek != w.giveBack {
			t.Errorf("%q: %s %q giving back %v; want %s %q giving back %v\n%s", w.summary, m.Verdict, m.Suggestion, m.PersonHoursPerWeek,
				w.verdict, w.suggestion, w.giveBack, m.Explanation)
		}
	}
	for summary := range got {
		t.Errorf("%q is reviewed but not expected", summary)
	}
	// Focus time (Ana's own, Tuesdays and Thursdays) is nobody else's;
	// the offsite is all-day; the cancelled budget review and the
	// marketing sync Bo declined never reach the review at all.
	if want := (planner.NotMeetings{AllDay: 1, OnePerson: 8}); a.NotMeetings != want {
		t.Errorf("not meetings %+v, want %+v", a.NotMeetings, want)
	}
}

// TestGiveBackOfTheFixtureTeam checks the totals against a computation by
// hand, person-minutes over the four weeks:
//
//	Daily Stand-up       15 min × (19 days × 5 − Dev's decline − Fay's day off) = 1395
//	Weekly status update 60 × 3 Mondays (23 March cancelled) × 6                 = 1080
//	Company All-Hands    60 × 1 × 6 (Fay off)                                    =  360
//	Product demo         45 × (5 + 4 with Fay off on 19 March)                   =  405
//	RFC review           60 × 5                                                  =  300
//	Design review        45 × 4 (17 March moved to the 18th) × 4                 =  720
//	Go/no-go decision    30 × 4                                                  =  120
//	Abstimmung           30 × 4 × 3                                              =  360
//	Point hebdo          30 × 4 × 3                                              =  360
//	Reunión de estado    30 × 4 × 2                                              =  240
//	週次進捗確認           30 × 4 × 2                                              =  240
//	Weekly report        30 × 4 × 7                                              =  840
//	total 6420 person-minutes = 107 person-hours, over 4 weeks 26.75 a week.
//
// Ana attends 19×15 + 3×60 + 60 + 2×45 + 60 + 4×45 + 30 + 4×30 + 4×30 + 4×30 = 1245
// minutes of them, 5.19 hours a week; Fay, off on 19 March, 18×15 + 180 +
// 45 + 60 + 180 + 120 + 120 + 120 = 1095, 4.56 a week.
func TestGiveBackOfTheFixtureTeam(t *testing.T) {
	a := analyzeFixture(t)
	if a.TotalPersonHoursPerWeek != 26.75 || a.LoadTotals.GoAsyncHoursPerWeek != 26.75 {
		t.Errorf("total give-back %v (load totals %v), want 26.75", a.TotalPersonHoursPerWeek, a.LoadTotals.GoAsyncHoursPerWeek)
	}
	perMember := map[string]float64{}
	for _, g := range a.GiveBack {
		perMember[g.Member] = g.PersonHoursPerWeek
	}
	if perMember["ana"] != 5.19 || perMember["fay"] != 4.56 {
		t.Errorf("give-back per member %v, want ana 5.19 and fay 4.56", perMember)
	}
	if want := (planner.VerdictCounts{GoAsync: 12, MoveIntoCoreHours: 2, KeepLive: 14}); a.Verdicts != want {
		t.Errorf("verdicts %+v, want %+v", a.Verdicts, want)
	}
}

// TestLoadOfTheFixtureTeam checks the fairness ledger of the fixture's
// core hours (Tuesday and Thursday 14:00–16:00 UTC, 8 slots): 06:00 or
// 07:00 for Eli (early), 22:00 for Chen and 19:30 for Dev (late), and
// 15:00–17:00 for Ana, past her preferred 16:00 (late); Fay is off for one.
func TestLoadOfTheFixtureTeam(t *testing.T) {
	a := analyzeFixture(t)
	var got []string
	for _, ml := range a.Load {
		got = append(got, fmt.Sprintf("%s: %d %d %d %d %d %v", ml.Member, ml.CoreSlots, ml.CoreSlotsOutsideWorking, ml.CoreSlotsOutsidePreferred,
			ml.EarlySlots, ml.LateSlots, ml.InconvenientShare))
	}
	want := []string{"ana: 8 0 8 0 8 0.25", "bo: 8 0 0 0 0 0", "chen: 8 8 8 0 8 0.25", "dev: 8 8 8 0 8 0.25",
		"eli: 8 8 8 8 0 0.25", "fay: 7 0 0 0 0 0", "gus: 8 0 0 0 0 0"}
	if !slices.Equal(got, want) {
		t.Errorf("ledger (slots, outside working, outside preferred, early, late, share)\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if tot := a.LoadTotals; tot.InconvenientSlots != 32 || tot.CoreSlots != 55 || tot.Members != 7 {
		t.Errorf("totals %+v", tot)
	}
}

// storeFixture stores the fixture team through the service: members,
// calendars as imported files, and its core hours adopted when adoptCore.
func storeFixture(t *testing.T, svc *service.Service, file *service.TeamFile, adoptCore bool) string {
	t.Helper()
	ctx := context.Background()
	team, err := svc.CreateTeam(ctx, service.TeamInput{Name: &file.Team.Name, Timezone: &file.Team.Timezone})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range file.Members {
		member, err := svc.CreateMember(ctx, team.ID, service.MemberInput{Name: &m.Name, Email: &m.Email, Timezone: &m.Timezone,
			WorkingHours: m.WorkingHours, PreferredHours: m.PreferredHours, TimeOff: &m.TimeOff})
		if err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(filepath.Join(fixtureDir, file.Calendars[i][0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportCalendar(ctx, team.ID, member.ID, text); err != nil {
			t.Fatal(err)
		}
	}
	if !adoptCore {
		return team.ID
	}
	if _, err := svc.AdoptCoreHours(ctx, team.ID, *file.CoreHours); err != nil {
		t.Fatal(err)
	}
	return team.ID
}

// TestStoredTeamReviewsLikeItsFile stores the fixture team and checks that
// the API's use cases answer what the command line does from the file,
// on both engines.
func TestStoredTeamReviewsLikeItsFile(t *testing.T) {
	fromFile := analyzeFixture(t)
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service.New(s, service.Limits{}, func() time.Time { return fixtureFrom })
		file, _ := fixtureTeam(t)
		teamID := storeFixture(t, svc, file, true)
		review, err := svc.Review(ctx, teamID, fixtureFrom, fixtureTo)
		if err != nil {
			t.Fatal(err)
		}
		load, err := svc.Load(ctx, teamID, fixtureFrom, fixtureTo)
		if err != nil {
			t.Fatal(err)
		}
		members, _, err := svc.FindMembers(ctx, teamID, store.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		// Stored members have ids of their own; the file names them by email's local part.
		var renames []string
		for _, m := range members {
			renames = append(renames, `"`+m.ID+`"`, `"`+strings.TrimSuffix(m.Email, "@overlap.example")+`"`)
		}
		rename := strings.NewReplacer(renames...)
		asJSON := func(v any) string { b, _ := json.Marshal(v); return rename.Replace(string(b)) }
		if got, want := asJSON(review.Review), asJSON(fromFile.Review); got != want {
			t.Errorf("the stored team's review differs from its file's:\n%s\n%s", got, want)
		}
		if got, want := asJSON(load.Members), asJSON(fromFile.Load); got != want {
			t.Errorf("the stored team's load differs from its file's:\n%s\n%s", got, want)
		}
		if len(review.Notices) != 0 || len(load.Notices) != 0 || load.Totals != fromFile.LoadTotals {
			t.Errorf("notices %v %v, totals %+v", review.Notices, load.Notices, load.Totals)
		}
	})
}

// TestGiveBackNeverCountsDeclinedOrCancelled builds random calendars of a
// weekly status meeting, the way apps write them — occurrences cancelled
// by EXDATE or by a STATUS:CANCELLED override, occurrences and whole
// series declined by PARTSTAT=DECLINED in the member's own copy — reads
// them through the service and checks the give-back against a count of
// the occurrences each member really attends.
func TestGiveBackNeverCountsDeclinedOrCancelled(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	for round := range 40 {
		members := 3 + r.IntN(3)
		mondays := []time.Time{}
		for w := range 4 {
			mondays = append(mondays, fixtureFrom.AddDate(0, 0, 7*w).Add(12*time.Hour))
		}
		cancelled := map[int]string{} // occurrence → "exdate" or "override"
		for i := range mondays {
			switch r.IntN(4) {
			case 0:
				cancelled[i] = "exdate"
			case 1:
				cancelled[i] = "override"
			}
		}
		declines := make([][]bool, members) // [member][occurrence]
		wholeSeries := make([]bool, members)
		wantMinutes := 0
		for m := range members {
			declines[m] = make([]bool, len(mondays))
			wholeSeries[m] = r.IntN(6) == 0
			for i := range mondays {
				declines[m][i] = wholeSeries[m] || r.IntN(3) == 0
				if _, gone := cancelled[i]; !gone && !declines[m][i] {
					wantMinutes += 30
				}
			}
		}
		dir := t.TempDir()
		var team strings.Builder
		team.WriteString(`{"name":"Random","timezone":"UTC","members":[`)
		for m := range members {
			if m > 0 {
				team.WriteString(",")
			}
			fmt.Fprintf(&team, `{"id":"m%d","name":"M%d","email":"m%d@example.com","timezone":"UTC","calendars":["m%d.ics"]}`, m, m, m, m)
			text := statusSeries(members, m, mondays, cancelled, declines[m], wholeSeries[m])
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%d.ics", m)), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		team.WriteString("]}")
		a := analyzeTeamFile(t, dir, team.String())
		got := 0.0
		for _, m := range a.Meetings {
			got += m.PersonHoursPerWeek
		}
		if want := math.Round(float64(wantMinutes)/60/4*100) / 100; got != want || a.TotalPersonHoursPerWeek != want {
			t.Fatalf("round %d: give-back %v (total %v), want %v: cancelled %v, declines %v", round, got, a.TotalPersonHoursPerWeek, want, cancelled, declines)
		}
	}
}

// statusSeries is member m's calendar: the weekly status meeting of all
// members, organized by m0, with the cancelled occurrences and m's
// declines.
func statusSeries(members, m int, mondays []time.Time, cancelled map[int]string, declined []bool, wholeSeries bool) string {
	const stamp = "20060102T150405Z"
	var b strings.Builder
	attendees := func(decliner int) {
		for k := range members {
			status := "ACCEPTED"
			if k == decliner {
				status = "DECLINED"
			}
			fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=%s:mailto:m%d@example.com\r\n", status, k)
		}
	}
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:status@example.com\r\nDTSTAMP:20260301T000000Z\r\n")
	fmt.Fprintf(&b, "SUMMARY:Weekly status\r\nDTSTART:%s\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY;COUNT=%d\r\nORGANIZER:mailto:m0@example.com\r\n",
		mondays[0].Format(stamp), len(mondays))
	for i, how := range cancelled {
		if how == "exdate" {
			fmt.Fprintf(&b, "EXDATE:%s\r\n", mondays[i].Format(stamp))
		}
	}
	if wholeSeries {
		attendees(m)
	} else {
		attendees(-1)
	}
	b.WriteString("END:VEVENT\r\n")
	for i, day := range mondays {
		how, gone := cancelled[i]
		if gone && how == "exdate" || !gone && !declined[i] || wholeSeries && !gone {
			continue
		}
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:status@example.com\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Weekly status\r\nRECURRENCE-ID:%s\r\n", day.Format(stamp))
		fmt.Fprintf(&b, "DTSTART:%s\r\nDURATION:PT30M\r\nORGANIZER:mailto:m0@example.com\r\n", day.Format(stamp))
		if gone {
			b.WriteString("STATUS:CANCELLED\r\n")
			attendees(-1)
		} else {
			attendees(m)
		}
		b.WriteString("END:VEVENT\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// analyzeTeamFile analyzes a team file whose calendars are in dir over
// the fixture's range, with the file's own rules.
func analyzeTeamFile(t *testing.T, dir, team string) *service.Analysis {
	t.Helper()
	file, pt := loadTeamFile(t, dir, []byte(team))
	a, err := service.Analyze(context.Background(), pt, service.ReviewRules{CoreHours: file.CoreHours, Settings: file.ReviewSettings})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReviewSettings stores settings, refuses bad ones whole, and checks
// that a review applies the team's settings and, without adopted core
// hours, finds nothing outside them; on both engines.
func TestReviewSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service.New(s, service.Limits{}, func() time.Time { return fixtureFrom })
		file, _ := fixtureTeam(t)
		teamID := storeFixture(t, svc, file, false)
		settings, err := svc.FindReviewSettings(ctx, teamID)
		if err != nil || settings.UpdatedAt != nil || settings.GoAsyncScore != 4 {
			t.Fatalf("a new team's settings: %+v, %v; want the defaults", settings, err)
		}
		bad := planner.DefaultReviewSettings()
		bad.Weights.Long = -1
		var fe *planner.FieldError
		if _, err := svc.PutReviewSettings(ctx, teamID, bad); !errors.As(err, &fe) || fe.Field != "weights.long" {
			t.Errorf("a negative weight: %v, want a field error naming weights.long", err)
		}
		strict := planner.DefaultReviewSettings()
		strict.GoAsyncScore = 100
		if _, err := svc.PutReviewSettings(ctx, teamID, strict); err != nil {
			t.Fatal(err)
		}
		if settings, err = svc.FindReviewSettings(ctx, teamID); err != nil || settings.UpdatedAt == nil || settings.GoAsyncScore != 100 {
			t.Fatalf("stored settings: %+v, %v", settings, err)
		}
		review, err := svc.Review(ctx, teamID, fixtureFrom, fixtureTo)
		if err != nil {
			t.Fatal(err)
		}
		if review.CoreHoursAdopted || review.Verdicts.GoAsync != 0 || review.Verdicts.MoveIntoCoreHours != 0 {
			t.Errorf("with a go-async score of 100 and no core hours: %+v", review.Verdicts)
		}
		for _, m := range review.Meetings {
			for _, r := range m.Reasons {
				if r.Code == "outside-core-hours" {
					t.Errorf("%q is outside core hours the team never adopted", m.Summary)
				}
			}
		}
		for name, call := range map[string]func() error{
			"find settings": func() error { _, err := svc.FindReviewSettings(ctx, "no-such-team"); return err },
			"put settings":  func() error { _, err := svc.PutReviewSettings(ctx, "no-such-team", strict); return err },
			"review":        func() error { _, err := svc.Review(ctx, "no-such-team", fixtureFrom, fixtureTo); return err },
			"load":          func() error { _, err := svc.Load(ctx, "no-such-team", fixtureFrom, fixtureTo); return err },
		} {
			var nf *service.NotFoundError
			if err := call(); !errors.As(err, &nf) || nf.What != "team" {
				t.Errorf("%s of a missing team: %v, want no such team", name, err)
			}
		}
	})
}

// TestTeamFileReviewRules reads a team file's core hours and review
// settings: absent settings take their defaults, bad ones are named.
func TestTeamFileReviewRules(t *testing.T) {
	file, err := service.ReadTeamFile([]byte(`{"name":"T","timezone":"Europe/Berlin","review_settings":{"weights":{"long":0},"words":{"social":["fika"]}},
		"core_hours":{"cycle_weeks":1,"windows":[{"week":0,"weekday":"tue","start":"15:00","end":"17:00"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := file.ReviewSettings
	if s.Weights.Long != 0 || s.Weights.NoAgenda != 2 || !slices.Equal(s.Words.Social, []string{"fika"}) || len(s.Words.Incident) == 0 || file.CoreHours == nil {
		t.Errorf("settings %+v, core hours %+v", s, file.CoreHours)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"name":"T","timezone":"UTC","review_settings":{"go_async_score":0}}`, "review_settings.go_async_score"},
		{`{"name":"T","timezone":"UTC","review_settings":{"words":{"status_title":["ok","…"]}}}`, "review_settings.words.status_title[1]"},
		{`{"name":"T","timezone":"UTC","review_settings":{"weights":{"loud":1}}}`, "review_settings.weights.loud"},
		{`{"name":"T","timezone":"UTC","core_hours":{"cycle_weeks":1,"windows":[{"week":0,"weekday":"sat","start":"10:00","end":"11:00"}]}}`, "core_hours.windows[0].weekday"},
	} {
		_, err := service.ReadTeamFile([]byte(tc.body))
		var fe *planner.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: error %v, want one naming %s", tc.body, err, tc.field)
		}
	}
}
