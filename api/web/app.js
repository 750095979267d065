// The team page: sign in with an API key, pick a team, and see and run its
// core hours. Every section loads on its own and says what to do next
// when it has nothing to show.

import { ApiError, all, forgetKey, get, query, saveKey, savedKey, teamPath } from './api.js';
import { addDays, clearProblems, fill, h, mondayOf, note, problemText, showError, showProblem, todayIn } from './dom.js';
import { drawMap, mark } from './heatmap.js';
import { renderCore, renderDST, renderProposals } from './plan.js';
import { renderSlots } from './slots.js';
import { renderLoad, renderReview } from './review.js';
import { renderFeeds } from './feeds.js';

const $ = (id) => document.getElementById(id);
// sections are the parts of the team view that load on their own.
const sections = ['map', 'proposals', 'dst', 'core', 'slots', 'review', 'load', 'feeds'];
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';

// page is everything the sections share: who signed in, the team, the
// view asked for, and the answers loaded for it.
const page = {
  who: null,
  teams: [],
  team: null,
  members: [],
  week: '',
  weeks: 1,
  tz: '',
  shownRank: 1,
  plan: null,
  core: null,
  svg: null,
  generation: 0,
  memberName(id) {
    return this.members.find((m) => m.id === id)?.name || id;
  },
  get canWrite() {
    return Boolean(this.who?.can_write);
  },
  get path() {
    return teamPath(this.team.id);
  },
  get range() {
    return query({ from: this.week, to: addDays(this.week, 7 * this.weeks), tz: this.tz });
  },
  markMap,
  reload,
  failed,
  // reloadSlots and reloadFeeds draw one section again after a change to it.
  reloadSlots: () => loadSlots(stillCurrent()),
  reloadFeeds: () => loadFeeds(stillCurrent()),
};

// stillCurrent tells whether the view is still the one asked for now.
function stillCurrent() {
  const generation = page.generation;
  return () => generation === page.generation;
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('team').addEventListener('change', () => chooseTeam($('team').value));
  $('week').addEventListener('change', () => setWeek($('week').value));
  $('week-back').addEventListener('click', () => setWeek(addDays(page.week, -7)));
  $('week-next').addEventListener('click', () => setWeek(addDays(page.week, 7)));
  $('weeks').addEventListener('change', () => {
    page.weeks = Number($('weeks').value);
    reload();
  });
  $('tz').addEventListener('change', () => {
    page.tz = $('tz').value;
    reload();
  });
  $('view-form').addEventListener('submit', (event) => event.preventDefault());
  $('download-svg').addEventListener('click', downloadSVG);
  if (savedKey()) start();
  else showSignIn();
});

function showSignIn(err) {
  $('team-view').hidden = true;
  $('who').hidden = $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  showError($('key-error'), err);
  if (err) $('key').setAttribute('aria-invalid', 'true');
  $('key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  clearProblems(form);
  const key = form.elements.key.value.trim();
  if (!key) {
    showProblem(form, { title: 'An API key is needed', detail: 'paste the key overlap apikey create printed', field: 'key' });
    return;
  }
  saveKey(key);
  form.reset();
  await start();
}

// signOut forgets the key and everything shown with it.
function signOut(err) {
  forgetKey();
  page.generation++;
  Object.assign(page, { who: null, teams: [], team: null, members: [], plan: null, core: null, svg: null });
  for (const id of sections) $(id).replaceChildren(h('p', { class: 'placeholder' }, 'Loading…'));
  markLoading();
  $('map-notes').replaceChildren();
  $('team-name').textContent = 'Team';
  $('team-facts').textContent = '';
  showSignIn(err);
}

// failed shows an error where a section would be; a key that stopped
// working signs the person out.
function failed(container, err) {
  if (err instanceof ApiError && err.status === 401) {
    signOut(err);
    return;
  }
  fill(container, h('p', { class: 'error' }, problemText(err)));
}

async function start() {
  try {
    page.who = await get('/v1/whoami');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) forgetKey();
    showSignIn(err);
    return;
  }
  $('sign-in').hidden = true;
  $('key').removeAttribute('aria-invalid');
  $('who').hidden = $('sign-out').hidden = false;
  $('who').textContent = `Signed in${page.who.label ? ` as ${page.who.label}` : ''} · ${scopeText(page.who)}`;
  try {
    page.teams = page.who.team ? [await get(teamPath(page.who.team))] : await all('/v1/teams');
  } catch (err) {
    $('team-view').hidden = false;
    failed($('map'), err);
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1));
  $('team').replaceChildren(...page.teams.map((t) => h('option', { value: t.id }, t.name)));
  // The team picker is placed before the view shows, so that nothing moves.
  $('team-field').hidden = page.teams.length < 2;
  $('team-view').hidden = false;
  if (page.teams.length === 0) {
    $('team-name').textContent = 'No teams yet';
    fill($('map'), note('There are no teams yet. An admin creates one with POST /v1/teams (see the README), then adds its members.'));
    return;
  }
  page.weeks = [1, 2, 4].includes(Number(wanted.get('weeks'))) ? Number(wanted.get('weeks')) : 1;
  $('weeks').value = String(page.weeks);
  page.week = /^\d{4}-\d{2}-\d{2}$/.test(wanted.get('week') || '') ? mondayOf(wanted.get('week')) : '';
  page.tz = wanted.get('tz') || '';
  await chooseTeam(page.teams.some((t) => t.id === wanted.get('team')) ? wanted.get('team') : page.teams[0].id);
  $('team-name').focus();
}

