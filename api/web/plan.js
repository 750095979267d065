// Proposed and adopted core hours, and the DST preview.

import { call } from './api.js';
import { busy, dayLabel, duration, fill, h, instantIn, localSpan, minutes, note, refocus, scrollBox, showError } from './dom.js';

// shown bounds the proposals listed: the first few are the ones to pick from.
const shown = 5;
const weekdayNames = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

export function renderProposals(container, page) {
  const plan = page.plan;
  if (plan.proposals.length === 0) {
    fill(container, note(page.members.length === 0
      ? 'Proposals need members: add the team\'s members first.'
      : 'No core hours fit the team\'s policy in this range. Try another week, or check the members\' working hours and the policy\'s core weekdays.'));
    return;
  }
  const adopted = page.core ? windowsKey(page.core) : '';
  const summary = plan.no_overlap
    ? note('No moment in this range has every required member available, so each proposal below asks someone to stretch; a rotation shares that out.')
    : h('p', {}, `Every required member is available at once for ${duration(plan.full_overlap_minutes)} in this range.`);
  const list = h('ol', { class: 'proposals' }, plan.proposals.slice(0, shown).map((p) => proposalItem(p, page, windowsKey(p) === adopted)));
  fill(container, summary, list);
  refocus(container, page);
}

// windowsKey names a set of core hours, to tell the adopted proposal.
const windowsKey = (core) => JSON.stringify([core.cycle_weeks, core.windows]);

function proposalItem(p, page, isAdopted) {
  const status = h('p', { class: 'status-note', tabindex: '-1' }, isAdopted ? 'Adopted: the slots below follow these core hours.' : '');
  const error = h('p', { class: 'error', hidden: true });
  const showButton = h('button', { type: 'button', class: 'quiet', 'aria-pressed': String(page.shownRank === p.rank) }, 'Show on the map');
  showButton.addEventListener('click', () => {
    page.shownRank = p.rank;
    for (const b of document.querySelectorAll('.proposals [aria-pressed]')) b.setAttribute('aria-pressed', String(b === showButton));
    page.markMap();
    renderDST(document.getElementById('dst'), page);
  });
  const actions = [showButton];
  if (page.canWrite && !isAdopted) {
    const adopt = h('button', { type: 'button', class: 'adopt' }, `Adopt proposal ${p.rank}`);
    adopt.addEventListener('click', () => busy(adopt, async () => {
      try {
        await call('PUT', `${page.path}/core-hours`, { cycle_weeks: p.cycle_weeks, windows: p.windows });
        page.focusAfter = `[data-rank="${p.rank}"] .status-note`;
        await page.reload();
      } catch (err) {
        showError(error, err);
      }
    }));
    actions.push(adopt);
  }
  return h('li', { class: 'proposal', 'data-rank': p.rank },
    h('h3', {}, `Proposal ${p.rank}`, h('span', { class: 'tag' }, p.kind === 'rotation' ? `rotates every ${p.cycle_weeks} weeks` : 'the same every week')),
    h('ul', { class: 'windows' }, windowLines(p, page)),
    h('p', {}, `${p.score.meets_quorum ? 'Meets the quorum' : 'Misses the quorum'} · required attendance ${Math.round(p.score.required_attendance * 100)}% · ${p.score.preferred_minutes} member-minutes in preferred hours`),
    burdenTable(p, page),
    h('p', {}, fairnessText(p, page)),
    h('div', { class: 'actions' }, actions),
    status, error);
}

// windowLines gives each window in the zone shown (from its first
// occurrence) and in the team's zone, where it is defined.
function windowLines(p, page) {
  return p.windows.map((w, i) => {
    const team = `${weekdayNames[w.weekday]} ${w.start}–${w.end}`;
    const week = p.cycle_weeks > 1 ? ` (week ${w.week + 1} of ${p.cycle_weeks})` : '';
    const first = p.occurrences.find((o) => o.window === i);
    if (!first) return h('li', {}, `${team} ${page.team.timezone}${week}`);
    const local = localSpan(first).replace(/^(\w+) \d+ \w+,/, '$1');
    return h('li', {}, h('strong', {}, local), ` ${page.tz}${week}`, page.tz === page.team.timezone ? '' : h('span', { class: 'muted' }, ` · ${team} ${page.team.timezone}`));
  });
}

