package calendar

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The descriptions below are as Google Calendar, Outlook with Teams and
// Zoom write them into invitations.
const (
	googleMeetBlock = "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n" +
		"Join with Google Meet: https://meet.google.com/abc-defg-hij\n" +
		"Or dial: (US) +1 234-567-8901 PIN: 123456789#\n" +
		"More phone numbers: https://tel.meet/abc-defg-hij?pin=123456789\n\n" +
		"Learn more about Meet at: https://support.google.com/a/users/answer/9282720\n\n" +
		"Please do not edit this section.\n" +
		"-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
	teamsBlock = "________________________________________________________________________________\n" +
		"Microsoft Teams meeting\n" +
		"Join on your computer, mobile app or room device\n" +
		"Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting>\n" +
		"Meeting ID: 312 456 789 012\nPasscode: Xy7pQ2\n" +
		"Download Teams<https://www.microsoft.com/microsoft-teams/download-app> | Join on the web<https://www.microsoft.com/microsoft-teams/join-a-meeting>\n" +
		"Learn More<https://aka.ms/JoinTeamsMeeting> | Meeting options<https://teams.microsoft.com/meetingOptions/>\n" +
		"________________________________________________________________________________"
	zoomInvite = "Ana Lima is inviting you to a scheduled Zoom meeting.\n\n" +
		"Join Zoom Meeting\nhttps://us02web.zoom.us/j/81234567890?pwd=abc\n\n" +
		"Meeting ID: 812 3456 7890\nPasscode: 123456\n---\nOne tap mobile\n" +
		"+16465588656,,81234567890#,,,,*123456# US (New York)\n\n" +
		"Dial by your location\n        +1 646 558 8656 US (New York)\n" +
		"Find your local number: https://us02web.zoom.us/u/kabc"
)

func TestHasAgenda(t *testing.T) {
	tests := []struct {
		name        string
		description string
		want        bool
	}{
		{"empty", "", false},
		{"only blank lines", "\n \n\t\n", false},
		{"Google Meet details only", googleMeetBlock, false},
		{"Teams details only", teamsBlock, false},
		{"Zoom invitation only", zoomInvite, false},
		{"a bare link", "https://docs.example.com/d/123", false},
		{"agenda above the Meet details", "Agenda:\n1. Q3 numbers\n2. Hiring plan\n\n" + googleMeetBlock, true},
		{"agenda below the Teams details", teamsBlock + "\n\nWe decide on the vendor shortlist.", true},
		{"one sentence", "Walk through the migration plan", true},
		{"not English", "Tagesordnung: Budget 2027", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hasAgenda(tc.description); got != tc.want {
				t.Errorf("hasAgenda(%q) = %v, want %v", tc.description, got, tc.want)
			}
		})
	}
}

// TestAttendeesArePeople pins who counts as an attendee: people who did
// not decline, named by mailto: or by the EMAIL parameter, never rooms or
// equipment; and a decline by the member named only in EMAIL frees them.
func TestAttendeesArePeople(t *testing.T) {
	cal := mustParse(t, vcal(
		vevent("UID:one-on-one", "DTSTART:20240101T090000Z", "DURATION:PT30M", "ORGANIZER:mailto:lead@example.com",
			"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:Lead@Example.com",
			"ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
			"ATTENDEE;CUTYPE=RESOURCE;PARTSTAT=ACCEPTED;CN=Room 4.1:mailto:c_188@resource.calendar.google.com",
			"ATTENDEE;CUTYPE=ROOM:mailto:room-berlin@example.com",
			"ATTENDEE;ROLE=NON-PARTICIPANT:mailto:projector@example.com",
			"ATTENDEE;PARTSTAT=DECLINED:mailto:away@example.com"),
		vevent("UID:caldav", "DTSTART:20240101T100000Z", "DURATION:PT30M",
			`ATTENDEE;CN="Me";EMAIL="me@example.com";PARTSTAT=DECLINED:urn:uuid:5a4d2c1e-0000-4000-8000-000000000001`,
			`ATTENDEE;CN="Lead";EMAIL="lead@example.com";PARTSTAT=ACCEPTED:urn:uuid:5a4d2c1e-0000-4000-8000-000000000002`),
	))
	got := mustExpand(t, cal, utc("2024-01-01T00:00:00Z"), utc("2024-01-02T00:00:00Z"), ExpandOptions{SelfEmails: []string{"me@example.com"}}).Instances
	var lines []string
	for _, in := range got {
		lines = append(lines, in.UID+" busy="+map[bool]string{true: "yes", false: "no"}[in.Busy]+" "+strings.Join(in.Attendees, ","))
	}
	want := []string{
		"one-on-one busy=yes lead@example.com,me@example.com",
		"caldav busy=no lead@example.com",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}
