// The consumer's spend: statement figures, spend by category and by day as charts, channels with top-up and
// close, budget and alerts, CSV download.
import { html } from 'lit-html';
import { parseEther } from 'viem';
import { download, fetchJson } from '../api.js';
import { etherNumber, short, when } from '../format.js';
import { channelCall, send } from '../wallet.js';
import { chart } from './charts.js';
import { errorView, money, progressView, requireSession } from './common.js';
import { upgrades } from './upgrades.js';

export async function page(context) {
  const me = requireSession(context, 'My spend');
  if (!me) return;
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  let statement;
  let events;
  let budget;
  let alerts;
  let error = null;
  let progress = null;
  const releases = upgrades(context, 'consumer', () => draw());

  const load = async () => {
    [statement, events, budget, alerts] = await Promise.all([
      fetchJson(`/api/billing/statement?from=${from}&granularity=day`),
      fetchJson('/api/billing/events?limit=20'),
      fetchJson('/api/billing/budget').catch(() => null),
      fetchJson('/api/billing/alerts'),
      releases.load(),
    ]);
  };

  const transact = (channel, data, value) => async () => {
    error = null;
    try {
      await send(context.config, { to: channel, data, value }, (p) => {
        progress = p;
        draw();
      });
      await load();
    } catch (e) {
      error = e;
    }
    draw();
  };

  const topUp = (channel) => (event) => {
    event.preventDefault();
    const amount = parseEther(String(new FormData(event.target).get('amount') || '0')).toString();
    transact(channel, channelCall('deposit', [BigInt(amount)]), amount)();
  };

  const saveBudget = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    error = null;
    try {
      budget = await fetchJson('/api/billing/budget', {
        method: 'PUT',
        body: { period: form.get('period'), amountWei: parseEther(String(form.get('amount') || '0')).toString() },
      });
      alerts = await fetchJson('/api/billing/alerts');
    } catch (e) {
      error = e;
    }
    draw();
  };

  const draw = () => {
    const s = statement;
    context.show(html`
      <h1>My spend</h1>
      <p>From ${when(s.from)} to ${when(s.to)}, for ${me.address}.
        <button id="csv" type="button" class="secondary"
          @click=${() => download(`/api/billing/statement?from=${from}&format=csv`, 'text/csv', 'statement.csv')}>Download CSV</button></p>
      <dl class="figures" id="figures">
        <div><dt>Spent (accepted by gateways)</dt><dd id="spent">${money(s.usageWei)}</dd></div>
        <div><dt>Requests</dt><dd id="requests">${s.requests}</dd></div>
        <div><dt>Deposited</dt><dd>${money(s.chain.depositedWei)}</dd></div>
        <div><dt>Redeemed by providers</dt><dd>${money(s.chain.redeemedWei)}</dd></div>
        <div><dt>Not yet redeemed</dt><dd>${money(s.pendingExposureWei)}</dd></div>
        <div><dt>SLA penalties received</dt><dd>${money(s.chain.penaltiesWei)}</dd></div>
      </dl>
      <div class="charts">
        <figure><figcaption>Spend by category</figcaption><div class="chart"><canvas id="by-category" role="img"
          aria-label="Spend by category"></canvas></div></figure>
        <figure><figcaption>Spend by day</figcaption><div class="chart"><canvas id="by-day" role="img"
          aria-label="Spend by day"></canvas></div></figure>
      </div>
      <table id="statement">
        <caption>Spend by listing and category</caption>
        <thead><tr><th scope="col">Listing</th><th scope="col">Category</th><th scope="col">Requests</th><th scope="col">Spent</th></tr></thead>
        <tbody>${s.byCategory.map(
          (c) => html`<tr><td>${c.listing}</td><td>${c.name}</td><td>${c.requests}</td><td>${money(c.valueWei)}</td></tr>`,
        )}</tbody>
      </table>
      <h2>Channels</h2>
      <table id="channels">
        <caption>Your payment channels</caption>
        <thead><tr><th scope="col">Channel</th><th scope="col">Provider</th><th scope="col">State</th><th scope="col">Redeemed</th>
          <th scope="col">Top up</th><th scope="col">Close</th><th scope="col">Release</th></tr></thead>
        <tbody>${s.channels.map(
          (c) => html`<tr data-channel=${c.channel}>
            <td><code title=${c.channel}>${short(c.channel)}</code> <a class="sla-link" href=${`#/sla/${c.channel}`}>SLA</a></td><td><code title=${c.counterparty}>${short(c.counterparty)}</code></td>
            <td>${c.state}</td><td>${money(c.redeemedWei)}</td>
            <td><form class="inline" @submit=${topUp(c.channel)}><label class="visually-hidden" for=${`top-up-${c.channel}`}>ETH to add</label>
              <input id=${`top-up-${c.channel}`} name="amount" inputmode="decimal" value="0.01" size="6">
              <button type="submit" ?disabled=${c.state !== 'OPEN'}>Top up</button></form></td>
            <td><button type="button" class="secondary" ?disabled=${c.state !== 'OPEN'}
              @click=${transact(c.channel, channelCall('requestClose'), '0')}>Request close</button></td>
            <td class="release-cell">${releases.cell(c.channel)}</td></tr>`,
        )}</tbody>
      </table>
      ${progressView(progress)}
      ${releases.status()}
      <h2>Budget</h2>
      <form id="budget" class="inline" @submit=${saveBudget}>
        <label for="budget-amount">Alert me above (ETH)</label>
        <input id="budget-amount" name="amount" inputmode="decimal" value=${budget ? etherNumber(budget.amountWei) : '0.01'}>
        <label for="budget-period">per</label>
        <select id="budget-period" name="period"><option value="DAY" ?selected=${budget?.period === 'DAY'}>day</option>
          <option value="MONTH" ?selected=${budget?.period !== 'DAY'}>month</option></select>
        <button type="submit">Save budget</button>
      </form>
      <ul id="alerts">${alerts.map(
        (a) => html`<li class="alert">Over budget since ${when(a.periodStart)}: spent ${money(a.spentWei)} of ${money(a.budgetWei)}.</li>`,
      )}</ul>
      <h2>Latest money events</h2>
      <ul id="events">${events.map(
        (e) => html`<li>${when(e.time)} · ${e.name}${e.epoch ? ` (epoch ${e.epoch})` : ''} · ${e.amountWei ? money(e.amountWei) : ''}
          · <code>${short(e.channel)}</code></li>`,
      )}</ul>
      ${errorView(error)}`);
    chart('by-category', 'doughnut', s.byCategory.map((c) => `${c.listing} ${c.name}`), s.byCategory.map((c) => etherNumber(c.valueWei)), 'ETH');
    chart('by-day', 'bar', s.series.map((p) => p.start.slice(0, 10)), s.series.map((p) => etherNumber(p.valueWei)), 'ETH');
  };
  await load();
  draw();
}
