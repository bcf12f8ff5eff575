// The operator's view: the chain indexer's progress, blocks and transactions touching Tollgate contracts with
// calls and events decoded, and the dependency graph (who pays whom, and attributed transitive calls).
import { html } from 'lit-html';
import cytoscape from 'cytoscape';
import { fetchJson } from '../api.js';
import { amount, short, when } from '../format.js';
import { hasRole } from '../session.js';
import { requireSession } from './common.js';

export async function page(context) {
  if (!requireSession(context, 'Operator')) return;
  if (!hasRole('operator')) {
    context.show(html`<h1>Operator</h1><p class="error" role="alert">Your account does not have the operator role.</p>`);
    return;
  }
  const [status, blocks, transactions, graph] = await Promise.all([
    fetchJson('/api/inspector/status'),
    fetchJson('/api/inspector/blocks?limit=10'),
    fetchJson('/api/inspector/transactions?limit=25'),
    fetchJson('/api/graph'),
  ]);
  context.show(html`
    <h1>Operator</h1>
    <p id="indexer-status">Indexed to block ${status.indexedBlock ?? '–'} (${status.events} events, ${status.transactions} transactions,
      ${status.channels} channels), updated ${when(status.updatedAt)}.</p>
    <h2>Dependency graph</h2>
    <p>Arrows: a consumer pays a provider (value accepted by gateways); dashed: a consumer's traffic made a provider pay another.</p>
    <div id="graph" class="graph" role="img" aria-label=${`Dependency graph: ${graph.nodes.length} parties, ${graph.edges.length} payment relations`}></div>
    <table id="edges">
      <caption>Who pays whom</caption>
      <thead><tr><th scope="col">Consumer</th><th scope="col">Provider</th><th scope="col">Token</th><th scope="col">Channels</th><th scope="col">Requests</th><th scope="col">Accepted</th><th scope="col">Redeemed</th></tr></thead>
      <tbody>${graph.edges.map((e) => html`<tr><td><code>${short(e.from)}</code></td><td><code>${short(e.to)}</code></td><td>${e.token.symbol}</td><td>${e.channels}</td>
        <td>${e.requests}</td><td>${amount(e.value.units, e.token)}</td><td>${amount(e.redeemed.units, e.token)}</td></tr>`)}</tbody>
    </table>
    <h2>Transactions</h2>
    <table id="transactions">
      <caption>Newest transactions touching Tollgate contracts</caption>
      <thead><tr><th scope="col">Block</th><th scope="col">Call</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Events</th></tr></thead>
      <tbody>${transactions.map(
        (t) => html`<tr><td>${t.block}</td>
          <td><details><summary>${t.method ?? 'unknown'}</summary><pre>${JSON.stringify(t.args, null, 1)}</pre><code>${t.hash}</code></details></td>
          <td><code>${short(t.from)}</code></td><td><code>${short(t.to)}</code></td>
          <td>${t.events.map((e) => html`<details><summary>${e.name}</summary><pre>${JSON.stringify(e.args, null, 1)}</pre></details>`)}</td></tr>`,
      )}</tbody>
    </table>
    <h2>Blocks</h2>
    <ul>${blocks.map((b) => html`<li>${b.number} · ${when(b.time)} · ${b.transactions} transactions · ${b.events} events · <code>${short(b.hash)}</code></li>`)}</ul>`);
  const label = (n) => (n.label === n.address ? short(n.address) : n.label);
  cytoscape({
    container: document.getElementById('graph'),
    elements: [
      ...graph.nodes.map((n) => ({ data: { id: n.address, label: label(n) } })),
      ...graph.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, label: amount(e.value.units, e.token) } })),
      ...graph.attributed
        .filter((a) => graph.nodes.some((n) => n.address === a.origin))
        .map((a, i) => ({ data: { id: `a${i}`, source: a.origin, target: a.to, label: `via ${short(a.via)}` }, classes: 'attributed' })),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'background-color': '#2f6f5e' } },
      { selector: 'edge', style: { label: 'data(label)', 'font-size': 8, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 2 } },
      { selector: '.attributed', style: { 'line-style': 'dashed', 'line-color': '#d08c2b', 'target-arrow-color': '#d08c2b' } },
    ],
    layout: { name: 'cose', animate: false },
  });
}
