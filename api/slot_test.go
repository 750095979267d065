package api_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"overlap/store"
	"overlap/store/storetest"
)

// testClock is a clock a test moves by hand; the service and the store
// both read it, so adoptions take effect at the time the test says.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(s string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// forEachClockedServer runs fn against a server on every engine, with a
// clock the test moves.
func forEachClockedServer(t *testing.T, start string, fn func(t *testing.T, ts *testServer, clock *testClock)) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		clock := &testClock{}
		clock.set(start)
		s.Now = func() time.Time { return clock.Now().UTC().Truncate(time.Microsecond) }
		ts := newTestServer(t, s, func(cfg *testConfig) { cfg.Now = clock.Now })
		fn(t, ts, clock)
	})
}

type slotJSON struct {
	ID    string
	Start string
	End   string
	Local struct {
		Date, Start, End, Timezone string
	}
	Status       string
	AgendaCutoff string `json:"agenda_cutoff"`
	Attendees    []string
	Conflicts    []struct{ Member, Reason, Summary string }
	OutsideHours []string `json:"outside_hours"`
	Agenda       []struct {
		ID, Title, Kind string
		Owner           *string
		Minutes         int
	}
	AgendaMinutes int `json:"agenda_minutes"`
	Cancellation  *struct {
		Reason string
		By     *struct{ KeyID, Label string } `json:"by"`
	}
	Sequence int
}

// listSlots returns the team's slots in [from, to).
func listSlots(t *testing.T, ts *testServer, key, teamID, from, to string) []slotJSON {
	t.Helper()
	res := ts.do(key, "GET", "/v1/teams/"+teamID+"/slots?from="+from+"&to="+to, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("slots: %d %s", res.Status, res.Body)
	}
	var list struct{ Slots []slotJSON }
	res.decode(t, &list)
	return list.Slots
}

// adopt adopts Tuesday and Thursday 14:00–16:00 in the team's zone, or the windows given.
func adopt(t *testing.T, ts *testServer, key, teamID string, windows ...map[string]any) response {
	t.Helper()
	if windows == nil {
		windows = []map[string]any{
			{"week": 0, "weekday": "tue", "start": "14:00", "end": "16:00"},
			{"week": 0, "weekday": "thu", "start": "14:00", "end": "16:00"},
		}
	}
	res := ts.do(key, "PUT", "/v1/teams/"+teamID+"/core-hours", map[string]any{"cycle_weeks": 1, "windows": windows})
	if res.Status != http.StatusOK {
		t.Fatalf("adopt: %d %s", res.Status, res.Body)
	}
	return res
}

func addItem(ts *testServer, key, teamID, slotID string, item map[string]any) response {
	return ts.do(key, "POST", "/v1/teams/"+teamID+"/slots/"+slotID+"/agenda", item)
}

