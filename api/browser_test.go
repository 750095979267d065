package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"overlap/store/storetest"
)

// The team page is tested in a real browser: Debian's chromium, headless,
// driven through the DevTools protocol against a real server and store.
// The test fails, rather than skips, without a browser: CI installs one.

// envChromium names the browser to run when it is not on PATH.
const envChromium = "OVERLAP_CHROMIUM"

// envUpdateScreenshot, set to 1, rewrites the committed screenshot of the
// team page that the README shows.
const envUpdateScreenshot = "OVERLAP_UPDATE_SCREENSHOT"

const screenshotPath = "web/testdata/team-page.png"

func chromiumPath(t *testing.T) string {
	if path := os.Getenv(envChromium); path != "" {
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatalf("the team page's test needs Chromium: apt-get install chromium, or set %s to a Chrome or Chromium binary", envChromium)
	return ""
}

// browserTab is one tab of a fresh headless browser (its own profile,
// removed afterwards), with the page's uncaught errors collected.
type browserTab struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowserTab(t *testing.T) *browserTab {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1000),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	tab := &browserTab{t: t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", chromiumPath(t), err)
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			tab.mu.Lock()
			d := ev.ExceptionDetails
			description := d.Text
			if d.Exception != nil {
				description += " " + d.Exception.Description
			}
			tab.errors = append(tab.errors, fmt.Sprintf("%s at %s:%d", description, d.URL, d.LineNumber+1))
			tab.mu.Unlock()
		}
	}()
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The page's policy refusing something is a bug of the page.
			if strings.Contains(m.String(), "Content Security Policy") {
				tab.mu.Lock()
				tab.errors = append(tab.errors, m.String())
				tab.mu.Unlock()
			}
		}
	}()
	return tab
}

func (b *browserTab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page (a promise is
// awaited) and decodes its value into T.
func eval[T any](b *browserTab, expression string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %.120s: %v", expression, err)
	}
	return v
}

// waitUntil waits until a JavaScript condition holds, checking it again
// on every change of the page (the page's policy forbids the eval that
// chromedp's own polling needs).
func (b *browserTab) waitUntil(what, condition string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	expression := fmt.Sprintf(`new Promise((resolve) => {
		const holds = () => { try { return Boolean(%s); } catch { return false; } };
		if (holds()) return resolve(true);
		const watch = new MutationObserver(() => { if (holds()) { watch.disconnect(); resolve(true); } });
		watch.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
	})`, condition)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expression, chromedp.EvalAwaitPromise)); err != nil {
		html, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		b.mu.Lock()
		defer b.mu.Unlock()
		b.t.Fatalf("waiting until %s: %v\nerrors: %q\npage:\n%s", what, err, b.errors, html)
	}
}

