package calendar_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"overlap/calendar"
)

func ExampleWriteFeed() {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		log.Fatal(err)
	}
	stamp := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) // stored with the slot, not the clock
	start := time.Date(2025, 3, 4, 18, 30, 0, 0, kolkata)
	feed := calendar.Feed{
		ProdID:      "-//Overlap//Overlap//EN",
		Name:        "Platform team core hours",
		Description: "Live time for the platform team.\nEverything else is async.",
		Zone:        kolkata,
		Refresh:     time.Hour,
		Events: []calendar.FeedEvent{{
			UID:         "slot-2025-03-04@overlap.example",
			Sequence:    2,
			Start:       start,
			End:         start.Add(time.Hour),
			Summary:     "Core hours: release review",
			Description: "Agenda:\n1. Release 4.2: go, or no go?\n2. On-call hand-over; rota for April",
			URL:         "https://overlap.example/teams/platform/slots/2025-03-04",
			Status:      "CONFIRMED",
			Stamp:       stamp,
			Categories:  []string{"Core hours", "Platform"},
		}, {
			UID:          "slot-2025-03-05@overlap.example",
			Start:        start.AddDate(0, 0, 1),
			End:          start.AddDate(0, 0, 1).Add(time.Hour),
			Summary:      "Core hours — cancelled, go async",
			Status:       "CANCELLED",
			Stamp:        stamp,
			LastModified: stamp.Add(26 * time.Hour),
		}},
	}
	var out strings.Builder
	if err := calendar.WriteFeed(&out, feed); err != nil {
		log.Fatal(err)
	}
	// The feed ends its lines with CRLF; shown here with LF.
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//Overlap//Overlap//EN
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// NAME:Platform team core hours
	// X-WR-CALNAME:Platform team core hours
	// DESCRIPTION:Live time for the platform team.\nEverything else is async.
	// X-WR-CALDESC:Live time for the platform team.\nEverything else is async.
	// X-WR-TIMEZONE:Asia/Kolkata
	// REFRESH-INTERVAL;VALUE=DURATION:PT1H
	// X-PUBLISHED-TTL:PT1H
	// BEGIN:VTIMEZONE
	// TZID:Asia/Kolkata
	// X-LIC-LOCATION:Asia/Kolkata
	// BEGIN:STANDARD
	// DTSTART:20240101T000000
	// TZOFFSETFROM:+0530
	// TZOFFSETTO:+0530
	// TZNAME:IST
	// END:STANDARD
	// END:VTIMEZONE
	// BEGIN:VEVENT
	// UID:slot-2025-03-04@overlap.example
	// DTSTAMP:20250301T080000Z
	// DTSTART;TZID=Asia/Kolkata:20250304T183000
	// DTEND;TZID=Asia/Kolkata:20250304T193000
	// SEQUENCE:2
	// STATUS:CONFIRMED
	// SUMMARY:Core hours: release review
	// DESCRIPTION:Agenda:\n1. Release 4.2: go\, or no go?\n2. On-call hand-over\;
	//   rota for April
	// URL;VALUE=URI:https://overlap.example/teams/platform/slots/2025-03-04
	// CATEGORIES:Core hours,Platform
	// TRANSP:OPAQUE
	// END:VEVENT
	// BEGIN:VEVENT
	// UID:slot-2025-03-05@overlap.example
	// DTSTAMP:20250301T080000Z
	// DTSTART;TZID=Asia/Kolkata:20250305T183000
	// DTEND;TZID=Asia/Kolkata:20250305T193000
	// SEQUENCE:0
	// STATUS:CANCELLED
	// SUMMARY:Core hours — cancelled\, go async
	// LAST-MODIFIED:20250302T100000Z
	// TRANSP:TRANSPARENT
	// END:VEVENT
	// END:VCALENDAR
}
