// One listing: its price table, routes, SLA promise and measured availability; ask for a quote.
import { html } from 'lit-html';
import { fetchJson } from '../api.js';
import { session } from '../session.js';
import { duration, parseAmount, percent } from '../format.js';
import { errorView, money } from './common.js';

export async function page(context, slug) {
  const [listing, availability] = await Promise.all([
    fetchJson(`/api/listings/${slug}`),
    fetchJson(`/api/listings/${slug}/availability`).catch(() => null),
  ]);
  let error = null;
  let busy = false;
  const ask = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    busy = true;
    error = null;
    draw();
    try {
      const negotiation = await fetchJson(`/api/listings/${slug}/negotiations`, {
        method: 'POST',
        body: {
          depositWei: parseAmount(String(form.get('deposit') || '0'), listing.token).toString(),
          expectedRequests: Number(form.get('requests') || 0),
        },
      });
      context.go(`#/negotiations/${negotiation.id}`);
    } catch (e) {
      error = e;
      busy = false;
      draw();
    }
  };
  const measured = availability?.availabilityBps == null
    ? 'nothing measured in the last 24 hours'
    : `${(availability.availabilityBps / 100).toFixed(2)} % of ${availability.requests - availability.consumerErrors} requests in the last 24 hours`;
  const draw = () =>
    context.show(html`
      <h1>${listing.name}</h1>
      <p class="lead">${listing.description ?? ''}</p>
      <p>By <strong>${listing.providerName}</strong>, paid in <strong id="listing-token">${listing.token.symbol}</strong>${listing.token.symbol === 'ETH' ? '' : html` (ERC-20 <code>${listing.token.address}</code>, ${listing.token.decimals} decimals)`}.
        ${listing.docsUrl ? html`<a href=${listing.docsUrl}>Documentation</a>` : ''}</p>
      <table id="price-table">
        <caption>Price per request by category</caption>
        <thead><tr><th scope="col">Category</th><th scope="col">Name</th><th scope="col">Price</th><th scope="col">${listing.token.symbol === 'ETH' ? 'Wei' : 'Base units'}</th></tr></thead>
        <tbody>${listing.categories.map(
          (c) => html`<tr><td>${c.category}</td><td>${c.name}</td><td>${money(c.priceWei, listing.token)}</td><td class="wei">${c.priceWei}</td></tr>`,
        )}</tbody>
      </table>
      <p class="hash">Price table hash (what vouchers sign): <code>${listing.priceTableHash}</code></p>
      <h2>Routes</h2>
      <ul>${listing.routes.map((r) => html`<li><code>${r.method} /${listing.slug}${r.path}</code> → category ${r.category}</li>`)}</ul>
      <h2>Service level</h2>
      ${listing.sla
        ? html`<div id="sla"><p>Every channel of this listing promises <strong id="sla-target">${percent(listing.sla.targetBps)}</strong>
              availability per window of ${duration(listing.sla.windowSeconds)}, measured by ${listing.sla.monitors.length} monitors
              (${listing.sla.quorum} must report; they probe <code>${listing.sla.probePath}</code> and read the gateways'
              observations; their reports are added on chain for <span id="sla-report-period">${duration(listing.sla.reportPeriodSeconds ?? listing.sla.windowSeconds)}</span>
              after each window, which is then settled on the median of all of them). The provider deposits ${money(listing.sla.collateralWei, listing.token)} collateral per channel, from which
              the contract pays the consumer:</p>
            <ul id="sla-tiers">${listing.sla.tiers.map((t) => html`<li>below ${percent(t.belowBps)}: ${money(t.penaltyWei, listing.token)} per window</li>`)}</ul>
            <p>Your channels' windows, reports and penalties: <a href="#/sla">Service levels</a>.</p></div>`
        : html`<p id="sla">No SLA terms on this listing.</p>`}
      <p>Measured availability (gateway observations, consumer errors excluded):
        <strong id="availability">${measured}</strong>.</p>
      <h2>Ask for a quote</h2>
      ${session()
        ? html`<form id="quote" @submit=${ask}>
            <label for="deposit">Deposit you plan (${listing.token.symbol})</label>
            <input id="deposit" name="deposit" inputmode="decimal" required value=${listing.token.symbol === 'ETH' ? '0.01' : '10'}>
            <label for="requests">Requests you expect</label>
            <input id="requests" name="requests" type="number" min="0" value="1000">
            <button type="submit" ?disabled=${busy}>${busy ? 'Asking…' : 'Ask for a quote'}</button>
          </form>`
        : html`<p><a href="#/sign-in">Sign in</a> to ask for a quote.</p>`}
      ${errorView(error)}`);
  draw();
}