// quoted is s as a JavaScript string literal.
func quoted(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// setField sets a form control's value as a person would, firing its
// input and change events.
func (b *browserTab) setField(selector, value string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => { const f = document.querySelector(%s); f.value = %s;
		f.dispatchEvent(new Event('input', { bubbles: true })); f.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`,
		quoted(selector), quoted(value)))
}

// rowCounts is the numbers of one row of the heat map, space-separated.
func (b *browserTab) rowCounts(date string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`[...document.querySelectorAll('#map .day[data-date=%s] .cell')].map((c) => c.querySelector('text')?.textContent ?? '').join(' ')`, quoted(date)))
}

// berlinCalendar holds a weekly status meeting on Mondays 10:00–11:00
// Berlin time (in London's calendar too) and a 1:1 on Wednesdays
// 11:00–11:30, from December 2029.
const berlinCalendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly-status\r\nDTSTAMP:20291201T000000Z\r\nSUMMARY:Weekly status update\r\n" +
	"DTSTART;TZID=Europe/Berlin:20291203T100000\r\nDTEND;TZID=Europe/Berlin:20291203T110000\r\nRRULE:FREQ=WEEKLY\r\n" +
	"ORGANIZER:mailto:berlin@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:berlin@example.com\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED:mailto:london@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:new_york@example.com\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ops@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:sales@example.org\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:one-on-one\r\nDTSTAMP:20291201T000000Z\r\nSUMMARY:1:1 Berlin / London\r\n" +
	"DTSTART;TZID=Europe/Berlin:20291205T110000\r\nDTEND;TZID=Europe/Berlin:20291205T113000\r\nRRULE:FREQ=WEEKLY\r\n" +
	"ORGANIZER:mailto:berlin@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:berlin@example.com\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED:mailto:london@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// TestTeamPageInBrowser signs in to the team page of a known team, reads
// its heat map in two zones, adopts a proposal, puts an item on a slot's
// agenda, copies a new feed's URL, checks accessibility with axe-core at
// desktop and phone widths, takes the README's screenshot, and signs in
// again with a read key that is offered nothing it cannot do.
func TestTeamPageInBrowser(t *testing.T) {
	// The server's clock stands a week before the week shown, so that its
	// slots take agenda items; the browser keeps its own clock.
	clock := &testClock{}
	clock.set("2030-01-07T09:00:00Z")
	s := storetest.OpenSQLite(t)
	s.Now = func() time.Time { return clock.Now().UTC().Truncate(time.Microsecond) }
	ts := newTestServer(t, s, func(cfg *testConfig) { cfg.Now = clock.Now })
	admin, reader := ts.key("admin"), ts.key("read")
	team, ids := newTransatlanticTeam(t, ts, admin)
	for _, city := range []string{"Berlin", "London"} {
		if res := ts.do(admin, "PUT", "/v1/teams/"+team.ID+"/members/"+ids[city]+"/calendar", []byte(berlinCalendar), "text/calendar"); res.Status != http.StatusOK {
			t.Fatalf("calendar: %d %s", res.Status, res.Body)
		}
	}
	// Two teams to show empty states: one with a member and no calendar, one with nobody.
	newcomers := createTeam(t, ts, admin, map[string]any{"name": "Newcomers", "timezone": "Asia/Tokyo"})
	if res := ts.do(admin, "POST", "/v1/teams/"+newcomers.ID+"/members", map[string]any{"name": "Kei", "email": "kei@example.com", "timezone": "Asia/Tokyo"}); res.Status != http.StatusCreated {
		t.Fatalf("member: %d %s", res.Status, res.Body)
	}
	empty := createTeam(t, ts, admin, map[string]any{"name": "Empty", "timezone": "UTC"})
	b := newBrowserTab(t)
	// Layout shifts are summed from the first paint on, as Chrome's
	// Cumulative Layout Shift counts them.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
		window.layoutShift = 0;
		new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.layoutShift += e.value; })
			.observe({ type: 'layout-shift', buffered: true });`}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted, Origin: ts.URL}); err != nil {
			t.Fatal(err)
		}
	}

	// The week of Monday 14 January 2030, in Berlin's hours.
	b.do(chromedp.Navigate(ts.URL + "/#week=2030-01-14&tz=Europe/Berlin"))
	refuseUnknownKey(b)
	signIn(b, admin)
	if eval[bool](b, `localStorage.length > 0 || document.cookie !== '' || location.href.includes(sessionStorage.getItem('overlap.key'))`) ||
		eval[string](b, `sessionStorage.getItem('overlap.key')`) != admin {
		t.Error("the key must be in sessionStorage and nowhere else")
	}
	checkHeatMap(b)
	adoptFirstProposal(b)
	addAgendaItem(b)
	removeItemAndCancel(b)
	copyFeedURL(b)

	// Loaded again with the key kept by the tab, every section loads with
	// no input to excuse a shift: the space kept for them must hold.
	b.do(chromedp.Reload())
	b.waitUntil("the page has loaded again", `!document.getElementById('team-view').hidden && document.querySelector('#slots .slot') && !document.querySelector('[aria-busy="true"]')`)
	if !eval[bool](b, `PerformanceObserver.supportedEntryTypes.includes('layout-shift') && typeof window.layoutShift === 'number'`) {
		t.Fatal("layout shifts cannot be measured in this browser")
	}
	// Chrome calls under 0.1 good; the page keeps the space of what loads,
	// so it shifts by next to nothing (0.09 without the map's space kept).
	if shift := eval[float64](b, `window.layoutShift`); shift >= 0.01 {
		t.Errorf("cumulative layout shift %.3f while loading, want under 0.01", shift)
	} else {
		t.Logf("cumulative layout shift while loading: %.4f", shift)
	}
	checkAccessibility(b, "at desktop width")
	takeScreenshot(b)
	b.do(chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	b.waitUntil("the page fits a phone's width", `document.documentElement.scrollWidth <= window.innerWidth`)
	checkAccessibility(b, "at phone width")
	b.do(chromedp.EmulateViewport(1280, 1000))

	readOnly(b, reader)
	emptyStates(b, newcomers.ID, empty.ID)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		t.Errorf("the page failed: %s", e)
	}
}

