// Negotiations: the consumer's quotes and the provider's incoming requests; accept, counter, reject; and,
// once accepted, subscribe: the wallet creates and funds the channel, the marketplace verifies it. A listing priced
// in a token is paid in it: one permit and one transaction where the token takes permits (EIP-2612), approve then
// create otherwise; each step's progress is shown, amounts in the token's units. The channel is topped up the same way.
import { html } from 'lit-html';
import { decodeEventLog, formatEther, parseAbi, parseEther } from 'viem';
import { fetchJson } from '../api.js';
import { ETHER, amount, parseAmount, short, units, when } from '../format.js';
import { runSteps } from '../wallet.js';
import { errorView, money, progressView, requireSession, tokenMoney } from './common.js';

const FACTORY_ABI = parseAbi([
  'event ChannelCreated(address indexed channel, address indexed owner, address indexed payout, address implementation, address token, uint256 deposit)',
]);

export async function list(context) {
  const me = requireSession(context, 'Negotiations');
  if (!me) return;
  const all = await fetchJson('/api/negotiations');
  context.show(html`
    <h1>Negotiations</h1>
    <p>Quotes you asked for, and requests on your listings. Offers expire after an hour.</p>
    ${all.length === 0 ? html`<p role="status">No negotiation yet: ask a listing for a quote.</p>` : ''}
    <table id="negotiations" ?hidden=${all.length === 0}>
      <caption>Your negotiations, newest first</caption>
      <thead><tr><th scope="col">#</th><th scope="col">Listing</th><th scope="col">You are</th><th scope="col">State</th>
        <th scope="col">Deposit</th><th scope="col">Expires</th></tr></thead>
      <tbody>${all.map(
        (n) => html`<tr data-negotiation=${n.id}>
          <td><a href=${`#/negotiations/${n.id}`}>${n.id}</a></td><td>${n.listing}</td>
          <td>${n.consumer === me.address.toLowerCase() ? 'consumer' : 'provider'}</td>
          <td class=${`state state-${n.state.toLowerCase()}`}>${n.state}</td><td>${money(n.depositWei, n.token)}</td>
          <td>${when(n.expiresAt)}</td></tr>`,
      )}</tbody>
    </table>`);
}

