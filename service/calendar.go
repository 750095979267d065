package service

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

const (
	// summaryHorizon is the "next 28 days" of a calendar summary.
	summaryHorizon = 28 * 24 * time.Hour
	// importHorizon is the window an import is expanded over to check the
	// instance budget: as far ahead as one plan may look.
	importHorizon = 366 * 24 * time.Hour
	// maxSummaryWarnings keeps a summary readable when a large file warns
	// about many different things.
	maxSummaryWarnings = 100
)

// CalendarSummary describes a member's imported calendar.
type CalendarSummary struct {
	Events              int               `json:"events"`
	InstancesNext28Days int               `json:"instances_next_28_days"`
	Warnings            []CalendarWarning `json:"warnings"`
	ImportedAt          time.Time         `json:"imported_at"`
	SHA256              string            `json:"sha256"`
}

// CalendarWarning is a problem that did not stop an import; Line is 0 when
// it concerns no single line, and Count says how often the same cause
// occurred (Line is its first).
type CalendarWarning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

// ImportCalendar replaces a member's calendar with data (iCalendar text).
// It is refused, and nothing is written, when the text is not UTF-8 or
// holds NUL (*calendar.ParseError with the line), is not iCalendar
// (*calendar.ParseError), passes the size or event limits
// (*calendar.LimitError), or expands to more instances than the budget
// over the next 366 days (*calendar.LimitError naming the line at fault).
// Importing the same bytes again changes nothing.
func (s *Service) ImportCalendar(ctx context.Context, teamID, memberID string, data []byte) (*CalendarSummary, error) {
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, err
	}
	checked, err := s.checkImport(ctx, m, data)
	if err != nil {
		return nil, err
	}
	stored := &store.MemberCalendar{MemberID: m.ID, ICS: string(data), Events: checked.cal.EventCount()}
	if err := s.store.PutMemberCalendar(ctx, m.TeamID, stored); err != nil {
		return nil, notFoundAs(err, "member")
	}
	s.parsed.put(stored.SHA256, checked.cal, len(data))
	return newSummary(stored, checked.nextInstances, checked.warnings), nil
}

// checkedImport is a calendar that passed the import rules.
type checkedImport struct {
	cal *calendar.Calendar
	// nextInstances counts its busy instances in the summary's 28 days.
	nextInstances int
	// warnings are the parser's and the expansion's.
	warnings []calendar.Warning
}

// checkImport applies the rules every calendar of a member passes before
// it is stored, uploaded or fetched alike: UTF-8 text without NUL, the
// size and event limits, and the instance budget over the next 366 days in
// the member's zone. It writes nothing.
func (s *Service) checkImport(ctx context.Context, m *store.Member, data []byte) (*checkedImport, error) {
	cal, err := calendar.Parse(ctx, bytes.NewReader(data), calendar.Limits{MaxBytes: s.limits.MaxCalendarBytes, MaxEvents: s.limits.MaxCalendarEvents})
	if err != nil {
		return nil, err
	}
	zone, err := LoadZone("timezone", m.Timezone)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	year, err := s.expandBusy(ctx, cal, m.Email, zone, now, now.Add(importHorizon), s.limits.MaxCalendarInstances)
	if err != nil {
		return nil, err
	}
	if year.cut != nil {
		return nil, year.cut
	}
	next := 0
	for _, ev := range year.busy {
		if ev.Start.Before(now.Add(summaryHorizon)) {
			next++
		}
	}
	return &checkedImport{cal: cal, nextInstances: next, warnings: append(cal.Warnings(), year.warnings...)}, nil
}

// CalendarSummary describes a member's stored calendar as of now.
func (s *Service) CalendarSummary(ctx context.Context, teamID, memberID string) (*CalendarSummary, error) {
	m, err := s.FindMember(ctx, teamID, memberID)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.FindMemberCalendar(ctx, teamID, m.ID)
	if err != nil {
		return nil, notFoundAs(err, "imported calendar")
	}
	return s.summarize(ctx, m, stored)
}