// refuseUnknownKey signs in with a key the server does not know: the
// problem shows by the key's field, and the key is not kept.
func refuseUnknownKey(b *browserTab) {
	b.t.Helper()
	b.waitUntil("the sign-in form shows", `!document.getElementById('sign-in').hidden`)
	b.do(chromedp.SendKeys(chromedp.ID("key"), "ovl_unknown"), chromedp.Click(chromedp.CSS("#sign-in-form button[type=submit]")))
	b.waitUntil("the key is refused", `!document.getElementById('key-error').hidden`)
	if got := eval[string](b, `document.getElementById('key-error').textContent`); got != "Missing or invalid API key: the API key is unknown or revoked" {
		b.t.Errorf("the refusal reads %q", got)
	}
	if !eval[bool](b, `document.getElementById('key').getAttribute('aria-invalid') === 'true' && sessionStorage.length === 0 && document.getElementById('key').value === ''`) {
		b.t.Error("a refused key is kept, or its field does not say it is invalid")
	}
}

func signIn(b *browserTab, key string) {
	b.t.Helper()
	b.waitUntil("the sign-in form shows", `!document.getElementById('sign-in').hidden`)
	b.do(chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.CSS("#sign-in-form button[type=submit]")))
	b.waitUntil("the team's sections have loaded", `!document.getElementById('team-view').hidden && document.querySelector('#map svg .cell') && !document.querySelector('[aria-busy="true"]')`)
}

// checkHeatMap reads the known team's Monday in Berlin's hours, then in
// New York's: Berlin works 09–17, London 10–18 and New York 15–23 Berlin
// time, and the status meeting takes Berlin and London 10:00–11:00.
func checkHeatMap(b *browserTab) {
	b.t.Helper()
	if got, want := b.rowCounts("2030-01-14"), "0 0 0 0 0 0 0 0 0 1 0 2 2 2 2 3 3 2 1 1 1 1 1 0"; got != want {
		b.t.Errorf("Monday in Berlin:\n got %s\nwant %s", got, want)
	}
	// On Wednesday Berlin and London's 1:1 takes half of 11:00: neither is there all hour.
	if got, want := b.rowCounts("2030-01-16"), "0 0 0 0 0 0 0 0 0 1 2 0 2 2 2 3 3 2 1 1 1 1 1 0"; got != want {
		b.t.Errorf("Wednesday in Berlin:\n got %s\nwant %s", got, want)
	}
	// The keyboard moves through the hours, and the hour in focus is read out.
	eval[bool](b, `(document.querySelector('#map .day[data-date="2030-01-14"] .cell:nth-of-type(16)').focus(), true)`)
	b.do(chromedp.KeyEvent(kb.ArrowRight))
	b.waitUntil("the next hour is described", `document.getElementById('cell-detail').textContent.startsWith('Mon 14 Jan, 16:00–17:00: 3 of 3 available all hour — New_York, London, Berlin')`)
	if got := eval[string](b, `document.activeElement.dataset.start`); got != "2030-01-14T15:00:00Z" {
		b.t.Errorf("after ArrowRight the focus is on %q", got)
	}

	b.setField("#tz", "America/New_York")
	b.waitUntil("the map is in New York's hours", `document.querySelector('#map .caption').textContent.includes('America/New_York')`)
	if got, want := b.rowCounts("2030-01-14"), "0 0 0 1 0 2 2 2 2 3 3 2 1 1 1 1 1 0 0 0 0 0 0 0"; got != want {
		b.t.Errorf("Monday in New York:\n got %s\nwant %s", got, want)
	}
	b.waitUntil("the proposals are in New York's hours", `document.querySelector('.proposal[data-rank="1"] .windows li').textContent.startsWith('Mon 09:00–11:00 America/New_York')`)
	b.setField("#tz", "Europe/Berlin")
	b.waitUntil("the map is in Berlin's hours again", `document.querySelector('#map .caption').textContent.includes('Europe/Berlin') && !document.querySelector('[aria-busy="true"]')`)
	if !strings.Contains(eval[string](b, `location.hash`), "tz=Europe%2FBerlin") {
		b.t.Error("the zone is not kept in the page's address")
	}
}

