package calendar

import (
	"strings"
	"unicode"
)

// hasAgenda reports whether a description says anything beyond the
// conferencing details calendar apps write into it: Google Meet's block
// between "-::~:~::~:" lines, Microsoft Teams' block between lines of
// underscores, and the join links, meeting ids, passcodes and dial-in
// numbers of any service. Nearly every invitation carries those, so a bare
// DESCRIPTION says nothing about whether the meeting has an agenda.
func hasAgenda(description string) bool {
	inBlock := false
	for line := range strings.Lines(description) {
		line = strings.TrimSpace(line)
		switch {
		case isBlockFence(line):
			inBlock = !inBlock
		case inBlock, isConferencingLine(line):
		default:
			return true
		}
	}
	return false
}

// isBlockFence is the first or last line of a block of conferencing
// details: Google's "-::~:~::~:…::-" and the underscores of Teams.
func isBlockFence(line string) bool {
	return strings.HasPrefix(line, "-::~:~::~:") || len(line) >= 20 && strings.Trim(line, "_") == ""
}

// conferencingPhrases begin the lines of invitation boilerplate, compared
// in lower case.
var conferencingPhrases = []string{
	"join with google meet", "join by phone", "more phone numbers", "learn more about meet",
	"please do not edit this section", "microsoft teams meeting", "join on your computer",
	"click here to join", "join the meeting now", "download teams", "learn more", "meeting options",
	"meeting id", "passcode", "password", "pin:", "join zoom meeting", "one tap mobile",
	"dial by your location", "find your local number", "join by sip", "join by h.323",
	"join from a video conferencing device", "or call in (audio only)", "phone conference id",
	"view meeting details", "need help?", "for organizers:",
}

// isConferencingLine is a line that only carries how to join: empty, a
// link, a known phrase, "… is inviting you to a scheduled Zoom meeting",
// or more digits than letters (phone numbers, ids).
func isConferencingLine(line string) bool {
	lower := strings.ToLower(line)
	if lower == "" || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") ||
		strings.HasPrefix(lower, "<http") || strings.Contains(lower, "inviting you to a scheduled zoom meeting") {
		return true
	}
	for _, phrase := range conferencingPhrases {
		if strings.HasPrefix(lower, phrase) {
			return true
		}
	}
	letters, digits := 0, 0
	for _, r := range line {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return digits >= letters
}
