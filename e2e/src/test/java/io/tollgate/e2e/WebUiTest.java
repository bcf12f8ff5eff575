package io.tollgate.e2e;

import static com.codeborne.selenide.Condition.disappear;
import static com.codeborne.selenide.Condition.exist;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.executeJavaScript;
import static com.codeborne.selenide.Selenide.open;
import static com.codeborne.selenide.Selenide.refresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeborne.selenide.Configuration;
import com.codeborne.selenide.WebDriverRunner;
import io.tollgate.client.ChannelTerms;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * The web UI in real headless Chromium against the whole running stack. The browser uses the demo's development
 * wallet over anvil's public test accounts: 6 is the consumer, 2 Acme Weather (provider), 3 Quotient Markets,
 * 0 the operator. The test itself makes the paid calls through the gateway with the client library, signing with
 * account 7's key as the channel's voucher signer. The weather listing has SLA terms, so the consumer's channel
 * carries them and the demo's monitor measures it; an outage of the example API (its switch) for part of a window
 * ends as a penalty on the SLA page and on chain. Screenshots of the main pages go to target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiTest {
    static final int CONSUMER = 6;
    static final int ACME = 2;
    static final int QUOTIENT = 3;
    static final int OPERATOR = 0;
    /** anvil's public test account 7: never a real key. */
    static final ECKeyPair SIGNER =
            ECKeyPair.create(new BigInteger("4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356", 16));

    static final String SIGNER_ADDRESS = "0x14dc79964da2c08b23698b3d3cc7ca32193d9955";

    static RunningStack stack;
    static ChromeDriver driver;
    static Path screenshots;
    static String channel;
    static String listing;

    @BeforeAll
    static void start() throws Exception {
        stack = RunningStack.start();
        screenshots = Files.createDirectories(Path.of("target", "screenshots"));
        var options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,1000",
                        "--user-data-dir=" + Files.createTempDirectory("tollgate-e2e-chromium"));
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        WebDriverRunner.setWebDriver(driver);
        Configuration.timeout = 20_000;
        Configuration.reportsFolder = "target/selenide-reports"; // failure screenshots and page sources
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            WebDriverRunner.closeWebDriver();
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    static void page(String hash) {
        open(stack.marketplace() + "/" + hash);
    }

    static void signInAs(int account) {
        page("#/sign-in");
        if ($("#session button").exists()) {
            $("#session button").click(); // sign out first
            page("#/sign-in");
        }
        $("#account").shouldBe(visible).selectOption(account);
        $("#sign-in").click();
        $("#signed-in-as").shouldBe(visible);
    }

    /**
     * Reloads the page every {@code every} until {@code done} holds, for at most {@code atMost}: what the stack
     * writes meanwhile (usage, chain events) shows only after a reload. Polls on the test's own thread, where
     * Selenide's browser lives; {@code shown} must be visible after each reload.
     */
    static void refreshUntil(String what, Duration atMost, Duration every, String shown, Callable<Boolean> done) {
        await(what).atMost(atMost).pollInterval(every).pollInSameThread().until(() -> {
            refresh();
            $(shown).shouldBe(visible);
            return done.call();
        });
    }

    static void screenshot(String name) throws Exception {
        Files.copy(
                driver.getScreenshotAs(OutputType.FILE).toPath(),
                screenshots.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Asks for a quote on the listing page shown; returns the negotiation's id. */
    static long requestQuote() {
        $("#quote button[type=submit]").click();
        $("#negotiation-state").shouldHave(text("REQUESTED"));
        return negotiationInUrl();
    }

    /** The provider signed in answers the negotiation with {@code button}; the consumer then sees {@code state}. */
    static void answer(long negotiation, String button, String state) {
        page("#/negotiations/" + negotiation);
        $(button).click();
        $("#negotiation-state").shouldHave(text(state));

        signInAs(CONSUMER);
        page("#/negotiations/" + negotiation);
        $("#negotiation-state").shouldHave(text(state));
    }

    static long negotiationInUrl() {
        String url = WebDriverRunner.url();
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    @Order(1)
    void aConsumerNegotiatesSubscribesFundsPaysThroughTheGatewayAndSeesTheSpend() throws Exception {
        page("");
        $$("#listings tbody tr").shouldHave(com.codeborne.selenide.CollectionCondition.sizeGreaterThanOrEqual(2));
        $("#listings").shouldHave(text("Weather now and forecast"), text("Market quotes"));
        screenshot("catalogue");

        signInAs(CONSUMER);
        page("#/listings/weather");
        $("#price-table").shouldHave(text("current"), text("0.000001 ETH"), text("forecast"), text("0.0000025 ETH"));
        $("#availability").shouldBe(visible);
        screenshot("listing");
        $("#deposit").setValue("0.01");
        long negotiation = requestQuote();

        signInAs(ACME); // the provider answers the request
        page("#/negotiations");
        $("#negotiations").shouldHave(text("weather"));
        answer(negotiation, "#accept", "ACCEPTED");
        $("#signer").setValue(SIGNER_ADDRESS);
        $("#subscribe button[type=submit]").click();
        $("[data-tx-state=confirmed]").shouldBe(visible);
        $("#channel").shouldHave(text("active"));
        $("#snippet").shouldHave(text("TollgateClient.builder()"), text("31337"));
        channel = $("#channel code").getText();
        assertThat(channel).matches("0x[0-9a-f]{40}");
        screenshot("subscribed");

        int paid = pay(5);
        assertThat(paid).isEqualTo(5);

        page("#/spend");
        // the gateway writes usage every 2 s and the indexer follows the chain every second
        refreshUntil(
                "the spend page counts 5 requests",
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                "#figures",
                () -> $("#requests").getText().equals("5"));
        $("#requests").shouldHave(text("5"));
        $("#spent").shouldHave(text("0.000005 ETH"));
        $("#statement").shouldHave(text("weather"), text("current"));
        $("#channels").shouldHave(text(channel.substring(0, 6)));
        assertThat((Boolean) executeJavaScript("return document.getElementById('by-day').getContext('2d') !== null"))
                .isTrue();
        screenshot("spend");
    }

    /** Paid calls through the gateway with the client library; returns how many were answered 200. */
    static int pay(int calls) throws Exception {
        return pay(channel, SIGNER, "e2e-counters.log", calls);
    }

    /** Paid calls on {@code paying}, its vouchers signed by {@code signer}, counted in a file of its own. */
    static int pay(String paying, ECKeyPair signer, String countersFile, int calls) throws Exception {
        try (var counters = new FileVoucherCounters(stack.state.resolve(countersFile))) {
            var client = TollgateClient.builder()
                    .terms(new ChannelTerms(paying, 31337, 1, PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L)))
                    .signer(signer)
                    .counters(counters)
                    .build();
            int ok = 0;
            for (int i = 0; i < calls; i++) {
                var response = client.send(
                        HttpRequest.newBuilder(URI.create(stack.gateway() + "/weather/weather/berlin"))
                                .build(),
                        0);
                ok += response.statusCode() == 200 ? 1 : 0;
            }
            return ok;
        }
    }

    @Test
    @Order(2)
    void aProviderCreatesAListingSeesTheRedemptionAndWithdraws() throws Exception {
        signInAs(ACME);
        page("#/provider");
        $("#revenue").shouldBe(visible);
        $("#new-listing").click();
        String slug = "e2e-" + Long.toString(System.nanoTime(), 36);
        listing = slug;
        $("#listing-slug").setValue(slug);
        $("#listing-name").setValue("E2E radar");
        $("#listing-upstream").setValue("http://127.0.0.1:" + RunningStack.UPSTREAM);
        $("#cat-name-0").setValue("radar");
        $("#cat-price-0").setValue("0.000003");
        $("#route-path-0").setValue("/weather/**");
        $("#save-listing").click();
        $("h1").shouldHave(text("E2E radar"));
        $("#price-table").shouldHave(text("radar"), text("0.000003 ETH"));
        page("#/provider");
        $("#my-listings").shouldHave(text("E2E radar"));

        // past 10 bps of the 0.01 ETH deposit the demo gateway redeems; the chain's T_r is 60 s
        assertThat(pay(10)).isEqualTo(10);
        refreshUntil(
                "the channel is redeemed and can be withdrawn",
                Duration.ofSeconds(180),
                Duration.ofSeconds(3),
                "#revenue",
                () -> $("#paying-channels tr[data-channel='" + channel + "'] button.withdraw")
                        .exists());
        var row = $("#paying-channels tr[data-channel='" + channel + "']");
        row.$("button.withdraw").shouldBe(visible);
        // the channel runs release 2: one-step claims
        $("#provider-events").shouldHave(text("Claimed"));
        screenshot("provider");
        row.$("button.withdraw").click();
        $("[data-tx-state=confirmed]").shouldBe(visible);
        refreshUntil(
                "the Withdrawn event is shown",
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                "#revenue",
                () -> $("#provider-events").getText().contains("Withdrawn"));
        $("#provider-events").shouldHave(text("Withdrawn"));
        $("#paying-channels tr[data-channel='" + channel + "'] button.withdraw").shouldNot(exist);
    }

    @Test
    @Order(3)
    void theOperatorSeesTheInspectorAndTheGraph() throws Exception {
        signInAs(OPERATOR);
        page("#/operator");
        $("#indexer-status").shouldHave(text("Indexed to block"));
        $("#transactions").shouldHave(text("createChannel"));
        $("#edges").shouldHave(text(channel == null ? "0x" : "0x"));
        $("#graph canvas").should(exist);
        screenshot("operator");

        signInAs(CONSUMER);
        page("#/operator");
        $("main").shouldHave(text("does not have the operator role"));
    }

    @Test
    @Order(4)
    void aWalletWithoutEnoughFundsGetsAClearMessage() {
        signInAs(CONSUMER);
        page("#/spend");
        var row = $("#channels tr[data-channel='" + channel + "']");
        row.$("input[name=amount]").setValue("1000000");
        row.$("button[type=submit]").click();
        $("[data-tx-state=failed]").shouldHave(text("cannot pay"));
    }

    @Test
    @Order(5)
    void aRejectedOfferCannotBeSubscribedTo() {
        signInAs(CONSUMER);
        page("#/listings/quotes");
        long negotiation = requestQuote();

        signInAs(QUOTIENT);
        answer(negotiation, "#reject", "REJECTED");
        $("#subscribe").shouldNot(exist);
        $("#accept").shouldNot(exist);
    }

    @Test
    @Order(6)
    void anExpiredSessionAsksToSignInAgain() {
        signInAs(CONSUMER);
        executeJavaScript("""
                const s = JSON.parse(sessionStorage.getItem('tollgate.session'));
                s.expiresAt = new Date(Date.now() - 1000).toISOString();
                sessionStorage.setItem('tollgate.session', JSON.stringify(s));""");
        page("#/negotiations");
        $("#notice").shouldHave(text("session has ended"));
        $("main").shouldHave(text("Sign in"));
        $("#signed-in-as").should(disappear);
    }

    @Test
    @Order(7)
    void aProviderSetsAutomaticAnswersAndAQuoteIsOfferedAtOnceNeverBelowTheFloor() {
        signInAs(ACME);
        page("#/provider/listings/" + listing + "/edit");
        $("#rules-auto").click();
        $("#min-deposit").setValue("0.001");
        $("#floor-0").setValue("0.000002");
        $("#tier-deposit").setValue("0.005");
        $("#tier-discount").setValue("50");
        $("#save-rules").click();
        $("#rules-saved").shouldBe(visible);

        signInAs(CONSUMER);
        page("#/listings/" + listing);
        $("#deposit").setValue("0.01");
        $("#quote button[type=submit]").click();
        $("#negotiation-state").shouldHave(text("OFFERED"));
        // 50 % off 0.000003 is 0.0000015, below the 0.000002 floor: the floor is offered
        $("#offer").shouldHave(text("0.000002 ETH"));
        $("#accept").shouldBe(visible);

        page("#/listings/" + listing);
        $("#deposit").setValue("0.0001");
        $("#quote button[type=submit]").click();
        $(".error").shouldHave(text("at least"));
    }

    @Test
    @Order(8)
    void onAPhoneTheMenuFoldsAndThePagesStillWork() throws Exception {
        var size = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            page("");
            $(".menu").shouldBe(visible);
            $("#nav").shouldNotBe(visible);
            $(".menu").click();
            $("#nav a[href='#/spend']").shouldBe(visible);
            $("#listings").shouldHave(text("Weather now and forecast"));
            screenshot("phone-catalogue");
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    /** The demo weather listing's tiers (DemoData): below 99 %, 95 %, 90 % a window pays 0.0001, 0.0005, 0.001 ETH. */
    static BigInteger tierFor(int bps) {
        if (bps < 9000) return new BigInteger("1000000000000000");
        if (bps < 9500) return new BigInteger("500000000000000");
        if (bps < 9900) return new BigInteger("100000000000000");
        return BigInteger.ZERO;
    }

    /** Turns the example API's outage switch: that share of its requests (probes included) answer 503. */
    static void outage(int percent) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var answer = http.send(
                    HttpRequest.newBuilder(URI.create(stack.upstream() + "/admin/outage?percent=" + percent))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    /** The demo monitor's count of failed probes, from its Prometheus metrics. */
    static long failedProbes() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(stack.monitor() + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            var failed = Pattern.compile("tollgate_monitor_probes_total\\{[^}]*outcome=\"failed\"[^}]*\\} ([0-9.E]+)")
                    .matcher(metrics);
            return failed.find() ? (long) Double.parseDouble(failed.group(1)) : 0;
        }
    }

    /** Σ of one amount over every event of this name the channel emitted. */
    static BigInteger sum(Web3j web3j, org.web3j.abi.datatypes.Event event, int amountIndex) throws Exception {
        var filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, channel);
        filter.addSingleTopic(EventEncoder.encode(event));
        BigInteger total = BigInteger.ZERO;
        for (var result : web3j.ethGetLogs(filter).send().getLogs()) {
            var log = (Log) result.get();
            var values = FunctionReturnDecoder.decode(log.getData(), event.getNonIndexedParameters());
            total = total.add((BigInteger) values.get(amountIndex).getValue());
        }
        return total;
    }

    /**
     * The attacks of the admission issue against the running stack (real gateway, marketplace, PostgreSQL, Redis,
     * anvil): an outsider creates channels through the demo's own factory with parameters of their choosing, naming
     * the weather listing's payout and operator (both public), and pays with validly signed vouchers. None is a
     * subscription the marketplace verified, so the gateway answers 402 {@code channel-not-subscribed}, saying how to
     * subscribe, and forwards nothing.
     */
    @Test
    @Order(10)
    void channelsAnOutsiderCreatesWithTermsOfTheirOwnAreNotServed() throws Exception {
        var web3j = Web3j.build(new HttpService(stack.chain()));
        try {
            String factory = demoState().getProperty("FACTORY");
            // anvil's public test account 5: the attacker's own key, owner of the channels
            var attacker = org.web3j.crypto.Credentials.create(
                    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
            var wallet = new org.web3j.tx.RawTransactionManager(web3j, attacker, 31337);
            String payout = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
            String operator = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
            var attacks = new java.util.LinkedHashMap<String, io.tollgate.contracts.channel.ChannelTerms>();
            attacks.put(
                    "prices 0",
                    new io.tollgate.contracts.channel.ChannelTerms(
                            attacker.getAddress(),
                            SIGNER_ADDRESS,
                            payout,
                            operator,
                            java.util.Optional.empty(),
                            PriceTable.of(0, 0),
                            Duration.ofSeconds(60),
                            Duration.ofMinutes(15)));
            attacks.put(
                    "list prices, T_r 1 s, T_c 3 s",
                    new io.tollgate.contracts.channel.ChannelTerms(
                            attacker.getAddress(),
                            SIGNER_ADDRESS,
                            payout,
                            operator,
                            java.util.Optional.empty(),
                            PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(3)));
            for (var attack : attacks.entrySet()) {
                var created =
                        FactoryClient.create(web3j, wallet, factory, attack.getValue(), Wei.parse("1000000000000000"));
                try (var counters =
                        new FileVoucherCounters(stack.state.resolve("attack-" + created.address() + ".log"))) {
                    var client = TollgateClient.builder()
                            .terms(new ChannelTerms(
                                    created.address(),
                                    31337,
                                    1,
                                    attack.getValue().prices()))
                            .caps(attack.getValue().prices().prices())
                            .signer(SIGNER)
                            .counters(counters)
                            .build();
                    var refused = org.junit.jupiter.api.Assertions.assertThrows(
                            io.tollgate.client.PaymentRequiredException.class,
                            () -> client.send(
                                    HttpRequest.newBuilder(URI.create(stack.gateway() + "/weather/weather/berlin"))
                                            .build(),
                                    0),
                            attack.getKey());
                    assertThat(refused.problem().slug()).as(attack.getKey()).isEqualTo("channel-not-subscribed");
                    assertThat(refused.problem().detail()).as(attack.getKey()).contains("subscribe");
                }
            }
        } finally {
            web3j.shutdown();
        }
    }

    @Test
    @Order(9)
    void theConsumerSeesAnOutageWindowItsMeasuredAvailabilityAndThePenaltyOnTheSlaPage() throws Exception {
        assertThat(channel)
                .as("the first test's channel, to the weather listing with SLA terms")
                .isNotNull();
        signInAs(ACME); // the provider deposits the collateral its listing promises
        page("#/sla/" + channel);
        $("#collateral-state").shouldHave(text("has not deposited collateral"));
        $("#collateral-amount").setValue("0.01");
        $("#deposit-collateral button[type=submit]").click();
        $("[data-tx-state=confirmed]").shouldBe(visible);
        Web3j web3j = Web3j.build(new HttpService(stack.chain()));
        try {
            var onChain = ChannelClient.readOnly(web3j, channel);
            assertThat(onChain.state().collateral()).isEqualTo(Wei.parse("10000000000000000"));

            long failedBefore = failedProbes();
            outage(100);
            try {
                assertThat(pay(3))
                        .as("paid calls during the outage are answered 503")
                        .isZero();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> failedProbes() >= failedBefore + 5);
            } finally {
                outage(0);
            }
            assertThat(pay(2)).isEqualTo(2);
            // windows start at the channel's creation (release 2): the last one the outage touched is the one
            // running now
            var sla = onChain.slaTerms();
            long lastEnd = sla.windowEnd(sla.windowAt(Instant.now())).getEpochSecond();

            // the window ends; the monitor signs under its three keys; the submitter reports; the indexer follows
            signInAs(CONSUMER);
            page("#/sla/" + channel);
            String last = "#windows tr[data-end='" + lastEnd + "']";
            refreshUntil(
                    "the outage window is reported",
                    Duration.ofMinutes(4),
                    Duration.ofSeconds(3),
                    "#windows",
                    () -> $(last).exists() && Set.of("PAID", "MET").contains($(last).getAttribute("data-status")));
            $(last).shouldHave(com.codeborne.selenide.Condition.attributeMatching("data-status", "PAID|MET"));
            $("#windows tr[data-status=PAID]").shouldBe(visible);
            screenshot("sla");
            BigInteger shown = BigInteger.ZERO;
            var figures = new StringBuilder();
            for (var row : $$("#windows tr[data-status=PAID]")) {
                String median = row.$(".median").getText();
                var percent = Pattern.compile("^(\\d+)\\.(\\d\\d) %").matcher(median);
                assertThat(percent.find()).as(median).isTrue();
                int bps = Integer.parseInt(percent.group(1)) * 100 + Integer.parseInt(percent.group(2));
                assertThat(median).contains("below 99.00 %");
                assertThat(row.$(".reports").getText()).startsWith("3 of 3");
                String paidWei = row.$(".paid .money").getAttribute("title").replace(" wei", "");
                assertThat(new BigInteger(paidWei))
                        .as("the tier of a median of %d bps", bps)
                        .isEqualTo(tierFor(bps));
                shown = shown.add(new BigInteger(paidWei));
                figures.append("\n  window ")
                        .append(row.getAttribute("data-window"))
                        .append(" ending ")
                        .append(row.$("td", 1).getText())
                        .append(": median ")
                        .append(bps)
                        .append(" bps, penalty ")
                        .append(paidWei)
                        .append(" wei; reports");
                for (var report : row.$$(".report")) {
                    figures.append("\n    ").append(report.getAttribute("title"));
                }
            }
            assertThat($("#penalties-paid .money").getAttribute("title")).isEqualTo(shown + " wei");

            // to the wei on chain: the penalties left the collateral and reached the consumer's deposit
            // the channel runs release 2 (settled windows) or release 1 (reported windows); both counted
            BigInteger penalties = sum(web3j, Intermediary.WINDOWREPORTED_EVENT, 1)
                    .add(sum(web3j, io.tollgate.contracts.generated.IntermediaryRelease2.WINDOWSETTLED_EVENT, 2));
            assertThat(penalties).isEqualTo(shown).isPositive();
            var state = onChain.state();
            assertThat(state.collateral().value()).isEqualTo(new BigInteger("10000000000000000").subtract(penalties));
            assertThat(state.unredeemed().value())
                    .isEqualTo(sum(web3j, Intermediary.DEPOSITED_EVENT, 0)
                            .subtract(sum(web3j, Intermediary.REDEEMED_EVENT, 1))
                            .subtract(sum(web3j, io.tollgate.contracts.generated.IntermediaryRelease2.CLAIMED_EVENT, 1))
                            .add(penalties));
            System.out.printf(
                    "SLA outage on channel %s:%s%n  penalties %s wei; collateral left %s wei; deposit now %s wei%n",
                    channel, figures, penalties, state.collateral(), state.unredeemed());
        } finally {
            web3j.shutdown();
        }
    }

    /**
     * The demo channel (demo consumer, account 1, paying Acme Weather) runs release 1 and the demo registered a newer
     * release: each party signs its consent in its own page with its wallet, the provider sends the upgrade, both
     * pages show the new release, the chain runs it, and a paid call on the upgraded channel still goes through.
     */
    @Test
    @Order(11)
    void bothPartiesConsentOnTheirPagesTheUpgradeIsSentAndPaidCallsGoOn() throws Exception {
        var demo = demoState();
        String upgraded = demo.getProperty("CHANNEL").toLowerCase(java.util.Locale.ROOT);
        String newer = demo.getProperty("NEWER_RELEASE").toLowerCase(java.util.Locale.ROOT);
        String row = "tr[data-channel='" + upgraded + "']";

        signInAs(1); // the demo consumer: the channel's owner
        page("#/spend");
        $("#channels " + row + " .release").shouldHave(text("release 1"));
        $("#channels " + row + " .upgrade-available").shouldHave(text("Upgrade available: release 2"));
        $("#channels " + row + " .consent-other").shouldHave(text("waiting"));
        $("#channels " + row + " .sign-consent").click();
        $("#channels " + row + " .consent-mine").shouldHave(text("signed"));
        $("#channels " + row + " .sign-consent").shouldNot(exist);
        $("#channels " + row + " .send-upgrade").shouldNot(exist);
        screenshot("upgrade-consumer-consented");

        signInAs(ACME); // the channel's payout
        page("#/provider");
        $("#paying-channels " + row + " .consent-other").shouldHave(text("signed"));
        $("#paying-channels " + row + " .sign-consent").click();
        $("#paying-channels " + row + " .consent-mine").shouldHave(text("signed"));
        $("#paying-channels " + row + " .send-upgrade").click();
        $("#upgrade-status [data-tx-state=confirmed]").shouldBe(visible);
        $("#paying-channels " + row + " .release").shouldHave(text("release 2"));
        $("#paying-channels " + row + " .upgrade").shouldNot(exist);
        screenshot("upgrade-sent");

        Web3j web3j = Web3j.build(new HttpService(stack.chain()));
        try {
            assertThat(ChannelClient.readOnly(web3j, upgraded).state().implementation())
                    .isEqualToIgnoringCase(newer);
        } finally {
            web3j.shutdown();
        }

        signInAs(1);
        page("#/spend");
        $("#channels " + row + " .release").shouldHave(text("release 2"));
        $("#channels " + row + " .upgrade").shouldNot(exist);

        var demoSigner = ECKeyPair.create(new BigInteger(demo.getProperty("CHANNEL_SIGNER_KEY"), 16));
        assertThat(pay(upgraded, demoSigner, "e2e-upgraded-counters.log", 3)).isEqualTo(3);
    }

    /** anvil's public test account 8: the dollar consumer, neither a demo provider nor a signer of the demo. */
    static final int DOLLAR_CONSUMER = 8;

    static final org.web3j.crypto.Credentials DOLLAR_CONSUMER_KEY =
            org.web3j.crypto.Credentials.create("dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97");

    /** The 11th key of anvil's public mnemonic (account 10, not among the demo's ten): the dollar channel's signer. */
    static final ECKeyPair DOLLAR_SIGNER =
            ECKeyPair.create(new BigInteger("f214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897", 16));

    static final TokenUnit DEMO_DOLLAR = new TokenUnit("USDT-demo", 6);

    /** The demo's chain state file (contracts DemoChain): FACTORY, CHANNEL, DEMO_USD, … */
    static java.util.Properties demoState() throws Exception {
        var properties = new java.util.Properties();
        try (var in = Files.newInputStream(stack.state.resolve("chain/demo.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /**
     * Stablecoin money end to end (issue 20): a consumer of its own (account 8) takes demo dollars from DemoUsd's
     * faucet, asks the fx-rates listing (0.001 USDT-demo a rate) for a quote with a deposit in USDT-demo, Ledgerline
     * FX (account 6) accepts, and the web UI subscribes with one permit signature and one transaction in the dev
     * wallet; the channel holds exactly the deposit. Paid calls through the gateway with the client library on the
     * token channel cost 1000 base units each; the spend page, its charts and its CSV show them in USDT-demo, exact;
     * the provider's page counts them as accepted and pending in USDT-demo. Two more calls bring the exposure to
     * 10 bps of the deposit, the demo gateway's trigger: the gateway claims all five, Ledgerline FX withdraws them
     * on its page, and its DemoUsd balance grows by exactly the redeemed 5000 base units while the channel keeps
     * the rest of the deposit.
     */
    @Test
    @Order(12)
    void aConsumerSubscribesToTheDollarListingWithAPermitPaysAndSeesTheSpendInDollars() throws Exception {
        String usd = demoState().getProperty("DEMO_USD").toLowerCase(java.util.Locale.ROOT);
        String consumer = DOLLAR_CONSUMER_KEY.getAddress().toLowerCase(java.util.Locale.ROOT);
        String signer = "0x" + org.web3j.crypto.Keys.getAddress(DOLLAR_SIGNER);
        BigInteger faucet = BigInteger.valueOf(100_000_000); // 100 USDT-demo
        BigInteger deposit = BigInteger.valueOf(5_000_000); // 5 USDT-demo
        BigInteger rate = BigInteger.valueOf(1_000); // 0.001 USDT-demo
        int calls = 3;
        var walk = new StringBuilder("Dollar subscription walk-through (DemoUsd " + usd + ", 6 decimals):");
        Web3j web3j = Web3j.build(new HttpService(stack.chain()));
        try {
            BigInteger start = TokenPermits.balanceOf(web3j, usd, consumer).value();
            TokenPermits.faucet(
                    web3j,
                    new org.web3j.tx.RawTransactionManager(
                            web3j,
                            DOLLAR_CONSUMER_KEY,
                            31337,
                            new org.web3j.tx.response.PollingTransactionReceiptProcessor(web3j, 100, 300)),
                    usd,
                    new Wei(faucet));
            BigInteger before = TokenPermits.balanceOf(web3j, usd, consumer).value();
            assertThat(before).isEqualTo(start.add(faucet));
            walk.append("\n  consumer ")
                    .append(consumer)
                    .append(" (anvil account 8) took ")
                    .append(faucet)
                    .append(" base units (100 USDT-demo) from the faucet: balance ")
                    .append(before);

            // the consumer asks for a quote with a deposit in USDT-demo
            signInAs(DOLLAR_CONSUMER);
            page("#/listings/fx-rates");
            $("#price-table")
                    .shouldHave(text("rate"), text("0.001 USDT-demo"), text("history"), text("0.002 USDT-demo"));
            $("label[for=deposit]").shouldHave(text("USDT-demo"));
            $("#deposit").setValue("5");
            long negotiation = requestQuote();
            $("#offer").shouldHave(text("deposit 5 USDT-demo"));

            signInAs(CONSUMER); // account 6: Ledgerline FX's payout, the provider of fx-rates
            page("#/negotiations/" + negotiation);
            $("#offer").shouldHave(text("0.001 USDT-demo"));
            $("#accept").click();
            $("#negotiation-state").shouldHave(text("ACCEPTED"));
            page("#/provider");
            $("#revenue").shouldBe(visible);
            BigInteger acceptedBefore = baseUnits("#accepted-USDT-demo");
            BigInteger pendingBefore = baseUnits("#pending-USDT-demo");

            // the subscription: one permit signature, then one transaction
            signInAs(DOLLAR_CONSUMER);
            page("#/negotiations/" + negotiation);
            $("#negotiation-state").shouldHave(text("ACCEPTED"));
            $("label[for=deposit]").shouldHave(text("USDT-demo"));
            $("#token-steps").shouldHave(text("one permit"), text(usd));
            $("#signer").setValue(signer);
            $("#deposit").setValue("5");
            BigInteger transactionsBefore = transactionCount(web3j, consumer);
            BigInteger permitNonceBefore = TokenPermits.nonce(web3j, usd, consumer);
            executeJavaScript("""
                    window.tollgateSteps = [];
                    const record = () => document.querySelectorAll('[data-tx-state]').forEach((p) => {
                      const seen = p.dataset.txState + ' | ' + p.textContent.trim();
                      if (window.tollgateSteps.at(-1) !== seen) window.tollgateSteps.push(seen);
                    });
                    new MutationObserver(record).observe(document.body,
                      { subtree: true, childList: true, characterData: true, attributes: true });""");
            $("#subscribe button[type=submit]").click();
            $("[data-tx-state=confirmed]").shouldHave(text("Step 2 of 2"), text("create and fund the channel"));
            $("#funded").shouldHave(text("Funded with 5 USDT-demo"));
            $("#channel").shouldHave(text("active"));
            String dollarChannel = $("#channel code").getText();
            assertThat(dollarChannel).matches("0x[0-9a-f]{40}");
            $("#snippet")
                    .shouldHave(
                            text("\"1000\", \"2000\""),
                            text(".token(\"" + usd + "\", new TokenUnit(\"USDT-demo\", 6))"));
            screenshot("dollar-subscribed");
            @SuppressWarnings("unchecked")
            var steps = (java.util.List<String>) executeJavaScript("return window.tollgateSteps");
            assertThat(steps)
                    .as("the progress the page showed")
                    .anySatisfy(s -> assertThat(s)
                            .startsWith("signing-permit | Step 1 of 2")
                            .contains("sign the permit"))
                    .anySatisfy(s -> assertThat(s).startsWith("pending | Step 2 of 2 (create and fund the channel)"))
                    .anySatisfy(s -> assertThat(s).startsWith("confirmed | Step 2 of 2 (create and fund the channel)"))
                    .allSatisfy(s -> assertThat(s).containsPattern(" \\| Step [12] of 2 "))
                    .noneSatisfy(s -> assertThat(s).startsWith("failed"));
            assertThat(steps.stream().filter(s -> s.startsWith("signing-permit")))
                    .as("one permit signature")
                    .hasSize(1);
            assertThat(steps.stream().filter(s -> s.startsWith("pending")))
                    .as("one transaction")
                    .hasSize(1);
            assertThat(transactionCount(web3j, consumer))
                    .as("the wallet sent one transaction")
                    .isEqualTo(transactionsBefore.add(BigInteger.ONE));
            assertThat(TokenPermits.nonce(web3j, usd, consumer))
                    .as("the token used one permit")
                    .isEqualTo(permitNonceBefore.add(BigInteger.ONE));

            // on chain, to the base unit
            var onChain = ChannelClient.readOnly(web3j, dollarChannel).state();
            assertThat(onChain.totalDeposited().value()).isEqualTo(deposit);
            assertThat(onChain.unredeemed().value()).isEqualTo(deposit);
            assertThat(TokenPermits.balanceOf(web3j, usd, dollarChannel).value())
                    .isEqualTo(deposit);
            BigInteger after = TokenPermits.balanceOf(web3j, usd, consumer).value();
            assertThat(after).isEqualTo(before.subtract(deposit));
            walk.append("\n  negotiation ")
                    .append(negotiation)
                    .append(" accepted by Ledgerline FX (account 6); the web UI signed 1 permit and sent 1 transaction")
                    .append("\n  channel ")
                    .append(dollarChannel)
                    .append(" holds ")
                    .append(TokenPermits.balanceOf(web3j, usd, dollarChannel))
                    .append(" base units (5 USDT-demo), deposited ")
                    .append(onChain.totalDeposited())
                    .append("\n  consumer balance ")
                    .append(before)
                    .append(" -> ")
                    .append(after)
                    .append(" (faucet ")
                    .append(faucet)
                    .append(" - deposit ")
                    .append(deposit)
                    .append(")");

            // a call without a voucher: the 402 names the token to pay in
            try (var http = HttpClient.newHttpClient()) {
                var refused = http.send(
                        HttpRequest.newBuilder(URI.create(stack.gateway() + "/fx-rates/fx/rates/eurusd"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
                assertThat(com.jayway.jsonpath.JsonPath.<java.util.Map<String, Object>>read(refused.body(), "$.asset"))
                        .containsEntry("address", usd)
                        .containsEntry("symbol", "USDT-demo")
                        .containsEntry("decimals", 6);
            }

            // paid calls on the token channel with the client library: 0.001 USDT-demo each
            int paid = payDollarCalls(dollarChannel, usd, calls);
            final int answered = paid;
            BigInteger spent = rate.multiply(BigInteger.valueOf(answered));
            String shown = "0.00" + paid + " USDT-demo";
            walk.append("\n  ")
                    .append(paid)
                    .append(" paid calls GET /fx-rates/fx/rates/eurusd through the gateway, ")
                    .append(rate)
                    .append(" base units each: ")
                    .append(spent)
                    .append(" base units (")
                    .append(shown)
                    .append(")");

            // the spend page, in USDT-demo
            page("#/spend");
            refreshUntil(
                    "the spend page counts the paid calls",
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    "#figures",
                    () -> $("#requests").getText().equals(Integer.toString(answered)));
            $("#spent-USDT-demo").shouldHave(com.codeborne.selenide.Condition.exactText(shown));
            assertThat(baseUnits("#spent-USDT-demo")).isEqualTo(spent);
            $("#spent-ETH").shouldNot(exist);
            $("#statement tr[data-token='" + usd + "']")
                    .shouldHave(text("fx-rates"), text("rate"), text(Integer.toString(paid)), text(shown));
            $("#channels tr[data-channel='" + dollarChannel + "']")
                    .shouldHave(com.codeborne.selenide.Condition.attribute("data-token", usd), text("in USDT-demo"));
            $("#by-day").shouldHave(com.codeborne.selenide.Condition.attribute("data-series", "USDT-demo"));
            $("#by-category").shouldHave(com.codeborne.selenide.Condition.attribute("data-series", "USDT-demo"));
            screenshot("dollar-spend");

            // the CSV the page's button downloads, fetched with the page's session
            String from = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                    .minusDays(30)
                    .toString();
            String token = executeJavaScript("return JSON.parse(sessionStorage.getItem('tollgate.session')).token");
            String csv;
            try (var http = HttpClient.newHttpClient()) {
                var answer = http.send(
                        HttpRequest.newBuilder(URI.create(
                                        stack.marketplace() + "/api/billing/statement?from=" + from + "&format=csv"))
                                .header("Accept", "text/csv")
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                csv = answer.body();
            }
            String inDollars = ",USDT-demo," + usd + ",0.00" + paid;
            String total = "usage,,,total,," + paid + "," + spent + inDollars;
            assertThat(csv.split("\r\n"))
                    .contains(
                            "section,listing,category,name,start,requests,value_wei,token,token_address,value",
                            total,
                            "category,fx-rates,0,rate,," + paid + "," + spent + inDollars,
                            "chain,,,deposited,,," + deposit + ",USDT-demo," + usd + ",5");
            assertThat(csv).doesNotContain(",ETH,");
            walk.append("\n  spend page: ")
                    .append($("#requests").getText())
                    .append(" requests, spent ")
                    .append($("#spent-USDT-demo").getText())
                    .append("; chart series ")
                    .append($("#by-day").getAttribute("data-series"))
                    .append("; CSV: ")
                    .append(total);

            // Ledgerline FX sees the channel and the calls as accepted and pending, in USDT-demo
            signInAs(CONSUMER);
            page("#/provider");
            refreshUntil(
                    "the provider's page counts the paid calls",
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    "#revenue",
                    () -> baseUnits("#accepted-USDT-demo").equals(acceptedBefore.add(spent)));
            assertThat(baseUnits("#pending-USDT-demo")).isEqualTo(pendingBefore.add(spent));
            $("#paying-channels tr[data-channel='" + dollarChannel + "']")
                    .shouldHave(com.codeborne.selenide.Condition.attribute("data-token", usd));
            screenshot("dollar-provider");
            walk.append("\n  Ledgerline FX's page: accepted ")
                    .append(acceptedBefore)
                    .append(" -> ")
                    .append(baseUnits("#accepted-USDT-demo"))
                    .append(", pending ")
                    .append(pendingBefore)
                    .append(" -> ")
                    .append(baseUnits("#pending-USDT-demo"))
                    .append(" base units of USDT-demo; the channel is among its paying channels");

            // two more calls bring the exposure to 5000 base units, 10 bps of the 5 USDT-demo deposit: the demo
            // gateway's trigger (tollgate.gateway.redemption.claims.exposure-share-bps=10, reached at >=; a token
            // channel is never redeemed for being worth its gas), so the gateway claims all 5 calls at once
            int more = payDollarCalls(dollarChannel, usd, 2);
            int allCalls = answered + more;
            BigInteger owed = rate.multiply(BigInteger.valueOf(allCalls));
            assertThat(owed).isEqualTo(BigInteger.valueOf(5_000));
            String provider = ChannelClient.readOnly(web3j, dollarChannel)
                    .parties()
                    .payout()
                    .toLowerCase(java.util.Locale.ROOT);
            assertThat(provider)
                    .as("Ledgerline FX's payout, anvil account 6")
                    .isEqualTo("0x976ea74026e726554db657fa54763abd0c3a0aa9");
            walk.append("\n  ")
                    .append(more)
                    .append(" more paid calls: ")
                    .append(allCalls)
                    .append(" calls, ")
                    .append(owed)
                    .append(" base units of exposure = 10 bps of the deposit, the demo gateway's redemption trigger");
            page("#/provider");
            String row = "#paying-channels tr[data-channel='" + dollarChannel + "']";
            refreshUntil(
                    "the dollar channel is redeemed and can be withdrawn",
                    Duration.ofSeconds(180),
                    Duration.ofSeconds(3),
                    "#revenue",
                    () -> $(row + " button.withdraw").exists());
            var redeemedState = ChannelClient.readOnly(web3j, dollarChannel).state();
            BigInteger redeemed = deposit.subtract(redeemedState.unredeemed().value());
            assertThat(redeemed).as("everything accepted was redeemed").isEqualTo(owed);
            assertThat(redeemedState.earnings().value()).isEqualTo(redeemed);
            String redeemedShown = "0.00" + allCalls + " USDT-demo";
            $(row + " button.withdraw").shouldBe(visible).shouldHave(text("Withdraw " + redeemedShown));
            String shortChannel =
                    dollarChannel.substring(0, 6) + "…" + dollarChannel.substring(dollarChannel.length() - 4);
            assertThat($$("#provider-events li").texts())
                    .as("the provider's events show the claim on the dollar channel")
                    .anySatisfy(e -> assertThat(e).contains("Claimed", shortChannel));
            screenshot("dollar-redeemed");
            BigInteger providerBefore =
                    TokenPermits.balanceOf(web3j, usd, provider).value();
            $(row + " button.withdraw").click();
            $("[data-tx-state=confirmed]").shouldBe(visible);
            refreshUntil(
                    "the Withdrawn event of the dollar channel is shown",
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    "#revenue",
                    () -> $$("#provider-events li").texts().stream()
                            .anyMatch(e -> e.contains("Withdrawn") && e.contains(shortChannel)));
            $(row + " button.withdraw").shouldNot(exist);
            BigInteger providerAfter =
                    TokenPermits.balanceOf(web3j, usd, provider).value();
            var withdrawnState = ChannelClient.readOnly(web3j, dollarChannel).state();
            assertThat(providerAfter.subtract(providerBefore))
                    .as("Ledgerline FX received exactly what was redeemed")
                    .isEqualTo(redeemed);
            assertThat(withdrawnState.earnings().value()).isZero();
            assertThat(withdrawnState.unredeemed().value()).isEqualTo(deposit.subtract(redeemed));
            assertThat(TokenPermits.balanceOf(web3j, usd, dollarChannel).value())
                    .isEqualTo(deposit.subtract(redeemed));
            BigInteger consumerAtEnd =
                    TokenPermits.balanceOf(web3j, usd, consumer).value();
            assertThat(consumerAtEnd)
                    .as("the consumer's tokens moved only by the deposit")
                    .isEqualTo(after);
            screenshot("dollar-withdrawn");
            walk.append("\n  the gateway claimed ")
                    .append(redeemed)
                    .append(" base units (")
                    .append(redeemedShown)
                    .append("); the provider page showed 'Withdraw ")
                    .append(redeemedShown)
                    .append("' and the Claimed event")
                    .append("\n  Ledgerline FX (account 6, payout ")
                    .append(provider)
                    .append(") withdrew in the web UI: DemoUsd balance ")
                    .append(providerBefore)
                    .append(" -> ")
                    .append(providerAfter)
                    .append(" (+")
                    .append(providerAfter.subtract(providerBefore))
                    .append("), Withdrawn event shown")
                    .append("\n  channel unredeemed deposit ")
                    .append(withdrawnState.unredeemed())
                    .append(" (")
                    .append(deposit)
                    .append(" - ")
                    .append(redeemed)
                    .append("), token balance ")
                    .append(TokenPermits.balanceOf(web3j, usd, dollarChannel))
                    .append(", earnings left ")
                    .append(withdrawnState.earnings())
                    .append("\n  consumer DemoUsd balance ")
                    .append(consumerAtEnd)
                    .append(" (unchanged since the deposit; the rest of the deposit stays in the channel)");
            System.out.println(walk);
        } finally {
            web3j.shutdown();
        }
    }

    /**
     * {@code n} paid calls on the dollar channel with the client library, rate category, counting on from the
     * calls before (one voucher counter file); returns how many were answered 200.
     */
    static int payDollarCalls(String dollarChannel, String usd, int n) throws Exception {
        int paid = 0;
        try (var counters = new FileVoucherCounters(stack.state.resolve("e2e-dollar-counters.log"))) {
            var client = TollgateClient.builder()
                    .terms(new ChannelTerms(dollarChannel, 31337, 1, PriceTable.of(1_000, 2_000)))
                    .token(usd, DEMO_DOLLAR)
                    .signer(DOLLAR_SIGNER)
                    .counters(counters)
                    .build();
            for (int i = 0; i < n; i++) {
                var response = client.send(
                        HttpRequest.newBuilder(URI.create(stack.gateway() + "/fx-rates/fx/rates/eurusd"))
                                .build(),
                        0);
                assertThat(response.statusCode()).as("call %d", i + 1).isEqualTo(200);
                paid++;
            }
        }
        return paid;
    }

    /** The exact amount of a money figure in base units (its title), 0 when the page shows none for the token. */
    static BigInteger baseUnits(String figure) {
        if (!$(figure).exists()) {
            return BigInteger.ZERO;
        }
        String title = $(figure + " .money").getAttribute("title");
        return new BigInteger(title.substring(0, title.indexOf(' ')));
    }

    static BigInteger transactionCount(Web3j web3j, String address) throws Exception {
        return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }
}