// adoptFirstProposal adopts proposal 1 (14:00–16:00 London every weekday)
// and sees it adopted, outlined on the map, and its slots listed.
func adoptFirstProposal(b *browserTab) {
	b.t.Helper()
	b.waitUntil("nothing is adopted yet", `document.getElementById('core').textContent.includes('Nothing adopted yet')`)
	b.do(chromedp.Click(chromedp.CSS(`.proposal[data-rank="1"] button.adopt`)))
	b.waitUntil("proposal 1 is adopted", `document.activeElement.matches('.proposal[data-rank="1"] .status-note') && document.activeElement.textContent.startsWith('Adopted')`)
	b.waitUntil("the slots are listed", `document.querySelectorAll('#slots .slot').length === 5`)
	if got := eval[int](b, `document.querySelectorAll('#map .marks rect.adopted').length`); got != 10 {
		b.t.Errorf("%d adopted hours outlined, want 10 (two a weekday)", got)
	}
	if got := eval[string](b, `document.querySelector('#core li').textContent`); got != "Mon 14:00–16:00 Europe/London" {
		b.t.Errorf("adopted window %q", got)
	}
	if got := eval[string](b, `[...document.querySelectorAll('#slots .status')].map((s) => s.dataset.status).join(' ')`); got != strings.TrimSpace(strings.Repeat("needs-agenda ", 5)) {
		b.t.Errorf("slot statuses %q", got)
	}
}

// addAgendaItem first asks for too long an item, sees the problem next to
// the minutes, then adds one that fits and sees the slot become ready.
func addAgendaItem(b *browserTab) {
	b.t.Helper()
	slot := eval[string](b, `document.querySelector('#slots .slot').dataset.slot`)
	form := fmt.Sprintf(`.slot[data-slot="%s"] form.agenda-form`, slot)
	b.setField(form+" input[name=title]", "Decide the launch date")
	b.setField(form+" input[name=minutes]", "500")
	b.setField(form+" select[name=kind]", "decision")
	b.do(chromedp.Click(chromedp.CSS(form + " button[type=submit]")))
	b.waitUntil("the problem shows by the minutes", fmt.Sprintf(`document.querySelector(%s)?.closest('.field').querySelector('p.error')`, quoted(form+" input[name=minutes]")))
	message := eval[string](b, fmt.Sprintf(`document.querySelector(%s).closest('.field').querySelector('p.error').textContent`, quoted(form+" input[name=minutes]")))
	if !strings.HasPrefix(message, "Invalid field: ") || !strings.Contains(message, "120") {
		b.t.Errorf("the minutes' problem reads %q", message)
	}
	if !eval[bool](b, fmt.Sprintf(`document.activeElement === document.querySelector(%s) && document.activeElement.getAttribute('aria-invalid') === 'true'`, quoted(form+" input[name=minutes]"))) {
		b.t.Error("the refused field neither has the focus nor says it is invalid")
	}
	b.setField(form+" input[name=minutes]", "30")
	b.do(chromedp.Click(chromedp.CSS(form + " button[type=submit]")))
	b.waitUntil("the slot is ready", fmt.Sprintf(`document.querySelector('.slot[data-slot="%s"] .status').dataset.status === 'ready'`, slot))
	if got := eval[string](b, fmt.Sprintf(`document.querySelector('.slot[data-slot="%s"] .agenda li').textContent`, slot)); !strings.HasPrefix(got, "Decide the launch date — New_York, 30 min, decision") {
		b.t.Errorf("agenda item %q", got)
	}
}

