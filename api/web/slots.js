// The slots of the range: agenda status, the agenda itself, and what a
// lead does with them (add or remove an item, cancel the slot).

import { call } from './api.js';
import { busy, fill, h, instantIn, localSpan, note, onSubmit, refocus, showError, uniqueId } from './dom.js';

const statusText = { 'needs-agenda': 'Needs an agenda', ready: 'Ready', 'cancelled-async': 'Cancelled: go async' };
const kinds = [['decision', 'Decision'], ['discussion', 'Discussion'], ['fyi', 'FYI (could be async)']];

export function renderSlots(container, page, list) {
  page.hints = page.hints || {};
  if (list.slots.length === 0) {
    fill(container, note(page.core
      ? 'The adopted core hours have no slot in this range. Try the next week.'
      : 'Slots come from adopted core hours: once a proposal is adopted, its slots appear here with their agendas.'));
    return;
  }
  fill(container,
    h('p', {}, 'Each slot needs an agenda item by its cutoff, or it is cancelled and the team works async instead.'),
    h('div', { class: 'slots' }, list.slots.map((slot) => slotCard(slot, page))));
  refocus(container, page);
}

function slotCard(slot, page) {
  const headingId = `slot-${slot.id}`;
  const open = slot.status !== 'cancelled-async' && Date.parse(slot.start) > Date.now();
  const error = h('p', { class: 'error', hidden: true });
  const parts = [
    h('h3', { id: headingId, tabindex: '-1' }, localSpan(slot), ' ',
      h('span', { class: 'status', 'data-status': slot.status }, statusText[slot.status] || slot.status)),
    peopleLine(slot, page),
    h('h4', {}, `Agenda (${slot.agenda_minutes} of ${Math.round((Date.parse(slot.end) - Date.parse(slot.start)) / 60000)} min)`),
    agendaList(slot, page, open, error),
    error,
  ];
  if (slot.cancellation) parts.push(h('p', { class: 'cancelled' }, `Cancelled${slot.cancellation.by ? ` by ${slot.cancellation.by.label || 'a lead'}` : ''}: ${slot.cancellation.reason}`));
  if (page.hints[slot.id]) parts.push(note(page.hints[slot.id]));
  if (page.canWrite && open) parts.push(agendaForm(slot, page), cancelForm(slot, page));
  return h('article', { class: 'slot', 'data-slot': slot.id, 'aria-labelledby': headingId }, parts);
}

function peopleLine(slot, page) {
  const conflicts = slot.conflicts.map((c) => `${page.memberName(c.member)} (${c.reason === 'time_off' ? 'time off' : c.summary || 'busy'})`);
  const outside = slot.outside_hours.map((id) => page.memberName(id));
  return h('p', {}, `${slot.attendees.length} can attend`,
    conflicts.length ? ` · conflicts: ${conflicts.join(', ')}` : '',
    outside.length ? ` · outside their hours: ${outside.join(', ')}` : '');
}

function agendaList(slot, page, open, error) {
  if (slot.agenda.length === 0) {
    return note(slot.status === 'needs-agenda'
      ? `No agenda yet. Add an item by ${instantIn(slot.agenda_cutoff, page.tz)} or the slot is cancelled for async work.`
      : 'No agenda.');
  }
  return h('ul', { class: 'agenda' }, slot.agenda.map((item) => {
    const title = item.pre_read_url ? h('a', { href: item.pre_read_url, rel: 'noreferrer noopener', target: '_blank' }, item.title) : item.title;
    const remove = page.canWrite && open && h('button', { type: 'button', class: 'quiet small' }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${item.title}`));
    if (remove) {
      remove.addEventListener('click', () => busy(remove, async () => {
        try {
          await call('DELETE', `${page.path}/slots/${slot.id}/agenda/${item.id}`);
          page.focusAfter = `#slot-${slot.id}`;
          await page.reloadSlots();
        } catch (err) {
          if (err.status === 401) page.failed(error, err);
          else showError(error, err);
        }
      }));
    }
    return h('li', {}, title, ` — ${item.owner ? page.memberName(item.owner) : 'a former member'}, ${item.minutes} min, ${item.kind} `, remove);
  }));
}

// field is a labelled control with room for its error below it.
function field(label, control) {
  control.id = uniqueId('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function agendaForm(slot, page) {
  if (page.members.length === 0) return note('Agenda items need an owner: add the team\'s members first.');
  // Open while the slot still needs an agenda: adding one is what to do next.
  const form = h('form', { class: 'agenda-form', novalidate: true },
    h('details', { open: slot.status === 'needs-agenda' }, h('summary', {}, 'Add an agenda item'),
      field('Title', h('input', { name: 'title', required: true, maxlength: '200', autocomplete: 'off' })),
      field('Owner', h('select', { name: 'owner' }, page.members.map((m) => h('option', { value: m.id }, m.name)))),
      field('Minutes', h('input', { name: 'minutes', type: 'number', min: '1', step: '1', value: '15', inputmode: 'numeric' })),
      field('Kind', h('select', { name: 'kind' }, kinds.map(([value, label]) => h('option', { value }, label)))),
      field('Pre-read link (optional)', h('input', { name: 'pre_read_url', type: 'url', autocomplete: 'off' })),
      h('button', { type: 'submit' }, 'Add the item')));
  return onSubmit(form, page, async () => {
    const f = form.elements;
    const body = { title: f.title.value, owner: f.owner.value, minutes: Number(f.minutes.value), kind: f.kind.value, pre_read_url: f.pre_read_url.value };
    const added = await call('POST', `${page.path}/slots/${slot.id}/agenda`, body);
    page.hints[slot.id] = added.hint || '';
    page.focusAfter = `#slot-${slot.id}`;
    await page.reloadSlots();
  });
}

function cancelForm(slot, page) {
  const reason = h('input', { name: 'reason', required: true, maxlength: '500', autocomplete: 'off' });
  const form = h('form', { class: 'cancel-form', novalidate: true },
    h('details', {}, h('summary', {}, 'Cancel this slot…'),
      field('Why (subscribers read this)', reason),
      h('button', { type: 'submit', class: 'danger' }, 'Cancel the slot')));
  return onSubmit(form, page, async () => {
    await call('POST', `${page.path}/slots/${slot.id}/cancel`, { reason: reason.value });
    page.focusAfter = `#slot-${slot.id}`;
    await page.reloadSlots();
  });
}

