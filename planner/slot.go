package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Slots are the concrete occurrences of adopted core hours. They are
// derived, never stored: a slot's id is a function of its team and its
// times, so every replica and restart names it alike, and core hours
// adopted again keep the ids of the slots that did not move.

// SlotTime is one occurrence of core hours: its instants and the window it
// comes from.
type SlotTime struct {
	Start, End time.Time // UTC
	Window     int
}

// SlotTimes lays core hours onto loc's dates: every occurrence lying
// wholly inside [from, to), in time order. It looks at no member, so it is
// cheap enough to run on every feed request.
func SlotTimes(core CoreHours, loc *time.Location, from, to time.Time) []SlotTime {
	if core.CycleWeeks < 1 || !to.After(from) {
		return nil
	}
	insts := instances(core, loc, from.Unix(), to.Unix())
	out := make([]SlotTime, len(insts))
	for i, in := range insts {
		start, end := in.times()
		out[i] = SlotTime{Start: start, End: end, Window: in.window}
	}
	return out
}

// SlotID names a team's slot from start to end: 16 hex digits of a SHA-256
// over the team id and the UTC instants, the same wherever it is computed.
func SlotID(teamID string, start, end time.Time) string {
	sum := sha256.Sum256([]byte(teamID + "|" + start.UTC().Format(time.RFC3339) + "|" + end.UTC().Format(time.RFC3339)))
	return hex.EncodeToString(sum[:8])
}

// SlotStatus says whether a slot earns its live time.
type SlotStatus string

// The statuses of a slot.
const (
	// SlotNeedsAgenda is a slot before its agenda cutoff with no agenda yet.
	SlotNeedsAgenda SlotStatus = "needs-agenda"
	// SlotReady has at least one agenda item.
	SlotReady SlotStatus = "ready"
	// SlotCancelledAsync was cancelled by a lead, or reached its agenda
	// cutoff without an agenda: the team works async instead.
	SlotCancelledAsync SlotStatus = "cancelled-async"
)

// AgendaCutoff is when a slot starting at start must have an agenda.
func AgendaCutoff(start time.Time, cutoffHours int) time.Time {
	return start.Add(-time.Duration(cutoffHours) * time.Hour)
}

// SlotStatusAt judges a slot at now: cancelled by a lead, ready with an
// agenda, cancelled for async work once the cutoff passed without one,
// else waiting for an agenda.
func SlotStatusAt(start time.Time, cutoffHours, items int, cancelled bool, now time.Time) SlotStatus {
	switch {
	case cancelled:
		return SlotCancelledAsync
	case items > 0:
		return SlotReady
	case !now.Before(AgendaCutoff(start, cutoffHours)):
		return SlotCancelledAsync
	}
	return SlotNeedsAgenda
}

// SlotSequence is a slot's SEQUENCE (RFC 5545 §3.8.7.4), which must grow
// with every change of its status or agenda. Stored changes count two each
// (revision: the slot's writes; base: the team's changes that can take a
// status back), so that the one step the clock takes on its own — the
// cutoff passing without an agenda — fits between them and the number
// never falls.
func SlotSequence(revision, base int, cancelledByCutoff bool) int {
	seq := 2 * (revision + base)
	if cancelledByCutoff {
		seq++
	}
	return seq
}
