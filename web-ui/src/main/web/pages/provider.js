// The provider's side: listings (create, edit, automatic rules), revenue, pending exposure, redemptions,
// withdrawals to the payout address, SLA standing.
import { html } from 'lit-html';
import { formatEther } from 'viem';
import { fetchJson } from '../api.js';
import { ETHER, amount, bpsOf, parseAmount, percent, short, units, when } from '../format.js';
import { channelCall, send } from '../wallet.js';
import { errorView, moneyIn, perToken, progressView, requireSession } from './common.js';
import { upgrades } from './upgrades.js';

export async function page(context) {
  const me = requireSession(context, 'Provider');
  if (!me) return;
  const address = me.address.toLowerCase();
  let error = null;
  let progress = null;
  let statement = null;
  let events = [];
  let availability = {};
  const releases = upgrades(context, 'provider', () => draw());
  const all = await fetchJson('/api/listings?size=100');
  const mine = all.filter((l) => l.payoutAddress === address);
  try {
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    statement = await fetchJson(`/api/billing/statement?role=provider&from=${from}`);
    events = await fetchJson('/api/billing/events?role=provider&limit=20');
    for (const l of mine) availability[l.slug] = await fetchJson(`/api/listings/${l.slug}/availability`);
    await releases.load();
  } catch (e) {
    if (e.problem?.status !== 403) throw e;
  }

  const register = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      await fetchJson('/api/providers', { method: 'POST', body: { slug: form.get('slug'), name: form.get('name') } });
      context.reload();
    } catch (e) {
      error = e;
      draw();
    }
  };

  // the secret gateways send to the listing's upstream (header Tollgate-Upstream-Secret): shown on request only
  const secrets = {};
  const upstreamSecret = (slug, rotate) => async () => {
    error = null;
    try {
      const answer = await fetchJson(`/api/provider/listings/${slug}/upstream-secret`, { method: rotate ? 'POST' : 'GET' });
      secrets[slug] = answer.upstreamSecret;
    } catch (e) {
      error = e;
    }
    draw();
  };

  const withdraw = (channel) => async () => {
    error = null;
    try {
      await send(context.config, { to: channel, data: channelCall('withdraw') }, (p) => {
        progress = p;
        draw();
      });
      // the indexer sees the Withdrawn event a moment later
      setTimeout(() => context.current() && context.reload(), 1500);
    } catch (e) {
      error = e;
    }
    draw();
  };

  const draw = () =>
    context.show(html`
      <h1>Provider</h1>
      ${!statement
        ? html`<p>${me.address} is not a provider yet. Register to list APIs; your address is the payout address.</p>
            <form id="register" @submit=${register}>
              <label for="slug">Short name (URL)</label><input id="slug" name="slug" required pattern="[a-z0-9][a-z0-9-]{1,62}">
              <label for="name">Display name</label><input id="name" name="name" required>
              <button type="submit">Register as provider</button>
            </form>`
        : html`
            <dl class="figures" id="revenue">
              <div><dt>Redeemed (30 days)</dt><dd id="redeemed">${perToken('redeemed', statement.totals, (t) => t.chain.redeemed)}</dd></div>
              <div><dt>Withdrawn to payout</dt><dd id="withdrawn">${perToken('withdrawn', statement.totals, (t) => t.chain.withdrawn)}</dd></div>
              <div><dt>Accepted by gateways</dt><dd id="accepted">${perToken('accepted', statement.totals, (t) => t.usage)}</dd></div>
              <div><dt>Pending exposure (not yet redeemed)</dt><dd id="pending">${perToken('pending', statement.totals, (t) => t.pendingExposure)}</dd></div>
              <div><dt>SLA penalties paid</dt><dd>${perToken('penalties', statement.totals, (t) => t.chain.penalties)}</dd></div>
            </dl>
            <h2>Listings</h2>
            <p><a id="new-listing" class="button" href="#/provider/listings/new">New listing</a> · <a href="#/negotiations">Offers and requests</a></p>
            <table id="my-listings">
              <caption>Your listings</caption>
              <thead><tr><th scope="col">Listing</th><th scope="col">Categories</th><th scope="col">Availability (24 h)</th><th scope="col"></th></tr></thead>
              <tbody>${mine.map(
                (l) => html`<tr data-listing=${l.slug}><td><a href=${`#/listings/${l.slug}`}>${l.name}</a></td>
                  <td>${l.categories.map((c) => c.name).join(', ')}</td>
                  <td>${availability[l.slug]?.availabilityBps == null ? 'not measured' : `${(availability[l.slug].availabilityBps / 100).toFixed(2)} %`}</td>
                  <td><a href=${`#/provider/listings/${l.slug}/edit`}>Edit</a>
                    ${secrets[l.slug]
                      ? html` · <span class="upstream-secret">Upstream secret (header <code>Tollgate-Upstream-Secret</code>): <code>${secrets[l.slug]}</code></span>
                          <button type="button" class="rotate-secret" @click=${upstreamSecret(l.slug, true)}>Rotate</button>`
                      : html` · <button type="button" class="show-secret" @click=${upstreamSecret(l.slug, false)}>Upstream secret</button>`}</td></tr>`,
              )}</tbody>
            </table>
            <h2>Channels paying you</h2>
            <table id="paying-channels">
              <caption>Redeemed earnings are withdrawn to your payout address by anyone's transaction</caption>
              <thead><tr><th scope="col">Channel</th><th scope="col">Consumer</th><th scope="col">State</th><th scope="col">Redeemed</th>
                <th scope="col">Withdrawn</th><th scope="col"></th><th scope="col">Release</th></tr></thead>
              <tbody>${statement.channels.map((c) => {
                const open = BigInt(c.redeemed.units) - BigInt(c.withdrawn.units);
                return html`<tr data-channel=${c.channel} data-token=${c.token.address}><td><code title=${c.channel}>${short(c.channel)}</code>
                  <a class="sla-link" href=${`#/sla/${c.channel}`}>SLA</a></td>
                  <td><code title=${c.counterparty}>${short(c.counterparty)}</code></td><td>${c.state}</td>
                  <td>${moneyIn(c.redeemed, c.token)}</td><td>${moneyIn(c.withdrawn, c.token)}</td>
                  <td>${open > 0n ? html`<button type="button" class="withdraw" @click=${withdraw(c.channel)}>Withdraw ${amount(open, c.token)}</button>` : ''}</td>
                  <td class="release-cell">${releases.cell(c.channel)}</td></tr>`;
              })}</tbody>
            </table>
            ${progressView(progress)}
            ${releases.status()}
            <h2>Redemptions and payouts</h2>
            <ul id="provider-events">${events.map(
              (e) => html`<li>${when(e.time)} · ${e.name}${e.epoch ? ` (epoch ${e.epoch})` : ''} · ${e.amount ? moneyIn(e.amount, e.token) : ''} · <code>${short(e.channel)}</code></li>`,
            )}</ul>`}
      ${errorView(error)}`);
  draw();
}

export async function editor(context, slug) {
  const me = requireSession(context, 'Listing editor');
  if (!me) return;
  const existing = slug ? await fetchJson(`/api/listings/${slug}`) : null;
  // amounts are typed in whole units of the listing's token and sent as such ("price", "collateral", "penalty"):
  // the marketplace reads the token's decimals from the chain and stores base units exactly
  const token = existing?.token ?? ETHER;
  const inEther = token.address === ETHER.address;
  const unitLabel = (t) => (t.address === ETHER.address ? 'ETH' : t.symbol);
  const state = {
    token: inEther ? '' : token.address,
    categories: existing ? existing.categories.map((c) => ({ name: c.name, price: c.price ?? units(c.priceWei, token) })) : [{ name: 'default', price: '0.000001' }],
    routes: existing ? existing.routes.map((r) => ({ ...r })) : [{ method: 'GET', path: '/**', category: 0 }],
    sla: existing?.sla
      ? {
          ...existing.sla,
          collateral: existing.sla.collateral ?? units(existing.sla.collateralWei, token),
          tiers: existing.sla.tiers.map((t) => ({ below: percent(t.belowBps).replace(' %', ''), penalty: t.penalty ?? units(t.penaltyWei, token) })),
        }
      : null,
  };
  let error = null;
  let busy = false;

  const save = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    busy = true;
    error = null;
    draw();
    try {
      const body = {
        slug: existing ? existing.slug : form.get('slug'),
        name: form.get('name'),
        description: form.get('description') || null,
        upstreamUrl: form.get('upstream'),
        docsUrl: form.get('docs') || null,
        token: String(form.get('token') || '').trim() || 'ether',
        categories: state.categories.map((c, i) => ({ name: form.get(`cat-name-${i}`), price: String(form.get(`cat-price-${i}`)).trim() })),
        routes: state.routes.map((r, i) => ({ method: form.get(`route-method-${i}`), path: form.get(`route-path-${i}`), category: Number(form.get(`route-cat-${i}`)) })),
        sla: state.sla
          ? {
              targetBps: bpsOf(form.get('sla-target')),
              windowSeconds: Number(form.get('sla-window')) * 60,
              // empty: one window length (the marketplace's default)
              reportPeriodSeconds: form.get('sla-report-period') ? Number(form.get('sla-report-period')) : null,
              quorum: Number(form.get('sla-quorum')),
              monitors: String(form.get('sla-monitors')).split(/[\s,]+/).filter((m) => m),
              collateral: String(form.get('sla-collateral') || '0').trim(),
              probePath: form.get('sla-probe'),
              tiers: state.sla.tiers.map((t, i) => ({
                belowBps: bpsOf(form.get(`sla-tier-below-${i}`)),
                penalty: String(form.get(`sla-tier-penalty-${i}`) || '0').trim(),
              })),
            }
          : null,
      };
      const saved = await fetchJson(existing ? `/api/listings/${existing.slug}` : '/api/listings', { method: existing ? 'PUT' : 'POST', body });
      context.go(`#/listings/${saved.slug}`);
    } catch (e) {
      error = e;
      busy = false;
      draw();
    }
  };
  let rulesSaved = false;
  const saveRules = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    error = null;
    rulesSaved = false;
    try {
      const tierDeposit = String(form.get('tier-deposit') || '').trim();
      await fetchJson(`/api/listings/${existing.slug}/rules`, {
        method: 'PUT',
        body: {
          autoQuote: form.get('auto') === 'on',
          minDepositWei: parseAmount(String(form.get('min-deposit') || '0'), token).toString(),
          floorsWei: existing.categories.map((c) => parseAmount(String(form.get(`floor-${c.category}`) || '0'), token).toString()),
          tiers: tierDeposit
            ? [{ minDepositWei: parseAmount(tierDeposit, token).toString(), minRequests: 0, discountBps: Math.round(Number(form.get('tier-discount')) * 100) }]
            : [],
        },
      });
      rulesSaved = true;
    } catch (e) {
      error = e;
    }
    draw();
  };
  const add = (list, item) => () => {
    list.push(item);
    draw();
  };
  const toggleSla = (event) => {
    state.sla = event.target.checked
      ? { targetBps: 9900, windowSeconds: 3600, quorum: 2, monitors: [], collateral: inEther ? '0.01' : '10', probePath: '/health',
          tiers: [{ below: '99', penalty: '0.001' }] }
      : null;
    draw();
  };

  // the unit amounts are typed in: the listing's token while the field names it, else the token about to be set
  const amountsIn = () => {
    const typed = (state.token || '').toLowerCase();
    if (!typed || typed === 'ether') return 'ETH';
    if (existing && typed === token.address) return token.symbol;
    return 'whole units of the token, such as 0.001';
  };
  const draw = () =>
    context.show(html`
      <h1>${existing ? `Edit ${existing.name}` : 'New listing'}</h1>
      <form id="listing-editor" @submit=${save}>
        ${existing ? '' : html`<label for="listing-slug">Short name (URL)</label><input id="listing-slug" name="slug" required pattern="[a-z0-9][a-z0-9-]{1,62}">`}
        <label for="listing-name">Name</label><input id="listing-name" name="name" required value=${existing?.name ?? ''}>
        <label for="listing-description">Description</label><textarea id="listing-description" name="description">${existing?.description ?? ''}</textarea>
        <label for="listing-upstream">Upstream URL (your API)</label><input id="listing-upstream" name="upstream" type="url" required value=${existing?.upstreamUrl ?? ''}>
        <label for="listing-docs">Documentation URL</label><input id="listing-docs" name="docs" type="url" value=${existing?.docsUrl ?? ''}>
        <label for="listing-token">Token the listing is paid in (an ERC-20 address; empty: ether)</label>
        <input id="listing-token" name="token" pattern="(0x[0-9a-fA-F]{40})?|ether" placeholder="ether" size="44"
          title="the address of an ERC-20: its symbol and decimals are read from the chain when you save"
          value=${state.token} @change=${(e) => { state.token = e.target.value.trim(); draw(); }}>
        ${existing && !inEther ? html`<p id="listing-token-unit">Paid in <strong>${token.symbol}</strong> (${token.decimals} decimals).</p>` : ''}
        <fieldset><legend>Categories and prices per request (${amountsIn()})</legend>
          ${state.categories.map(
            (c, i) => html`<div class="row"><label for=${`cat-name-${i}`}>Category ${i} name</label><input id=${`cat-name-${i}`} name=${`cat-name-${i}`} required value=${c.name}>
              <label for=${`cat-price-${i}`}>price</label><input id=${`cat-price-${i}`} name=${`cat-price-${i}`} inputmode="decimal" required value=${c.price}></div>`,
          )}
          <button type="button" class="secondary" @click=${add(state.categories, { name: '', price: '0' })}>Add category</button>
        </fieldset>
        <fieldset><legend>Routes (method, path under /${existing?.slug ?? '<name>'}, category)</legend>
          ${state.routes.map(
            (r, i) => html`<div class="row"><label for=${`route-method-${i}`}>Method</label>
              <select id=${`route-method-${i}`} name=${`route-method-${i}`}>${['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*'].map((m) => html`<option ?selected=${m === r.method}>${m}</option>`)}</select>
              <label for=${`route-path-${i}`}>path</label><input id=${`route-path-${i}`} name=${`route-path-${i}`} required value=${r.path}>
              <label for=${`route-cat-${i}`}>category</label><input id=${`route-cat-${i}`} name=${`route-cat-${i}`} type="number" min="0" max="15" value=${r.category}></div>`,
          )}
          <button type="button" class="secondary" @click=${add(state.routes, { method: 'GET', path: '/', category: 0 })}>Add route</button>
        </fieldset>
        <fieldset id="sla-editor"><legend>Service level (SLA terms every new channel of this listing carries)</legend>
          <label><input id="sla-offer" type="checkbox" ?checked=${state.sla !== null} @change=${toggleSla}> Promise an availability, with penalties paid from your collateral</label>
          ${state.sla
            ? html`<div class="row">
                <label for="sla-target">Availability (%)</label><input id="sla-target" name="sla-target" inputmode="decimal" required size="6"
                  value=${percent(state.sla.targetBps).replace(' %', '')}>
                <label for="sla-window">per window of (minutes)</label><input id="sla-window" name="sla-window" type="number" min="1" required
                  value=${state.sla.windowSeconds / 60}>
                <label for="sla-report-period">reports accepted for (seconds after each window)</label><input id="sla-report-period"
                  name="sla-report-period" type="number" min="1" placeholder="one window" title="1 second to 16 windows; then the window is settled on the median of all reports added"
                  value=${state.sla.reportPeriodSeconds ?? ''}>
                <label for="sla-collateral">collateral per channel (${amountsIn()})</label><input id="sla-collateral" name="sla-collateral" inputmode="decimal"
                  required size="10" value=${state.sla.collateral}>
                <label for="sla-probe">probe path</label><input id="sla-probe" name="sla-probe" required value=${state.sla.probePath}></div>
              <label for="sla-monitors">Monitor addresses (one per line)</label>
              <textarea id="sla-monitors" name="sla-monitors" required>${state.sla.monitors.join('\n')}</textarea>
              <label for="sla-quorum">Reports a window needs (quorum)</label><input id="sla-quorum" name="sla-quorum" type="number" min="1" max="16"
                required value=${state.sla.quorum}>
              ${state.sla.tiers.map(
                (t, i) => html`<div class="row"><label for=${`sla-tier-below-${i}`}>Below (%)</label><input id=${`sla-tier-below-${i}`}
                    name=${`sla-tier-below-${i}`} inputmode="decimal" required size="6" value=${t.below}>
                  <label for=${`sla-tier-penalty-${i}`}>the window pays (${amountsIn()})</label><input id=${`sla-tier-penalty-${i}`}
                    name=${`sla-tier-penalty-${i}`} inputmode="decimal" required value=${t.penalty}></div>`,
              )}
              <button type="button" class="secondary" @click=${add(state.sla.tiers, { below: '95', penalty: '0.001' })}>Add tier</button>`
            : ''}
        </fieldset>
        <button id="save-listing" type="submit" ?disabled=${busy}>${busy ? 'Saving…' : 'Save listing'}</button>
      </form>
      ${existing
        ? html`<h2>Automatic answers</h2>
            <p>With automatic answers on, a quote request gets an offer at once: list prices, less the discount of the
              deposit tier reached, never below your floors; requests below the minimum deposit are refused.</p>
            <form id="rules" @submit=${saveRules}>
              <label><input id="rules-auto" name="auto" type="checkbox"> Answer quote requests automatically</label>
              <label for="min-deposit">Minimum deposit (${unitLabel(token)})</label><input id="min-deposit" name="min-deposit" inputmode="decimal" value="0">
              <fieldset><legend>Floors: the lowest price per request you accept (${unitLabel(token)})</legend>
                ${existing.categories.map(
                  (c) => html`<label for=${`floor-${c.category}`}>${c.name}</label>
                    <input id=${`floor-${c.category}`} name=${`floor-${c.category}`} inputmode="decimal" value=${c.price ?? units(c.priceWei, token)}>`,
                )}
              </fieldset>
              <fieldset><legend>Volume discount</legend>
                <label for="tier-deposit">From a deposit of (${unitLabel(token)}; empty: none)</label><input id="tier-deposit" name="tier-deposit" inputmode="decimal">
                <label for="tier-discount">discount (%)</label><input id="tier-discount" name="tier-discount" type="number" min="0" max="100" step="0.01" value="0">
              </fieldset>
              <button id="save-rules" type="submit">Save automatic answers</button>
              ${rulesSaved ? html`<p id="rules-saved" role="status">Saved: new quote requests are answered by these rules.</p>` : ''}
            </form>`
        : ''}
      ${errorView(error)}`);
  draw();
}
