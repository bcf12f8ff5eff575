package io.tollgate.gateway.payment.x402;

import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.examples.upstream.ExampleUpstream;
import io.tollgate.gateway.GatewayApplication;
import io.tollgate.gateway.payment.PrivateNettyResources;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real chain (anvil with the factory and the demo dollar) and real gateways (sharing the machine's Redis under
 * one fresh key prefix) selling listing {@code weather} on the demo dollar: route {@code /paid/**} is category 1,
 * list price {@link #LIST_PRICE} through a channel, walk-in price {@link #WALK_IN_PRICE} one-off (x402
 * {@code exact}), settled with the operator key (anvil account 4). The payer (account 7) holds {@link #FUNDS}.
 */
final class X402Gateway implements AutoCloseable {
    static final BigInteger LIST_PRICE = BigInteger.valueOf(10_000);
    static final BigInteger WALK_IN_PRICE = BigInteger.valueOf(15_000); // 0.015 USDT-demo
    static final BigInteger FUNDS = BigInteger.valueOf(5_000_000); // 5 USDT-demo
    static final JsonMapper JSON = JsonMapper.builder().build();

    final AnvilNode chain;
    final ExampleUpstream upstream;
    final String token;
    final String factory;
    final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    final List<String> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private X402Gateway(int replicas, List<String> extraArguments) {
        chain = AnvilNode.start();
        upstream = ExampleUpstream.start(0);
        // fresh addresses each run: the shared Redis remembers nonces and channels of earlier runs
        chain.call(
                "anvil_setNonce",
                List.of(chain.account(0).getAddress(), "0x" + Long.toHexString(System.nanoTime() % 1_000_000_000L)));
        var deployment = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        factory = deployment.factory().toLowerCase(Locale.ROOT);
        token = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0))
                .toLowerCase(Locale.ROOT);
        try {
            DemoUsd.load(token, chain.web3j(), chain.transactionManager(7), new DefaultGasProvider())
                    .faucet(FUNDS)
                    .send();
        } catch (Exception e) {
            throw new IllegalStateException("faucet failed", e);
        }
        String codeHash = ChannelCode.codeHash(chain.web3j(), deployment.implementation());
        String prefix = "tollgate-x402-test-" + System.nanoTime();
        for (int i = 0; i < replicas; i++) {
            var arguments = new ArrayList<>(List.of(
                    "--server.port=" + AnvilNode.freePort(),
                    "--tollgate.chain.rpc-url=" + chain.rpcUrl(),
                    "--tollgate.chain.factories[0]=" + deployment.factory(),
                    "--tollgate.chain.implementation-code-hashes[0]=" + codeHash,
                    "--tollgate.chain.operator-key="
                            + "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" /* account 4 */,
                    "--tollgate.gateway.listings.weather.provider=" + payout(),
                    "--tollgate.gateway.listings.weather.factory=" + deployment.factory(),
                    "--tollgate.gateway.listings.weather.subscribe-url=http://marketplace.test/listings/weather",
                    "--tollgate.gateway.listings.weather.operator="
                            + chain.account(4).getAddress(),
                    "--tollgate.gateway.listings.weather.token=" + token,
                    "--tollgate.gateway.listings.weather.token-symbol=USDT-demo",
                    "--tollgate.gateway.listings.weather.token-decimals=6",
                    "--tollgate.gateway.listings.weather.prices=5000," + LIST_PRICE,
                    "--tollgate.gateway.listings.weather.walk-in-prices=0," + WALK_IN_PRICE,
                    "--spring.cloud.gateway.server.webflux.routes[0].id=paid-weather",
                    "--spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream.baseUrl(),
                    "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/paid/**",
                    "--spring.cloud.gateway.server.webflux.routes[0].filters[0]=Payment=weather, 1",
                    "--spring.cloud.gateway.server.webflux.routes[0].filters[1]=StripPrefix=1",
                    "--tollgate.gateway.x402.key-prefix=" + prefix,
                    "--tollgate.gateway.ledger.key-prefix=" + prefix));
            arguments.addAll(extraArguments);
            var gateway = new SpringApplicationBuilder(GatewayApplication.class, PrivateNettyResources.class)
                    .run(arguments.toArray(String[]::new));
            gateways.add(gateway);
            urls.add("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
        }
    }

    static X402Gateway start(int replicas) {
        return new X402Gateway(replicas, List.of());
    }

    /** As {@link #start(int)}, the gateways started with {@code extraArguments} as well. */
    static X402Gateway start(int replicas, List<String> extraArguments) {
        return new X402Gateway(replicas, extraArguments);
    }

    String payout() {
        return chain.account(3).getAddress().toLowerCase(Locale.ROOT);
    }

    Credentials payer() {
        return chain.account(7);
    }

    String network() {
        return "eip155:" + AnvilNode.CHAIN_ID;
    }

    BigInteger balance(String owner) {
        try {
            return DemoUsd.load(token, chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                    .balanceOf(owner)
                    .send();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** An authorization of the payer to the provider for the walk-in price, valid a minute, with a fresh nonce. */
    Map<String, Object> authorization() {
        return authorization(payer());
    }

    /** As {@link #authorization()}, of {@code from}. */
    Map<String, Object> authorization(Credentials from) {
        byte[] nonce = new byte[32];
        ThreadLocalRandom.current().nextBytes(nonce);
        var authorization = new LinkedHashMap<String, Object>();
        authorization.put("from", from.getAddress());
        authorization.put("to", payout());
        authorization.put("value", WALK_IN_PRICE.toString());
        authorization.put("validAfter", "0");
        authorization.put("validBefore", Long.toString(now() + 60));
        authorization.put("nonce", "0x" + HexFormat.of().formatHex(nonce));
        return authorization;
    }

    /** {@code authorization} signed by {@code signer} under the demo dollar's domain, as an x402 v2 payload. */
    Map<String, Object> payload(Map<String, Object> authorization, Credentials signer) {
        var signed = new TokenAuthorizations.Authorization(
                Address.of((String) authorization.get("from")),
                Address.of((String) authorization.get("to")),
                new BigInteger((String) authorization.get("value")),
                new BigInteger((String) authorization.get("validAfter")),
                new BigInteger((String) authorization.get("validBefore")),
                HexFormat.of().parseHex(((String) authorization.get("nonce")).substring(2)));
        byte[] digest = TokenAuthorizations.transferWithAuthorizationDigest(
                TokenAuthorizations.Domain.demoUsd(AnvilNode.CHAIN_ID, Address.of(token)), signed);
        byte[] signature = VoucherSignatures.sign(digest, signer.getEcKeyPair());
        var accepted = accepted("exact", WALK_IN_PRICE);
        accepted.put("extra", Map.of("name", "Tollgate Demo USD", "version", "1"));
        var payload = new LinkedHashMap<String, Object>();
        payload.put("x402Version", 2);
        payload.put("accepted", accepted);
        payload.put(
                "payload",
                Map.of(
                        "authorization",
                        authorization,
                        "signature",
                        "0x" + HexFormat.of().formatHex(signature)));
        return payload;
    }

    /** The {@code accepted} entry of a payload: the route's terms for {@code scheme}. */
    private Map<String, Object> accepted(String scheme, BigInteger amount) {
        var accepted = new LinkedHashMap<String, Object>();
        accepted.put("scheme", scheme);
        accepted.put("network", network());
        accepted.put("asset", token);
        accepted.put("amount", amount.toString());
        accepted.put("payTo", payout());
        accepted.put("maxTimeoutSeconds", 60);
        return accepted;
    }

    /** A fresh key holding {@code amount} of the demo dollar (sent by the payer) and no ether: it only signs. */
    Credentials funded(BigInteger amount) {
        Credentials holder;
        try {
            holder = Credentials.create(org.web3j.crypto.Keys.createEcKeyPair());
            if (amount.signum() > 0) {
                DemoUsd.load(token, chain.web3j(), chain.transactionManager(7), new DefaultGasProvider())
                        .transfer(holder.getAddress(), amount)
                        .send();
            }
        } catch (Exception e) {
            throw new IllegalStateException("funding a fresh key failed", e);
        }
        return holder;
    }

    /** Whether {@code authorizer}'s {@code nonce} (0x hex) was used at the token: an authorization settled. */
    boolean nonceUsed(String authorizer, String nonce) {
        return io.tollgate.contracts.channel.TokenAuthorizationTransactions.authorizationState(
                chain.web3j(), token, Address.of(authorizer), HexFormat.of().parseHex(nonce.substring(2)));
    }

    /** The mined receipt of {@code transaction}: it succeeded, was sent by {@code from}, to the token. */
    void assertSettled(String transaction, String from) {
        try {
            var receipt = chain.web3j()
                    .ethGetTransactionReceipt(transaction)
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow(() -> new AssertionError("no receipt of " + transaction));
            org.assertj.core.api.Assertions.assertThat(receipt.isStatusOK()).isTrue();
            org.assertj.core.api.Assertions.assertThat(receipt.getTo()).isEqualToIgnoringCase(token);
            org.assertj.core.api.Assertions.assertThat(receipt.getFrom()).isEqualToIgnoringCase(from);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(Object payload) {
        return Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(payload));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(String header) {
        return JSON.readValue(Base64.getDecoder().decode(header), Map.class);
    }

    HttpResponse<String> get(int replica, String paymentSignature) {
        var request = HttpRequest.newBuilder(URI.create(urls.get(replica) + "/paid/weather/berlin"));
        if (paymentSignature != null) {
            request.header("PAYMENT-SIGNATURE", paymentSignature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(int replica, String paymentSignature) {
        var request = HttpRequest.newBuilder(URI.create(urls.get(replica) + "/paid/weather/berlin"))
                .header("PAYMENT-SIGNATURE", paymentSignature)
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A channel of the payer in the demo dollar through the factory (one permit, one transaction): signer account 6,
     * the listing's payout and operator, list prices (5000, {@link #LIST_PRICE}), {@code deposit}.
     */
    String channel(BigInteger deposit) {
        var terms = new ChannelTerms(
                payer().getAddress(),
                chain.account(6).getAddress(),
                payout(),
                chain.account(4).getAddress(),
                Optional.of(token),
                PriceTable.of(5000, LIST_PRICE.longValueExact()),
                Duration.ofSeconds(60),
                Duration.ofMinutes(15));
        var permit = TokenPermits.sign(
                chain.web3j(),
                token,
                payer(),
                factory,
                new Wei(deposit),
                java.time.Instant.ofEpochSecond(now() + 3600));
        return new FactoryClient(chain.web3j(), factory, chain.transactionManager(7), BigInteger.TEN.pow(12))
                .createChannelWithPermit(terms, SlaTerms.none(), permit)
                .address()
                .toLowerCase(Locale.ROOT);
    }

    /** A {@code tollgate-channel} x402 payload: voucher {@code count} of category 1 in epoch 1, signed by account 6. */
    Map<String, Object> channelPayload(String channel, long count) {
        byte[] hash = PriceTable.of(5000, LIST_PRICE.longValueExact()).hash();
        byte[] signature = VoucherSignatures.sign(
                VoucherSignatures.voucherDigest(AnvilNode.CHAIN_ID, channel, 1, 1, count, hash),
                chain.account(6).getEcKeyPair());
        var voucher = new LinkedHashMap<String, Object>();
        voucher.put("channel", channel);
        voucher.put("epoch", 1);
        voucher.put("category", 1);
        voucher.put("count", count);
        voucher.put("priceTableHash", "0x" + HexFormat.of().formatHex(hash));
        voucher.put("signature", "0x" + HexFormat.of().formatHex(signature));
        var accepted = accepted("tollgate-channel", LIST_PRICE);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("x402Version", 2);
        payload.put("accepted", accepted);
        payload.put("payload", Map.of("voucher", voucher));
        return payload;
    }

    @Override
    public void close() {
        gateways.forEach(ConfigurableApplicationContext::close);
        upstream.close();
        chain.close();
    }
}
