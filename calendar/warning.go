package calendar

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// warningList collects warnings, merging those with the same message: a
// file that repeats one problem a thousand times gets one warning with its
// first line and a count.
type warningList struct {
	list  []Warning
	index map[string]int
}

func (w *warningList) add(line int, format string, args ...any) {
	message := fmt.Sprintf(format, args...)
	if _, known := w.index[message]; !known && len(w.list) >= maxWarnings-1 {
		// A file can hold a million distinct bad values: past this many
		// causes, one last warning counts the rest.
		message, line = "more problems of other kinds", 0
	}
	if i, ok := w.index[message]; ok {
		w.list[i].Count++
		return
	}
	if w.index == nil {
		w.index = map[string]int{}
	}
	w.index[message] = len(w.list)
	w.list = append(w.list, Warning{Line: line, Message: message, Count: 1})
}

// maxWarnings bounds the distinct warnings kept, the last one included.
const maxWarnings = 1000

// maxExcerpt bounds how much of the input a message quotes: problem details
// name the problem, they do not echo the file back.
const maxExcerpt = 80

// quote is s for a message: quoted, with control characters escaped, and cut
// to maxExcerpt bytes of input followed by "…".
func quote(s string) string {
	if len(s) <= maxExcerpt {
		return strconv.Quote(s)
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut] + "…")
}
