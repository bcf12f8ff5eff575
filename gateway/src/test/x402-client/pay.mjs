// Pays one Tollgate route with the official, unmodified x402 v2 client: @x402/fetch with @x402/evm's exact scheme.
// Usage: node pay.mjs <url> <payer private key, 0x-hex> <token address>
// Prints one JSON line: status, body, the decoded PAYMENT-RESPONSE, the 402's PAYMENT-REQUIRED and the client's
// PAYMENT-SIGNATURE, decoded.
import { wrapFetchWithPaymentFromConfig, decodePaymentResponseHeader } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { privateKeyToAccount } from "viem/accounts";

const [url, key, token] = process.argv.slice(2);
const account = privateKeyToAccount(key);

let paymentRequired;
let paymentSignature;
const decode = (header) => JSON.parse(Buffer.from(header, "base64").toString("utf8"));
// the plain fetch underneath, recording the 402's PAYMENT-REQUIRED and the client's PAYMENT-SIGNATURE on the way
const recordingFetch = async (input, init) => {
  const sent = input instanceof Request ? input.headers.get("PAYMENT-SIGNATURE") : null;
  if (sent) {
    paymentSignature = decode(sent);
  }
  const response = await fetch(input, init);
  if (response.status === 402 && !paymentRequired) {
    paymentRequired = decode(response.headers.get("PAYMENT-REQUIRED"));
  }
  return response;
};

const fetchWithPayment = wrapFetchWithPaymentFromConfig(recordingFetch, {
  schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }],
  // the demo dollar is not one of the client's default assets: allow it, capped at one dollar a call
  spendControls: { allowedAssets: [{ network: "eip155:31337", asset: token, maxAmountPerPayment: "1000000" }] },
});

const response = await fetchWithPayment(url, { method: "GET" });
const header = response.headers.get("PAYMENT-RESPONSE");
console.log(
  JSON.stringify({
    status: response.status,
    body: await response.text(),
    paymentResponse: header ? decodePaymentResponseHeader(header) : null,
    paymentRequired,
    paymentSignature,
  }),
);
