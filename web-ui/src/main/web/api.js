// Calls the marketplace API with the session's bearer token; problem+json answers (RFC 9457) become
// ProblemErrors carrying the problem, so pages show the detail a person can act on.
import { session, signOut } from './session.js';

export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail ?? problem.title ?? 'Request failed');
    this.problem = problem;
  }
}

async function call(url, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && current) {
    signOut('Your session has ended: sign in again to go on.');
  }
  if (!response.ok) {
    const type = response.headers.get('Content-Type') ?? '';
    if (type.startsWith('application/problem+json')) throw new ProblemError(await response.json());
    throw new ProblemError({ title: `HTTP ${response.status}`, status: response.status });
  }
  return response;
}

export async function fetchJson(url, options) {
  const response = await call(url, options);
  return response.status === 204 ? null : response.json();
}

/** Fetches a file (e.g. a CSV statement) with the token and hands it to the browser as a download. */
export async function download(url, accept, fallbackName) {
  const response = await call(url, { accept });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

export function problemMessage(error) {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail ? `${title}: ${detail}` : title;
  }
  return `Could not reach the marketplace (${error.message}).`;
}
