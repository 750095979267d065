package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/api"
	"overlap/planner"
	"overlap/service"
	"overlap/store"
	"overlap/store/storetest"
)

// BenchmarkFeedAgainstAnchor serves the feed of a 50-member team over its
// window and, in the same run, a bare Echo handler answering a constant
// body of the same size, and drives both with wrk on loopback. It reports
// both rates and their ratio (the feed should reach 0.7 of the anchor):
//
//	go test ./api -run '^$' -bench FeedAgainstAnchor -benchtime 1x
func BenchmarkFeedAgainstAnchor(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Skip("wrk is not on PATH (apt-get install wrk)")
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			st := engine.Open(b)
			svc := service.New(st, service.Limits{}, nil)
			path := fiftyMemberFeed(b, svc)
			feed := httptest.NewServer(api.New(api.Config{Service: svc, BaseURL: "http://bench"}))
			defer feed.Close()
			res, err := http.Get(feed.URL + path)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("feed: %d %s", res.StatusCode, body)
			}
			anchor := httptest.NewServer(anchorServer(body))
			defer anchor.Close()
			b.ResetTimer()
			anchorRate := wrkRate(b, wrk, anchor.URL+"/anchor.ics")
			feedRate := wrkRate(b, wrk, feed.URL+path)
			b.ReportMetric(anchorRate, "anchor-req/s")
			b.ReportMetric(feedRate, "feed-req/s")
			b.ReportMetric(feedRate/anchorRate, "feed/anchor")
			b.ReportMetric(float64(len(body)), "body-bytes")
		})
	}
}

// anchorServer is the yardstick: a bare Echo handler with a constant body.
func anchorServer(body []byte) http.Handler {
	e := echo.New()
	e.GET("/anchor.ics", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
	})
	return e
}

var wrkRequestsPerSecond = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// wrkRate runs wrk against url and returns its requests per second.
func wrkRate(b *testing.B, wrk, url string) float64 {
	b.Helper()
	out, err := exec.Command(wrk, "-t2", "-c32", "-d5s", url).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	m := wrkRequestsPerSecond.FindSubmatch(out)
	if m == nil {
		b.Fatalf("wrk output without a rate:\n%s", out)
	}
	rate, _ := strconv.ParseFloat(string(m[1]), 64)
	return rate
}

// fiftyMemberFeed makes a team of 50 members in eight zones, some with
// busy calendars, adopts core hours with agendas, and returns the path of
// its team feed.
func fiftyMemberFeed(b *testing.B, svc *service.Service) string {
	b.Helper()
	ctx := context.Background()
	name, zone := "Bench", "Europe/London"
	team, err := svc.CreateTeam(ctx, service.TeamInput{Name: &name, Timezone: &zone})
	if err != nil {
		b.Fatal(err)
	}
	zones := []string{"Europe/London", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Kyiv", "Africa/Lagos", "America/Chicago"}
	var members []string
	for i := range 50 {
		mName, email, mZone := fmt.Sprintf("Member %02d", i), fmt.Sprintf("m%02d@example.com", i), zones[i%len(zones)]
		m, err := svc.CreateMember(ctx, team.ID, service.MemberInput{Name: &mName, Email: &email, Timezone: &mZone})
		if err != nil {
			b.Fatal(err)
		}
		members = append(members, m.ID)
		if i%5 == 0 {
			ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\nUID:weekly-" + m.ID + "\r\nDTSTAMP:20260101T000000Z\r\n" +
				"DTSTART:20260106T140000Z\r\nDTEND:20260106T150000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Customer call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
			if _, err := svc.ImportCalendar(ctx, team.ID, m.ID, []byte(ics)); err != nil {
				b.Fatal(err)
			}
		}
	}
	core := planner.CoreHours{CycleWeeks: 1}
	for _, day := range []string{"mon", "tue", "wed", "thu", "fri"} {
		core.Windows = append(core.Windows, planner.Window{Weekday: day, Start: 14 * 60, End: 16 * 60})
	}
	if _, err := svc.AdoptCoreHours(ctx, team.ID, core); err != nil {
		b.Fatal(err)
	}
	from := time.Now().UTC().Add(48 * time.Hour)
	slots, err := svc.Slots(ctx, team.ID, from, from.Add(21*24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	for i, sl := range slots.Slots {
		in := service.AgendaInput{Title: fmt.Sprintf("Decision %d", i), Owner: members[i%len(members)], Minutes: 30, Kind: "decision", PreReadURL: "https://docs.example.com/d"}
		if _, err := svc.AddAgendaItem(ctx, team.ID, sl.ID, in, store.Actor{KeyID: "bench", Label: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	_, token, err := svc.CreateFeed(ctx, team.ID, "", service.FeedInput{Label: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return "/feeds/" + token + ".ics"
}
