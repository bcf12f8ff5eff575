package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Classes that need release 2 as the factory's latest release: the shared factory gets release 2 registered before
 * the class and a fresh copy of release 1 afterwards, so that the other classes on this chain keep creating
 * release-1 channels; a listing with a report period, negotiated and accepted, and the prepared factory call sent.
 */
abstract class SlaRelease2TestBase extends SlaTestBase {
    static final long REPORT_PERIOD = 120;

    @BeforeAll
    static void release2() throws Exception {
        register(IntermediaryRelease2.deploy(chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                .send()
                .getContractAddress());
        assertThat(SlaSettlement.latestRelease(chain.web3j(), deployment.factory()))
                .isEqualTo(2);
    }

    @AfterAll
    static void backToRelease1() throws Exception {
        register(Intermediary.deploy(chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                .send()
                .getContractAddress());
    }

    static void register(String implementation) throws Exception {
        IntermediaryFactory.load(
                        deployment.factory(), chain.web3j(), chain.transactionManager(0), new DefaultGasProvider())
                .registerRelease(implementation)
                .send();
    }

    record Accepted(Party consumer, String consumerToken, long negotiation, String slug, List<Credentials> monitors) {}

    /** A fresh provider's listing with SLA terms (report period 120 s), negotiated and accepted by a fresh consumer. */
    Accepted accepted() throws Exception {
        Party provider = fresh();
        String providerToken = signInAs(provider.key());
        String slug = "sla2-" + Long.toString(System.nanoTime(), 36);
        send("POST", "/api/providers", "{\"slug\":\"" + slug + "-co\",\"name\":\"SLA Co\"}", providerToken);
        List<Credentials> monitors = List.of(fresh().key(), fresh().key(), fresh().key());
        String sla = sla(monitors, 2, 60)
                .replace("\"probePath\"", "\"reportPeriodSeconds\":" + REPORT_PERIOD + ",\"probePath\"");
        var created = send("POST", "/api/listings", listing(slug, sla), providerToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(get("/api/listings/" + slug).body(), "$.sla.reportPeriodSeconds"))
                .isEqualTo((int) REPORT_PERIOD);

        Party consumer = fresh();
        String consumerToken = signInAs(consumer.key());
        long negotiation = negotiatedAndAccepted(slug, consumerToken, providerToken);
        return new Accepted(consumer, consumerToken, negotiation, slug, monitors);
    }

    String sendPrepared(Party consumer, String to, String data, String valueWei) throws Exception {
        var receipt = sendAndWait(consumer.transactions(), 5_000_000, to, data, new BigInteger(valueWei));
        assertThat(receipt.isStatusOK()).as(receipt.toString()).isTrue();
        return IntermediaryFactory.getChannelCreatedEvents(receipt)
                .getFirst()
                .channel
                .toLowerCase(Locale.ROOT);
    }
}