// summarize describes a stored calendar version of member m as of now.
func (s *Service) summarize(ctx context.Context, m *store.Member, stored *store.MemberCalendar) (*CalendarSummary, error) {
	cal, err := s.parsed.get(ctx, stored.SHA256, stored.ICS)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Stored by a reader that accepted it; the member can import it again.
		return newSummary(stored, 0, []calendar.Warning{{Message: err.Error(), Count: 1}}), nil
	}
	zone, err := LoadZone("timezone", m.Timezone)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	next, err := s.expandBusy(ctx, cal, m.Email, zone, now, now.Add(summaryHorizon), s.limits.MaxCalendarInstances)
	if err != nil {
		return nil, err
	}
	warnings := append(cal.Warnings(), next.warnings...)
	if next.cut != nil {
		warnings = append(warnings, calendar.Warning{Line: next.cut.Line, Message: next.cut.Error(), Count: 1})
	}
	return newSummary(stored, len(next.busy), warnings), nil
}

// DeleteCalendar removes a member's imported calendar.
func (s *Service) DeleteCalendar(ctx context.Context, teamID, memberID string) error {
	if _, err := s.FindMember(ctx, teamID, memberID); err != nil {
		return err
	}
	return notFoundAs(s.store.DeleteMemberCalendar(ctx, teamID, memberID), "imported calendar")
}

// expanded is one calendar's busy time in a window.
type expanded struct {
	busy     []planner.Event
	warnings []calendar.Warning
	// cut is set when the instance budget stopped the expansion.
	cut *calendar.LimitError
}

// expandBusy expands cal over [from, to) for a member (their zone reads
// floating and all-day times, their address finds their declines), within
// budget instances, keeping the busy ones.
func (s *Service) expandBusy(ctx context.Context, cal *calendar.Calendar, email string, zone *time.Location, from, to time.Time, budget int) (expanded, error) {
	found, err := cal.Expand(ctx, from, to, calendar.ExpandOptions{DefaultZone: zone, SelfEmails: []string{email}, MaxInstances: budget})
	if err != nil {
		return expanded{}, err
	}
	out := expanded{warnings: found.Warnings, cut: found.Cut, busy: make([]planner.Event, 0, len(found.Instances))}
	for _, in := range found.Instances {
		// An instance that takes no time makes nobody busy (RFC 5545 §3.6.1).
		if in.Busy && in.End.After(in.Start) {
			out.busy = append(out.busy, in.Event)
		}
	}
	return out, nil
}

func newSummary(stored *store.MemberCalendar, next int, warnings []calendar.Warning) *CalendarSummary {
	out := &CalendarSummary{
		Events:              stored.Events,
		InstancesNext28Days: next,
		Warnings:            make([]CalendarWarning, 0, min(len(warnings), maxSummaryWarnings+1)),
		ImportedAt:          stored.ImportedAt.UTC(),
		SHA256:              stored.SHA256,
	}
	for i, w := range warnings {
		if i == maxSummaryWarnings {
			out.Warnings = append(out.Warnings, CalendarWarning{Message: fmt.Sprintf("%d more warnings not shown", len(warnings)-i), Count: 1})
			break
		}
		out.Warnings = append(out.Warnings, CalendarWarning{Line: w.Line, Message: w.Message, Count: max(w.Count, 1)})
	}
	return out
}

// parseStored reads a calendar that passed the import limits when stored:
// limits lowered since must not make it unreadable.
func parseStored(ctx context.Context, ics string) (*calendar.Calendar, error) {
	cal, err := calendar.Parse(ctx, strings.NewReader(ics), calendar.Limits{MaxBytes: int64(len(ics)), MaxEvents: math.MaxInt})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("the stored calendar no longer reads (%w); import it again", err)
	}
	return cal, nil
}
