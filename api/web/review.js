// Meeting review (which meetings could go async, why, and what that gives
// back) and the load report.

import { fill, h, hours, note, scrollBox } from './dom.js';

const verdictText = { 'go-async': 'Go async', 'move-into-core-hours': 'Move into core hours', 'keep-live': 'Keep live' };

export function renderReview(container, page, review) {
  if (review.meetings.length === 0) {
    fill(container, note(page.members.length === 0
      ? 'Review reads the members\' calendars: add members and their calendars first.'
      : 'No meetings of two or more people in this range, so there is nothing to review. Members\' calendars feed the review: import or subscribe to them.'));
    return;
  }
  const v = review.verdicts;
  const flagged = review.meetings.filter((m) => m.verdict !== 'keep-live');
  const kept = review.meetings.filter((m) => m.verdict === 'keep-live');
  const summary = h('p', {}, `${review.meetings.length} meeting${review.meetings.length === 1 ? '' : 's'}: ${v['go-async']} could go async, ${v['move-into-core-hours']} could move into core hours, ${v['keep-live']} stay live. `,
    h('strong', {}, `Going async gives back ${hours(review.total_person_hours_per_week)} of people's time a week.`));
  const table = flagged.length === 0 ? note('No meeting is flagged: each stays live for a reason given below.') : scrollBox('Table of flagged meetings', h('table', { class: 'review' },
    h('caption', {}, 'Flagged meetings, most time given back first'),
    h('thead', {}, h('tr', {}, ['Meeting', 'Verdict', 'Why', 'Gives back a week'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, flagged.map((m) => h('tr', {},
      h('th', { scope: 'row' }, m.summary || '(no title)'),
      h('td', {}, verdictText[m.verdict], m.suggestion ? h('span', { class: 'muted' }, ` → ${m.suggestion.replaceAll('-', ' ')}`) : ''),
      h('td', {}, h('ul', { class: 'reasons' }, m.reasons.map((r) => h('li', {}, r.detail, h('span', { class: 'muted' }, ` (${r.code}${r.weight ? `, +${r.weight}` : ''})`))))),
      h('td', {}, hours(m.person_hours_per_week)))))));
  const giveBack = review.give_back.length === 0 ? '' : h('p', {}, 'Given back to each member a week: ',
    review.give_back.map((g) => `${g.name} ${hours(g.person_hours_per_week)}`).join(', '), '.');
  const keptList = kept.length === 0 ? '' : h('details', {}, h('summary', {}, `Kept live (${kept.length})`),
    h('ul', {}, kept.map((m) => h('li', {}, h('strong', {}, m.summary || '(no title)'), `: ${m.explanation}`))));
  fill(container, summary, table, giveBack, keptList);
}

export function renderLoad(container, page, load) {
  if (load.members.length === 0) {
    fill(container, note('The load report lists each member: add members first.'));
    return;
  }
  const columns = ['Member', 'Zone', 'Meetings a week', 'Outside hours a week', 'Could give back', 'Core slots', 'Inconvenient slots', 'Share of inconvenient'];
  const rows = load.members.map((m) => h('tr', {},
    h('th', { scope: 'row' }, m.name),
    h('td', {}, m.timezone),
    h('td', {}, hours(m.meeting_hours_per_week)),
    h('td', {}, hours(m.outside_working_hours_per_week)),
    h('td', {}, hours(m.go_async_hours_per_week)),
    h('td', {}, String(m.core_slots)),
    h('td', {}, `${m.inconvenient_slots} (${m.early_slots} early, ${m.late_slots} late)`),
    h('td', {}, `${Math.round(m.inconvenient_share * 100)}%`)));
  fill(container,
    load.core_hours_adopted ? '' : note('No core hours are adopted, so the core-slot columns are empty until a proposal is adopted.'),
    scrollBox('Table of each member\'s load', h('table', { class: 'load' },
      h('caption', {}, `Each member's meeting load over ${load.weeks} week${load.weeks === 1 ? '' : 's'}`),
      h('thead', {}, h('tr', {}, columns.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))));
}
