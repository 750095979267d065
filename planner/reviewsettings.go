package planner

import (
	"fmt"
	"strings"
	"unicode"
)

// ReviewSettings are a team's rules for meeting review: the weight of
// each reason, the score at which a meeting may go async, the thresholds
// of the many-attendees and long rules, and the word lists that titles
// are matched against (whole words, case and accents ignored). A weight
// of 0 turns its rule off; an empty keep-live list turns that kind off.
// DefaultReviewSettings documents every default.
type ReviewSettings struct {
	// GoAsyncScore is the score (the sum of the reasons' weights) from
	// which a meeting whose title says what could replace it goes async.
	GoAsyncScore int `json:"go_async_score"`
	// ManyAttendees is the headcount from which many-attendees applies.
	ManyAttendees int `json:"many_attendees"`
	// LongMinutes is the length from which long applies.
	LongMinutes int           `json:"long_minutes"`
	Weights     ReviewWeights `json:"weights"`
	Words       ReviewWords   `json:"words"`
}

// ReviewWeights weigh the reasons to review a meeting, one per reason
// code: status_title is "status-title", and so on.
type ReviewWeights struct {
	StatusTitle      int `json:"status_title"`
	Recurring        int `json:"recurring"`
	NoAgenda         int `json:"no_agenda"`
	ManyAttendees    int `json:"many_attendees"`
	Long             int `json:"long"`
	OutsideHours     int `json:"outside_hours"`
	OutsideCoreHours int `json:"outside_core_hours"`
	OneWay           int `json:"one_way"`
	ReviewByMeeting  int `json:"review_by_meeting"`
	DecisionTitle    int `json:"decision_title"`
}

// ReviewWords are the word lists titles are matched against. The first
// four name a format that could replace the meeting; the others mark
// meetings that are live on purpose.
type ReviewWords struct {
	StatusTitle     []string `json:"status_title"`
	OneWay          []string `json:"one_way"`
	ReviewByMeeting []string `json:"review_by_meeting"`
	DecisionTitle   []string `json:"decision_title"`
	OneOnOne        []string `json:"one_on_one"`
	Incident        []string `json:"incident"`
	Retrospective   []string `json:"retrospective"`
	Social          []string `json:"social"`
	Interview       []string `json:"interview"`
	Workshop        []string `json:"workshop"`
}

