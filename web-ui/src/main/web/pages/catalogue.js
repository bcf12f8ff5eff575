// The catalogue: search and filter the listings (the API does the filtering, in SQL).
import { html } from 'lit-html';
import { parseEther } from 'viem';
import { fetchJson } from '../api.js';
import { money } from './common.js';

export async function page(context) {
  const filters = { q: '', category: '', maxPrice: '', sort: 'name' };
  const SIZE = 50;
  let pageNumber = 0;
  let listings = [];
  let total = 0;
  let error = null;
  let loading = true;

  const load = async () => {
    loading = true;
    draw();
    try {
      const params = new URLSearchParams({ size: String(SIZE), page: String(pageNumber), sort: filters.sort });
      if (filters.q) params.set('q', filters.q);
      if (filters.category) params.set('category', filters.category);
      if (filters.maxPrice) params.set('maxPriceWei', parseEther(filters.maxPrice).toString());
      const response = await fetch(`/api/listings?${params}`, { headers: { Accept: 'application/json' } });
      if (!response.ok) throw Object.assign(new Error('search failed'), { problem: await response.json() });
      listings = await response.json();
      total = Number(response.headers.get('X-Total-Count') ?? listings.length);
      error = null;
    } catch (e) {
      error = e.problem ? { message: e.problem.detail } : e;
    }
    loading = false;
    draw();
  };

  const set = (name) => (event) => {
    filters[name] = event.target.value.trim();
    pageNumber = 0;
    load();
  };
  const turn = (by) => () => {
    pageNumber += by;
    load();
  };

  const draw = () =>
    context.show(html`
      <h1>API catalogue</h1>
      <p class="lead">Paid web APIs: every request is paid by a signed voucher from your payment channel.</p>
      <form id="search" role="search" class="filters" @submit=${(e) => e.preventDefault()}>
        <div><label for="query">Search listings</label>
          <input id="query" type="search" placeholder="weather, quotes…" autocomplete="off" .value=${filters.q}
            @input=${set('q')}></div>
        <div><label for="category">Category</label>
          <input id="category" type="search" placeholder="forecast" .value=${filters.category} @input=${set('category')}></div>
        <div><label for="max-price">Cheapest category at most (ETH)</label>
          <input id="max-price" inputmode="decimal" placeholder="0.000002" .value=${filters.maxPrice}
            @change=${set('maxPrice')}></div>
        <div><label for="sort">Sort by</label>
          <select id="sort" @change=${set('sort')}>
            <option value="name">name</option><option value="newest">newest</option><option value="price">price</option>
          </select></div>
      </form>
      ${error ? html`<p class="error" role="alert">${error.message}</p>` : ''}
      <p id="status" role="status" aria-live="polite">
        ${loading
          ? 'Loading listings…'
          : listings.length === 0
            ? 'No listing matches.'
            : total > SIZE
              ? `${total} listing(s); showing ${pageNumber * SIZE + 1}–${pageNumber * SIZE + listings.length}.`
              : `${total} listing(s).`}</p>
      <table id="listings" ?hidden=${listings.length === 0}>
        <caption>Listings and their price per request</caption>
        <thead><tr><th scope="col">Listing</th><th scope="col">Provider</th><th scope="col">Categories and prices</th></tr></thead>
        <tbody>
          ${listings.map(
            (l) => html`<tr data-listing=${l.slug}>
              <td><a href=${`#/listings/${l.slug}`}>${l.name}</a><br><small>${l.description ?? ''}</small></td>
              <td>${l.providerName ?? l.provider}</td>
              <td><ul class="prices">${l.categories.map((c) => html`<li>${c.name}: ${money(c.priceWei, l.token)}</li>`)}</ul></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${total > SIZE
        ? html`<nav class="pages" aria-label="Pages of listings">
            <button type="button" class="secondary" ?disabled=${pageNumber === 0} @click=${turn(-1)}>Previous</button>
            <button type="button" class="secondary" ?disabled=${(pageNumber + 1) * SIZE >= total} @click=${turn(1)}>Next</button>
          </nav>`
        : ''}`);
  await load();
}
