// Sign-In with Ethereum (EIP-4361): the wallet signs the marketplace's nonce; the API answers with a JWT.
import { html } from 'lit-html';
import { getAddress } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { fetchJson } from '../api.js';
import { short } from '../format.js';
import { session, signedIn } from '../session.js';
import { accounts, chooseAccount, chosenAccount, signMessage, walletMessage } from '../wallet.js';
import { errorView } from './common.js';

export async function page(context) {
  const { config } = context;
  let available = [];
  let error = null;
  let busy = false;
  try {
    available = await accounts(config);
  } catch (e) {
    error = new Error(walletMessage(e));
  }
  const draw = () =>
    context.show(html`
      <h1>Sign in</h1>
      ${session() ? html`<p>You are signed in as ${session().address}.</p>` : ''}
      <p>Sign in with your Ethereum wallet: it signs a one-time message (EIP-4361); no transaction, no fee.</p>
      ${config.devWallet && available.length > 0
        ? html`<p class="hint">Development wallet: anvil's test accounts, unlocked on the local chain. Account 1 is the
              demo consumer, 2 Acme Weather, 3 Quotient Markets, 0 the operator.</p>
            <label for="account">Account</label>
            <select id="account" @change=${(e) => chooseAccount(e.target.value)}>
              ${available.map(
                (a, i) => html`<option value=${a} ?selected=${a.toLowerCase() === (chosenAccount() ?? available[1] ?? '').toLowerCase()}>
                  ${i}: ${short(a)}</option>`,
              )}
            </select>`
        : ''}
      <p><button id="sign-in" type="button" ?disabled=${busy || available.length === 0} @click=${go}>
        ${busy ? 'Waiting for the wallet…' : 'Sign in with wallet'}</button></p>
      ${errorView(error)}`);
  const go = async () => {
    busy = true;
    error = null;
    draw();
    try {
      if (config.devWallet && !chosenAccount()) chooseAccount(document.getElementById('account').value);
      const { nonce } = await fetchJson('/api/auth/nonce', { method: 'POST' });
      const all = await accounts(config);
      const chosen = all.find((a) => a.toLowerCase() === chosenAccount()?.toLowerCase()) ?? all[0];
      // EIP-4361 by viem: the domain is the page's own, as the wallet checks it; the marketplace compares it with
      // its configured tollgate.identity.domain and refuses a message written for any other site
      const text = createSiweMessage({
        domain: location.host,
        address: getAddress(chosen),
        statement: 'Sign in to Tollgate.',
        uri: `${location.origin}/`,
        version: '1',
        chainId: config.chainId,
        nonce,
        issuedAt: new Date(),
      });
      const { signature } = await signMessage(config, text);
      const answer = await fetchJson('/api/auth/sign-in', { method: 'POST', body: { message: text, signature } });
      signedIn({ token: answer.token, address: answer.address, roles: answer.roles, expiresAt: answer.expiresAt });
      const back = sessionStorage.getItem('tollgate.after-sign-in');
      sessionStorage.removeItem('tollgate.after-sign-in');
      context.go(back && back !== '#/sign-in' ? back : '#/');
    } catch (e) {
      error = e;
      busy = false;
      draw();
    }
  };
  if (config.devWallet && !chosenAccount() && available.length > 1) chooseAccount(available[1]);
  draw();
}
