package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/store"
)

// decodeJSON reads the body into v, refusing other media types, unknown
// fields, trailing data and bodies over MaxBodyBytes, each with a problem
// naming the cause.
func (s *Server) decodeJSON(c echo.Context, v any) error {
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mediaType != echo.MIMEApplicationJSON {
		return newProblem("unsupported-media-type", "send the body as application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newProblem("malformed-request", "the body holds more than one JSON value")
	}
	return nil
}

func jsonProblem(err error) error {
	var (
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
		tooLarge  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.As(err, &syntax):
		return newProblem("malformed-request", fmt.Sprintf("malformed JSON at byte %d: %v", syntax.Offset, syntax))
	case errors.As(err, &typeError):
		field := typeError.Field
		if field == "" {
			return newProblem("malformed-request", "the body must be a JSON object")
		}
		return fieldProblem(field, fmt.Sprintf("must be a %s, not a JSON %s", jsonTypeName(typeError.Type.Kind().String()), typeError.Value))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newProblem("malformed-request", "the body is empty or cut short")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field := strings.Trim(name, `"`)
		return fieldProblem(field, "unknown field")
	}
	return newProblem("malformed-request", err.Error())
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int64", "float64":
		return "number"
	case "slice":
		return "list"
	case "map", "struct":
		return "object"
	case "bool":
		return "boolean"
	}
	return kind
}

// listPage reads ?limit and ?cursor.
func listPage(c echo.Context) (store.Page, error) {
	p := store.Page{Limit: 50, After: c.QueryParam("cursor")}
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 200 {
			return p, fieldProblem("limit", "must be an integer from 1 to 200")
		}
		p.Limit = n
	}
	return p, nil
}

// listResponse is one page of a collection.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func newListResponse[T any](items []T, next string) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	r := listResponse[T]{Items: items}
	if next != "" {
		r.NextCursor = &next
	}
	return r
}

// loadZone accepts IANA zone names only; "Local" would depend on the host.
func loadZone(field, name string) (*time.Location, error) {
	if name == "" {
		return nil, fieldProblem(field, "is required")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fieldProblem(field, fmt.Sprintf("%q is not an IANA time zone", name))
	}
	return loc, nil
}

// requireText trims s and checks its length, naming field on failure.
func requireText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fieldProblem(field, "is required")
	case len(s) > max:
		return "", fieldProblem(field, fmt.Sprintf("is longer than %d bytes", max))
	}
	return s, nil
}
