package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.attribute;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.executeJavaScript;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.SelenideElement;
import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaSettlement;
import io.tollgate.contracts.channel.SlaTerms;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.OutputType;
import org.web3j.crypto.Credentials;

/**
 * The SLA page of a release-2 channel in real headless Chromium: the consumer reads the report period, until when
 * each window's reports are accepted on chain, the reports added so far, and the settlement (median, number of
 * reports, penalty, transaction) of a settled window next to a window still in its report period.
 */
class SlaRelease2UiTest extends SlaRelease2TestBase {
    /** As the page's {@code when()} shows an instant: ISO date and time to the minute, in UTC. */
    static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass(1400, 1400);

    @Test
    void theConsumerSeesTheReportPeriodTheReportsAddedAndTheSettlementBesideAWindowStillReporting() throws Exception {
        Accepted a = accepted();
        var prepared = prepareSubscription(a.negotiation(), SIGNER.getAddress(), "1000000000000000", a.consumerToken());
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        String channel = sendPrepared(
                a.consumer(),
                JsonPath.read(prepared.body(), "$.to"),
                JsonPath.read(prepared.body(), "$.data"),
                JsonPath.read(prepared.body(), "$.valueWei"));
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        var activated = postChannel(subscription, channel, a.consumerToken());
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(SlaSettlement.release(chain.web3j(), channel)).isEqualTo(2);

        SlaTerms terms = ChannelClient.readOnly(chain.web3j(), channel).slaTerms();
        new ChannelClient(chain.web3j(), channel, chain.transactionManager(0), BigInteger.TEN.pow(12))
                .depositCollateral(SEVERE);
        List<Credentials> m = a.monitors();
        var anyone = new SlaSettlement(chain.web3j(), channel, chain.transactionManager(5), BigInteger.TEN.pow(12));
        // window 0: an outage, two of three monitors; window 1: fine, two others; both added during their periods
        report(channel, 0, m.get(0), 5000, terms);
        report(channel, 0, m.get(2), 8000, terms);
        report(channel, 1, m.get(0), 9990, terms);
        report(channel, 1, m.get(1), 9950, terms);
        advanceTo(terms.windowEnd(0).plusSeconds(1));
        String added0 = anyone.addReports(0, reportsOf(channel, 0)).getTransactionHash();
        advanceTo(terms.windowEnd(1).plusSeconds(1));
        String added1 = anyone.addReports(1, reportsOf(channel, 1)).getTransactionHash();
        Instant reportsUntil0 = terms.windowEnd(0).plusSeconds(REPORT_PERIOD);
        Instant reportsUntil1 = terms.windowEnd(1).plusSeconds(REPORT_PERIOD);
        advanceTo(reportsUntil0.plusSeconds(1));
        var settled = anyone.settleWindow(0);
        catchUp(indexer(0));
        assertThat(chainNow()).as("window 1 is still in its report period").isBefore(reportsUntil1);
        // the settlement's hash is a mined transaction to this channel that emitted WindowSettled for window 0
        var receipt = chain.web3j()
                .ethGetTransactionReceipt(settled.txHash())
                .send()
                .getTransactionReceipt()
                .orElseThrow();
        assertThat(receipt.getTo()).isEqualToIgnoringCase(channel);
        assertThat(IntermediaryRelease2.getWindowSettledEvents(receipt))
                .singleElement()
                .satisfies(e -> assertThat(e.window).isEqualTo(BigInteger.ZERO));

        signInInBrowser(a.consumer().key());
        open(uri("/#/sla/" + channel).toString());
        $("#report-period").shouldBe(visible);
        assertThat($("#report-period").getText())
                .isEqualTo("2 minutes after each window: reports added on chain meanwhile, then the window is settled"
                        + " on the median of all of them");

        // the settled window: reports-until, the two reports added (values, monitors, the adding transaction), and
        // the settlement with its median, count, penalty to the wei and the settlement transaction
        SelenideElement outage = $("#windows tr[data-window='0']").shouldBe(visible);
        outage.shouldHave(attribute("data-status", "PAID"));
        assertThat(outage.$(".reports-until").getText()).isEqualTo(MINUTE.format(reportsUntil0));
        assertThat(outage.$(".added").getText()).startsWith("2 of 3: ");
        var addedReports = outage.$$(".added .report");
        assertThat(addedReports.texts()).containsExactlyInAnyOrder("50.00 %", "80.00 %");
        assertThat(addedReports.asFixedIterable().stream()
                        .map(r -> r.getAttribute("title"))
                        .toList())
                .containsExactlyInAnyOrder(address(m.get(0)) + ", tx " + added0, address(m.get(2)) + ", tx " + added0);
        assertThat(outage.$(".status").getText()).isEqualTo("reported on chain");
        assertThat(outage.$(".median").getText()).isEqualTo("50.00 % below 99.00 %");
        var paid = outage.$(".paid");
        assertThat(paid.$(".money").getText()).isEqualTo("0.001 ETH");
        assertThat(paid.$(".money").getAttribute("title")).isEqualTo(SEVERE + " wei");
        assertThat(paid.$("code").getAttribute("title")).isEqualTo(settled.txHash());
        assertThat(paid.$("code").getText())
                .isEqualTo(settled.txHash().substring(0, 6) + "…"
                        + settled.txHash().substring(62));
        assertThat(paid.getText())
                .isEqualTo("0.001 ETH median 50.00 % of 2 reports, block " + receipt.getBlockNumber() + ", tx "
                        + paid.$("code").getText());
        assertThat($("#penalties-paid").getText()).isEqualTo("0.001 ETH");

        // the window still in its report period: reporting, its reports added, nothing settled or paid yet
        SelenideElement reporting = $("#windows tr[data-window='1']").shouldBe(visible);
        reporting.shouldHave(attribute("data-status", "REPORTING"));
        assertThat(reporting.$(".status").getText()).isEqualTo("reports added on chain, settlement to come");
        assertThat(reporting.$(".reports-until").getText()).isEqualTo(MINUTE.format(reportsUntil1));
        assertThat(reporting.$$(".added .report").texts()).containsExactlyInAnyOrder("99.90 %", "99.50 %");
        assertThat(reporting.$$(".added .report").asFixedIterable().stream()
                        .map(r -> r.getAttribute("title"))
                        .toList())
                .containsExactlyInAnyOrder(address(m.get(0)) + ", tx " + added1, address(m.get(1)) + ", tx " + added1);
        assertThat(reporting.$(".paid").getText()).isEqualTo("–");
        assertThat(reporting.$(".paid code").exists()).isFalse();
        executeJavaScript("arguments[0].scrollIntoView()", $("#windows"));
        screenshot("sla-release2.png");
    }

    /** Moves the chain's clock to just after {@code instant} (the next block is stamped with it). */
    void advanceTo(Instant instant) throws Exception {
        Instant now = chainNow();
        if (now.isBefore(instant)) {
            chain.increaseTime(Duration.between(now, instant));
        }
    }

    static String address(Credentials who) {
        return who.getAddress().toLowerCase(Locale.ROOT);
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
