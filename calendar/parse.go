package calendar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"strings"
	"sync"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
)

// Parse reads an iCalendar file. It returns a *LimitError when the file is
// over limits, a *ParseError (with the line) when it is not iCalendar, and
// keeps problems that do not prevent reading it as Warnings (READING.md
// lists which is which). It stops with ctx.Err() when ctx is done.
//
// The file is split into its components and content lines here, not by
// go-ical's decoder, which reports no line numbers, panics on some malformed
// parameters and takes time quadratic in a parameter's length. Each
// component is decoded on its own, so memory stays proportional to one.
func Parse(ctx context.Context, r io.Reader, limits Limits) (*Calendar, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := readLimited(r, limits.MaxBytes)
	if err != nil {
		return nil, err
	}
	data = strings.TrimPrefix(data, "\uFEFF")
	if err := checkText(data); err != nil {
		return nil, err
	}

	roots, err := splitComponents(data)
	if err != nil {
		return nil, err
	}
	events := 0
	for _, root := range roots {
		for _, child := range root.children {
			if child.name == ical.CompEvent {
				events++
			}
		}
	}
	if events > limits.MaxEvents {
		return nil, &LimitError{Limit: "events", Max: int64(limits.MaxEvents)}
	}

	p := &parser{ctx: ctx, data: data, cal: &Calendar{}, interned: map[string]string{}, rules: map[string]parsedRule{}}
	p.resolver = &zoneResolver{vtimezones: map[string]*vtimezone{}, gen: newGenerator(ctx, vtimezoneBudget, p.warn)}
	for _, root := range roots {
		if err := p.readRoot(root); err != nil {
			return nil, err
		}
	}
	return p.cal, nil
}

// chunk is one component in the file: its byte range.
type chunk struct {
	name       string
	line       int // line of BEGIN
	begin, end int // bytes of the component, END line included
	children   []*chunk
	rootProps  []logicalLine // VCALENDAR only: its own content lines
	implicit   bool          // VCALENDAR only: the file has bare components
}

// logicalLine is one unfolded content line (RFC 5545 §3.1).
type logicalLine struct {
	line       int
	begin, end int // bytes, folded continuation lines included
}

// splitComponents finds the VCALENDAR components and their direct children.
// An END that names no open component (a misspelt END:VTOOD) closes the
// innermost one, as in ical.js; one that names an outer component leaves
// the inner ones unclosed, which is an error.
func splitComponents(data string) ([]*chunk, error) {
	var roots []*chunk
	var stack []*chunk
	lastLine := 0
	for ll := range logicalLines(data) {
		lastLine = ll.line
		text := unfold(data[ll.begin:ll.end])
		if strings.TrimSpace(text) == "" {
			continue
		}
		name, value := contentNameValue(text)
		switch name {
		case "BEGIN":
			if !validComponentName(value) {
				return nil, &ParseError{Line: ll.line, Message: fmt.Sprintf("BEGIN with an invalid component name %s", quote(value))}
			}
			comp := &chunk{name: strings.ToUpper(value), line: ll.line, begin: ll.begin}
			if len(stack) == 0 && comp.name != ical.CompCalendar {
				// A bare VEVENT or VTIMEZONE (no VCALENDAR around it), as
				// ical.js reads it: give it an implicit calendar.
				root := &chunk{name: ical.CompCalendar, line: ll.line, implicit: true}
				roots = append(roots, root)
				stack = append(stack, root)
			}
			switch len(stack) {
			case 0:
				roots = append(roots, comp)
			case 1:
				stack[0].children = append(stack[0].children, comp)
			}
			stack = append(stack, comp)
		case "END":
			if len(stack) == 0 {
				return nil, &ParseError{Line: ll.line, Message: fmt.Sprintf("END:%s without BEGIN", quote(value))}
			}
			innermost := stack[len(stack)-1]
			if !strings.EqualFold(value, innermost.name) && isOpen(stack, value) {
				return nil, &ParseError{Line: innermost.line, Message: fmt.Sprintf("BEGIN:%s is not closed: END:%s on line %d comes first", innermost.name, strings.ToUpper(value), ll.line)}
			}
			innermost.end = ll.end
			stack = stack[:len(stack)-1]
			if len(stack) == 1 && stack[0].implicit {
				stack = stack[:0]
			}
		default:
			if len(stack) == 0 {
				return nil, &ParseError{Line: ll.line, Message: fmt.Sprintf("content line %s outside VCALENDAR", quote(text))}
			}
			if len(stack) == 1 {
				stack[0].rootProps = append(stack[0].rootProps, ll)
			}
		}
	}
	if len(stack) > 0 {
		innermost := stack[len(stack)-1]
		return nil, &ParseError{Line: innermost.line, Message: fmt.Sprintf("BEGIN:%s is not closed: the file ends first", innermost.name)}
	}
	if len(roots) == 0 {
		return nil, &ParseError{Line: max(lastLine, 1), Message: "no VCALENDAR"}
	}
	return roots, nil
}

