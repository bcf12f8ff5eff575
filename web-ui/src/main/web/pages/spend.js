// The consumer's spend: statement figures per token (never added across tokens), spend by category and by day as
// charts with one series per token, channels with top-up and close, budgets per token and alerts, CSV download.
import { html } from 'lit-html';
import { parseEther } from 'viem';
import { download, fetchJson } from '../api.js';
import { ETHER, short, units, unitsNumber, when } from '../format.js';
import { channelCall, send } from '../wallet.js';
import { tokenChart } from './charts.js';
import { errorView, moneyIn, perToken, progressView, requireSession, tokenKey } from './common.js';
import { upgrades } from './upgrades.js';

export async function page(context) {
  const me = requireSession(context, 'My spend');
  if (!me) return;
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  let statement;
  let events;
  let budgets;
  let alerts;
  let budgetToken = ETHER.address;
  let error = null;
  let progress = null;
  const releases = upgrades(context, 'consumer', () => draw());

  const load = async () => {
    [statement, events, budgets, alerts] = await Promise.all([
      fetchJson(`/api/billing/statement?from=${from}&granularity=day`),
      fetchJson('/api/billing/events?limit=20'),
      fetchJson('/api/billing/budgets'),
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
      budgetToken = String(form.get('token'));
      await fetchJson('/api/billing/budget', {
        method: 'PUT',
        body: { period: form.get('period'), token: budgetToken, amount: String(form.get('amount') || '0').trim() },
      });
      [budgets, alerts] = await Promise.all([fetchJson('/api/billing/budgets'), fetchJson('/api/billing/alerts')]);
    } catch (e) {
      error = e;
    }
    draw();
  };

  const draw = () => {
    const s = statement;
    const totals = s.totals;
    const tokens = totals.map((t) => t.token);
    // the budget form offers ether and every token the statement is in
    const choices = [ETHER, ...tokens.filter((t) => t.address !== ETHER.address)];
    const chosen = choices.find((t) => t.address === budgetToken) ?? ETHER;
    const budget = budgets.find((b) => b.token.address === chosen.address);
    context.show(html`
      <h1>My spend</h1>
      <p>From ${when(s.from)} to ${when(s.to)}, for ${me.address}.
        <button id="csv" type="button" class="secondary"
          @click=${() => download(`/api/billing/statement?from=${from}&format=csv`, 'text/csv', 'statement.csv')}>Download CSV</button></p>
      <dl class="figures" id="figures">
        <div><dt>Spent (accepted by gateways)</dt><dd id="spent">${perToken('spent', totals, (t) => t.usage)}</dd></div>
        <div><dt>Requests</dt><dd id="requests">${s.requests}</dd></div>
        <div><dt>Deposited</dt><dd>${perToken('deposited', totals, (t) => t.chain.deposited)}</dd></div>
        <div><dt>Redeemed by providers</dt><dd>${perToken('redeemed', totals, (t) => t.chain.redeemed)}</dd></div>
        <div><dt>Not yet redeemed</dt><dd>${perToken('pending', totals, (t) => t.pendingExposure)}</dd></div>
        <div><dt>SLA penalties received</dt><dd>${perToken('penalties', totals, (t) => t.chain.penalties)}</dd></div>
      </dl>
      <div class="charts">
        <figure><figcaption>Spend by category</figcaption><div class="chart"><canvas id="by-category" role="img"
          aria-label=${`Spend by category, one ring per token: ${tokens.map((t) => t.symbol).join(', ')}`}></canvas></div></figure>
        <figure><figcaption>Spend by day</figcaption><div class="chart"><canvas id="by-day" role="img"
          aria-label=${`Spend by day, one series per token: ${tokens.map((t) => t.symbol).join(', ')}`}></canvas></div></figure>
      </div>
      <table id="statement">
        <caption>Spend by listing and category</caption>
        <thead><tr><th scope="col">Listing</th><th scope="col">Category</th><th scope="col">Requests</th><th scope="col">Spent</th></tr></thead>
        <tbody>${s.byCategory.map(
          (c) => html`<tr data-token=${c.token.address}><td>${c.listing}</td><td>${c.name}</td><td>${c.requests}</td><td>${moneyIn(c.value, c.token)}</td></tr>`,
        )}</tbody>
      </table>
      <h2>Channels</h2>
      <table id="channels">
        <caption>Your payment channels</caption>
        <thead><tr><th scope="col">Channel</th><th scope="col">Provider</th><th scope="col">State</th><th scope="col">Redeemed</th>
          <th scope="col">Top up</th><th scope="col">Close</th><th scope="col">Release</th></tr></thead>
        <tbody>${s.channels.map(
          (c) => html`<tr data-channel=${c.channel} data-token=${c.token.address}>
            <td><code title=${c.channel}>${short(c.channel)}</code> <a class="sla-link" href=${`#/sla/${c.channel}`}>SLA</a></td><td><code title=${c.counterparty}>${short(c.counterparty)}</code></td>
            <td>${c.state}</td><td>${moneyIn(c.redeemed, c.token)}</td>
            <td>${c.token.address === ETHER.address
              ? html`<form class="inline" @submit=${topUp(c.channel)}><label class="visually-hidden" for=${`top-up-${c.channel}`}>ETH to add</label>
              <input id=${`top-up-${c.channel}`} name="amount" inputmode="decimal" value="0.01" size="6">
              <button type="submit" ?disabled=${c.state !== 'OPEN'}>Top up</button></form>`
              : html`<span class="hint">in ${c.token.symbol}</span>`}</td>
            <td><button type="button" class="secondary" ?disabled=${c.state !== 'OPEN'}
              @click=${transact(c.channel, channelCall('requestClose'), '0')}>Request close</button></td>
            <td class="release-cell">${releases.cell(c.channel)}</td></tr>`,
        )}</tbody>
      </table>
      ${progressView(progress)}
      ${releases.status()}
      <h2>Budget</h2>
      <form id="budget" class="inline" @submit=${saveBudget}>
        <label for="budget-token">Alert me when my spend in</label>
        <select id="budget-token" name="token" @change=${(e) => { budgetToken = e.target.value; draw(); }}>${choices.map(
          (t) => html`<option value=${t.address} ?selected=${t.address === chosen.address}>${t.symbol}</option>`,
        )}</select>
        <label for="budget-amount">is above (${chosen.symbol})</label>
        <input id="budget-amount" name="amount" inputmode="decimal" .value=${budget ? units(budget.amount.units, chosen) : '0.01'}>
        <label for="budget-period">per</label>
        <select id="budget-period" name="period"><option value="DAY" ?selected=${budget?.period === 'DAY'}>day</option>
          <option value="MONTH" ?selected=${budget?.period !== 'DAY'}>month</option></select>
        <button type="submit">Save budget</button>
      </form>
      <ul id="budgets">${budgets.map(
        (b) => html`<li id=${`budget-${tokenKey(b.token, budgets.map((o) => o.token))}`} data-token=${b.token.address}>
          ${moneyIn(b.amount, b.token)} per ${b.period === 'DAY' ? 'day' : 'month'}</li>`,
      )}</ul>
      <ul id="alerts">${alerts.map(
        (a) => html`<li class="alert" data-token=${a.token.address}>Over budget in ${a.token.symbol} since ${when(a.periodStart)}: spent ${moneyIn(a.spent, a.token)} of ${moneyIn(a.budget, a.token)}.</li>`,
      )}</ul>
      <h2>Latest money events</h2>
      <ul id="events">${events.map(
        (e) => html`<li>${when(e.time)} · ${e.name}${e.epoch ? ` (epoch ${e.epoch})` : ''} · ${e.amount ? moneyIn(e.amount, e.token) : ''}
          · <code>${short(e.channel)}</code></li>`,
      )}</ul>
      ${errorView(error)}`);
    // one series per token, drawn in its whole units (the tables above are exact)
    const valuesOf = (lines, token) => lines.map((l) => (l.token.address === token.address ? unitsNumber(l.value.units, token) : null));
    tokenChart('by-category', 'doughnut', s.byCategory.map((c) => `${c.listing} ${c.name}`),
      tokens.map((t) => ({ symbol: t.symbol, values: valuesOf(s.byCategory, t) })));
    const days = [...new Set(s.series.map((p) => p.start.slice(0, 10)))];
    tokenChart('by-day', 'bar', days, tokens.map((t) => ({
      symbol: t.symbol,
      values: days.map((d) => {
        const point = s.series.find((p) => p.start.slice(0, 10) === d && p.token.address === t.address);
        return point ? unitsNumber(point.value.units, t) : null;
      }),
    })));
  };
  await load();
  draw();
}
