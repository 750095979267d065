package planner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// title is a meeting title ready for word lists: its words, case-folded
// and without accents, and the whole title folded the same way.
type title struct {
	words  []string
	folded string
}

// newTitle splits s into words at every character that is neither a
// letter, a mark nor a digit, so "Stand-up", "stand up" and "STAND UP"
// are the same two words and "réunion" is "reunion".
func newTitle(s string) title {
	folded := foldText(s)
	return title{words: strings.FieldsFunc(folded, isWordSeparator), folded: folded}
}

func isWordSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
}

// foldText lower-cases s with Unicode case folding ("Straße" and
// "STRASSE" compare equal) and drops accents ("Reunión" is "reunion").
func foldText(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	folded, _, err := transform.String(transform.Chain(cases.Fold(), norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return strings.ToLower(s)
	}
	return folded
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordList finds the words and phrases of one list in titles. A phrase
// matches whole words in a row, so "design doc" matches "Design-Doc
// review" and "sync" does not match "async". Words in scripts written
// without spaces between words (Chinese, Japanese, Thai, …) match anywhere
// in the title instead, since there are no word boundaries to look for.
type wordList struct {
	// byFirst holds each phrase's words, keyed by its first word.
	byFirst map[string][]phrase
	// unspaced are the words in scripts without spaces, folded.
	unspaced []phrase
}

// phrase is one entry of a list: its words and how the list wrote it.
type phrase struct {
	words   []string
	written string
}

func newWordList(entries []string) wordList {
	l := wordList{byFirst: map[string][]phrase{}}
	for _, entry := range entries {
		t := newTitle(entry)
		p := phrase{words: t.words, written: strings.TrimSpace(entry)}
		switch {
		case len(t.words) == 0:
		case isUnspacedScript(t.folded):
			p.words = []string{strings.TrimSpace(t.folded)}
			l.unspaced = append(l.unspaced, p)
		default:
			l.byFirst[t.words[0]] = append(l.byFirst[t.words[0]], p)
		}
	}
	return l
}

// find returns the first entry of the list, as written there, that the
// title holds.
func (l *wordList) find(t *title) (string, bool) {
	for i, w := range t.words {
		for _, p := range l.byFirst[w] {
			if hasWordsAt(t.words, i, p.words) {
				return p.written, true
			}
		}
	}
	for _, p := range l.unspaced {
		if strings.Contains(t.folded, p.words[0]) {
			return p.written, true
		}
	}
	return "", false
}

func hasWordsAt(words []string, at int, want []string) bool {
	if at+len(want) > len(words) {
		return false
	}
	for j, w := range want {
		if words[at+j] != w {
			return false
		}
	}
	return true
}

// isUnspacedScript reports whether s is written in a script that does not
// separate words with spaces.
func isUnspacedScript(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return true
		}
	}
	return false
}