// isOpen reports whether a component named name is open.
func isOpen(stack []*chunk, name string) bool {
	for _, c := range stack {
		if strings.EqualFold(c.name, name) {
			return true
		}
	}
	return false
}

// validComponentName checks the iana-token and x-name grammar of RFC 5545
// §3.1: letters, digits and "-".
func validComponentName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// logicalLines yields the unfolded content lines of data: a physical line
// starting with a space or tab continues the previous one (RFC 5545 §3.1).
func logicalLines(data string) func(yield func(logicalLine) bool) {
	return func(yield func(logicalLine) bool) {
		current := logicalLine{begin: -1}
		lineNo := 0
		for pos := 0; pos < len(data); {
			lineNo++
			end := strings.IndexByte(data[pos:], '\n')
			next := len(data)
			if end >= 0 {
				next = pos + end + 1
			}
			isContinuation := data[pos] == ' ' || data[pos] == '\t'
			if isContinuation && current.begin >= 0 {
				current.end = next
			} else {
				if current.begin >= 0 && !yield(current) {
					return
				}
				current = logicalLine{line: lineNo, begin: pos, end: next}
			}
			pos = next
		}
		if current.begin >= 0 {
			yield(current)
		}
	}
}

// unfold joins a logical line's physical lines, dropping each line end and
// the space or tab that starts a continuation.
func unfold(text string) string {
	first, rest, folded := strings.Cut(text, "\n")
	if !folded || len(rest) == 0 {
		return strings.TrimSuffix(first, "\r")
	}
	var b strings.Builder
	b.Grow(len(text))
	b.WriteString(strings.TrimSuffix(first, "\r"))
	for len(rest) > 0 {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		b.WriteString(strings.TrimSuffix(line[1:], "\r"))
	}
	return b.String()
}

// checkText refuses bytes that are not UTF-8, and NUL: RFC 5545 §3.1.4
// makes UTF-8 the only charset and §3.3.11 excludes control characters
// (and PostgreSQL cannot store either in TEXT).
func checkText(data string) error {
	if utf8.ValidString(data) && strings.IndexByte(data, 0) < 0 {
		return nil
	}
	for i, r := range data {
		bad := ""
		switch {
		case r == 0:
			bad = "a NUL"
		case r == utf8.RuneError && !strings.HasPrefix(data[i:], "\uFFFD"):
			bad = "not UTF-8"
		}
		if bad != "" {
			return &ParseError{Line: strings.Count(data[:i], "\n") + 1, Message: fmt.Sprintf("byte %d of the file is %s", i, bad)}
		}
	}
	return nil
}

// copyBuffers spare each read of a file its own copy buffer.
var copyBuffers = sync.Pool{New: func() any {
	buf := make([]byte, 32<<10)
	return &buf
}}

