package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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

// SlotID names a team's slot from start to end, the same wherever it is
// computed: its start in UTC to the minute, its length in minutes, and 8
// hex digits of a SHA-256 over the team id and the instants, as in
// "20270112T1200Z-120-3fa9c2d1". The times in it let a slot be found from
// its id alone, however far from now; the digest keeps ids of different
// teams apart.
func SlotID(teamID string, start, end time.Time) string {
	start, end = start.UTC(), end.UTC()
	sum := sha256.Sum256([]byte(teamID + "|" + start.Format(time.RFC3339) + "|" + end.Format(time.RFC3339)))
	return fmt.Sprintf("%s-%d-%s", start.Format(slotIDTime), int(end.Sub(start)/time.Minute), hex.EncodeToString(sum[:4]))
}

const slotIDTime = "20060102T1504Z"

// SlotIDTimes reads the start and end a slot id names; ok is false for a
// string that is no slot id.
func SlotIDTimes(id string) (start, end time.Time, ok bool) {
	parts := strings.Split(id, "-")
	if len(parts) != 3 || len(parts[2]) != 8 {
		return start, end, false
	}
	start, err := time.Parse(slotIDTime, parts[0])
	minutes, errMinutes := strconv.Atoi(parts[1])
	if err != nil || errMinutes != nil || minutes <= 0 || minutes > minutesPerDay {
		return start, end, false
	}
	return start, start.Add(time.Duration(minutes) * time.Minute), true
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
