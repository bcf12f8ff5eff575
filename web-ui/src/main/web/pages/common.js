// Pieces several pages share: sign-in gate, transaction progress, problem messages, money cells.
import { html, nothing } from 'lit-html';
import { problemMessage } from '../api.js';
import { session } from '../session.js';
import { amount } from '../format.js';

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

const PURPOSE = {
  approve: 'approve the factory',
  'create-channel': 'create and fund the channel',
  deposit: 'top up',
  collateral: 'deposit collateral',
};

/**
 * A transaction's progress: signing, pending (hash), confirmed (block), failed (why) or timeout (not mined in time,
 * with its hash); for a funding's steps also signing-permit and permit-signed, prefixed "Step n of m (what):".
 */
export function progressView(progress) {
  if (!progress) return nothing;
  const text = {
    'signing-permit': 'Waiting for your wallet to sign the permit (a signature, no transaction, no fee)…',
    'permit-signed': 'Permit signed; preparing the transaction…',
    signing: 'Waiting for your wallet to sign…',
    pending: `Pending: transaction ${progress.hash} sent, waiting to be mined…`,
    confirmed: `Confirmed in block ${progress.block} (transaction ${progress.hash}).`,
    failed: `Failed: ${progress.message}`,
    timeout: `Not mined in time: ${progress.message}`,
  }[progress.state];
  const step = progress.step && progress.of > 1 ? `Step ${progress.step} of ${progress.of} (${PURPOSE[progress.purpose] ?? progress.purpose}): ` : '';
  const alarm = progress.state === 'failed' || progress.state === 'timeout';
  return html`<p class="tx tx-${progress.state}" role=${alarm ? 'alert' : 'status'}
    data-tx-state=${progress.state} data-tx-step=${progress.step ?? nothing}>${step}${text}</p>`;
}

export function errorView(error) {
  return error ? html`<p class="error" role="alert">${problemMessage(error)}</p>` : nothing;
}

/** An amount in base units of {@code token} (the listing's {address, symbol, decimals}; absent: ether), exactly. */
export function money(wei, token) {
  const unit = token && token.symbol !== 'ETH' ? `base units of ${token.symbol}` : 'wei';
  return html`<span class="money" title=${`${wei} ${unit}`}>${amount(wei, token)}</span>`;
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

/** An amount of a token's smallest unit, exactly, with the exact figure in the title. */
export function tokenMoney(units, token) {
  return html`<span class="money" title=${`${units} smallest units`}>${amount(units, token)}</span>`;
}
