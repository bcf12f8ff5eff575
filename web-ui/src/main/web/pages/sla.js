// SLA pages: the caller's channels with SLA terms, and one channel's terms, collateral and windows — each window's
// signed monitor reports, their median against the promise, the penalty due and what the chain paid — with a
// history chart. On release 2 a window is settled in two steps: each window also shows until when reports are
// accepted on chain, the reports added so far and the settlement (median of all of them, penalty, transaction).
// Figures in basis points and wei are shown exactly; charts draw percent and ether.
import { html, nothing } from 'lit-html';
import { parseEther } from 'viem';
import { fetchJson } from '../api.js';
import { ETHER, duration, ether, etherNumber, parseAmount, percent, short, units, when } from '../format.js';
import { channelCall, runSteps, send } from '../wallet.js';
import { slaChart } from './charts.js';
import { errorView, money, progressView, requireSession, tokenMoney } from './common.js';

const STATUS = {
  PAID: 'reported on chain',
  SUBMITTED: 'submitted, waiting for the chain',
  DUE: 'penalty due, not yet submitted',
  MET: 'met: nothing due',
  AWAITING_REPORTS: 'too few reports',
  REFUSED: 'refused by the chain',
  REPORTING: 'reports added on chain, settlement to come',
  EXPIRED: 'not settled in time: nothing paid',
};

const COLLATERAL = {
  NOT_DEPOSITED: 'The provider has not deposited collateral yet: penalties cannot be paid until it does.',
  COVERED: 'The collateral covers the largest penalty.',
  LOW: 'The collateral left is less than the largest penalty: a bad window is paid only in part.',
  EXHAUSTED: 'Collateral exhausted: every wei of it was paid out in penalties. Further penalties cannot be paid until the provider deposits more.',
  RETURNED: 'The channel is closed: what was left of the collateral went back to the provider.',
};

