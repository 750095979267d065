package calendar_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/google/go-cmp/cmp"

	"overlap/calendar"
)

var fuzzZones = []string{
	"Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Europe/Dublin",
	"Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/St_Johns",
	"America/Sao_Paulo", "Pacific/Apia", "Europe/Moscow", "UTC",
}

// FuzzWriteFeed writes feeds of random text, zones and times, and checks
// that the output is folded CRLF text that go-ical and Parse read back to
// the same instants (with the tz database and with the feed's VTIMEZONE),
// and the same text where the input was valid TEXT.
func FuzzWriteFeed(f *testing.F) {
	f.Add("Core hours", "Agenda:\n1. a, b; c\\d", uint8(0), int64(3_920_835_600), uint16(60))
	f.Add(strings.Repeat("Kraków – 会議 – 🎉 ", 6), "x\r\ny\rz", uint8(12), int64(3_623_259_600), uint16(90))
	f.Add(" ", "\x00\xff", uint8(11), int64(3_534_228_000), uint16(1440))
	statuses := []string{"CONFIRMED", "TENTATIVE", "CANCELLED"}
	f.Fuzz(func(t *testing.T, summary, description string, zone uint8, start int64, minutes uint16) {
		name := fuzzZones[int(zone)%len(fuzzZones)]
		feed := calendar.Feed{ProdID: "-//Overlap//Fuzz//EN", Name: summary, Description: description, Zone: mustLoad(t, name), Refresh: time.Hour}
		// Starts from 1900 to 2200, lengths from a minute to a week, overlapping.
		const years300 = 300 * 365 * 24 * 3600
		first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration((start%years300+years300)%years300) * time.Second)
		length := time.Duration(1+int(minutes)%(7*24*60)) * time.Minute
		for i, status := range statuses {
			s := first.Add(time.Duration(i) * length / 2).Truncate(time.Second)
			feed.Events = append(feed.Events, calendar.FeedEvent{
				UID: fmt.Sprintf("fuzz-%d", i), Start: s, End: s.Add(length), Status: status, Stamp: first,
				Summary: summary, Description: description, Categories: []string{summary, description},
			})
		}
		var buf bytes.Buffer
		if err := calendar.WriteFeed(&buf, feed); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		checkLines(t, data)
		want := fuzzInstants(feed.Events)
		if diff := cmp.Diff(want, fuzzDecoded(t, data, summary, description)); diff != "" {
			t.Errorf("go-ical reads (-want +got):\n%s", diff)
		}
		variants := [][]byte{data}
		if name != "UTC" {
			variants = append(variants, customZone(data, name))
		}
		for _, variant := range variants {
			var got []string
			for _, key := range parsedKeys(t, variant, feed.Events) {
				got = append(got, strings.Join(strings.SplitN(key, " ", 3)[:2], " "))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse reads (-want +got):\n%s", diff)
			}
		}
	})
}

// fuzzInstants are sorted "uid start/end" keys.
func fuzzInstants(events []calendar.FeedEvent) []string {
	var keys []string
	for _, ev := range events {
		keys = append(keys, ev.UID+" "+ev.Start.UTC().Format(time.RFC3339)+"/"+ev.End.UTC().Format(time.RFC3339))
	}
	slices.Sort(keys)
	return keys
}

// fuzzDecoded reads a feed with go-ical as fuzzInstants keys, checking that
// text that was valid TEXT comes back with only its line ends normalised.
func fuzzDecoded(t *testing.T, data []byte, summary, description string) []string {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("go-ical Decode: %v", err)
	}
	var keys []string
	for _, ev := range cal.Events() {
		for name, text := range map[string]string{ical.PropSummary: summary, ical.PropDescription: description} {
			got, err := ev.Props.Text(name)
			if want := fuzzNewlines(text); err != nil || validText(text) && got != want {
				t.Errorf("%s reads back as %q (%v), want %q", name, got, err, want)
			}
		}
		uid, _ := ev.Props.Text(ical.PropUID)
		start, err1 := ev.DateTimeStart(nil)
		end, err2 := ev.DateTimeEnd(nil)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", uid, err1, err2)
		}
		keys = append(keys, uid+" "+start.UTC().Format(time.RFC3339)+"/"+end.UTC().Format(time.RFC3339))
	}
	slices.Sort(keys)
	return keys
}

func fuzzNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// validText reports whether s is UTF-8 without the control characters that
// TEXT cannot hold (RFC 5545 §3.3.11), line ends aside.
func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 || r == 0x7f) && r != '\t' && r != '\n' && r != '\r'
	})
}
