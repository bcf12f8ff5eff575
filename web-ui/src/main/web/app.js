// The catalogue page: lists the marketplace's listings with their price tables.
import { fetchJson, problemMessage } from './api.js';

const table = document.getElementById('listings');
const status = document.getElementById('status');
const query = document.getElementById('query');
let listings = [];

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function render() {
  const needle = query.value.trim().toLowerCase();
  const shown = listings.filter((l) => !needle || `${l.name} ${l.provider} ${l.description ?? ''}`.toLowerCase().includes(needle));
  const body = table.tBodies[0];
  body.replaceChildren(
    ...shown.map((listing) => {
      const row = document.createElement('tr');
      row.dataset.listing = listing.slug;
      const prices = listing.categories.map((c) => `${c.name}: ${c.priceWei}`).join(', ');
      row.append(cell(listing.name), cell(listing.provider), cell(prices), cell(listing.upstreamUrl));
      return row;
    }),
  );
  table.hidden = shown.length === 0;
  status.textContent = shown.length === 0 ? 'No listing matches.' : `${shown.length} listing(s).`;
}

// The API answers in pages (at most 100 listings each): read them all, then filter here as the user types.
async function load() {
  try {
    const size = 100;
    listings = [];
    for (let page = 0; ; page += 1) {
      const batch = await fetchJson(`/api/listings?size=${size}&page=${page}`);
      listings.push(...batch);
      if (batch.length < size) break;
    }
    render();
  } catch (error) {
    status.textContent = problemMessage(error);
  }
}

query.addEventListener('input', render);
document.getElementById('search').addEventListener('submit', (event) => event.preventDefault());
load();