export async function one(context, id) {
  const me = requireSession(context, 'Negotiation');
  if (!me) return;
  let negotiation = await fetchJson(`/api/negotiations/${id}`);
  const listing = await fetchJson(`/api/listings/${negotiation.listing}`);
  let error = null;
  let progress = null;
  let subscription = (await fetchJson('/api/subscriptions')).find((s) => s.negotiation === Number(id)) ?? null;
  const consumer = negotiation.consumer === me.address.toLowerCase();
  // what the subscription is paid in: ether or the listing's token (known once the offer is accepted)
  let token = null;
  let funded = null;
  const loadToken = async () => {
    if (consumer && negotiation.state === 'ACCEPTED') {
      token = await fetchJson(`/api/negotiations/${id}/subscription`).catch(() => null);
    }
  };
  await loadToken();
  const unit = () => token ?? negotiation.token ?? ETHER;
  const fundingProgress = (p) => {
    progress = p;
    draw();
  };

  const act = (action, body) => async () => {
    error = null;
    try {
      negotiation = await fetchJson(`/api/negotiations/${id}/${action}`, { method: 'POST', body });
      await loadToken();
    } catch (e) {
      error = e;
    }
    draw();
  };

  const counter = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const prices = listing.categories.map((c) => parseAmount(String(form.get(`price-${c.category}`)), listing.token).toString());
    act('counter', { pricesWei: prices })();
  };

  const subscribe = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    error = null;
    try {
      const deposit = parseAmount(form.get('deposit'), unit());
      const prepared = await fetchJson(`/api/negotiations/${id}/subscription`, {
        method: 'POST',
        body: { signer: String(form.get('signer')).trim(), depositWei: deposit.toString() },
      });
      token = prepared.token;
      const receipt = await runSteps(context.config, prepared.steps, {
        submitPermit: (step, signed) => fetchJson(step.submit, { method: 'POST', body: signed }),
        progress: fundingProgress,
      });
      const created = receipt.logs
        .map((log) => {
          try {
            return decodeEventLog({ abi: FACTORY_ABI, data: log.data, topics: log.topics });
          } catch {
            return null;
          }
        })
        .find((e) => e?.eventName === 'ChannelCreated');
      subscription = await fetchJson(`/api/subscriptions/${prepared.subscription}/channel`, {
        method: 'POST',
        body: { channel: created.args.channel },
      });
      funded = `Funded with ${amount(prepared.deposit, prepared.token)}.`;
    } catch (e) {
      error = e;
    }
    draw();
  };

  const topUp = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    error = null;
    try {
      const channel = subscription.channel;
      const paidIn = (await fetchJson(`/api/channels/${channel}/deposit`)).token;
      const more = parseAmount(form.get('amount'), paidIn);
      const funding = await fetchJson(`/api/channels/${channel}/deposit`, { method: 'POST', body: { amount: more.toString() } });
      await runSteps(context.config, funding.steps, {
        submitPermit: (step, signed) => fetchJson(step.submit, { method: 'POST', body: { amount: funding.amount, permit: signed } }),
        progress: fundingProgress,
      });
      funded = `Topped up with ${amount(funding.amount, funding.token)}.`;
    } catch (e) {
      error = e;
    }
    draw();
  };
  // amounts in the subscription's token once it is known (the consumer of an accepted offer), else as before
  const shown = (value) => tokenMoney(value, unit());
  const busy = () => ['signing', 'pending', 'signing-permit', 'permit-signed'].includes(progress?.state);

  // a token channel names its token, so that the library's caps and messages are in its units (prices: base units)
  const paidIn = () => {
    const t = unit();
    return t.address === ETHER.address
      ? ''
      : `\n        .token("${t.address}", new TokenUnit("${t.symbol}", ${t.decimals}))`;
  };
  const snippet = (channel) => `// Java, with the Tollgate client library (module client/)
var client = TollgateClient.builder()
        .terms(new ChannelTerms("${channel}", ${context.config.chainId}, 1,
                PriceTable.parse(List.of(${negotiation.pricesWei.map((p) => `"${p}"`).join(', ')}))))${paidIn()}
        .signer(ECKeyPair.create(new BigInteger(System.getenv("TOLLGATE_SIGNER_KEY"), 16)))
        .counters(new FileVoucherCounters(Path.of("tollgate-counters.log")))
        .build();
// category 0 = ${listing.categories[0]?.name}; the gateway serves this listing under /${listing.slug}
var response = client.send(HttpRequest.newBuilder(
        URI.create("${context.config.gatewayUrl}/${listing.slug}${listing.routes[0]?.path.replace('/**', '/') ?? '/'}")).build(), 0);`;

  const draw = () =>
    context.show(html`
      <h1>Negotiation ${negotiation.id}: ${listing.name}</h1>
      <p>State: <strong id="negotiation-state" class=${`state state-${negotiation.state.toLowerCase()}`}>${negotiation.state}</strong>
        · you are the ${consumer ? 'consumer' : 'provider'} · consumer ${short(negotiation.consumer)}
        · expires ${when(negotiation.expiresAt)}</p>
      <table id="offer">
        <caption>Prices on the table (deposit ${amount(negotiation.depositWei, unit())}, ${negotiation.expectedRequests} requests expected)</caption>
        <thead><tr><th scope="col">Category</th><th scope="col">List price</th><th scope="col">Offered</th></tr></thead>
        <tbody>${listing.categories.map(
          (c, i) => html`<tr><td>${c.name}</td><td>${shown(c.priceWei)}</td><td>${shown(negotiation.pricesWei[i])}</td></tr>`,
        )}</tbody>
      </table>
      <div class="actions">
        ${consumer && negotiation.state === 'OFFERED'
          ? html`<button id="accept" type="button" @click=${act('accept')}>Accept offer</button>
              <button id="reject" type="button" class="secondary" @click=${act('reject')}>Reject</button>`
          : ''}
        ${!consumer && negotiation.state === 'REQUESTED'
          ? html`<button id="accept" type="button" @click=${act('accept')}>Accept these prices</button>
              <button id="reject" type="button" class="secondary" @click=${act('reject')}>Reject</button>
              <form id="counter" @submit=${counter}>
                <fieldset><legend>Counter-offer (${listing.token.symbol} per request)</legend>
                  ${listing.categories.map(
                    (c, i) => html`<label for=${`price-${c.category}`}>${c.name}</label>
                      <input id=${`price-${c.category}`} name=${`price-${c.category}`} inputmode="decimal"
                        value=${units(negotiation.pricesWei[i], listing.token)}>`,
                  )}
                  <button type="submit">Send counter-offer</button></fieldset>
              </form>`
          : ''}
      </div>
      ${consumer && negotiation.state === 'ACCEPTED' && !subscription?.channel
        ? html`<h2>Subscribe</h2>
            <p>Your wallet creates the channel with these prices and funds it; the marketplace never holds your keys.
              The signer is the key your services sign vouchers with (the client library's), not your wallet's.</p>
            <form id="subscribe" @submit=${subscribe}>
              <label for="signer">Voucher signer address</label>
              <input id="signer" name="signer" required pattern="0x[0-9a-fA-F]{40}" value=${me.address}>
              <label for="deposit">Deposit (${unit().symbol})</label>
              <input id="deposit" name="deposit" inputmode="decimal" required value=${units(negotiation.depositWei, unit())}>
              ${token && token.symbol !== ETHER.symbol
                ? html`<p class="hint" id="token-steps">Paid in ${token.symbol} (token <code>${token.address}</code>): your wallet signs
                    one permit and sends one transaction where the token allows it, otherwise it approves the factory, then
                    creates the channel.</p>`
                : ''}
              <button type="submit" ?disabled=${busy()}>Create and fund channel</button>
            </form>`
        : ''}
      ${progressView(progress)}
      ${funded ? html`<p id="funded" role="status">${funded}</p>` : ''}
      ${subscription?.channel
        ? html`<h2>Your channel</h2>
            <p id="channel">Channel <code>${subscription.channel}</code> is ${subscription.state.toLowerCase()}${subscription.chainState ? `, ${subscription.chainState.toLowerCase()} on chain` : ''}.
              <a href="#/spend">See your spend</a></p>
            ${consumer && subscription.state === 'ACTIVE'
              ? html`<form id="top-up" class="inline" @submit=${topUp}>
                  <label for="top-up-amount">Top up (${unit().symbol})</label>
                  <input id="top-up-amount" name="amount" inputmode="decimal" required size="8"
                    value=${units(negotiation.depositWei, unit())}>
                  <button type="submit" ?disabled=${busy()}>Top up</button></form>`
              : ''}
            <h3>Client library snippet</h3>
            <pre id="snippet"><code>${snippet(subscription.channel)}</code></pre>`
        : ''}
      ${errorView(error)}`);
  draw();
}