function scopeText(who) {
  if (who.scope === 'admin') return 'admin: every team';
  if (who.scope === 'read') return 'read only: every team';
  return 'lead of one team';
}

// markLoading says every section is being loaded again; each keeps what it
// shows, dimmed, until its answer comes, so that nothing jumps.
function markLoading() {
  for (const id of sections) $(id).setAttribute('aria-busy', 'true');
}

async function chooseTeam(id) {
  markLoading();
  page.team = page.teams.find((t) => t.id === id);
  $('team').value = id;
  $('team-name').textContent = page.team.name;
  try {
    page.members = await all(`${page.path}/members`);
  } catch (err) {
    failed($('map'), err);
    return;
  }
  fillZones();
  if (!page.week) page.week = mondayOf(todayIn(page.tz));
  $('week').value = page.week;
  await reload();
}

// fillZones offers the viewer's zone, the team's, and each member's.
function fillZones() {
  const byZone = new Map();
  for (const m of page.members) byZone.set(m.timezone, [...(byZone.get(m.timezone) || []), m.name]);
  const option = (zone, label) => h('option', { value: zone }, label);
  const groups = [];
  if (browserZone) groups.push(h('optgroup', { label: 'You' }, option(browserZone, `Your zone (${browserZone})`)));
  groups.push(h('optgroup', { label: 'Team' }, option(page.team.timezone, `The team's zone (${page.team.timezone})`)));
  const members = [...byZone].map(([zone, names]) => option(zone, `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} (${zone})`));
  if (members.length) groups.push(h('optgroup', { label: 'Members' }, members));
  $('tz').replaceChildren(...groups);
  const zones = [browserZone, page.team.timezone, ...byZone.keys()];
  if (!zones.includes(page.tz)) page.tz = browserZone || page.team.timezone;
  $('tz').value = page.tz;
}

function setWeek(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    showError($('week-error'), { title: 'Not a date', detail: 'pick a day of the week to show' });
    return;
  }
  showError($('week-error'), null);
  page.week = mondayOf(date);
  $('week').value = page.week;
  reload();
}

// reload asks for every section of the view; answers to an older view
// are dropped.
async function reload() {
  page.generation++;
  const current = stillCurrent();
  markLoading();
  history.replaceState(null, '', `#${query({ team: page.team.id, week: page.week, weeks: page.weeks, tz: page.tz })}`);
  const last = addDays(page.week, 7 * page.weeks - 1);
  $('team-facts').textContent = `${page.members.length} member${page.members.length === 1 ? '' : 's'} · team zone ${page.team.timezone} · ${page.week} to ${last}, times in ${page.tz}`;
  $('map').dataset.rows = String(7 * page.weeks);
  showError($('view-error'), null);
  showError($('tz-error'), null);
  $('tz').removeAttribute('aria-invalid');
  await Promise.all([loadMap(current), loadPlan(current), loadSlots(current), loadReview(current), loadFeeds(current)]);
}

