// An x402 facilitator built from the official packages (@x402/core's x402Facilitator with @x402/evm's exact
// facilitator scheme and a viem wallet client), serving POST /verify and POST /settle.
// Usage: node facilitator.mjs <port> <rpc url> <chain id> <facilitator private key, 0x-hex>
import http from "node:http";
import { x402Facilitator } from "@x402/core/facilitator";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { createWalletClient, defineChain, http as rpcTransport, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const [port, rpcUrl, chainId, key] = process.argv.slice(2);
const chain = defineChain({
  id: Number(chainId),
  name: "local",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});
const account = privateKeyToAccount(key);
const client = createWalletClient({ account, chain, transport: rpcTransport(rpcUrl) }).extend(publicActions);
const signer = toFacilitatorEvmSigner({
  address: account.address,
  readContract: (args) => client.readContract(args),
  verifyTypedData: (args) => client.verifyTypedData(args),
  writeContract: (args) => client.writeContract(args),
  sendTransaction: (args) => client.sendTransaction(args),
  waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  getCode: (args) => client.getCode(args),
});
const facilitator = registerExactEvmScheme(new x402Facilitator(), { signer, networks: `eip155:${chainId}` });

http
  .createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    try {
      const { paymentPayload, paymentRequirements } = JSON.parse(body);
      const result =
        request.url === "/verify"
          ? await facilitator.verify(paymentPayload, paymentRequirements)
          : await facilitator.settle(paymentPayload, paymentRequirements);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    } catch (error) {
      response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  })
  .listen(Number(port), "127.0.0.1", () => console.log("listening"));