// removeItemAndCancel adds an item to the second slot and removes it,
// which takes the slot back to needing an agenda, then cancels the last
// slot with a reason.
func removeItemAndCancel(b *browserTab) {
	b.t.Helper()
	slot := eval[string](b, `document.querySelectorAll('#slots .slot')[1].dataset.slot`)
	card := fmt.Sprintf(`.slot[data-slot="%s"]`, slot)
	b.setField(card+" input[name=title]", "Demo feedback")
	b.do(chromedp.Click(chromedp.CSS(card + " form.agenda-form button[type=submit]")))
	b.waitUntil("the second slot is ready", fmt.Sprintf(`document.querySelector('%s .status').dataset.status === 'ready'`, card))
	b.do(chromedp.Click(chromedp.CSS(card + " .agenda button")))
	b.waitUntil("the second slot needs an agenda again", fmt.Sprintf(`document.querySelector('%s .status').dataset.status === 'needs-agenda' && !document.querySelector('%s .agenda')`, card, card))

	last := eval[string](b, `[...document.querySelectorAll('#slots .slot')].at(-1).dataset.slot`)
	card = fmt.Sprintf(`.slot[data-slot="%s"]`, last)
	b.do(chromedp.Click(chromedp.CSS(card + " form.cancel-form summary")))
	b.setField(card+" input[name=reason]", "Offsite: updates in the written stand-up")
	b.do(chromedp.Click(chromedp.CSS(card + " form.cancel-form button[type=submit]")))
	b.waitUntil("the last slot is cancelled", fmt.Sprintf(`document.querySelector('%s .status').dataset.status === 'cancelled-async'`, card))
	if got := eval[string](b, fmt.Sprintf(`document.querySelector('%s .cancelled').textContent`, card)); got != "Cancelled by test: Offsite: updates in the written stand-up" {
		b.t.Errorf("the cancellation reads %q", got)
	}
	if eval[bool](b, fmt.Sprintf(`Boolean(document.querySelector('%s form'))`, card)) {
		b.t.Error("a cancelled slot still offers its forms")
	}
}

// copyFeedURL creates the team's feed and copies its URL.
func copyFeedURL(b *browserTab) {
	b.t.Helper()
	b.waitUntil("no feed yet", `document.getElementById('feeds').textContent.includes('No feeds yet')`)
	b.setField("#feeds input[name=label]", "Team wiki")
	b.do(chromedp.Click(chromedp.CSS("#feeds form.feed-form button[type=submit]")))
	b.waitUntil("the new URL shows", `document.querySelector('#feeds .feed-url input')?.value.startsWith('http://overlap.test/feeds/ovf_')`)
	url := eval[string](b, `document.querySelector('#feeds .feed-url input').value`)
	b.do(chromedp.Click(chromedp.CSS("#feeds .feed-url button")))
	b.waitUntil("the copy is confirmed", `document.querySelector('#feeds .copy-status').textContent === 'Copied to the clipboard.'`)
	if got := eval[string](b, `navigator.clipboard.readText()`); got != url {
		b.t.Errorf("the clipboard holds %q, want %q", got, url)
	}
	if !eval[bool](b, `document.querySelector('#feeds .feeds li').textContent.startsWith('Team wiki for the team')`) {
		b.t.Error("the new feed is not listed")
	}
	b.do(chromedp.Click(chromedp.CSS("#feeds .feeds li button")))
	b.waitUntil("the rotated URL shows", fmt.Sprintf(`document.querySelector('#feeds .feed-url label')?.textContent.startsWith('New URL') && document.querySelector('#feeds .feed-url input').value !== %s`, quoted(url)))
}