// readLimited reads r whole as text, refusing more than max bytes with a
// *LimitError. It reads in one allocation when r knows its size.
func readLimited(r io.Reader, max int64) (string, error) {
	var b strings.Builder
	switch sized := r.(type) {
	case interface{ Len() int }:
		b.Grow(int(min(int64(sized.Len()), max) + 1))
	case interface{ Stat() (fs.FileInfo, error) }:
		if info, err := sized.Stat(); err == nil && info.Mode().IsRegular() {
			b.Grow(int(min(info.Size(), max) + 1))
		}
	}
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	n, err := io.CopyBuffer(&b, io.LimitReader(r, max+1), *buf)
	if err != nil {
		return "", fmt.Errorf("calendar: reading: %w", err)
	}
	if n > max {
		return "", &LimitError{Limit: "bytes", Max: max}
	}
	return b.String(), nil
}

// contentNameValue returns an unfolded content line's upper-cased name and
// the text after its first colon, enough to follow BEGIN/END nesting. Its
// name is the one decodeContentLine finds.
func contentNameValue(s string) (string, string) {
	i := strings.IndexAny(s, ";:")
	if i < 0 {
		return strings.ToUpper(strings.TrimSpace(s)), ""
	}
	name := strings.ToUpper(s[:i])
	_, value, _ := strings.Cut(s, ":")
	return name, strings.TrimSpace(value)
}

// decodeContentLine splits an unfolded content line as RFC 5545 §3.1 (and
// go-ical) does: name *(";" param) ":" value, param = name "=" values,
// each a quoted string or text without ";,:" and quotes. The value is left
// escaped: ical.Prop's methods decode it.
func decodeContentLine(s string) (ical.Prop, error) {
	i := strings.IndexAny(s, ";:")
	switch {
	case i < 0:
		return ical.Prop{}, errors.New("malformed content line: missing colon")
	case i == 0:
		return ical.Prop{}, errors.New("malformed content line: empty property name")
	}
	prop := ical.Prop{Name: strings.ToUpper(s[:i])}
	s = s[i:]
	for len(s) > 0 && s[0] == ';' {
		s = s[1:]
		eq := strings.IndexByte(s, '=')
		switch {
		case eq < 0:
			return ical.Prop{}, errors.New("malformed parameter: missing equal sign")
		case eq == 0:
			return ical.Prop{}, errors.New("malformed parameter: empty parameter name")
		}
		name := strings.ToUpper(s[:eq])
		s = s[eq+1:]
		for {
			var value string
			var err error
			if value, s, err = cutParamValue(s); err != nil {
				return ical.Prop{}, err
			}
			if prop.Params == nil {
				prop.Params = ical.Params{}
			}
			prop.Params[name] = append(prop.Params[name], value)
			if len(s) == 0 {
				return ical.Prop{}, errors.New("malformed parameter: the line ends in it")
			}
			if s[0] != ',' {
				break
			}
			s = s[1:]
		}
		if s[0] != ';' && s[0] != ':' {
			return ical.Prop{}, fmt.Errorf("malformed parameter: unexpected %s after a value", quote(s[:1]))
		}
	}
	if len(s) == 0 || s[0] != ':' {
		return ical.Prop{}, errors.New("malformed property: expected colon")
	}
	prop.Value = s[1:]
	return prop, nil
}

// cutParamValue cuts one parameter value off the start of s.
func cutParamValue(s string) (value, rest string, err error) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", "", errors.New("malformed parameter value: unterminated quoted string")
		}
		return s[1 : 1+end], s[2+end:], nil
	}
	end := strings.IndexAny(s, `";,:`)
	if end < 0 {
		return s, "", nil
	}
	if s[end] == '"' {
		return "", "", errors.New("malformed parameter value: illegal double-quote")
	}
	return s[:end], s[end:], nil
}

// component is one decoded component: its properties, each with its line,
// and its sub-components.
type component struct {
	name string
	line int // of BEGIN
	// props are in file order; a component has a handful, so a scan by
	// name costs less than a map built for each of thousands of events.
	props    []property
	children []*component
}

// property is a content line and where it is.
type property struct {
	ical.Prop
	line int
}

// get is the first property named name, or nil.
func (c *component) get(name string) *property {
	for i := range c.props {
		if c.props[i].Name == name {
			return &c.props[i]
		}
	}
	return nil
}

