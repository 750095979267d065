package api

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

// decodeJSON reads the body into v with the service's rules (every refusal
// names its field), refusing other media types and bodies over MaxBodyBytes.
func (s *Server) decodeJSON(c echo.Context, v any) error {
	data, err := s.readBody(c, echo.MIMEApplicationJSON, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	return service.DecodeJSON(data, v)
}

// readBody reads a body of the given media type, at most max bytes.
func (s *Server) readBody(c echo.Context, mediaType string, max int64) ([]byte, error) {
	got, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if got != mediaType {
		return nil, newProblem("unsupported-media-type", "send the body as "+mediaType)
	}
	return io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, max))
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

// planQuery is what a planning request asks for: its range, and the zone
// its answer adds local times in (nil without ?tz).
type planQuery struct {
	from, to time.Time
	zone     *time.Location
}

// readPlanQuery reads ?tz, then ?from and ?to: RFC 3339 instants, or
// dates read in tz or, without it, in the team's zone.
func (s *Server) readPlanQuery(c echo.Context) (planQuery, error) {
	zone, err := answerZone(c)
	if err != nil {
		return planQuery{}, err
	}
	from, to, err := s.svc.TeamRange(c.Request().Context(), c.Param("team"), c.QueryParam("from"), c.QueryParam("to"), zone)
	return planQuery{from, to, zone}, err
}

// answerZone reads the optional ?tz: the IANA zone an answer's local
// times are given in.
func answerZone(c echo.Context) (*time.Location, error) {
	raw := c.QueryParam("tz")
	if raw == "" {
		return nil, nil
	}
	return service.LoadZone("tz", raw)
}

// zonedAnswer is an answer that can add its items' local times.
type zonedAnswer interface{ InZone(*time.Location) }

// localize adds local times to the answer when a zone was asked for.
func localize(answer zonedAnswer, zone *time.Location) {
	if zone != nil {
		answer.InZone(zone)
	}
}