// burdenTable lists who carries hours outside their working or preferred
// hours, most first; everyone else is summed up in one line.
function burdenTable(p, page) {
  const carrying = p.burden.filter((b) => b.outside_working_minutes_per_week > 0 || b.outside_preferred_minutes_per_week > 0)
    .sort((a, b) => b.outside_working_minutes_per_week - a.outside_working_minutes_per_week);
  if (carrying.length === 0) return h('p', {}, 'Everyone is inside their working and preferred hours.');
  const rows = carrying.slice(0, 10).map((b) => h('tr', {},
    h('th', { scope: 'row' }, page.memberName(b.member)),
    h('td', {}, minutes(b.outside_working_minutes_per_week)),
    h('td', {}, minutes(b.outside_preferred_minutes_per_week))));
  const rest = p.burden.length - Math.min(carrying.length, 10);
  return h('div', {}, scrollBox(`Burden table of proposal ${p.rank}`, h('table', {},
    h('caption', {}, 'Burden: time a week outside each member\'s hours'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'Outside working hours'), h('th', { scope: 'col' }, 'Outside preferred hours'))),
    h('tbody', {}, rows))),
  rest > 0 ? h('p', { class: 'muted' }, `${rest} other member${rest === 1 ? ' is' : 's are'} inside their hours${carrying.length > 10 ? ' or carry less' : ''}.`) : '');
}

function fairnessText(p, page) {
  const f = p.fairness;
  if (f.max_minutes === 0) return `Fairness: nobody is asked outside their working hours over ${p.burden_weeks} week${p.burden_weeks === 1 ? '' : 's'}.`;
  return `Fairness: spread (standard deviation) ${f.stddev_minutes} min; most is ${page.memberName(f.max_member)} with ${f.max_minutes} min outside working hours over ${p.burden_weeks} week${p.burden_weeks === 1 ? '' : 's'}.`;
}

// renderDST previews which dates the shown proposal moves for whom.
export function renderDST(container, page) {
  const changes = page.plan.dst_changes.filter((c) => c.rank === page.shownRank);
  if (changes.length === 0) {
    fill(container, note(`No clock change moves proposal ${page.shownRank} for anyone in this range. Show 4 weeks around late March or late October to preview one.`));
    return;
  }
  const inside = (yes) => (yes ? 'inside hours' : 'outside hours');
  const rows = changes.map((c) => h('tr', {},
    h('td', {}, dayLabel(c.date)),
    h('th', { scope: 'row' }, page.memberName(c.member)),
    h('td', {}, `${c.local_before} → ${c.local_after}`),
    h('td', {}, `${inside(c.inside_working_hours_before)} → ${inside(c.inside_working_hours_after)}`)));
  fill(container, scrollBox('Table of clock changes', h('table', {},
    h('caption', {}, `Where proposal ${page.shownRank} starts at another local time after a clock change`),
    h('thead', {}, h('tr', {}, ['Date', 'Member', 'Their start time', 'Working hours'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows))));
}

export function renderCore(container, page) {
  const core = page.core;
  if (!core) {
    fill(container, note(page.canWrite
      ? 'Nothing adopted yet. Pick a proposal above and press Adopt; its slots then appear below.'
      : 'Nothing adopted yet. A lead adopts one of the proposals above.'));
    return;
  }
  const windows = core.windows.map((w) => h('li', {}, `${weekdayNames[w.weekday]} ${w.start}–${w.end} ${page.team.timezone}`,
    core.cycle_weeks > 1 ? ` (week ${w.week + 1} of ${core.cycle_weeks})` : ''));
  const count = core.occurrences ? core.occurrences.length : 0;
  fill(container,
    h('p', {}, `Adopted ${instantIn(core.adopted_at, page.tz)} (${page.tz}); ${core.cycle_weeks === 1 ? 'the same windows every week' : `a rotation of ${core.cycle_weeks} weeks`}:`),
    h('ul', {}, windows),
    h('p', {}, `${count} occurrence${count === 1 ? '' : 's'} in this range, outlined with dashes on the map.`));
}