// DefaultReviewSettings are a team's settings until it stores its own.
// The weights make a recurring status meeting (3 + 1) or a one-off status
// meeting without an agenda (3 + 2) reach the go-async score of 4, and
// keep a one-off meeting with an agenda below it. The word lists cover
// English, German, French, Spanish, Portuguese and Japanese.
func DefaultReviewSettings() ReviewSettings {
	return ReviewSettings{
		GoAsyncScore:  4,
		ManyAttendees: 8,
		LongMinutes:   60,
		Weights: ReviewWeights{
			StatusTitle: 3, Recurring: 1, NoAgenda: 2, ManyAttendees: 1, Long: 1,
			OutsideHours: 2, OutsideCoreHours: 1, OneWay: 3, ReviewByMeeting: 3, DecisionTitle: 3,
		},
		Words: ReviewWords{
			StatusTitle: []string{"status", "update", "updates", "sync", "sync-up", "syncup", "stand-up", "standup",
				"daily", "check-in", "checkin", "report", "reporting", "weekly",
				"Abstimmung", "Statusmeeting", "Statusrunde", "Statusupdate", "Wochenmeeting", "Jour fixe",
				"point hebdo", "point d'avancement", "point d'équipe", "réunion hebdomadaire",
				"reunión de estado", "reunión semanal", "seguimiento", "reunião de status", "進捗", "朝会", "定例"},
			OneWay: []string{"all-hands", "allhands", "demo", "demos", "demo day", "presentation", "town hall", "townhall",
				"webinar", "keynote", "fireside chat", "broadcast", "Präsentation", "Vortrag", "Betriebsversammlung",
				"présentation", "webinaire", "réunion plénière", "presentación", "reunión general", "全体会議", "説明会"},
			ReviewByMeeting: []string{"review", "reviews", "feedback", "spec", "specs", "RFC", "design doc", "walkthrough",
				"read-through", "Feedbackrunde", "revue", "relecture", "revisión", "revisão", "レビュー"},
			DecisionTitle: []string{"decision", "decisions", "approval", "sign-off", "signoff", "go/no-go",
				"Entscheidung", "Freigabe", "décision", "decisión", "aprobación", "decisão"},
			OneOnOne: []string{"1:1", "1-1", "1on1", "one-on-one", "1-on-1", "skip-level", "mentoring", "coaching",
				"performance review", "career conversation", "Mitarbeitergespräch", "entretien annuel", "entretien individuel",
				"reunión individual", "個人面談"},
			Incident: []string{"incident", "incidents", "triage", "outage", "on-call", "oncall", "postmortem", "post-mortem",
				"war room", "escalation", "sev0", "sev1", "Störung", "Bereitschaft", "astreinte", "panne", "incidente",
				"guardia", "障害"},
			Retrospective: []string{"retrospective", "retro", "retros", "lessons learned", "Retrospektive", "rétrospective",
				"rétro", "retrospectiva", "振り返り"},
			Social: []string{"coffee", "social", "celebration", "celebrate", "happy hour", "lunch", "farewell",
				"birthday", "team building", "game night", "Kaffee", "Feier", "Geburtstag", "Abschied", "café", "apéro",
				"pot de départ", "fiesta", "celebración", "cumpleaños", "懇親会", "飲み会"},
			Interview: []string{"interview", "interviews", "phone screen", "Vorstellungsgespräch",
				"Bewerbungsgespräch", "entretien d'embauche", "entrevista", "面接"},
			Workshop: []string{"workshop", "brainstorm", "brainstorming", "kickoff", "kick-off", "offsite", "hackathon",
				"design sprint", "atelier", "taller", "ワークショップ"},
		},
	}
}

// Limits of the settings, generous for any real team.
const (
	maxReviewWeight   = 10
	maxGoAsyncScore   = 100
	maxWordsPerList   = 200
	maxWordLength     = 100
	minManyAttendees  = 3
	maxManyAttendees  = 10_000
	maxLongMinutes    = 24 * 60
	minimumLongLength = 5
)

// Validate returns a *FieldError naming the setting at fault, such as
// "weights.no_agenda" or "words.status_title[3]".
func (s ReviewSettings) Validate() error {
	switch {
	case s.GoAsyncScore < 1 || s.GoAsyncScore > maxGoAsyncScore:
		return fieldErrorf("go_async_score", "must be between 1 and %d", maxGoAsyncScore)
	case s.ManyAttendees < minManyAttendees || s.ManyAttendees > maxManyAttendees:
		return fieldErrorf("many_attendees", "must be between %d and %d", minManyAttendees, maxManyAttendees)
	case s.LongMinutes < minimumLongLength || s.LongMinutes > maxLongMinutes:
		return fieldErrorf("long_minutes", "must be between %d and %d", minimumLongLength, maxLongMinutes)
	}
	for _, r := range weightedRules {
		if w := r.weight(&s.Weights); w < 0 || w > maxReviewWeight {
			return fieldErrorf("weights."+r.setting, "must be between 0 and %d", maxReviewWeight)
		}
	}
	for _, r := range titleRules {
		if err := validateWords(r.words(&s.Words)); err != nil {
			return prefixed("words."+r.setting, err)
		}
	}
	return nil
}

func validateWords(words []string) error {
	if len(words) > maxWordsPerList {
		return fieldErrorf("", "must list at most %d words", maxWordsPerList)
	}
	for i, w := range words {
		field := fmt.Sprintf("[%d]", i)
		switch {
		case len(w) > maxWordLength:
			return fieldErrorf(field, "is longer than %d bytes", maxWordLength)
		case strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0:
			return fieldErrorf(field, "must hold a letter or a digit")
		}
	}
	return nil
}
