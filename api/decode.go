package api

import (
	"fmt"
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

// planRange reads the ?from and ?to instants (RFC 3339) and checks them.
func planRange(c echo.Context) (time.Time, time.Time, error) {
	var bounds [2]time.Time
	for i, name := range []string{"from", "to"} {
		raw := c.QueryParam(name)
		if raw == "" {
			continue // CheckRange names the missing one
		}
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return bounds[0], bounds[1], fieldProblem(name, fmt.Sprintf("%q is not an RFC 3339 instant such as 2026-01-05T00:00:00Z", service.Excerpt(raw)))
		}
		bounds[i] = t.UTC()
	}
	return bounds[0], bounds[1], service.CheckRange(bounds[0], bounds[1])
}
