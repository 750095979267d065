package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"overlap/planner"
	"overlap/store"
)

// The statuses of a decision.
var decisionStatuses = []string{"proposed", "in-progress", "blocked", "review-needed", "decided"}

// Decision is an entry of a team's decision log.
type Decision struct {
	ID       string `json:"id"`
	TeamID   string `json:"team_id"`
	Title    string `json:"title"`
	Context  string `json:"context"`
	Decision string `json:"decision"`
	// Owner is the owning member's id; null once they left the team.
	Owner   *string `json:"owner"`
	DueDate *string `json:"due_date"`
	Status  string  `json:"status"`
	// Slot is the id of the slot the decision came from, or null.
	Slot      *string   `json:"slot"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// History lists the status changes, oldest first, creation included;
	// it is left out of lists.
	History []StatusChange `json:"history,omitempty"`
}

// StatusChange is who moved a decision to a status, and when.
type StatusChange struct {
	From string      `json:"from"`
	To   string      `json:"to"`
	By   store.Actor `json:"by"`
	At   time.Time   `json:"at"`
}

// DecisionInput is the body of a decision's creation or change. Absent
// fields keep their value (a change) or take their default (a creation);
// "" clears due_date and slot.
type DecisionInput struct {
	Title    *string `json:"title"`
	Context  *string `json:"context"`
	Decision *string `json:"decision"`
	Owner    *string `json:"owner"`
	DueDate  *string `json:"due_date"`
	Status   *string `json:"status"`
	Slot     *string `json:"slot"`
}

// maxDecisionText bounds a decision's context and decision.
const maxDecisionText = 20_000

// apply copies the given fields onto d and validates d, except for the
// owner and slot, which need the store.
func (in *DecisionInput) apply(d *store.Decision) error {
	setIfGiven(&d.Title, in.Title)
	setIfGiven(&d.Context, in.Context)
	setIfGiven(&d.Decision, in.Decision)
	setIfGiven(&d.Status, in.Status)
	if in.Owner != nil {
		d.OwnerID = in.Owner
	}
	if in.DueDate != nil {
		d.DueDate = nilIfEmpty(*in.DueDate)
	}
	if in.Slot != nil {
		d.SlotID = nilIfEmpty(*in.Slot)
	}
	var err error
	if d.Title, err = requireText("title", d.Title, 200); err != nil {
		return err
	}
	if len(d.Context) > maxDecisionText {
		return fieldError("context", "is longer than %d bytes", maxDecisionText)
	}
	if len(d.Decision) > maxDecisionText {
		return fieldError("decision", "is longer than %d bytes", maxDecisionText)
	}
	if d.OwnerID == nil || *d.OwnerID == "" {
		return fieldError("owner", "is required: the id of the member who owns the decision")
	}
	if d.DueDate != nil {
		if _, err := planner.ParseDate(*d.DueDate); err != nil {
			return fieldFrom("due_date", err)
		}
	}
	if !slices.Contains(decisionStatuses, d.Status) {
		return fieldError("status", "must be proposed, in-progress, blocked, review-needed or decided")
	}
	return nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateDecision logs a decision of the team, by `by`; its status starts
// as proposed unless given.
func (s *Service) CreateDecision(ctx context.Context, teamID string, in DecisionInput, by store.Actor) (*Decision, error) {
	d := &store.Decision{TeamID: teamID, Status: "proposed"}
	if err := in.apply(d); err != nil {
		return nil, err
	}
	if err := s.checkDecisionSlot(ctx, teamID, d.SlotID); err != nil {
		return nil, err
	}
	if err := decisionError(s.store.CreateDecision(ctx, d, by)); err != nil {
		return nil, err
	}
	return newDecision(d, true), nil
}

// checkDecisionSlot makes sure a decision's slot is one of the team's.
func (s *Service) checkDecisionSlot(ctx context.Context, teamID string, slotID *string) error {
	if slotID == nil {
		return nil
	}
	_, err := s.findSlot(ctx, teamID, *slotID, s.now())
	var notFound *NotFoundError
	if errors.As(err, &notFound) && notFound.What == "slot" {
		return fieldError("slot", "%q is not a slot of the team", Excerpt(*slotID))
	}
	return err
}

func decisionError(err error) error {
	switch {
	case errors.Is(err, store.ErrUnknownOwner):
		return fieldError("owner", "is not a member of the team")
	case errors.Is(err, store.ErrNotFound):
		return &NotFoundError{What: "team"}
	}
	return err
}

// FindDecision returns a decision of the team with its history.
func (s *Service) FindDecision(ctx context.Context, teamID, id string) (*Decision, error) {
	d, err := s.store.FindDecisionByID(ctx, teamID, id)
	if err != nil {
		return nil, notFoundAs(err, "decision")
	}
	return newDecision(d, true), nil
}

// FindDecisions lists a team's decisions in creation order, filtered by
// status and owner when they are not "".
func (s *Service) FindDecisions(ctx context.Context, teamID string, f store.DecisionFilter, page store.Page) ([]Decision, string, error) {
	if f.Status != "" && !slices.Contains(decisionStatuses, f.Status) {
		return nil, "", fieldError("status", "must be proposed, in-progress, blocked, review-needed or decided")
	}
	if _, err := s.FindTeam(ctx, teamID); err != nil {
		return nil, "", err
	}
	found, next, err := s.store.FindDecisions(ctx, teamID, f, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]Decision, len(found))
	for i := range found {
		out[i] = *newDecision(&found[i], false)
	}
	return out, next, nil
}

// UpdateDecision applies in to a decision of the team; a change of status
// is kept in its history as made by `by`.
func (s *Service) UpdateDecision(ctx context.Context, teamID, id string, in DecisionInput, by store.Actor) (*Decision, error) {
	if in.Slot != nil && *in.Slot != "" {
		if err := s.checkDecisionSlot(ctx, teamID, in.Slot); err != nil {
			return nil, err
		}
	}
	d, err := s.store.UpdateDecision(ctx, teamID, id, by, in.apply)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &NotFoundError{What: "decision"}
	}
	if err := decisionError(err); err != nil {
		return nil, err
	}
	return newDecision(d, true), nil
}

func newDecision(d *store.Decision, withHistory bool) *Decision {
	out := &Decision{ID: d.ID, TeamID: d.TeamID, Title: d.Title, Context: d.Context, Decision: d.Decision,
		Owner: d.OwnerID, DueDate: d.DueDate, Status: d.Status, Slot: d.SlotID,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if withHistory {
		out.History = make([]StatusChange, len(d.Changes))
		for i, c := range d.Changes {
			out.History[i] = StatusChange{From: c.FromStatus, To: c.ToStatus, By: c.By, At: c.ChangedAt.UTC()}
		}
	}
	return out
}
