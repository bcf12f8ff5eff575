// Upgrades of live channels, shared by the consumer's and the provider's pages: the release each channel runs
// and, where the marketplace offers a newer one, this party's consent (signed in the wallet, EIP-712), the other
// party's consent state and, once both are in, the upgrade transaction anyone may send.
import { html, nothing } from 'lit-html';
import { fetchJson } from '../api.js';
import { when } from '../format.js';
import { send, signTypedData } from '../wallet.js';
import { errorView, progressView } from './common.js';

/** role: 'consumer' (signs as the channel's owner) or 'provider' (as its payout); redraw: the page's draw. */
export function upgrades(context, role, redraw) {
  const party = role === 'consumer' ? 'owner' : 'payout';
  const other = role === 'consumer' ? 'Provider' : 'Consumer';
  let channels = new Map();
  let progress = null;
  let error = null;
  let signing = null;

  const load = async () => {
    const list = await fetchJson(`/api/upgrades?role=${role}`).catch((e) => {
      if (e.problem?.status === 403 || e.problem?.status === 404) return [];
      throw e;
    });
    channels = new Map(list.map((c) => [c.channel, c]));
  };

  const consent = (offer) => async () => {
    error = null;
    signing = offer.id;
    redraw();
    try {
      const signature = await signTypedData(context.config, offer.typedData);
      await fetchJson(`/api/upgrades/${offer.id}/consents/${party}`, { method: 'POST', body: { signature } });
      await load();
    } catch (e) {
      error = e;
    }
    signing = null;
    redraw();
  };

  const upgrade = (offer) => async () => {
    error = null;
    try {
      await send(context.config, { to: offer.upgradeCall.to, data: offer.upgradeCall.data }, (p) => {
        progress = p;
        redraw();
      });
      await load();
    } catch (e) {
      error = e;
    }
    redraw();
  };

  /** The release cell of a channel's row: its release and the open offer's controls. */
  const cell = (address) => {
    const c = channels.get(address);
    if (!c) return nothing;
    const offer = c.offer;
    const mine = offer && (party === 'owner' ? offer.ownerConsented : offer.payoutConsented);
    const theirs = offer && (party === 'owner' ? offer.payoutConsented : offer.ownerConsented);
    return html`<span class="release" data-release=${c.release}>${c.release ? `release ${c.release}` : 'unknown release'}</span>
      ${offer
        ? html`<div class="upgrade" data-offer=${offer.id}>
            <p class="upgrade-available">Upgrade available: release ${offer.targetRelease}
              (sign by ${when(offer.deadlineAt)})</p>
            <p class="consent-mine">Your consent: ${mine ? 'signed' : 'not signed'}</p>
            <p class="consent-other" data-consented=${theirs ? 'yes' : 'no'}>${other}'s consent: ${theirs ? 'signed' : 'waiting'}</p>
            ${mine
              ? nothing
              : html`<button type="button" class="sign-consent" ?disabled=${signing === offer.id} @click=${consent(offer)}>Sign consent</button>`}
            ${offer.upgradeCall
              ? html`<button type="button" class="send-upgrade" ?disabled=${progress?.state === 'signing' || progress?.state === 'pending'}
                  @click=${upgrade(offer)}>Send upgrade</button>`
              : nothing}
          </div>`
        : nothing}`;
  };

  const status = () => html`<div id="upgrade-status">${progressView(progress)}${errorView(error)}</div>`;

  return { load, cell, status };
}
