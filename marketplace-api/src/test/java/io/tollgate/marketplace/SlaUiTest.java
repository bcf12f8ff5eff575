package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.exist;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.OutputType;

/**
 * The SLA page in real headless Chromium: the consumer sees each window's reports, the median against the promise,
 * the penalty paid, and a clear state once the provider's collateral is exhausted; the provider gets a form to
 * deposit more.
 */
class SlaUiTest extends SlaTestBase {
    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass(1280, 1400);

    @Test
    void theConsumerSeesTheOutageWindowItsMedianThePenaltyAndExhaustedCollateral() throws Exception {
        Subscribed s = subscribe();
        var consumer = ChannelClient.readOnly(chain.web3j(), s.channel());
        SlaTerms terms = consumer.slaTerms();
        new ChannelClient(chain.web3j(), s.channel(), s.provider().transactions(), BigInteger.TEN.pow(12))
                .depositCollateral(SEVERE);
        report(s.channel(), 0, s.monitors().get(0), 8500, terms);
        report(s.channel(), 0, s.monitors().get(1), 10_000, terms);
        report(s.channel(), 0, s.monitors().get(2), 8750, terms);
        report(s.channel(), 1, s.monitors().get(0), 9950, terms);
        report(s.channel(), 1, s.monitors().get(1), 9990, terms);
        report(s.channel(), 2, s.monitors().get(1), 4000, terms);
        report(s.channel(), 2, s.monitors().get(2), 4100, terms);
        submitAfter(s.channel(), terms.windowEnd(3), 0, 2);

        signInInBrowser(s.consumer().key());
        open(uri("/#/sla").toString());
        $("#sla-channels tr[data-channel='" + s.channel() + "'] a")
                .shouldBe(visible)
                .click();
        $("#target").shouldHave(text("99.00 %"));
        var outage = $("#windows tr[data-window='0']");
        outage.$(".median").shouldHave(text("87.50 %"), text("below 99.00 %"));
        outage.$(".reports").shouldHave(text("3 of 3"), text("85.00 %"), text("100.00 %"), text("87.50 %"));
        outage.$(".status").shouldHave(text("reported on chain"));
        outage.$(".paid").shouldHave(text("0.001 ETH"));
        $("#windows tr[data-window='1'] .median").shouldHave(text("99.50 %"));
        $("#windows tr[data-window='1'] .status").shouldHave(text("met: nothing due"));
        $("#windows tr[data-window='2'] .due").shouldHave(text("0.001 ETH"));
        $("#windows tr[data-window='2'] .paid").shouldHave(text("0 ETH"));
        $("#penalties-paid").shouldHave(text("0.001 ETH"));
        $("#collateral-left").shouldHave(text("0 ETH"));
        $("#collateral-state").shouldHave(text("Collateral exhausted"));
        $("#deposit-collateral").shouldNot(exist);
        $("#sla-history").should(exist);
        screenshot("sla.png");

        signInInBrowser(s.provider().key());
        open(uri("/#/sla/" + s.channel()).toString());
        $("#collateral-state").shouldHave(text("Collateral exhausted"));
        $("#deposit-collateral button").shouldBe(visible);

        open(uri("/#/listings/" + s.slug()).toString());
        $("#sla-target").shouldHave(text("99.00 %"));
        $("#sla-tiers").shouldHave(text("below 99.00 %: 0.0001 ETH"), text("below 90.00 %: 0.001 ETH"));

        // the provider edits the listing: its terms come back into the editor and go out changed, nothing lost
        open(uri("/#/provider/listings/" + s.slug() + "/edit").toString());
        $("#sla-target").shouldHave(com.codeborne.selenide.Condition.value("99.00"));
        $("#sla-target").setValue("99.5");
        $("#sla-tier-penalty-1").setValue("0.002");
        $("#save-listing").click();
        $("#sla-target").shouldHave(text("99.50 %"));
        String listing = get("/api/listings/" + s.slug()).body();
        org.assertj.core.api.Assertions.assertThat(JsonPath.<Integer>read(listing, "$.sla.targetBps"))
                .isEqualTo(9950);
        org.assertj.core.api.Assertions.assertThat(
                        JsonPath.<java.util.List<String>>read(listing, "$.sla.tiers[*].penaltyWei"))
                .containsExactly(MILD.toString(), "2000000000000000");
        org.assertj.core.api.Assertions.assertThat(JsonPath.<java.util.List<String>>read(listing, "$.sla.monitors"))
                .containsExactlyElementsOf(s.monitors().stream()
                        .map(m -> m.getAddress().toLowerCase(java.util.Locale.ROOT))
                        .toList());
        org.assertj.core.api.Assertions.assertThat(JsonPath.<Integer>read(listing, "$.sla.windowSeconds"))
                .isEqualTo(60);
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
