// The consumer's or provider's wallet, as an EIP-1193 provider — the browser's (MetaMask or any injected one) or,
// where the marketplace offers it (the demo on anvil), a development wallet over the node's unlocked accounts —
// behind viem's wallet client (signatures, transactions) and public client (receipts). The marketplace never sees
// a key: the wallet signs. A transaction that is not mined in time is reported as such, with its hash.
import {
  WaitForTransactionReceiptTimeoutError,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  encodeFunctionData,
  getAddress,
  parseAbi,
} from 'viem';

const CHANNEL_ABI = parseAbi([
  'function deposit(uint256 amount) payable',
  'function depositCollateral(uint256 amount) payable',
  'function requestClose()',
  'function withdraw()',
]);
const ACCOUNT_KEY = 'tollgate.devAccount';
/** How long a sent transaction may take to be mined before the page says it was not (config.receiptTimeoutSeconds). */
const RECEIPT_TIMEOUT_SECONDS = 120;

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
let clients = null;

export function walletFor(config) {
  if (wallet) return wallet;
  if (window.ethereum) wallet = window.ethereum;
  else if (config.devWallet) wallet = devWallet(config.rpcUrl);
  else throw new Error('No wallet found: install an EIP-1193 browser wallet (MetaMask or similar).');
  return wallet;
}

/** viem's wallet and public clients over the wallet, on the marketplace's chain (a wallet on another is refused). */
function clientsFor(config) {
  if (clients) return clients;
  const transport = custom(walletFor(config));
  const chain = defineChain({
    id: Number(config.chainId),
    name: `chain ${config.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: config.rpcUrl ? [config.rpcUrl] : [] } },
  });
  clients = {
    wallet: createWalletClient({ chain, transport }),
    public: createPublicClient({ chain, transport, pollingInterval: 400 }),
  };
  return clients;
}

export async function accounts(config) {
  return clientsFor(config).wallet.requestAddresses();
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
  return getAddress(available.find((a) => a.toLowerCase() === chosen?.toLowerCase()) ?? available[0]);
}

/** EIP-191 personal_sign of a text message (Sign-In with Ethereum). */
export async function signMessage(config, message) {
  const from = await account(config);
  const signature = await clientsFor(config).wallet.signMessage({ account: from, message });
  return { address: from, signature };
}

/**
 * EIP-712 signature (eth_signTypedData_v4) of typed data {types, primaryType, domain, message} as the marketplace
 * gave it: integers arrive as decimal strings and are signed as the integers they are.
 */
export async function signTypedData(config, typedData) {
  const from = await account(config);
  const { EIP712Domain, ...types } = typedData.types;
  const integer = (type) => /^u?int\d*$/.test(type);
  const message = Object.fromEntries(
    Object.entries(typedData.message).map(([name, value]) => {
      const field = types[typedData.primaryType]?.find((f) => f.name === name);
      return [name, field && integer(field.type) ? BigInt(value) : value];
    }),
  );
  const domain = { ...typedData.domain };
  if (domain.chainId !== undefined) domain.chainId = Number(domain.chainId);
  try {
    return await clientsFor(config).wallet.signTypedData({
      account: from,
      domain,
      types,
      primaryType: typedData.primaryType,
      message,
    });
  } catch (error) {
    throw new Error(walletMessage(error));
  }
}

/** A sentence for what the wallet or node answered: viem's errors carry the node's reason in their causes. */
export function walletMessage(error) {
  const chain = [];
  for (let e = error; e && chain.length < 12; e = e.cause) chain.push(e);
  const reasons = chain.map((e) => e?.details ?? e?.data?.message ?? e?.message ?? '').join(' · ');
  const text = error?.shortMessage ?? error?.data?.message ?? error?.message ?? String(error);
  if (chain.some((e) => e?.name === 'InsufficientFundsError') || /insufficient funds/i.test(reasons)) {
    return `Your wallet cannot pay for this: ${text} (insufficient funds)`;
  }
  if (chain.some((e) => e?.code === 4001 || e?.name === 'UserRejectedRequestError')) {
    return 'You rejected the request in your wallet.';
  }
  const detail = chain.map((e) => e?.details).find(Boolean);
  return detail && !text.includes(detail) ? `${text} (${detail})` : text;
}

/**
 * Sends a transaction from the wallet and follows it: progress({state, hash, block, message}) with state
 * signing → pending → confirmed | failed | timeout (not mined within the timeout: the hash says which to look
 * for). Resolves with the receipt, rejects when it fails or times out.
 */
export async function send(config, { to, data, value = '0' }, progress) {
  const { wallet: walletClient, public: publicClient } = clientsFor(config);
  const from = await account(config);
  progress({ state: 'signing' });
  let hash;
  try {
    hash = await walletClient.sendTransaction({ account: from, to, data, value: BigInt(value) });
  } catch (error) {
    const message = walletMessage(error);
    progress({ state: 'failed', message });
    throw new Error(message);
  }
  progress({ state: 'pending', hash });
  const seconds = Number(config.receiptTimeoutSeconds ?? RECEIPT_TIMEOUT_SECONDS);
  let receipt;
  try {
    receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: seconds * 1000 });
  } catch (error) {
    if (error instanceof WaitForTransactionReceiptTimeoutError || error?.name === 'WaitForTransactionReceiptTimeoutError') {
      const message = `transaction ${hash} was not mined within ${seconds} seconds: it may still be, or have been dropped; look it up in your wallet before sending it again`;
      progress({ state: 'timeout', hash, message });
      throw new Error(message);
    }
    const message = walletMessage(error);
    progress({ state: 'failed', hash, message });
    throw new Error(message);
  }
  if (receipt.status !== 'success') {
    progress({ state: 'failed', hash, message: 'the transaction was mined but reverted' });
    throw new Error('the transaction reverted');
  }
  progress({ state: 'confirmed', hash, block: Number(receipt.blockNumber) });
  return receipt;
}

/** What a sign-permit step's endpoint takes: the signed message's value and deadline, and the signature. */
export function signedPermit(typedData, signature) {
  return { value: String(typedData.message.value), deadline: String(typedData.message.deadline), signature };
}

/**
 * Runs a funding's steps (the marketplace's: sign-permit, then the transaction its endpoint answers; or
 * transactions in order): progress({step, of, purpose, state, ...}) for each, with state signing-permit →
 * permit-signed for a permit and the states of {@link send} for a transaction. submitPermit(step, signed) posts
 * the signature where the step says and resolves with the transaction step to send. Resolves with the last receipt.
 */
export async function runSteps(config, steps, { submitPermit, progress }) {
  const queue = [...steps];
  let receipt = null;
  let number = 0;
  while (queue.length > 0) {
    const step = queue.shift();
    number += 1;
    const of = number + queue.length + (step.kind === 'sign-permit' ? 1 : 0);
    const report = (p) => progress({ ...p, step: number, of, purpose: step.purpose });
    if (step.kind === 'sign-permit') {
      report({ state: 'signing-permit' });
      let signature;
      try {
        signature = await signTypedData(config, step.typedData);
      } catch (error) {
        report({ state: 'failed', message: error.message });
        throw error;
      }
      report({ state: 'permit-signed' });
      queue.unshift(await submitPermit(step, signedPermit(step.typedData, signature)));
    } else {
      receipt = await send(config, step, report);
    }
  }
  return receipt;
}

export function channelCall(functionName, args = []) {
  return encodeFunctionData({ abi: CHANNEL_ABI, functionName, args });
}
