// Small helpers for building the page without innerHTML: every text the
// API answers is set as text, never parsed as markup.

// h makes an element: attributes by name (on… ones are listeners, true
// is a bare attribute, false and null leave it out), then its children.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// fill replaces what a section shows and marks it loaded.
export function fill(container, ...children) {
  container.replaceChildren();
  append(container, children);
  container.removeAttribute('aria-busy');
}

// note is an empty state or a notice: what is (not) there and what to do next.
export const note = (...text) => h('p', { class: 'note' }, ...text);

let ids = 0;
export const uniqueId = (prefix) => `${prefix}-${++ids}`;

// problemText is an API error as a person reads it: its title, then its detail.
export const problemText = (err) => [h('strong', {}, err.title || 'Error'), err.detail ? `: ${err.detail}` : ''];

// showProblem puts an API error next to the form field it names (the
// field's name, before any "." or "["), or at the end of the form, and
// moves focus there.
export function showProblem(form, err) {
  clearProblems(form);
  const name = (err.field || '').split(/[.[]/)[0];
  const field = name && form.elements.namedItem(name);
  const message = h('p', { class: 'error', id: uniqueId('error'), role: 'alert' }, problemText(err));
  if (field instanceof HTMLElement) {
    field.setAttribute('aria-invalid', 'true');
    field.dataset.describedBy = field.getAttribute('aria-describedby') || '';
    field.setAttribute('aria-describedby', `${field.dataset.describedBy} ${message.id}`.trim());
    (field.closest('.field') || field.parentElement).append(message);
    field.focus();
  } else {
    form.append(message);
  }
}

// clearProblems takes a form's error messages away.
export function clearProblems(form) {
  for (const el of form.querySelectorAll('p.error[role=alert]')) el.remove();
  for (const field of form.querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    if ('describedBy' in field.dataset) {
      if (field.dataset.describedBy) field.setAttribute('aria-describedby', field.dataset.describedBy);
      else field.removeAttribute('aria-describedby');
      delete field.dataset.describedBy;
    }
  }
}

// showError shows an error in a placeholder paragraph (hidden when empty).
export function showError(el, err) {
  if (!err) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.replaceChildren(...problemText(err));
  el.hidden = false;
}

// onSubmit sends a form's request when it is submitted, its button
// disabled meanwhile: a refusal shows next to the field it names, and a
// key that stopped working signs the person out (page.failed).
export function onSubmit(form, page, send) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems(form);
    busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await send();
      } catch (err) {
        if (err.status === 401) page.failed(form, err);
        else showProblem(form, err);
      }
    });
  });
  return form;
}

// busy disables a button while its request runs.
export async function busy(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}

// Dates are plain "YYYY-MM-DD" strings, computed in UTC arithmetic so that
// no zone of the browser gets in the way.
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function mondayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

// todayIn is today's date in an IANA zone.
export function todayIn(zone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

// dayLabel is a date as "Mon 11 Jan".
export function dayLabel(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(Date.UTC(y, m - 1, d)));
}

// localSpan reads an answer's local_start and local_end (RFC 3339 in the
// zone asked for) as "Mon 11 Jan, 13:00–15:00".
export function localSpan(item) {
  const start = item.local_start || item.start;
  const end = item.local_end || item.end;
  return `${dayLabel(start.slice(0, 10))}, ${start.slice(11, 16)}–${end.slice(11, 16)}`;
}

// instantIn shows a UTC instant in a zone, as "Mon 11 Jan, 13:00".
export function instantIn(instant, zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

export const hours = (x) => `${Math.round(x * 100) / 100} h`;
export const minutes = (x) => `${Math.round(x)} min`;

// duration is whole minutes as "1 h 30 min".
export function duration(total) {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return [h ? `${h} h` : '', m || !h ? `${m} min` : ''].filter(Boolean).join(' ');
}

// scrollBox holds a wide table that scrolls sideways on a narrow screen;
// it takes the focus, so that the keyboard scrolls it too.
export const scrollBox = (label, table) => h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': label }, table);

// refocus moves focus where the last action asked (page.focusAfter, a
// selector), once the section holding it is drawn again.
export function refocus(container, page) {
  if (!page.focusAfter) return;
  const target = container.querySelector(page.focusAfter);
  if (target) {
    page.focusAfter = '';
    target.focus();
  }
}
