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

/** An amount in base units of {@code token} (the listing's {address, symbol, decimals}; absent: ether), exactly. */
export function money(wei, token) {
  const unit = token && token.symbol !== 'ETH' ? `base units of ${token.symbol}` : 'wei';
  return html`<span class="money" title=${`${wei} ${unit}`}>${amount(wei, token)}</span>`;
}
