// Calendar feeds: the team's and its members', created and rotated here.
// A feed's URL is shown once, when it is made; copy it then.

import { call } from './api.js';
import { busy, fill, h, instantIn, note, onSubmit, refocus, showError, uniqueId } from './dom.js';

export function renderFeeds(container, page, feeds) {
  const parts = [];
  if (page.shown) parts.push(urlBox(page.shown));
  page.shown = null;
  if (feeds.length === 0) {
    parts.push(note(page.canWrite
      ? 'No feeds yet. Create one to see the slots in Google Calendar, Outlook, Apple Calendar or Thunderbird.'
      : 'No feeds yet. A lead creates them here.'));
  } else {
    parts.push(h('ul', { class: 'feeds' }, feeds.map((f) => feedItem(f, page))));
  }
  if (page.canWrite) parts.push(createForm(page));
  fill(container, parts);
  refocus(container, page);
}

function feedItem(feed, page) {
  const who = feed.member_id ? page.memberName(feed.member_id) : 'the team';
  const made = feed.rotated_at ? `rotated ${instantIn(feed.rotated_at, page.tz)}` : `created ${instantIn(feed.created_at, page.tz)}`;
  const error = h('p', { class: 'error', hidden: true });
  const actions = [];
  if (page.canWrite) {
    const rotate = h('button', { type: 'button', class: 'quiet small' }, 'Rotate', h('span', { class: 'visually-hidden' }, ` the feed ${feed.label || `of ${who}`}`));
    rotate.addEventListener('click', () => busy(rotate, async () => {
      try {
        page.shown = await call('POST', `${page.path}/feeds/${feed.id}/rotate`, {});
        page.shown.rotated = true;
        page.focusAfter = '.feed-url input';
        await page.reloadFeeds();
      } catch (err) {
        showError(error, err);
      }
    }));
    actions.push(rotate);
  }
  return h('li', { 'data-feed': feed.id }, h('strong', {}, feed.label || 'Feed'), ` for ${who}, ${made} `, actions, error);
}

// urlBox shows a new URL once, with a button that copies it.
function urlBox(feed) {
  const input = h('input', { id: uniqueId('url'), readonly: true, value: feed.url, class: 'url' });
  const status = h('p', { class: 'copy-status', role: 'status' });
  const copy = h('button', { type: 'button' }, 'Copy the URL');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      input.select();
      status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  });
  return h('div', { class: 'feed-url' },
    h('label', { for: input.id }, feed.rotated ? 'New URL (the old one stops working now)' : 'The new feed\'s URL'),
    h('div', { class: 'inline' }, input, copy),
    status,
    h('p', { class: 'muted' }, 'It is shown only now and works without a key: share it like a password, and rotate it if it leaks.'));
}

function createForm(page) {
  const label = h('input', { name: 'label', maxlength: '200', autocomplete: 'off' });
  const owner = h('select', { name: 'member' }, h('option', { value: '' }, 'The team'), page.members.map((m) => h('option', { value: m.id }, m.name)));
  label.id = uniqueId('f');
  owner.id = uniqueId('f');
  const form = h('form', { class: 'feed-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Create a feed'),
      h('div', { class: 'field' }, h('label', { for: owner.id }, 'For'), owner),
      h('div', { class: 'field' }, h('label', { for: label.id }, 'Label (who it is for)'), label),
      h('button', { type: 'submit' }, 'Create the feed')));
  return onSubmit(form, page, async () => {
    const path = owner.value ? `${page.path}/members/${owner.value}/feeds` : `${page.path}/feeds`;
    page.shown = await call('POST', path, { label: label.value });
    page.focusAfter = '.feed-url input';
    await page.reloadFeeds();
  });
}
