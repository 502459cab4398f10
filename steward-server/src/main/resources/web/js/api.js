// The console's only way to the server: JSON over /api/v1 with the signed-in token. The token lives in
// sessionStorage so that closing the tab signs out and no other origin or later session can read it.
const KEY = 'steward.token';

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  whoami: null,
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export async function api(path, { method = 'GET', body, token = session.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text && response.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'http_' + response.status, error.message ?? text, error.details);
  }
  return data;
}

/** Process output from a byte offset; returns the text and where the next page starts. */
export async function output(runId, offset, limit = 65536) {
  const response = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}/output?offset=${offset}&limit=${limit}`, {
    headers: { Authorization: `Bearer ${session.token}` },
  });
  if (!response.ok) throw new ApiError(response.status, 'output', await response.text());
  return {
    text: await response.text(),
    next: Number(response.headers.get('X-Next-Offset') ?? offset),
    more: response.headers.get('X-More') === 'true',
  };
}

/**
 * A live event stream, after event `after` when given (a new EventSource cannot send Last-Event-ID; the browser's
 * own reconnects do). EventSource cannot send headers, so the token rides as ?access_token= (only on streams).
 */
export function eventStream(runId, after = 0) {
  const from = after > 0 ? `&after=${after}` : '';
  const url = `/api/v1/runs/${encodeURIComponent(runId)}/events?access_token=${encodeURIComponent(session.token)}${from}`;
  return new EventSource(url);
}

/** The server's stream of runs and nodes as they change (see lib/changes.js). */
export function changeStream() {
  return new EventSource(`/api/v1/changes?access_token=${encodeURIComponent(session.token)}`);
}

const RANK = { viewer: 1, operator: 2, admin: 3 };

/** Whether the signed-in role is at least the given one. */
export function can(role) {
  return (RANK[session.whoami?.role] ?? 0) >= RANK[role];
}

export const encodeScript = name => name.split('/').map(encodeURIComponent).join('/');