async function loadMap(current) {
  try {
    const svg = await get(`${page.path}/overlap.svg?${page.range}`, 'image/svg+xml');
    if (!current()) return;
    page.svg = drawMap($('map'), svg, (text) => { $('cell-detail').textContent = text; });
    markMap();
  } catch (err) {
    if (!current()) return;
    if (err instanceof ApiError && err.field === 'tz') {
      $('tz').setAttribute('aria-invalid', 'true');
      showError($('tz-error'), err);
    }
    failed($('map'), err);
  }
}

// loadPlan loads the proposals and the adopted core hours, which the map
// outlines, then the sections drawn from them.
async function loadPlan(current) {
  const [plan, core] = await Promise.allSettled([
    get(`${page.path}/core-hours/proposals?${page.range}`),
    get(`${page.path}/core-hours?${page.range}`),
  ]);
  if (!current()) return;
  page.plan = plan.status === 'fulfilled' ? plan.value : null;
  const missing = core.status === 'rejected' && core.reason.status === 404;
  page.core = core.status === 'fulfilled' ? core.value : null;
  if (plan.status === 'rejected') {
    failed($('proposals'), plan.reason);
    failed($('dst'), plan.reason);
  } else {
    renderProposals($('proposals'), page);
    renderDST($('dst'), page);
    fillMapNotes();
  }
  if (core.status === 'rejected' && !missing) failed($('core'), core.reason);
  else renderCore($('core'), page);
  markMap();
}

function fillMapNotes() {
  const notes = [];
  if (page.members.length === 0) {
    notes.push(note('This team has no members yet, so nobody is available. Add members with POST /v1/teams/{team}/members (see the README); the map fills in as they join.'));
  } else if (page.plan.members_with_calendars === 0) {
    notes.push(note('No member has a calendar yet, so the map shows working hours and time off alone. Import a calendar with PUT …/members/{member}/calendar, or subscribe to one with POST …/members/{member}/subscriptions.'));
  }
  for (const n of page.plan.notices) {
    notes.push(note(`${page.memberName(n.member_id)}'s calendar was read in part: ${n.message}`));
  }
  fill($('map-notes'), notes);
}

// markMap outlines the shown proposal's and the adopted hours on the map.
function markMap() {
  if (!page.svg) return;
  const shown = page.plan?.proposals.find((p) => p.rank === page.shownRank);
  mark(page.svg, shown ? shown.occurrences : [], 'proposed');
  mark(page.svg, page.core?.occurrences || [], 'adopted');
}

async function loadSlots(current) {
  try {
    const list = await get(`${page.path}/slots?${page.range}`);
    if (current()) renderSlots($('slots'), page, list);
  } catch (err) {
    if (current()) failed($('slots'), err);
  }
}

async function loadReview(current) {
  const [review, load] = await Promise.allSettled([
    get(`${page.path}/meetings/review?${page.range}`),
    get(`${page.path}/load?${page.range}`),
  ]);
  if (!current()) return;
  if (review.status === 'fulfilled') renderReview($('review'), page, review.value);
  else failed($('review'), review.reason);
  if (load.status === 'fulfilled') renderLoad($('load'), page, load.value);
  else failed($('load'), load.reason);
}

async function loadFeeds(current) {
  try {
    const feeds = await all(`${page.path}/feeds`);
    if (current()) renderFeeds($('feeds'), page, feeds);
  } catch (err) {
    if (current()) failed($('feeds'), err);
  }
}

// downloadSVG saves the map as the SVG file wikis embed.
async function downloadSVG(event) {
  try {
    const svg = await get(`${page.path}/overlap.svg?${page.range}`, 'image/svg+xml');
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const link = h('a', { href: url, download: `overlap-${page.week}.svg`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  } catch (err) {
    showError($('view-error'), err);
    event.target.focus();
  }
}
