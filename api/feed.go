package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

// newFeedResponse is a feed with its URL, shown once, at creation or rotation.
type newFeedResponse struct {
	store.Feed
	URL string `json:"url"`
}

// feedPathSuffix ends every feed URL, so calendar apps recognise the file.
const feedPathSuffix = ".ics"

func (s *Server) feedURL(token string) string { return s.link("/feeds/" + token + feedPathSuffix) }

func (s *Server) createTeamFeedHandler(c echo.Context) error { return s.createFeed(c, "") }

func (s *Server) createMemberFeedHandler(c echo.Context) error {
	return s.createFeed(c, c.Param("member"))
}

func (s *Server) createFeed(c echo.Context, memberID string) error {
	var in service.FeedInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	f, token, err := s.svc.CreateFeed(c.Request().Context(), c.Param("team"), memberID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newFeedResponse{Feed: *f, URL: s.feedURL(token)})
}

func (s *Server) listTeamFeedsHandler(c echo.Context) error { return s.listFeeds(c, "") }

func (s *Server) listMemberFeedsHandler(c echo.Context) error {
	return s.listFeeds(c, c.Param("member"))
}

func (s *Server) listFeeds(c echo.Context, memberID string) error {
	page, err := listPage(c)
	if err != nil {
		return err
	}
	list, next, err := s.svc.FindFeeds(c.Request().Context(), c.Param("team"), memberID, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newListResponse(list, next))
}

func (s *Server) rotateFeedHandler(c echo.Context) error {
	f, token, err := s.svc.RotateFeed(c.Request().Context(), c.Param("team"), c.Param("feed"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newFeedResponse{Feed: *f, URL: s.feedURL(token)})
}

func (s *Server) deleteFeedHandler(c echo.Context) error {
	if err := s.svc.DeleteFeed(c.Request().Context(), c.Param("team"), c.Param("feed")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// feedHandler serves a feed to calendar apps: no API key, the token in the
// path is the credential. Conditional requests are answered from the
// token lookup alone (see service.FeedVersion); bodies are rendered once
// per version and kept, plain and gzipped.
func (s *Server) feedHandler(c echo.Context) error {
	token, ok := strings.CutSuffix(c.ParamValues()[0], feedPathSuffix)
	if !ok {
		return service.ErrUnknownFeed
	}
	req := c.Request()
	v, body, err := s.svc.Feed(req.Context(), token, func(v *service.FeedVersion) bool { return notModified(req, v) })
	if err != nil {
		return err
	}
	h := c.Response().Header()
	gzipped := acceptsGzip(req)
	etag := v.ETag
	if gzipped {
		// A strong ETag names one representation; the gzipped one is another.
		etag = gzipETag(etag)
	}
	h.Set(echo.HeaderLastModified, v.LastModified.UTC().Format(http.TimeFormat))
	h.Set("ETag", etag)
	h.Set(echo.HeaderVary, echo.HeaderAcceptEncoding)
	// Calendar apps poll on their own schedule; caches in between must ask again.
	h.Set("Cache-Control", "private, no-cache")
	if body == nil {
		return c.NoContent(http.StatusNotModified)
	}
	data := body.Plain
	if gzipped {
		data = body.Gzip
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", data)
}

func gzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gzip"` }

// notModified evaluates If-None-Match, else If-Modified-Since (RFC 9110
// §13.2.2), against the feed's version.
func notModified(r *http.Request, v *service.FeedVersion) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == v.ETag || strings.TrimPrefix(tag, "W/") == gzipETag(v.ETag) {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !v.LastModified.After(since.Truncate(time.Second))
}

// acceptsGzip reports whether the client takes gzip: named, or "*", with
// a q above 0 (RFC 9110 §12.5.3).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get(echo.HeaderAcceptEncoding), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && name != "*" {
			continue
		}
		q := 1.0
		if raw, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if parsed, err := strconv.ParseFloat(raw, 64); err == nil {
				q = parsed
			}
		}
		return q > 0
	}
	return false
}