func TestSlotsAgendaAndCancellation(t *testing.T) {
	// Monday 4 January 2027, 09:00 UTC; London is on UTC in winter.
	forEachClockedServer(t, "2027-01-04T09:00:00Z", func(t *testing.T, ts *testServer, clock *testClock) {
		admin, reader := ts.key("admin"), ts.key("read")
		team, ids := newTransatlanticTeam(t, ts, admin)
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:vendor-1\r\nDTSTAMP:20270101T000000Z\r\n" +
			"DTSTART;TZID=Europe/Berlin:20270105T150000\r\nDTEND;TZID=Europe/Berlin:20270105T160000\r\nSUMMARY:Vendor call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		if err := ts.Store.PutMemberCalendar(context.Background(), team.ID, &store.MemberCalendar{MemberID: ids["Berlin"], ICS: ics, Events: 1}); err != nil {
			t.Fatal(err)
		}
		adopt(t, ts, admin, team.ID)
		week := []string{"2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z"}
		slots := listSlots(t, ts, reader, team.ID, week[0], week[1])
		if len(slots) != 2 {
			t.Fatalf("%d slots, want Tuesday and Thursday", len(slots))
		}
		tue, thu := slots[0], slots[1]
		if tue.Start != "2027-01-05T14:00:00Z" || tue.Local.Date != "2027-01-05" || tue.Local.Start != "14:00" || tue.Local.Timezone != "Europe/London" {
			t.Errorf("Tuesday slot %+v", tue)
		}
		if tue.Status != "needs-agenda" || tue.AgendaCutoff != "2027-01-04T14:00:00Z" || tue.Sequence != 0 {
			t.Errorf("Tuesday before any agenda: %+v", tue)
		}
		if len(tue.Conflicts) != 1 || tue.Conflicts[0].Member != ids["Berlin"] || tue.Conflicts[0].Summary != "Vendor call" || len(tue.Attendees) != 2 {
			t.Errorf("Tuesday attendance: attendees %v, conflicts %+v", tue.Attendees, tue.Conflicts)
		}
		if again := listSlots(t, ts, admin, team.ID, week[0], week[1]); again[0].ID != tue.ID || again[1].ID != thu.ID {
			t.Errorf("ids changed between requests: %s %s then %s %s", tue.ID, thu.ID, again[0].ID, again[1].ID)
		}

		bad := []struct {
			name   string
			key    string
			item   map[string]any
			status int
			field  string
		}{
			{"read key", reader, map[string]any{"title": "x", "owner": ids["London"], "minutes": 10, "kind": "decision"}, 403, ""},
			{"unknown owner", admin, map[string]any{"title": "x", "owner": "nobody", "minutes": 10, "kind": "decision"}, 422, "owner"},
			{"unknown kind", admin, map[string]any{"title": "x", "owner": ids["London"], "minutes": 10, "kind": "status"}, 422, "kind"},
			{"script link", admin, map[string]any{"title": "x", "owner": ids["London"], "minutes": 10, "kind": "decision", "pre_read_url": "javascript:alert(1)"}, 422, "pre_read_url"},
			{"longer than the slot", admin, map[string]any{"title": "x", "owner": ids["London"], "minutes": 121, "kind": "decision"}, 422, "minutes"},
		}
		for _, tc := range bad {
			res := addItem(ts, tc.key, team.ID, tue.ID, tc.item)
			if res.Status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, res.Status, res.Body, tc.status)
				continue
			}
			if p := res.problem(t); tc.field != "" && p["field"] != tc.field {
				t.Errorf("%s: field %v, want %s", tc.name, p["field"], tc.field)
			}
		}
		res := addItem(ts, admin, team.ID, tue.ID, map[string]any{"title": "Q3 roadmap", "owner": ids["London"], "minutes": 90, "kind": "decision", "pre_read_url": "https://docs.example.com/q3"})
		if res.Status != http.StatusCreated {
			t.Fatalf("add item: %d %s", res.Status, res.Body)
		}
		res = addItem(ts, admin, team.ID, tue.ID, map[string]any{"title": "New hire", "owner": ids["Berlin"], "minutes": 15, "kind": "fyi"})
		var fyi struct{ ID, Hint string }
		res.decode(t, &fyi)
		if res.Status != http.StatusCreated || fyi.Hint == "" {
			t.Errorf("fyi item: %d %s, want 201 with a hint", res.Status, res.Body)
		}
		res = addItem(ts, admin, team.ID, tue.ID, map[string]any{"title": "One more", "owner": ids["Berlin"], "minutes": 16, "kind": "discussion"})
		if res.Status != 422 || res.problem(t)["field"] != "minutes" {
			t.Errorf("105 + 16 minutes in a 120-minute slot: %d %s", res.Status, res.Body)
		}
		res = ts.do(reader, "GET", "/v1/teams/"+team.ID+"/slots/"+tue.ID+"/agenda", nil)
		var agenda struct{ Items []struct{ Title string } }
		res.decode(t, &agenda)
		if len(agenda.Items) != 2 || agenda.Items[0].Title != "Q3 roadmap" {
			t.Errorf("agenda %s", res.Body)
		}

		// Past Tuesday's cutoff, it keeps its agenda; past Thursday's, Thursday goes async.
		clock.set("2027-01-06T14:00:00Z")
		slots = listSlots(t, ts, admin, team.ID, week[0], week[1])
		tue, thu = slots[0], slots[1]
		if tue.Status != "ready" || tue.AgendaMinutes != 105 || tue.Sequence != 4 {
			t.Errorf("Tuesday with its agenda: %s, %d minutes, sequence %d", tue.Status, tue.AgendaMinutes, tue.Sequence)
		}
		if thu.Status != "cancelled-async" || thu.Cancellation == nil || thu.Cancellation.By != nil || thu.Sequence != 1 {
			t.Errorf("Thursday after its cutoff: %+v", thu)
		}
		res = addItem(ts, admin, team.ID, thu.ID, map[string]any{"title": "late", "owner": ids["London"], "minutes": 10, "kind": "decision"})
		if res.Status != http.StatusConflict {
			t.Errorf("item on a slot cancelled by its cutoff: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "POST", "/v1/teams/"+team.ID+"/slots/"+thu.ID+"/cancel", map[string]any{"reason": "again"})
		if res.Status != http.StatusConflict {
			t.Errorf("cancelling a cancelled slot: %d %s", res.Status, res.Body)
		}
		// Tuesday has started: its agenda stays as the record.
		res = ts.do(admin, "DELETE", "/v1/teams/"+team.ID+"/slots/"+tue.ID+"/agenda/"+fyi.ID, nil)
		if res.Status != http.StatusConflict {
			t.Errorf("removing an item of a past slot: %d %s", res.Status, res.Body)
		}

		// Next week: a lead cancels Tuesday with a reason.
		next := listSlots(t, ts, admin, team.ID, "2027-01-11T00:00:00Z", "2027-01-18T00:00:00Z")
		res = ts.do(reader, "POST", "/v1/teams/"+team.ID+"/slots/"+next[0].ID+"/cancel", map[string]any{"reason": "offsite"})
		if res.Status != http.StatusForbidden {
			t.Errorf("read key cancels: %d", res.Status)
		}
		res = ts.do(admin, "POST", "/v1/teams/"+team.ID+"/slots/"+next[0].ID+"/cancel", map[string]any{"reason": ""})
		if res.Status != 422 || res.problem(t)["field"] != "reason" {
			t.Errorf("cancellation without reason: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "POST", "/v1/teams/"+team.ID+"/slots/"+next[0].ID+"/cancel", map[string]any{"reason": "Offsite: written updates instead"})
		var cancelled slotJSON
		res.decode(t, &cancelled)
		if res.Status != 200 || cancelled.Status != "cancelled-async" || cancelled.Cancellation.By == nil || cancelled.Cancellation.By.Label != "test" || cancelled.Sequence != 2 {
			t.Errorf("cancelled by a lead: %d %s", res.Status, res.Body)
		}
		res = ts.do(reader, "GET", "/v1/teams/"+team.ID+"/slots/"+next[0].ID, nil)
		if res.Status != 200 {
			t.Errorf("get slot: %d", res.Status)
		}
		for _, missing := range []string{"/slots/0123456789abcdef", "/slots/0123456789abcdef/agenda"} {
			if res := ts.do(admin, "GET", "/v1/teams/"+team.ID+missing, nil); res.Status != 404 {
				t.Errorf("%s: %d", missing, res.Status)
			}
		}
		res = addItem(ts, admin, team.ID, "0123456789abcdef", map[string]any{"title": "x", "owner": ids["London"], "minutes": 10, "kind": "decision"})
		if res.Status != 404 {
			t.Errorf("item for an unknown slot: %d", res.Status)
		}
	})
}

func TestReadoptionKeepsAndReportsSlotState(t *testing.T) {
	forEachClockedServer(t, "2027-01-04T09:00:00Z", func(t *testing.T, ts *testServer, clock *testClock) {
		admin := ts.key("admin")
		team, ids := newTransatlanticTeam(t, ts, admin)
		adopt(t, ts, admin, team.ID)
		week2 := []string{"2027-01-11T00:00:00Z", "2027-01-18T00:00:00Z"}
		before := listSlots(t, ts, admin, team.ID, week2[0], week2[1])
		item := map[string]any{"title": "Roadmap", "owner": ids["London"], "minutes": 30, "kind": "decision"}
		for _, sl := range before {
			if res := addItem(ts, admin, team.ID, sl.ID, item); res.Status != 201 {
				t.Fatalf("add: %d %s", res.Status, res.Body)
			}
		}
		// A week later, Thursday moves to Friday; Tuesday stays.
		clock.set("2027-01-08T12:00:00Z")
		res := adopt(t, ts, admin, team.ID,
			map[string]any{"week": 0, "weekday": "tue", "start": "14:00", "end": "16:00"},
			map[string]any{"week": 0, "weekday": "fri", "start": "10:00", "end": "12:00"})
		var adopted struct {
			OrphanedSlots []struct {
				ID     string
				Agenda []struct{ Title string }
			} `json:"orphaned_slots"`
		}
		res.decode(t, &adopted)
		if len(adopted.OrphanedSlots) != 1 || adopted.OrphanedSlots[0].ID != before[1].ID || len(adopted.OrphanedSlots[0].Agenda) != 1 {
			t.Fatalf("adoption reports %s, want Thursday 14 January with its agenda", res.Body)
		}
		after := listSlots(t, ts, admin, team.ID, week2[0], week2[1])
		if len(after) != 2 || after[0].ID != before[0].ID || len(after[0].Agenda) != 1 || after[1].Local.Date != "2027-01-15" {
			t.Errorf("after re-adoption: %+v", after)
		}
		// The week before, slots stay as they were when they happened.
		past := listSlots(t, ts, admin, team.ID, "2027-01-04T00:00:00Z", "2027-01-09T00:00:00Z")
		if len(past) != 2 || past[1].Local.Date != "2027-01-07" {
			t.Errorf("past slots moved: %+v", past)
		}
		orphan := before[1].ID
		res = ts.do(admin, "GET", "/v1/teams/"+team.ID+"/orphaned-slots", nil)
		var orphans struct{ Items []struct{ ID string } }
		res.decode(t, &orphans)
		if len(orphans.Items) != 1 || orphans.Items[0].ID != orphan {
			t.Errorf("orphaned slots %s", res.Body)
		}
		if res := addItem(ts, admin, team.ID, orphan, item); res.Status != http.StatusConflict {
			t.Errorf("item on an orphaned slot: %d %s", res.Status, res.Body)
		}
		res = ts.do(admin, "GET", "/v1/teams/"+team.ID+"/slots/"+orphan+"/agenda", nil)
		var agenda struct{ Items []struct{ ID string } }
		res.decode(t, &agenda)
		if len(agenda.Items) != 1 {
			t.Fatalf("orphan's agenda: %s", res.Body)
		}
		if res := ts.do(admin, "DELETE", "/v1/teams/"+team.ID+"/slots/"+orphan+"/agenda/"+agenda.Items[0].ID, nil); res.Status != 204 {
			t.Errorf("clearing an orphan: %d %s", res.Status, res.Body)
		}
		if res := ts.do(admin, "DELETE", "/v1/teams/"+team.ID+"/slots/"+orphan+"/agenda/"+agenda.Items[0].ID, nil); res.Status != 404 {
			t.Errorf("removing it twice: %d", res.Status)
		}
		res = ts.do(admin, "GET", "/v1/teams/"+team.ID+"/orphaned-slots", nil)
		res.decode(t, &orphans)
		if len(orphans.Items) != 0 {
			t.Errorf("a cleared orphan is still listed: %s", res.Body)
		}
	})
}
