package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"overlap/planner"
	"overlap/store"
)

// ReviewRules are what meeting review applies to a loaded team.
type ReviewRules struct {
	// CoreHours are the team's adopted core hours; nil when it has none,
	// and then no meeting is outside core hours.
	CoreHours *planner.CoreHours
	Settings  planner.ReviewSettings
	// ResponseHours is the team's async response time, which the
	// templates promise; 0 is planner.DefaultResponseHours. Teams state
	// none yet, so every review uses the default.
	ResponseHours int
}

// Analysis is a team's meeting review and load report over a range, as
// `overlap analyze` prints it: the review's fields, then each member's
// load and the team's totals.
type Analysis struct {
	planner.Review
	Load       []planner.MemberLoad `json:"load"`
	LoadTotals planner.LoadTotals   `json:"load_totals"`
	Notices    []CalendarNotice     `json:"notices"`
}

// Analyze reviews the meetings of a loaded team (a stored team or a team
// file) and reports its load: the one code path of the API and the
// command line.
func Analyze(ctx context.Context, pt *PlanningTeam, rules ReviewRules) (*Analysis, error) {
	a, err := planner.Analyze(ctx, planner.ReviewInput{
		Team: pt.Team, Core: rules.CoreHours, Settings: rules.Settings, ResponseHours: rules.ResponseHours,
		From: pt.From, To: pt.To,
	})
	if err != nil {
		return nil, err
	}
	return &Analysis{Review: a.Review, Load: a.Load.Members, LoadTotals: a.Load.Totals, Notices: pt.Notices}, nil
}

// ReviewResult is a team's meeting review over a range.
type ReviewResult struct {
	planner.Review
	Notices []CalendarNotice `json:"notices"`
}

// Review reviews a stored team's meetings over [from, to) with its
// settings and adopted core hours.
func (s *Service) Review(ctx context.Context, teamID string, from, to time.Time) (*ReviewResult, error) {
	a, err := s.analyzeStored(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	return &ReviewResult{Review: a.Review, Notices: a.Notices}, nil
}

// LoadResult is a team's load report over a range.
type LoadResult struct {
	planner.LoadReport
	Notices []CalendarNotice `json:"notices"`
}

// Load reports a stored team's meeting load and core-hours burden per
// member over [from, to).
func (s *Service) Load(ctx context.Context, teamID string, from, to time.Time) (*LoadResult, error) {
	a, err := s.analyzeStored(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	report := planner.LoadReport{From: a.From, To: a.To, Weeks: a.Weeks, CoreHoursAdopted: a.CoreHoursAdopted, Members: a.Load, Totals: a.LoadTotals}
	return &LoadResult{LoadReport: report, Notices: a.Notices}, nil
}

// analyzeStored loads a stored team with its rules and analyzes it.
func (s *Service) analyzeStored(ctx context.Context, teamID string, from, to time.Time) (*Analysis, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	settings, err := s.FindReviewSettings(ctx, teamID)
	if err != nil {
		return nil, err
	}
	rules := ReviewRules{Settings: settings.ReviewSettings}
	adopted, err := s.FindCoreHours(ctx, teamID)
	var missing *NotFoundError
	switch {
	case err == nil:
		rules.CoreHours = &adopted.CoreHours
	case !errors.As(err, &missing):
		return nil, err
	}
	pt, err := s.LoadTeam(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	return Analyze(ctx, pt, rules)
}

// TeamReviewSettings are a team's review settings: the defaults until it
// stores its own.
type TeamReviewSettings struct {
	planner.ReviewSettings
	// UpdatedAt is when the team stored them; absent while it uses the
	// defaults.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// FindReviewSettings returns a team's review settings, or a
// *NotFoundError for a missing team.
func (s *Service) FindReviewSettings(ctx context.Context, teamID string) (*TeamReviewSettings, error) {
	stored, err := s.store.FindReviewSettings(ctx, teamID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if _, err := s.FindTeam(ctx, teamID); err != nil {
			return nil, err
		}
		return &TeamReviewSettings{ReviewSettings: planner.DefaultReviewSettings()}, nil
	case err != nil:
		return nil, err
	}
	// Decoded onto the defaults, so that a setting added since the team
	// stored its own takes its default.
	out := &TeamReviewSettings{ReviewSettings: planner.DefaultReviewSettings(), UpdatedAt: &stored.UpdatedAt}
	if err := json.Unmarshal([]byte(stored.Settings), &out.ReviewSettings); err != nil {
		return nil, fmt.Errorf("service: stored review settings of team %s: %w", teamID, err)
	}
	return out, nil
}

// PutReviewSettings stores a team's review settings whole, after
// checking them (a *planner.FieldError names the setting at fault).
func (s *Service) PutReviewSettings(ctx context.Context, teamID string, settings planner.ReviewSettings) (*TeamReviewSettings, error) {
	if err := settings.Validate(); err != nil {
		return nil, err
	}
	text, err := json.Marshal(settings)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.PutReviewSettings(ctx, teamID, string(text))
	if err != nil {
		return nil, notFoundAs(err, "team")
	}
	return &TeamReviewSettings{ReviewSettings: settings, UpdatedAt: &stored.UpdatedAt}, nil
}
