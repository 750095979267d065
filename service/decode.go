package service

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodeJSON reads one JSON value from data into v, a pointer to a struct,
// and names the path of whatever it refuses in a *planner.FieldError
// ("policy.foo", "windows[0].start", "members[1].working_hours.mon[0][1]"):
// unknown fields at any depth, values of the wrong JSON type, whole numbers
// that are fractional or out of range, text its type refuses (a clock
// "25:00"), and strings holding NUL or bytes that are not UTF-8 (which
// PostgreSQL cannot store and encoding/json would silently replace).
// Input that is not one JSON value is a *MalformedError.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := &jsonWalker{dec: dec, badUTF8: -1}
	if !utf8.Valid(data) {
		w.badUTF8 = int64(firstInvalidUTF8(data))
	}
	if err := w.value(reflect.TypeOf(v).Elem(), ""); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &MalformedError{Message: "the body holds more than one JSON value"}
	}
	if err := json.Unmarshal(data, v); err != nil {
		// The walk accepted it, so this is a value a type's own decoding refused.
		return &MalformedError{Message: err.Error()}
	}
	return nil
}

// jsonWalker checks a token stream against a Go type, keeping the path.
type jsonWalker struct {
	dec *json.Decoder
	// badUTF8 is the offset of the first byte that is not UTF-8, or -1.
	badUTF8 int64
}

func (w *jsonWalker) token(path string) (json.Token, error) {
	tok, err := w.dec.Token()
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &MalformedError{Message: "the body is empty or cut short"}
	case errors.As(err, &syntax):
		return nil, &MalformedError{Message: fmt.Sprintf("malformed JSON at byte %d: %v", syntax.Offset, syntax)}
	case err != nil:
		return nil, &MalformedError{Message: err.Error()}
	}
	if s, ok := tok.(string); ok {
		if w.badUTF8 >= 0 && w.dec.InputOffset() > w.badUTF8 {
			return nil, fieldError(path, "is not valid UTF-8")
		}
		if strings.ContainsRune(s, 0) {
			return nil, fieldError(path, "holds a NUL character")
		}
	}
	return tok, nil
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// value reads one value at path and checks it against t.
func (w *jsonWalker) value(t reflect.Type, path string) error {
	tok, err := w.token(path)
	if err != nil {
		return err
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if tok == nil { // null leaves the field as it is, as encoding/json does
		return nil
	}
	if t.Kind() == reflect.Interface {
		return w.skip(tok, path)
	}
	if _, isString := tok.(string); !isString && reflect.PointerTo(t).Implements(textUnmarshaler) {
		return wrongType(t, path, tokenKind(tok))
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch {
		case tok == '{' && t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(textUnmarshaler):
			return w.object(t, path)
		case tok == '{' && t.Kind() == reflect.Map:
			return w.mapEntries(t, path)
		case tok == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			return w.list(t, path)
		}
		return wrongType(t, path, tokenKind(tok))
	case string:
		if reflect.PointerTo(t).Implements(textUnmarshaler) {
			if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(tok)); err != nil {
				return fieldError(path, "%s", textErrorMessage(err))
			}
			return nil
		}
		if t.Kind() != reflect.String {
			return wrongType(t, path, "a string")
		}
	case json.Number:
		return checkNumber(t, tok, path)
	case bool:
		if t.Kind() != reflect.Bool {
			return wrongType(t, path, "true or false")
		}
	}
	return nil
}

func (w *jsonWalker) object(t reflect.Type, path string) error {
	fields := jsonFields(t)
	for w.dec.More() {
		tok, err := w.token(path)
		if err != nil {
			return err
		}
		key := tok.(string)
		f, ok := fields[key]
		if !ok {
			f, ok = fields[strings.ToLower(key)] // encoding/json matches names case-insensitively
		}
		if !ok {
			return fieldError(join(path, key), "unknown field")
		}
		if err := w.value(f, join(path, key)); err != nil {
			return err
		}
	}
	_, err := w.token(path)
	return err
}

