// Pieces several pages share: sign-in gate, transaction progress, problem messages, money cells.
import { html, nothing } from 'lit-html';
import { problemMessage } from '../api.js';
import { session } from '../session.js';
import { amount, ether } from '../format.js';

/** The session, or null after rendering a sign-in prompt. */
export function requireSession(context, what) {
  const current = session();
  if (!current) {
    sessionStorage.setItem('tollgate.after-sign-in', location.hash);
    context.show(html`<h1>${what}</h1>
      <p>Sign in with your Ethereum wallet to see ${what.toLowerCase()}. <a href="#/sign-in">Sign in</a></p>`);
  }
  return current;
}

/** A transaction's progress: signing, pending (hash), confirmed (block) or failed (why). */
export function progressView(progress) {
  if (!progress) return nothing;
  const text = {
    signing: 'Waiting for your wallet to sign…',
    pending: `Pending: transaction ${progress.hash} sent, waiting to be mined…`,
    confirmed: `Confirmed in block ${progress.block} (transaction ${progress.hash}).`,
    failed: `Failed: ${progress.message}`,
  }[progress.state];
  return html`<p class="tx tx-${progress.state}" role=${progress.state === 'failed' ? 'alert' : 'status'}
    data-tx-state=${progress.state}>${text}</p>`;
}

export function errorView(error) {
  return error ? html`<p class="error" role="alert">${problemMessage(error)}</p>` : nothing;
}

export function money(wei) {
  return html`<span class="money" title=${`${wei} wei`}>${ether(wei)}</span>`;
}

/**
 * A billing amount ({units, amount, display} as statements, budgets and alerts send it) of a token ({address,
 * symbol, decimals}), exact: "0.003 USDT-demo", with the base units in the title.
 */
export function moneyIn(value, token) {
  if (!value) return html`<span class="money">–</span>`;
  return html`<span class="money" title=${`${value.units} base units of ${token.symbol} (${token.address})`}>${amount(value.units, token)}</span>`;
}

/** A DOM id part for a token: its symbol when no other token of the list shares it, else its address. */
export function tokenKey(token, tokens = []) {
  const shared = tokens.filter((t) => t.symbol === token.symbol && t.address !== token.address).length > 0;
  return shared ? token.address : token.symbol.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * One figure of a statement's totals, each token's in its own span with a DOM id tests can read
 * ({@code <prefix>-<symbol>}, see tokenKey): "0.000005 ETH · 0.003 USDT-demo"; never added across tokens.
 */
export function perToken(prefix, totals, figure) {
  if (totals.length === 0) return html`<span>–</span>`;
  return totals.map((t, i) => html`${i > 0 ? ' · ' : ''}<span id=${`${prefix}-${tokenKey(t.token, totals.map((o) => o.token))}`}
    data-token=${t.token.address}>${moneyIn(figure(t), t.token)}</span>`);
}
