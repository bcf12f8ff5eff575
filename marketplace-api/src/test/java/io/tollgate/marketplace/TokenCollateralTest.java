package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.generated.DemoUsd;
import io.tollgate.protocol.TokenAuthorizations;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A provider's SLA collateral in the listing's token, on a real chain: the consumer subscribes to an SLA listing
 * priced in the demo dollar with one permit, then the provider signs one permit and sends one transaction
 * ({@code depositCollateralWithPermit}); the channel holds exactly deposit plus collateral. Only the listing's
 * provider is offered the collateral steps.
 */
class TokenCollateralTest extends SlaTestBase {
    static final String DEMO_USD = TokenPermits.deployDemoUsd(chain.web3j(), chain.transactionManager(0));

    void faucet(Party who, BigInteger amount) throws Exception {
        DemoUsd.load(DEMO_USD, chain.web3j(), who.transactions(), new DefaultGasProvider())
                .faucet(amount)
                .send();
    }

    @Test
    void theProviderAddsCollateralInTheListingsTokenWithOnePermitAndOneTransaction() throws Exception {
        Negotiated n = negotiate();
        jdbc.update(
                "update listing set token_address = ?, token_symbol = ?, token_decimals = ? where slug = ?",
                DEMO_USD.toLowerCase(),
                TokenAuthorizations.DEMO_USD_SYMBOL,
                TokenAuthorizations.DEMO_USD_DECIMALS,
                n.slug());
        BigInteger deposit = BigInteger.valueOf(5_000_000);
        faucet(n.consumer(), deposit);
        var prepared = send(
                "POST",
                "/api/negotiations/" + n.negotiation() + "/subscription",
                "{\"signer\":\"" + SIGNER.getAddress() + "\",\"depositWei\":\"" + deposit + "\"}",
                n.consumerToken());
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        Map<String, Object> typedData = JsonPath.read(prepared.body(), "$.steps[0].typedData");
        @SuppressWarnings("unchecked")
        var message = (Map<String, Object>) typedData.get("message");
        var transaction = send(
                "POST",
                "/api/subscriptions/" + subscription + "/permit",
                WalletSteps.permitBody(
                        message,
                        WalletSteps.signTypedData(typedData, n.consumer().key())),
                n.consumerToken());
        assertThat(transaction.statusCode()).as(transaction.body()).isEqualTo(200);
        String channel = activate(
                subscription,
                WalletSteps.send(chain.web3j(), n.consumer().key(), JsonPath.read(transaction.body(), "$")),
                n.consumerToken());
        var client = ChannelClient.readOnly(chain.web3j(), channel);
        assertThat(client.state().totalDeposited().value()).isEqualTo(deposit);

        String providerToken = signInAs(n.provider().key());
        BigInteger collateral = BigInteger.valueOf(1_000_001);
        faucet(n.provider(), collateral);
        var asked = send("GET", "/api/channels/" + channel + "/collateral", "", providerToken);
        assertThat(JsonPath.<String>read(asked.body(), "$.token.symbol")).isEqualTo("USDT-demo");
        var steps = send(
                "POST",
                "/api/channels/" + channel + "/collateral",
                "{\"amount\":\"" + collateral + "\"}",
                providerToken);
        assertThat(steps.statusCode()).as(steps.body()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(steps.body(), "$.steps[*].kind")).containsExactly("sign-permit");
        Map<String, Object> permitData = JsonPath.read(steps.body(), "$.steps[0].typedData");
        @SuppressWarnings("unchecked")
        var permitMessage = (Map<String, Object>) permitData.get("message");
        assertThat(permitMessage).containsEntry("owner", n.provider().address()).containsEntry("value", "1000001");
        String body = "{\"amount\":\"" + collateral + "\",\"permit\":"
                + WalletSteps.permitBody(
                        permitMessage,
                        WalletSteps.signTypedData(permitData, n.provider().key()))
                + "}";

        // the consumer is offered no collateral steps, nor their transaction
        assertThat(send("POST", "/api/channels/" + channel + "/collateral", "{\"amount\":\"1\"}", n.consumerToken())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/api/channels/" + channel + "/collateral/permit", body, n.consumerToken())
                        .statusCode())
                .isEqualTo(404);

        var deposited = send("POST", "/api/channels/" + channel + "/collateral/permit", body, providerToken);
        assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(deposited.body(), "$.purpose")).isEqualTo("collateral");
        WalletSteps.send(chain.web3j(), n.provider().key(), JsonPath.read(deposited.body(), "$"));
        assertThat(client.state().collateral().value()).isEqualTo(collateral);
        assertThat(DemoUsd.load(DEMO_USD, chain.web3j(), n.provider().transactions(), new DefaultGasProvider())
                        .balanceOf(channel)
                        .send())
                .isEqualTo(deposit.add(collateral));
    }
}
