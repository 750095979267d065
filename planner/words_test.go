package planner

import (
	"regexp"
	"strings"
	"testing"
)

func TestWordList(t *testing.T) {
	tests := []struct {
		words []string
		title string
		want  string // the entry found, "" for none
	}{
		{[]string{"stand-up"}, "Daily Stand-Up", "stand-up"},
		{[]string{"stand-up"}, "STAND UP (Berlin)", "stand-up"},
		{[]string{"stand-up"}, "standup", ""},
		{[]string{"sync"}, "Async updates only", ""},
		{[]string{"sync"}, "Sync/Planning", "sync"},
		{[]string{"review"}, "Reviewer onboarding", ""},
		{[]string{"design doc"}, "Design-Doc review", "design doc"},
		{[]string{"design doc"}, "Design and doc", ""},
		{[]string{"reunión de estado"}, "Reunion de Estado semanal", "reunión de estado"},
		{[]string{"reunion de estado"}, "REUNIÓN DE ESTADO", "reunion de estado"},
		{[]string{"point d'équipe"}, "Point d’équipe", "point d'équipe"},
		{[]string{"Statusmeeting"}, "statusmeeting Q3", "Statusmeeting"},
		{[]string{"Statusmeeting"}, "Teamstatusmeeting", ""},
		{[]string{"Straße"}, "STRASSE der Besten", "Straße"},
		{[]string{"статус"}, "Еженедельный СТАТУС", "статус"},
		{[]string{"進捗"}, "週次進捗確認", "進捗"},
		{[]string{"1:1"}, "1:1 Ana / Bo", "1:1"},
		{[]string{"1:1"}, "Sync at 11:15", ""},
		{[]string{"go/no-go"}, "Go / No Go: launch", "go/no-go"},
		{[]string{"coffee", "party"}, "☕ Coffee chat", "coffee"},
		{[]string{"", " - ", "retro"}, "Retro", "retro"},
	}
	for _, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			list := newWordList(tc.words)
			title := newTitle(tc.title)
			got, found := list.find(&title)
			if got != tc.want || found != (tc.want != "") {
				t.Errorf("%q in %q: %q, %v; want %q", tc.words, tc.title, got, found, tc.want)
			}
		})
	}
}

// FuzzWordList compares the word list with a plain reference: a regular
// expression over the folded title that wants the entry's words in a row,
// separated by anything but letters, marks and digits, and bounded the
// same way; an entry in a script without spaces is looked for anywhere.
func FuzzWordList(f *testing.F) {
	for _, seed := range [][2]string{{"stand-up", "Daily Stand-up"}, {"reunión de estado", "Reunion de estado"},
		{"進捗", "週次進捗確認"}, {"1:1", "11:1"}, {"Straße", "STRASSE"}, {"a\u0301", "á"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, word, title string) {
		if validateWords([]string{word}) != nil {
			return // settings refuse it: too long, or no letter or digit
		}
		list := newWordList([]string{word})
		t0 := newTitle(title)
		_, got := list.find(&t0)
		want := referenceMatch(word, title)
		if got != want {
			t.Errorf("%q in %q: found %v, the reference says %v", word, title, got, want)
		}
	})
}

func referenceMatch(word, title string) bool {
	w := newTitle(word)
	if len(w.words) == 0 {
		return false
	}
	if isUnspacedScript(w.folded) {
		return strings.Contains(foldText(title), strings.TrimSpace(w.folded))
	}
	quoted := make([]string, len(w.words))
	for i, part := range w.words {
		quoted[i] = regexp.QuoteMeta(part)
	}
	sep := `[^\pL\pM\pN]`
	re := regexp.MustCompile(`(^|` + sep + `)` + strings.Join(quoted, sep+`+`) + `(` + sep + `|$)`)
	return re.MatchString(foldText(title))
}
