package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
	"overlap/store"
)

// Problem is an RFC 9457 problem detail. Type is stable for each kind of
// failure; Field names the offending input and Line the offending ICS line.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Field     string `json:"field,omitempty"`
	Line      int    `json:"line,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// problemKind is one row of the single table mapping failures to HTTP.
type problemKind struct {
	status int
	title  string
}

// problemKinds is keyed by the last segment of the problem type URI.
var problemKinds = map[string]problemKind{
	"malformed-request":      {http.StatusBadRequest, "Malformed request"},
	"unauthorized":           {http.StatusUnauthorized, "Missing or invalid API key"},
	"forbidden":              {http.StatusForbidden, "Outside the API key's scope"},
	"not-found":              {http.StatusNotFound, "Not found"},
	"method-not-allowed":     {http.StatusMethodNotAllowed, "Method not allowed"},
	"conflict":               {http.StatusConflict, "Conflict"},
	"too-large":              {http.StatusRequestEntityTooLarge, "Request body too large"},
	"unsupported-media-type": {http.StatusUnsupportedMediaType, "Unsupported media type"},
	"invalid-field":          {http.StatusUnprocessableEntity, "Invalid field"},
	"invalid-calendar":       {http.StatusUnprocessableEntity, "Invalid iCalendar data"},
	"limit-reached":          {http.StatusUnprocessableEntity, "Limit reached"},
	"too-many-requests":      {http.StatusTooManyRequests, "Too many requests"},
	"unavailable":            {http.StatusServiceUnavailable, "Service unavailable"},
	"internal":               {http.StatusInternalServerError, "Internal error"},
}

// problemTypePrefix starts every problem type URI.
const problemTypePrefix = "urn:overlap:problem:"

func newProblem(kind, detail string) *Problem {
	k, ok := problemKinds[kind]
	if !ok {
		panic("api: unknown problem kind " + kind)
	}
	return &Problem{Type: problemTypePrefix + kind, Title: k.title, Status: k.status, Detail: detail}
}

func fieldProblem(field, detail string) *Problem {
	p := newProblem("invalid-field", detail)
	p.Field = field
	return p
}

// problemFor turns any error into a problem, and reports whether it is
// unexpected (to be logged, with the detail hidden from the client). It is
// the one place where domain errors meet HTTP.
func problemFor(err error) (*Problem, bool) {
	var (
		p         *Problem
		field     *planner.FieldError
		notFound  *service.NotFoundError
		malformed *service.MalformedError
		limit     *service.LimitError
		conflict  *service.ConflictError
		parse     *calendar.ParseError
		calLimit  *calendar.LimitError
		he        *echo.HTTPError
		mbe       *http.MaxBytesError
	)
	switch {
	case errors.As(err, &p):
		return p, false
	case errors.As(err, &field):
		return fieldProblem(field.Field, field.Message), false
	case errors.As(err, &notFound):
		return newProblem("not-found", "no such "+notFound.What), false
	case errors.As(err, &malformed):
		return newProblem("malformed-request", malformed.Message), false
	case errors.As(err, &conflict):
		return newProblem("conflict", conflict.Message), false
	case errors.As(err, &limit):
		return newProblem("limit-reached", fmt.Sprintf("the limit is %d %s", limit.Max, limit.What)), false
	case errors.As(err, &parse):
		p := newProblem("invalid-calendar", parse.Message)
		p.Line = parse.Line
		return p, false
	case errors.As(err, &calLimit) && calLimit.Limit == "instances":
		// Not the file's size but what it asks for: a rule (or many) too dense to expand.
		p := newProblem("invalid-calendar", fmt.Sprintf("the calendar expands to more than %d instances in the next 366 days; the rule at the line named makes it pass the budget", calLimit.Max))
		p.Line = calLimit.Line
		return p, false
	case errors.As(err, &calLimit):
		return newProblem("too-large", fmt.Sprintf("the calendar exceeds the limit of %d %s", calLimit.Max, calLimit.Limit)), false
	case errors.Is(err, service.ErrUnknownKey):
		return newProblem("unauthorized", "the API key is unknown or revoked"), false
	case errors.Is(err, store.ErrNotFound):
		return newProblem("not-found", "no such resource"), false
	case errors.Is(err, store.ErrConflict):
		return newProblem("conflict", "a resource with the same unique fields exists"), false
	case errors.As(err, &mbe):
		return newProblem("too-large", fmt.Sprintf("the body exceeds %d bytes", mbe.Limit)), false
	case errors.Is(err, context.DeadlineExceeded):
		return newProblem("unavailable", "the request took too long"), false
	case errors.Is(err, context.Canceled):
		return newProblem("unavailable", "the request was cancelled"), false
	case errors.As(err, &he):
		return httpErrorProblem(he), he.Code >= 500
	default:
		return newProblem("internal", "an unexpected error occurred; it has been logged"), true
	}
}

func httpErrorProblem(he *echo.HTTPError) *Problem {
	detail := strings.ToLower(fmt.Sprint(he.Message))
	switch he.Code {
	case http.StatusNotFound:
		return newProblem("not-found", "no such route")
	case http.StatusMethodNotAllowed:
		return newProblem("method-not-allowed", "this route does not accept the method")
	case http.StatusRequestEntityTooLarge:
		return newProblem("too-large", detail)
	case http.StatusUnsupportedMediaType:
		return newProblem("unsupported-media-type", detail)
	case http.StatusUnauthorized:
		return newProblem("unauthorized", detail)
	case http.StatusTooManyRequests:
		return newProblem("too-many-requests", detail)
	case http.StatusServiceUnavailable:
		return newProblem("unavailable", detail)
	case http.StatusBadRequest:
		return newProblem("malformed-request", detail)
	default:
		return newProblem("internal", "an unexpected error occurred; it has been logged")
	}
}

// handleError is Echo's HTTPErrorHandler: every failure leaves as problem+json.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p, unexpected := problemFor(err)
	p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if unexpected {
		s.log.ErrorContext(c.Request().Context(), "request failed", "error", err.Error(), "request_id", p.RequestID,
			"method", c.Request().Method, "route", c.Path())
	}
	switch p.Status {
	case http.StatusUnauthorized:
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="overlap"`)
	case http.StatusMethodNotAllowed:
		allowHead(c.Response().Header())
	}
	body, _ := json.Marshal(p)
	if requestMethod(c) == http.MethodHead {
		err = c.NoContent(p.Status)
	} else {
		err = c.Blob(p.Status, "application/problem+json", body)
	}
	if err != nil {
		s.log.Error("writing error response", "error", err.Error())
	}
}

// allowHead adds HEAD to the Allow header of a route that has GET, since
// every GET also answers HEAD.
func allowHead(h http.Header) {
	allow := h.Get(echo.HeaderAllow)
	if slices.Contains(strings.Split(allow, ", "), http.MethodGet) {
		h.Set(echo.HeaderAllow, allow+", "+http.MethodHead)
	}
}
