// The signed-in account: a short-lived JWT from Sign-In with Ethereum, kept for this tab only.
const KEY = 'tollgate.session';
const listeners = new Set();

export function session() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const value = JSON.parse(raw);
  if (Date.parse(value.expiresAt) <= Date.now()) {
    sessionStorage.removeItem(KEY);
    notice('Your session has ended: sign in again to go on.');
    queueMicrotask(() => listeners.forEach((listener) => listener()));
    return null;
  }
  return value;
}

export function hasRole(role) {
  return session()?.roles?.includes(role) ?? false;
}

export function signedIn(value) {
  sessionStorage.setItem(KEY, JSON.stringify(value));
  listeners.forEach((listener) => listener());
}

export function signOut(message) {
  sessionStorage.removeItem(KEY);
  if (message) notice(message);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener) {
  listeners.add(listener);
}

/** Shows a message in the page's alert region (read out by screen readers). */
export function notice(message) {
  const region = document.getElementById('notice');
  if (region) region.textContent = message ?? '';
}
