// Tollgate's web UI: a small hash-routed single page over the marketplace API. Templates are lit-html
// (escaped by default), charts Chart.js, the graph Cytoscape, wallet and ABI work viem: all from npm,
// bundled at build time.
import { html, render } from 'lit-html';
import { fetchJson, problemMessage } from './api.js';
import { notice, onSessionChange, session, signOut } from './session.js';
import * as catalogue from './pages/catalogue.js';
import * as listing from './pages/listing.js';
import * as negotiations from './pages/negotiations.js';
import * as operator from './pages/operator.js';
import * as provider from './pages/provider.js';
import * as signIn from './pages/sign-in.js';
import * as sla from './pages/sla.js';
import * as spend from './pages/spend.js';

const routes = [
  [/^#?\/?$/, catalogue.page],
  [/^#\/listings\/([a-z0-9-]+)$/, listing.page],
  [/^#\/negotiations$/, negotiations.list],
  [/^#\/negotiations\/(\d+)$/, negotiations.one],
  [/^#\/spend$/, spend.page],
  [/^#\/provider$/, provider.page],
  [/^#\/provider\/listings\/new$/, provider.editor],
  [/^#\/provider\/listings\/([a-z0-9-]+)\/edit$/, provider.editor],
  [/^#\/sla$/, sla.list],
  [/^#\/sla\/(0x[0-9a-fA-F]{40})$/, sla.page],
  [/^#\/operator$/, operator.page],
  [/^#\/sign-in$/, signIn.page],
];

const main = document.getElementById('main');
main.replaceChildren(); // the static "Loading…" of index.html: lit-html renders next to what it does not own
let config;
let generation = 0;

function sessionBar() {
  const current = session();
  render(
    current
      ? html`<span id="signed-in-as" title=${current.address}>${current.address.slice(0, 6)}…${current.address.slice(-4)}
            (${current.roles.join(', ')})</span>
          <button type="button" class="link" @click=${() => signOut('Signed out.')}>Sign out</button>`
      : html`<a id="sign-in-link" href="#/sign-in">Sign in</a>`,
    document.getElementById('session'),
  );
}

async function route() {
  const hash = location.hash || '#/';
  const mine = ++generation;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === hash) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const found = routes.find(([pattern]) => pattern.test(hash));
  const context = {
    config,
    /** Renders into the main region unless the user has moved on to another page meanwhile. */
    show: (template) => {
      if (mine === generation) render(template, main);
    },
    current: () => mine === generation,
    go: (target) => {
      location.hash = target;
    },
    reload: () => route(),
  };
  if (!found) {
    context.show(html`<h1>Not found</h1><p>No page at ${hash}. <a href="#/">Back to the catalogue</a>.</p>`);
    return;
  }
  context.show(html`<p role="status" class="loading">Loading…</p>`);
  try {
    await found[1](context, ...(found[0].exec(hash)?.slice(1) ?? []));
  } catch (error) {
    context.show(html`<h1>Something went wrong</h1><p class="error" role="alert">${problemMessage(error)}</p>`);
  }
}

async function start() {
  const menu = document.querySelector('.menu');
  menu.addEventListener('click', () => {
    const open = menu.getAttribute('aria-expanded') !== 'true';
    menu.setAttribute('aria-expanded', String(open));
    document.getElementById('nav').classList.toggle('open', open);
  });
  try {
    config = await fetchJson('/api/config');
  } catch (error) {
    notice(problemMessage(error));
    config = { chainId: 31337, devWallet: false, gatewayUrl: '', factory: null };
  }
  window.addEventListener('hashchange', () => {
    notice('');
    route();
  });
  onSessionChange(() => {
    sessionBar();
    route();
  });
  sessionBar();
  route();
}

start();
