package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.exist;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.executeJavaScript;
import static com.codeborne.selenide.Selenide.open;

import com.codeborne.selenide.WebDriverRunner;
import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.SlaTerms;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.web3j.crypto.Credentials;

/**
 * The SLA page in real headless Chromium: the consumer sees each window's reports, the median against the promise,
 * the penalty paid, and a clear state once the provider's collateral is exhausted; the provider gets a form to
 * deposit more.
 */
class SlaUiTest extends SlaTestBase {
    static ChromeDriver driver;

    @BeforeAll
    static void browser() throws Exception {
        driver = HeadlessChromium.start(1280, 1400);
    }

    @AfterAll
    static void close() {
        WebDriverRunner.closeWebDriver();
    }

    /** Signs in through the API and hands the session to the page, as the sign-in page would. */
    void signInInBrowser(Credentials who) throws Exception {
        String token = signInAs(who);
        String me = send("GET", "/api/me", "", token).body();
        open(uri("/").toString());
        executeJavaScript(
                "sessionStorage.setItem('tollgate.session', JSON.stringify({token: arguments[0], address: arguments[1],"
                        + " roles: arguments[2], expiresAt: new Date(Date.now() + 600000).toISOString()}))",
                token,
                JsonPath.<String>read(me, "$.address"),
                JsonPath.read(me, "$.roles"));
    }

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
        Instant after = terms.windowEnd(3);
        if (chainNow().isBefore(after)) {
            chain.increaseTime(Duration.between(chainNow(), after).plusSeconds(1));
        }
        var submitter =
                new ChannelClient(chain.web3j(), s.channel(), chain.transactionManager(5), BigInteger.TEN.pow(12));
        submitter.reportWindow(0, reportsOf(s.channel(), 0));
        submitter.reportWindow(2, reportsOf(s.channel(), 2));
        catchUp(indexer(0));

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
        Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }
}