// each yields every property named name, in file order.
func (c *component) each(name string) iter.Seq[*property] {
	return func(yield func(*property) bool) {
		for i := range c.props {
			if c.props[i].Name == name && !yield(&c.props[i]) {
				return
			}
		}
	}
}

// text is the decoded text of the first property named name, or "".
// value is a property's raw value, for one that is not TEXT (ORGANIZER is
// a CAL-ADDRESS, which go-ical's Text refuses, building an error each time).
func (c *component) value(name string) string {
	if prop := c.get(name); prop != nil {
		return strings.TrimSpace(prop.Value)
	}
	return ""
}

// text is a TEXT property's value, unescaped (RFC 5545 §3.3.11).
func (c *component) text(name string) string {
	prop := c.get(name)
	if prop == nil {
		return ""
	}
	text, err := prop.Text()
	if err != nil {
		return strings.TrimSpace(prop.Value)
	}
	return strings.TrimSpace(text)
}

// decodeChunk decodes the component c of data; splitComponents has checked
// that its BEGIN and END lines nest.
func decodeChunk(data string, c *chunk) (*component, error) {
	var root *component
	var stack []*component
	for ll := range logicalLines(data[c.begin:c.end]) {
		line := c.line + ll.line - 1
		text := unfold(data[c.begin+ll.begin : c.begin+ll.end])
		if strings.TrimSpace(text) == "" {
			continue
		}
		prop, err := decodeContentLine(text)
		if err != nil {
			return nil, &ParseError{Line: line, Message: err.Error()}
		}
		switch prop.Name {
		case "BEGIN":
			comp := &component{name: strings.ToUpper(strings.TrimSpace(prop.Value)), line: line}
			if len(stack) == 0 {
				root = comp
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, comp)
			}
			stack = append(stack, comp)
		case "END":
			stack = stack[:len(stack)-1]
		default:
			top := stack[len(stack)-1]
			top.props = append(top.props, property{Prop: prop, line: line})
		}
	}
	return root, nil
}

// parser carries the state of one Parse call.
type parser struct {
	ctx           context.Context
	data          string // the whole file: every value read is a part of it
	cal           *Calendar
	resolver      *zoneResolver
	anonymousUIDs int
	interned      map[string]string
	rules         map[string]parsedRule
}

// intern shares one copy of text that repeats across events (organizers and
// attendees), which also frees the content line it was cut from.
func (p *parser) intern(s string) string {
	if shared, ok := p.interned[s]; ok {
		return shared
	}
	s = strings.Clone(s)
	p.interned[s] = s
	return s
}

func (p *parser) warn(line int, format string, args ...any) {
	p.cal.warnings.add(line, format, args...)
}

func (p *parser) readRoot(root *chunk) error {
	for _, ll := range root.rootProps {
		text := unfold(p.data[ll.begin:ll.end])
		if name, _ := contentNameValue(text); name != "X-WR-TIMEZONE" {
			continue
		}
		prop, err := decodeContentLine(text)
		if err != nil {
			return &ParseError{Line: ll.line, Message: err.Error()}
		}
		name := strings.TrimSpace(prop.Value)
		if loc := loadIANA(name); loc != nil {
			p.cal.floatingZone = loc
		} else {
			p.warn(ll.line, "X-WR-TIMEZONE %s is not an IANA zone; floating times use the member's zone", quote(name))
		}
	}

	// VTIMEZONEs first: events may precede the definitions they use.
	for i, child := range root.children {
		if child.name != ical.CompTimezone {
			continue
		}
		if i%ctxCheckEvery == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		comp, err := decodeChunk(p.data, child)
		if err != nil {
			return err
		}
		if tzid := comp.get(ical.PropTimezoneID); tzid != nil {
			p.resolver.vtimezones[strings.TrimSpace(tzid.Value)] = &vtimezone{comp: comp}
		}
	}
	for i, child := range root.children {
		if child.name != ical.CompEvent {
			continue
		}
		if i%ctxCheckEvery == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		comp, err := decodeChunk(p.data, child)
		if err != nil {
			return err
		}
		if ev := p.readEvent(comp); ev != nil {
			p.cal.events = append(p.cal.events, ev)
		}
	}
	return nil
}
