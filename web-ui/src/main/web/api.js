// Calls the marketplace API; problem+json answers (RFC 9457) become errors carrying the problem.
export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail ?? problem.title ?? 'Request failed');
    this.problem = problem;
  }
}

export async function fetchJson(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, ...options });
  const type = response.headers.get('Content-Type') ?? '';
  if (!response.ok) {
    if (type.startsWith('application/problem+json')) throw new ProblemError(await response.json());
    throw new ProblemError({ title: `HTTP ${response.status}`, status: response.status });
  }
  return response.json();
}

export function problemMessage(error) {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail ? `${title}: ${detail}` : title;
  }
  return `Could not reach the marketplace (${error.message}).`;
}
