package service

import (
	"errors"
	"fmt"

	"overlap/planner"
	"overlap/store"
)

// NotFoundError says which resource a request named does not exist.
type NotFoundError struct {
	// What is the missing thing, as a person would say it: "team",
	// "member", "imported calendar", "adopted core hours".
	What string
}

func (e *NotFoundError) Error() string { return "service: no such " + e.What }

// MalformedError is input that cannot be read at all (not JSON, two JSON
// values, cut short); the field-level problems are planner.FieldErrors.
type MalformedError struct{ Message string }

func (e *MalformedError) Error() string { return "service: " + e.Message }

// LimitError is a request that would pass one of the Limits.
type LimitError struct {
	// What is limited, e.g. "members per team".
	What string
	Max  int
}

func (e *LimitError) Error() string { return fmt.Sprintf("service: at most %d %s", e.Max, e.What) }

// fieldError names the JSON field at fault, in the one field-error type
// every layer uses.
func fieldError(field, format string, args ...any) error {
	return &planner.FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// notFoundAs names what the store did not find.
func notFoundAs(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return &NotFoundError{What: what}
	}
	return err
}

// ConflictError is a request the resource's current state refuses: an
// agenda item for a slot that has started or is cancelled, a second
// cancellation, a second subscription to the same address. Message says
// what to do instead.
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return "service: " + e.Message }