// checkAccessibility runs axe-core in the page: no serious or critical
// violation of WCAG 2.2 A and AA or of best practice.
func checkAccessibility(b *browserTab, where string) {
	b.t.Helper()
	source, err := os.ReadFile("web/testdata/axe-core/axe.min.js")
	if err != nil {
		b.t.Fatal(err)
	}
	eval[bool](b, string(source)+";true")
	type violation struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []any }
	}
	violations := eval[[]violation](b, `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("axe %s: %s %s: %s, e.g. %v", where, v.Impact, v.ID, v.Help, v.Nodes[0].Target)
		} else {
			b.t.Logf("axe %s: %s %s: %s (%d places)", where, v.Impact, v.ID, v.Help, len(v.Nodes))
		}
	}
}

// takeScreenshot captures the top of the team page and checks it is a
// real picture; with OVERLAP_UPDATE_SCREENSHOT=1 it becomes the README's.
func takeScreenshot(b *browserTab) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(1100, 1300))
	eval[bool](b, `(document.activeElement.blur(), window.scrollTo(0, 0), true)`)
	shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	checkScreenshot(b.t, "the new screenshot", shot)
	path := b.t.TempDir() + "/team-page.png"
	if os.Getenv(envUpdateScreenshot) == "1" {
		path = screenshotPath
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
	committed, err := os.ReadFile(screenshotPath)
	if err != nil {
		b.t.Fatalf("the README's screenshot: %v (run with %s=1 to write it)", err, envUpdateScreenshot)
	}
	checkScreenshot(b.t, screenshotPath, committed)
}

// checkScreenshot requires a PNG of the size asked for that shows more
// than a blank page: many colours, the heat map's blues among them.
func checkScreenshot(t *testing.T, name string, data []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", name, err)
	}
	if size := img.Bounds().Size(); size != (image.Point{1100, 1300}) {
		t.Errorf("%s is %v, want 1100×1300", name, size)
	}
	colours := map[[3]uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 3 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	if !colours[[3]uint32{0x08, 0x30, 0x6b}] || len(colours) < 50 {
		t.Errorf("%s shows %d colours and no full-overlap cell: the page did not render", name, len(colours))
	}
}

// readOnly signs out, and in again with a read key: it sees everything
// and is offered nothing that would fail.
func readOnly(b *browserTab, key string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID("sign-out")))
	b.waitUntil("signed out", `!document.getElementById('sign-in').hidden && sessionStorage.length === 0`)
	signIn(b, key)
	b.waitUntil("the slot's agenda shows", `document.querySelector('#slots .status[data-status="ready"]')`)
	offered := eval[[]string](b, `[...document.querySelectorAll('#team-view button, #team-view form')].filter((e) => !e.closest('form#view-form')).map((e) => e.tagName + ':' + e.textContent.trim())`)
	for _, o := range offered {
		if o != "BUTTON:Show on the map" && o != "BUTTON:Download the map as SVG" {
			b.t.Errorf("a read key is offered %q", o)
		}
	}
	if !eval[bool](b, `document.getElementById('core').textContent.includes('Mon 14:00–16:00')`) {
		b.t.Error("a read key does not see the adopted core hours")
	}
}

// emptyStates looks at a team whose member has no calendar and at a team
// with nobody: each section says what to do next.
func emptyStates(b *browserTab, newcomers, empty string) {
	b.t.Helper()
	b.setField("#team", newcomers)
	b.waitUntil("the team without calendars shows", `document.getElementById('team-name').textContent === 'Newcomers' && !document.querySelector('[aria-busy="true"]')`)
	b.waitUntil("the map says no member has a calendar", `document.getElementById('map-notes').textContent.includes('No member has a calendar yet')`)
	b.setField("#team", empty)
	b.waitUntil("the empty team shows", `document.getElementById('team-name').textContent === 'Empty' && !document.querySelector('[aria-busy="true"]')`)
	for section, want := range map[string]string{
		"map-notes": "This team has no members yet",
		"proposals": "Proposals need members",
		"core":      "Nothing adopted yet. A lead adopts one of the proposals above.",
		"slots":     "Slots come from adopted core hours",
		"review":    "add members and their calendars first",
		"feeds":     "No feeds yet. A lead creates them here.",
	} {
		if got := eval[string](b, fmt.Sprintf(`document.getElementById(%s).textContent`, quoted(section))); !strings.Contains(got, want) {
			b.t.Errorf("%s of the empty team reads %q, want %q", section, got, want)
		}
	}
}