func (w *jsonWalker) mapEntries(t reflect.Type, path string) error {
	for w.dec.More() {
		tok, err := w.token(path)
		if err != nil {
			return err
		}
		if err := w.value(t.Elem(), join(path, tok.(string))); err != nil {
			return err
		}
	}
	_, err := w.token(path)
	return err
}

func (w *jsonWalker) list(t reflect.Type, path string) error {
	for i := 0; w.dec.More(); i++ {
		item := fmt.Sprintf("%s[%d]", path, i)
		if t.Kind() == reflect.Array && i >= t.Len() {
			return fieldError(item, "is one item too many: at most %d", t.Len())
		}
		if err := w.value(t.Elem(), item); err != nil {
			return err
		}
	}
	_, err := w.token(path)
	return err
}

// skip reads a value of any shape, still checking its strings.
func (w *jsonWalker) skip(tok json.Token, path string) error {
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	for i := 0; w.dec.More(); i++ {
		item := fmt.Sprintf("%s[%d]", path, i)
		if delim == '{' {
			key, err := w.token(path)
			if err != nil {
				return err
			}
			item = join(path, key.(string))
		}
		next, err := w.token(item)
		if err != nil {
			return err
		}
		if err := w.skip(next, item); err != nil {
			return err
		}
	}
	_, err := w.token(path)
	return err
}

func checkNumber(t reflect.Type, n json.Number, path string) error {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return numberProblem(path, n, err)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			return numberProblem(path, n, err)
		}
	case reflect.Float32, reflect.Float64:
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			return fieldError(path, "%s is out of range", Excerpt(string(n)))
		}
	default:
		return wrongType(t, path, "a number")
	}
	return nil
}

// numberProblem tells a fraction from a whole number too large for the field.
func numberProblem(path string, n json.Number, err error) error {
	f, floatErr := strconv.ParseFloat(string(n), 64)
	if errors.Is(err, strconv.ErrRange) || floatErr != nil || f == math.Trunc(f) {
		return fieldError(path, "%s is out of range", Excerpt(string(n)))
	}
	return fieldError(path, "must be a whole number, not %s", Excerpt(string(n)))
}

// tokenKind names the JSON kind of a token, as a person would.
func tokenKind(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "a list"
		}
		return "an object"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	}
	return "null"
}

// wrongType names what the field takes and what it was given.
func wrongType(t reflect.Type, path, got string) error {
	if path == "" {
		return &MalformedError{Message: fmt.Sprintf("the body must be %s, not %s", jsonKind(t), got)}
	}
	return fieldError(path, "must be %s, not %s", jsonKind(t), got)
}

func jsonKind(t reflect.Type) string {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// jsonFields maps the JSON names of t's fields (and lower-cased names, for
// encoding/json's case-insensitive match) to their types, flattening
// embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || len(f.Index) > 1 && !embeddedPath(t, f.Index) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			continue // its fields are listed themselves
		case name == "":
			name = f.Name
		}
		out[name] = f.Type
		if lower := strings.ToLower(name); out[lower] == nil {
			out[lower] = f.Type
		}
	}
	return out
}

// embeddedPath reports whether every step but the last of index goes
// through an untagged embedded struct, as encoding/json requires to promote.
func embeddedPath(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		f := t.Field(i)
		if !f.Anonymous || f.Tag.Get("json") != "" {
			return false
		}
		t = f.Type
	}
	return true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// textErrorMessage drops the package prefix of a type's own error.
func textErrorMessage(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && !strings.Contains(msg[:len(msg)-len(rest)], " ") {
		return rest
	}
	return msg
}

// maxExcerpt bounds how much of a caller's input an error message repeats.
const maxExcerpt = 64

// Excerpt quotes at most maxExcerpt bytes of s, cut at a rune boundary.
func Excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return s
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
