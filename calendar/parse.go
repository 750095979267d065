package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	ical "github.com/emersion/go-ical"
)

// Parse reads an iCalendar file. It returns a *LimitError when the file is
// over limits, a *ParseError (with the line) when it is not iCalendar, and
// keeps problems that do not prevent reading it as Warnings. It stops with
// ctx.Err() when ctx is done.
//
// go-ical does not report line numbers and builds the whole file as one tree,
// so the file is first split into its top-level components here and each is
// decoded by go-ical on its own: the line of any failure is known and memory
// stays proportional to one component.
func Parse(ctx context.Context, r io.Reader, limits Limits) (*Calendar, error) {
	data, err := io.ReadAll(io.LimitReader(r, limits.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("calendar: reading: %w", err)
	}
	if int64(len(data)) > limits.MaxBytes {
		return nil, &LimitError{Limit: "bytes", Max: limits.MaxBytes}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

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

	p := &parser{ctx: ctx, data: data, cal: &Calendar{}, resolver: &zoneResolver{vtimezones: map[string]*vtimezone{}}, interned: map[string]string{}, rules: map[string]parsedRule{}}
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

// componentLines is where each of a component's own properties sits (go-ical
// keeps properties in a map, losing their order). Found only while the
// component is read, so that a large file does not hold a map per component.
type componentLines struct {
	line  int // of BEGIN
	props map[string][]int
}

func (p *parser) linesOf(c *chunk) componentLines {
	lines := componentLines{line: c.line, props: map[string][]int{}}
	depth := 0
	for ll := range logicalLines(p.data[c.begin:c.end]) {
		text := p.data[c.begin+ll.begin : c.begin+ll.end]
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		switch name, _ := contentNameValue(text); name {
		case "BEGIN":
			depth++
		case "END":
			depth--
		default:
			if depth == 1 {
				lines.props[name] = append(lines.props[name], c.line+ll.line-1)
			}
		}
	}
	return lines
}

func (c componentLines) lineOf(prop string, index int) int {
	if lines := c.props[prop]; index < len(lines) {
		return lines[index]
	}
	return c.line
}

// logicalLine is one unfolded content line (RFC 5545 §3.1).
type logicalLine struct {
	line       int
	begin, end int // bytes, folded continuation lines included
}

// splitComponents finds the VCALENDAR components and their direct children.
func splitComponents(data []byte) ([]*chunk, error) {
	var roots []*chunk
	var stack []*chunk
	lastLine := 0
	for ll := range logicalLines(data) {
		lastLine = ll.line
		text := data[ll.begin:ll.end]
		name, value := contentNameValue(text)
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		switch name {
		case "BEGIN":
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
				return nil, &ParseError{Line: ll.line, Message: fmt.Sprintf("END:%s without BEGIN", value)}
			}
			// A misspelt END (END:VTOOD) still closes the open component, as
			// in ical.js; go-ical rejects it if it ends a component we decode.
			stack[len(stack)-1].end = ll.end
			stack = stack[:len(stack)-1]
			if len(stack) == 1 && stack[0].implicit {
				stack = stack[:0]
			}
		default:
			if len(stack) == 0 {
				return nil, &ParseError{Line: ll.line, Message: "content line outside VCALENDAR"}
			}
			if len(stack) == 1 {
				stack[0].rootProps = append(stack[0].rootProps, ll)
			}
		}
	}
	if len(stack) > 0 {
		return nil, &ParseError{Line: lastLine, Message: fmt.Sprintf("missing END:%s", stack[len(stack)-1].name)}
	}
	if len(roots) == 0 {
		return nil, &ParseError{Line: max(lastLine, 1), Message: "no VCALENDAR"}
	}
	return roots, nil
}

// logicalLines yields the unfolded content lines of data: a physical line
// starting with a space or tab continues the previous one (RFC 5545 §3.1).
func logicalLines(data []byte) func(yield func(logicalLine) bool) {
	return func(yield func(logicalLine) bool) {
		current := logicalLine{begin: -1}
		lineNo := 0
		for pos := 0; pos < len(data); {
			lineNo++
			end := bytes.IndexByte(data[pos:], '\n')
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

// contentNameValue returns a content line's upper-cased name and the text after
// its first colon, enough to follow BEGIN/END nesting.
func contentNameValue(text []byte) (string, string) {
	s := strings.TrimRight(string(text), "\r\n")
	i := strings.IndexAny(s, ";:")
	if i < 0 {
		return strings.ToUpper(strings.TrimSpace(s)), ""
	}
	name := strings.ToUpper(s[:i])
	_, value, _ := strings.Cut(s, ":")
	return name, strings.TrimSpace(value)
}

// decodeChunk decodes one component with go-ical by wrapping it in a VCALENDAR.
func decodeChunk(data []byte, c *chunk) (*ical.Component, error) {
	cal, err := decodeSafely(io.MultiReader(
		strings.NewReader("BEGIN:VCALENDAR\r\n"),
		bytes.NewReader(data[c.begin:c.end]),
		strings.NewReader("\r\nEND:VCALENDAR\r\n"),
	))
	if err != nil {
		return nil, &ParseError{Line: failingLine(data[:c.end], c.begin, c.line), Message: strings.TrimPrefix(err.Error(), "ical: ")}
	}
	if len(cal.Children) != 1 {
		return nil, &ParseError{Line: c.line, Message: "malformed component"}
	}
	return cal.Children[0], nil
}

// failingLine finds the first content line from offset begin that go-ical
// rejects on its own, falling back to the component's first line.
func failingLine(data []byte, begin, fallback int) int {
	for ll := range logicalLines(data) {
		if ll.begin < begin {
			continue
		}
		name, _ := contentNameValue(data[ll.begin:ll.end])
		if name == "BEGIN" || name == "END" || len(bytes.TrimSpace(data[ll.begin:ll.end])) == 0 {
			continue
		}
		if _, err := decodeLine(data[ll.begin:ll.end]); err != nil {
			return ll.line
		}
	}
	return fallback
}

// decodeSafely runs go-ical's decoder, which panics on some malformed
// parameters (e.g. "X;A=" at the end of a line), turning a panic into an error.
func decodeSafely(r io.Reader) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("ical: malformed content line: %v", p)
		}
	}()
	return ical.NewDecoder(r).Decode()
}

// decodeLine decodes a single content line with go-ical.
func decodeLine(text []byte) (*ical.Prop, error) {
	wrapped := "BEGIN:VCALENDAR\r\n" + strings.TrimRight(string(text), "\r\n") + "\r\nEND:VCALENDAR\r\n"
	cal, err := decodeSafely(strings.NewReader(wrapped))
	if err != nil {
		return nil, err
	}
	for _, props := range cal.Props {
		return &props[0], nil
	}
	return nil, errors.New("ical: empty content line")
}

// parser carries the state of one Parse call.
type parser struct {
	ctx           context.Context
	data          []byte
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
		if name, _ := contentNameValue(p.data[ll.begin:ll.end]); name != "X-WR-TIMEZONE" {
			continue
		}
		prop, err := decodeLine(p.data[ll.begin:ll.end])
		if err != nil {
			return &ParseError{Line: ll.line, Message: strings.TrimPrefix(err.Error(), "ical: ")}
		}
		name := strings.TrimSpace(prop.Value)
		if loc := loadIANA(name); loc != nil {
			p.cal.floatingZone = loc
		} else {
			p.warn(ll.line, "X-WR-TIMEZONE %s is not an IANA zone; floating times use the member's zone", quote(name))
		}
	}

	// VTIMEZONEs first: events may precede the definitions they use.
	for _, child := range root.children {
		if child.name != ical.CompTimezone {
			continue
		}
		comp, err := decodeChunk(p.data, child)
		if err != nil {
			return err
		}
		if tzid := comp.Props.Get(ical.PropTimezoneID); tzid != nil {
			p.resolver.vtimezones[strings.TrimSpace(tzid.Value)] = &vtimezone{comp: comp, line: child.line}
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
		if ev := p.readEvent(comp, p.linesOf(child)); ev != nil {
			p.cal.events = append(p.cal.events, ev)
		}
	}
	return nil
}
