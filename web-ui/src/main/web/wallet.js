// The consumer's or provider's wallet, as an EIP-1193 provider: the browser's (MetaMask or any injected
// one) or, where the marketplace offers it (the demo on anvil), a development wallet over the node's
// unlocked accounts. The marketplace never sees a key: the wallet signs.
import { encodeFunctionData, getAddress, parseAbi, toHex } from 'viem';

const CHANNEL_ABI = parseAbi([
  'function deposit(uint256 amount) payable',
  'function depositCollateral(uint256 amount) payable',
  'function requestClose()',
  'function withdraw()',
]);
const ACCOUNT_KEY = 'tollgate.devAccount';

function devWallet(rpcUrl) {
  let id = 0;
  return {
    isDevWallet: true,
    async request({ method, params = [] }) {
      const rpcMethod = method === 'eth_requestAccounts' ? 'eth_accounts' : method;
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: rpcMethod, params }),
      });
      const answer = await response.json();
      if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
      return answer.result;
    },
  };
}

let wallet = null;

export function walletFor(config) {
  if (wallet) return wallet;
  if (window.ethereum) wallet = window.ethereum;
  else if (config.devWallet) wallet = devWallet(config.rpcUrl);
  else throw new Error('No wallet found: install an EIP-1193 browser wallet (MetaMask or similar).');
  return wallet;
}

export async function accounts(config) {
  return walletFor(config).request({ method: 'eth_requestAccounts' });
}

export function chosenAccount() {
  return sessionStorage.getItem(ACCOUNT_KEY);
}

export function chooseAccount(address) {
  sessionStorage.setItem(ACCOUNT_KEY, address);
}

async function account(config) {
  const available = await accounts(config);
  const chosen = chosenAccount();
  return available.find((a) => a.toLowerCase() === chosen?.toLowerCase()) ?? available[0];
}

/** EIP-191 personal_sign of a text message (Sign-In with Ethereum). */
export async function signMessage(config, message) {
  const from = await account(config);
  const signature = await walletFor(config).request({ method: 'personal_sign', params: [toHex(message), from] });
  return { address: getAddress(from), signature };
}

/** EIP-712 eth_signTypedData_v4 of typed data (types, primaryType, domain, message) as the marketplace gave it. */
export async function signTypedData(config, typedData) {
  const from = await account(config);
  try {
    return await walletFor(config).request({ method: 'eth_signTypedData_v4', params: [from, JSON.stringify(typedData)] });
  } catch (error) {
    throw new Error(walletMessage(error));
  }
}

export function walletMessage(error) {
  const text = error?.data?.message ?? error?.message ?? String(error);
  if (/insufficient funds/i.test(text)) return `Your wallet cannot pay for this: ${text}`;
  if (error?.code === 4001) return 'You rejected the request in your wallet.';
  return text;
}

/**
 * Sends a transaction from the wallet and follows it: progress({state, hash, block, message}) with state
 * signing → pending → confirmed | failed. Resolves with the receipt, rejects when it fails.
 */
export async function send(config, { to, data, value = '0' }, progress) {
  const from = await account(config);
  progress({ state: 'signing' });
  let hash;
  try {
    hash = await walletFor(config).request({
      method: 'eth_sendTransaction',
      params: [{ from, to, data, value: toHex(BigInt(value)) }],
    });
  } catch (error) {
    const message = walletMessage(error);
    progress({ state: 'failed', message });
    throw new Error(message);
  }
  progress({ state: 'pending', hash });
  for (;;) {
    const receipt = await walletFor(config).request({ method: 'eth_getTransactionReceipt', params: [hash] });
    if (receipt) {
      if (receipt.status === '0x1') {
        progress({ state: 'confirmed', hash, block: Number(receipt.blockNumber) });
        return receipt;
      }
      progress({ state: 'failed', hash, message: 'the transaction was mined but reverted' });
      throw new Error('the transaction reverted');
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

export function channelCall(functionName, args = []) {
  return encodeFunctionData({ abi: CHANNEL_ABI, functionName, args });
}
