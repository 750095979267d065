package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"overlap/calendar"
	"overlap/store"
)

const (
	// summaryHorizon is the "next 28 days" of a calendar summary, from the server's now.
	summaryHorizon = 28 * 24 * time.Hour
	// maxSummaryWarnings keeps a summary readable when every event of a
	// large file warns (an unknown TZID repeated thousands of times).
	maxSummaryWarnings = 100
)

// calendarSummary is the body of GET and PUT /v1/teams/{team}/members/{member}/calendar.
type calendarSummary struct {
	Events              int               `json:"events"`
	InstancesNext28Days int               `json:"instances_next_28_days"`
	Warnings            []calendarWarning `json:"warnings"`
	ImportedAt          time.Time         `json:"imported_at"`
	SHA256              string            `json:"sha256"`
}

// calendarWarning is a problem that did not stop the import; Line is 0 when
// it concerns no single line.
type calendarWarning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// memberBusy expands a member's stored calendar over [from, to) and returns
// its busy instances (not transparent, cancelled or declined by the member),
// sorted by start then UID, with the warnings of parsing and expansion.
// Floating and all-day times are read in the member's zone unless the file
// names its own, and the member's email identifies their ATTENDEE entry.
func memberBusy(ctx context.Context, m store.Member, ics string, from, to time.Time) ([]calendar.Instance, []calendar.Warning, error) {
	// The text passed the import limits when stored: limits lowered since
	// must not make it unreadable, and a failure here is the server's fault.
	cal, err := calendar.Parse(ctx, strings.NewReader(ics), calendar.Limits{MaxBytes: int64(len(ics)), MaxEvents: math.MaxInt})
	if err != nil {
		return nil, nil, fmt.Errorf("api: stored calendar of member %s: %w", m.ID, err)
	}
	return ExpandBusy(ctx, m, cal, from, to)
}

// ExpandBusy is memberBusy for a calendar already parsed; the offline
// planning commands call it with calendars read from files.
func ExpandBusy(ctx context.Context, m store.Member, cal *calendar.Calendar, from, to time.Time) ([]calendar.Instance, []calendar.Warning, error) {
	zone, err := loadZone("timezone", m.Timezone)
	if err != nil {
		return nil, nil, err
	}
	expansion, err := cal.Expand(ctx, from, to, calendar.ExpandOptions{DefaultZone: zone, SelfEmails: []string{m.Email}})
	if err != nil {
		return nil, nil, err
	}
	busy := slices.DeleteFunc(expansion.Instances, func(in calendar.Instance) bool { return !in.Busy })
	return busy, slices.Concat(cal.Warnings(), expansion.Warnings), nil
}

// summaryWindow returns the server's next 28 days.
func (s *Server) summaryWindow() (from, to time.Time) {
	from = s.cfg.Now().UTC()
	return from, from.Add(summaryHorizon)
}

// newSummary describes a stored calendar by its busy instances and warnings in the summary window.
func newSummary(stored *store.MemberCalendar, busy []calendar.Instance, warnings []calendar.Warning) calendarSummary {
	out := calendarSummary{
		Events:              stored.Events,
		InstancesNext28Days: len(busy),
		Warnings:            make([]calendarWarning, 0, min(len(warnings), maxSummaryWarnings+1)),
		ImportedAt:          stored.ImportedAt.UTC(),
		SHA256:              stored.SHA256,
	}
	for i, w := range warnings {
		if i == maxSummaryWarnings {
			out.Warnings = append(out.Warnings, calendarWarning{Message: fmt.Sprintf("%d more warnings not shown", len(warnings)-i)})
			break
		}
		out.Warnings = append(out.Warnings, calendarWarning{Line: w.Line, Message: w.Message})
	}
	return out
}

// readCalendar reads and parses an iCalendar request body within the
// configured limits, answering 415, 413 or 422 (with the line) when it
// cannot be imported.
func (s *Server) readCalendar(c echo.Context) ([]byte, *calendar.Calendar, error) {
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mediaType != "text/calendar" {
		return nil, nil, newProblem("unsupported-media-type", "send the body as text/calendar")
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxCalendarBytes))
	if err != nil {
		return nil, nil, err
	}
	if err := checkText(data); err != nil {
		return nil, nil, err
	}
	cal, err := calendar.Parse(c.Request().Context(), bytes.NewReader(data), calendar.Limits{MaxBytes: s.cfg.MaxCalendarBytes, MaxEvents: s.cfg.MaxCalendarEvents})
	var (
		parseErr *calendar.ParseError
		limitErr *calendar.LimitError
	)
	switch {
	case errors.As(err, &parseErr):
		p := newProblem("invalid-calendar", parseErr.Message)
		p.Line = parseErr.Line
		return nil, nil, p
	case errors.As(err, &limitErr):
		return nil, nil, newProblem("too-large", fmt.Sprintf("the calendar exceeds the limit of %d %s", limitErr.Max, limitErr.Limit))
	case err != nil:
		return nil, nil, err
	}
	return data, cal, nil
}

// checkText refuses invalid UTF-8 and NUL bytes: RFC 5545 §3.1.4 makes
// UTF-8 the only charset and §3.3.11 excludes control characters, and
// PostgreSQL cannot store either in TEXT.
func checkText(data []byte) error {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		bad := ""
		switch {
		case r == 0:
			bad = "a NUL"
		case r == utf8.RuneError && size == 1:
			bad = "not UTF-8"
		}
		if bad != "" {
			p := newProblem("invalid-calendar", fmt.Sprintf("byte %d of the file is %s", i, bad))
			p.Line = bytes.Count(data[:i], []byte("\n")) + 1
			return p
		}
		i += size
	}
	return nil
}

// putMemberCalendarHandler replaces the member's calendar with the body.
// Nothing is written unless the whole file is read, so a refused import
// leaves the previous calendar as it was.
func (s *Server) putMemberCalendarHandler(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.store.FindMemberByID(ctx, c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	data, cal, err := s.readCalendar(c)
	if err != nil {
		return err
	}
	stored := &store.MemberCalendar{MemberID: m.ID, ICS: string(data), Events: cal.EventCount()}
	if err := s.store.PutMemberCalendar(ctx, m.TeamID, stored); err != nil {
		return err
	}
	from, to := s.summaryWindow()
	busy, warnings, err := ExpandBusy(ctx, *m, cal, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newSummary(stored, busy, warnings))
}

func (s *Server) getMemberCalendarHandler(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.store.FindMemberByID(ctx, c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	stored, err := s.store.FindMemberCalendar(ctx, m.TeamID, m.ID)
	if errors.Is(err, store.ErrNotFound) {
		return newProblem("not-found", "the member has no imported calendar")
	}
	if err != nil {
		return err
	}
	from, to := s.summaryWindow()
	busy, warnings, err := memberBusy(ctx, *m, stored.ICS, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newSummary(stored, busy, warnings))
}

func (s *Server) deleteMemberCalendarHandler(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.store.FindMemberByID(ctx, c.Param("team"), c.Param("member"))
	if err != nil {
		return err
	}
	err = s.store.DeleteMemberCalendar(ctx, m.TeamID, m.ID)
	if errors.Is(err, store.ErrNotFound) {
		return newProblem("not-found", "the member has no imported calendar")
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
