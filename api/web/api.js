// Calls to the Overlap API with the key a person signed in with. The key
// lives in this tab's session storage only: never in local storage, a
// cookie or a URL.

const storageKey = 'overlap.key';

export const savedKey = () => sessionStorage.getItem(storageKey);
export const saveKey = (key) => sessionStorage.setItem(storageKey, key);
export const forgetKey = () => sessionStorage.removeItem(storageKey);

// ApiError is a refused request, carrying the problem's title, detail and
// the field it names.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.field = problem.field || '';
  }
}

// call sends one request; a JSON body is sent as JSON. It answers the
// decoded JSON, the text of other answers, or null for 204.
export async function call(method, path, body, accept = 'application/json') {
  const headers = { Authorization: `Bearer ${savedKey()}`, Accept: accept };
  const init = { method, headers, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, { title: 'No answer from the server', detail: 'check the connection and try again' });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (res.ok) return type.includes('json') ? res.json() : res.text();
  let problem = { title: `HTTP ${res.status}` };
  if (type.includes('json')) problem = await res.json();
  throw new ApiError(res.status, problem);
}

export const get = (path, accept) => call('GET', path, undefined, accept);

// all reads every page of a list.
export async function all(path) {
  const items = [];
  let cursor = '';
  for (;;) {
    const page = await get(path + (path.includes('?') ? '&' : '?') + query({ limit: 200, cursor }));
    items.push(...page.items);
    if (!page.next_cursor) return items;
    cursor = page.next_cursor;
  }
}

// query is a query string of the parameters that have a value.
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== '' && value != null) q.set(name, value);
  }
  return q.toString();
}

export const teamPath = (team) => `/v1/teams/${encodeURIComponent(team)}`;