export async function list(context) {
  const me = requireSession(context, 'Service levels');
  if (!me) return;
  const channels = await fetchJson('/api/sla/channels');
  context.show(html`
    <h1>Service levels</h1>
    ${channels.length === 0
      ? html`<p id="no-sla">None of your channels has SLA terms. Listings with terms say so on their page; a channel
          created for such a listing carries them.</p>`
      : html`<table id="sla-channels">
          <caption>Your channels with SLA terms</caption>
          <thead><tr><th scope="col">Channel</th><th scope="col">Listing</th><th scope="col">You are</th>
            <th scope="col">Promise</th><th scope="col">State</th></tr></thead>
          <tbody>${channels.map(
            (c) => html`<tr data-channel=${c.channel}><td><a href=${`#/sla/${c.channel}`}><code>${short(c.channel)}</code></a></td>
              <td>${c.listingName}</td><td>${c.role}</td><td>${percent(c.targetBps)} per ${duration(c.windowSeconds)}</td>
              <td>${c.chainState ?? 'not indexed yet'}</td></tr>`,
          )}</tbody>
        </table>`}`);
}

export async function page(context, channel) {
  const me = requireSession(context, 'Service level');
  if (!me) return;
  let view;
  let error = null;
  let progress = null;
  const load = async () => {
    view = await fetchJson(`/api/sla/channels/${channel.toLowerCase()}?windows=60`);
  };
  try {
    await load();
  } catch (e) {
    if (e.problem?.status !== 404) throw e;
    context.show(html`<h1>Service level</h1>
      <p id="no-sla">Channel <code>${channel}</code> has no SLA terms (or was not created through this marketplace).
        <a href="#/sla">Your channels with SLA terms</a></p>`);
    return;
  }

  // what the provider deposits collateral in: the listing's token (a permit, or approve then deposit, through the
  // factory) or ether (the channel's depositCollateral with the amount as value, as before tokens)
  const isProvider = me.address.toLowerCase() === view.provider;
  const funding = isProvider ? await fetchJson(`/api/channels/${view.channel}/collateral`).catch(() => null) : null;
  const token = funding && funding.token.symbol !== ETHER.symbol ? funding.token : null;
  const shown = (wei) => (token ? tokenMoney(wei, token) : money(wei));
  const report = (p) => {
    progress = p;
    draw();
  };

  const deposit = async (event) => {
    event.preventDefault();
    const typed = String(new FormData(event.target).get('amount') || '0');
    error = null;
    try {
      if (token) {
        const amount = parseAmount(typed, token).toString();
        const steps = await fetchJson(`/api/channels/${view.channel}/collateral`, { method: 'POST', body: { amount } });
        await runSteps(context.config, steps.steps, {
          submitPermit: (step, signed) => fetchJson(step.submit, { method: 'POST', body: { amount, permit: signed } }),
          progress: report,
        });
      } else {
        const amount = parseEther(typed).toString();
        await send(context.config, { to: view.channel, data: channelCall('depositCollateral', [BigInt(amount)]), value: amount }, report);
      }
      // the indexer sees the CollateralDeposited event a moment later
      setTimeout(() => context.current() && context.reload(), 1500);
    } catch (e) {
      error = e;
    }
    draw();
  };

  const draw = () => {
    const t = view.terms;
    const c = view.collateral;
    const twoStep = view.release >= 2;
    const missed = view.windows.filter((w) => w.met === false).length;
    const measured = view.windows.filter((w) => w.medianBps !== null).length;
    context.show(html`
      <h1>Service level of <a href=${`#/listings/${view.listing}`}>${view.listingName}</a></h1>
      <p>Channel <code title=${view.channel}>${view.channel}</code> between consumer <code title=${view.consumer}>${short(view.consumer)}</code>
        and provider <code title=${view.provider}>${short(view.provider)}</code>${view.chainState ? ` · ${view.chainState}` : ''}.</p>
      <dl class="figures" id="sla-terms">
        <div><dt>Promised availability</dt><dd id="target">${percent(t.targetBps)}</dd></div>
        <div><dt>Per window of</dt><dd>${duration(t.windowSeconds)}, from ${when(view.start * 1000)}</dd></div>
        ${twoStep
          ? html`<div><dt>Report period</dt><dd id="report-period">${duration(t.reportPeriodSeconds)} after each window: reports
              added on chain meanwhile, then the window is settled on the median of all of them</dd></div>`
          : nothing}
        <div><dt>Monitors</dt><dd>${t.quorum} of ${t.monitors.length} must report</dd></div>
        <div><dt>Penalties paid to the consumer</dt><dd id="penalties-paid">${money(view.penaltiesPaidWei)}</dd></div>
      </dl>
      <table id="tiers">
        <caption>Penalty tiers: a window whose median availability is below the threshold pays the largest matching penalty</caption>
        <thead><tr><th scope="col">Below</th><th scope="col">Penalty</th><th scope="col">Wei</th></tr></thead>
        <tbody>${t.tiers.map((tier) => html`<tr><td>${percent(tier.belowBps)}</td><td>${money(tier.penaltyWei)}</td><td class="wei">${tier.penaltyWei}</td></tr>`)}</tbody>
      </table>
      <h2>Collateral</h2>
      <dl class="figures" id="collateral">
        <div><dt>Promised per channel</dt><dd>${shown(c.promisedWei)}</dd></div>
        <div><dt>Deposited</dt><dd id="collateral-deposited">${shown(c.depositedWei)}</dd></div>
        <div><dt>Paid out in penalties</dt><dd id="collateral-paid">${shown(c.paidWei)}</dd></div>
        <div><dt>Left</dt><dd id="collateral-left">${shown(c.remainingWei)}</dd></div>
      </dl>
      <p id="collateral-state" data-state=${c.state} class=${c.state === 'EXHAUSTED' || c.state === 'NOT_DEPOSITED' ? 'alert' : ''}>${COLLATERAL[c.state]}</p>
      ${isProvider && view.chainState !== 'CLOSED'
        ? html`<form id="deposit-collateral" class="inline" @submit=${deposit}>
            <label for="collateral-amount">Deposit collateral (${token ? token.symbol : 'ETH'})</label>
            <input id="collateral-amount" name="amount" inputmode="decimal" value=${token ? units(c.promisedWei, token) : ether(c.promisedWei).replace(' ETH', '')} size="10">
            <button type="submit">Deposit</button></form>${progressView(progress)}`
        : nothing}
      <h2>Windows</h2>
      <p id="window-summary">${measured} of the last ${view.windows.length} windows measured; ${missed} below the promise.</p>
      <div class="chart"><canvas id="sla-history" role="img" aria-label="Measured availability per window against the promise, and penalties paid"></canvas></div>
      <table id="windows">
        <caption>Ended windows, newest first: the monitors' signed reports, their median and what the chain paid</caption>
        <thead><tr><th scope="col">Window</th><th scope="col">Ended</th><th scope="col">Reports</th><th scope="col">Median</th>
          ${twoStep ? html`<th scope="col">Reports accepted until</th><th scope="col">Added on chain</th>` : nothing}
          <th scope="col">Status</th><th scope="col">Penalty due</th><th scope="col">Paid</th></tr></thead>
        <tbody>${view.windows.map(
          (w) => html`<tr data-window=${w.window} data-status=${w.status} data-end=${Date.parse(w.end) / 1000}
            class=${w.met === false ? 'missed' : ''}>
            <td>${w.window}</td><td>${when(w.end)}</td>
            <td class="reports">${w.reports.length} of ${t.monitors.length}${w.reports.length
              ? html`: ${w.reports.map((r) => html`<span class="report" title=${`${r.monitor}: ${JSON.stringify(r.observations)}`}>${percent(r.availabilityBps)}</span> `)}`
              : ''}</td>
            <td class="median">${percent(w.medianBps)}${w.met === false ? html` <strong>below ${percent(t.targetBps)}</strong>` : ''}</td>
            ${twoStep
              ? html`<td class="reports-until">${when(w.reportsUntil)}</td>
                  <td class="added">${w.added.length} of ${t.monitors.length}${w.added.length
                    ? html`: ${w.added.map((r) => html`<span class="report" title=${`${r.monitor}, tx ${r.txHash}`}>${percent(r.availabilityBps)}</span> `)}`
                    : ''}</td>`
              : nothing}
            <td class="status">${STATUS[w.status]}</td>
            <td class="due">${w.duePenaltyWei === '0' ? '–' : money(w.duePenaltyWei)}</td>
            <td class="paid">${w.paid
              ? html`${money(w.paid.penaltyWei)} <small>${twoStep ? `median ${percent(w.paid.availabilityBps)} of ${w.paid.reports} reports, ` : ''}block
                  ${w.paid.block}, tx <code title=${w.paid.txHash}>${short(w.paid.txHash)}</code></small>`
              : '–'}</td></tr>`,
        )}</tbody>
      </table>
      ${errorView(error)}`);
    const ordered = [...view.windows].reverse();
    slaChart(
      'sla-history',
      ordered.map((w) => when(w.end).slice(11, 16)),
      ordered.map((w) => (w.medianBps === null ? null : w.medianBps / 100)),
      t.targetBps / 100,
      ordered.map((w) => (w.paid ? etherNumber(w.paid.penaltyWei) : 0)),
    );
  };
  draw();
}
