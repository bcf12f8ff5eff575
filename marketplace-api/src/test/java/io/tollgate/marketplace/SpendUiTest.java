package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.attribute;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.executeJavaScript;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spend page in real headless Chromium for a consumer with an ether and a demo-dollar channel: each token's
 * figures apart and exact, the table in each line's token, one chart series per token, and a budget in dollars set
 * with the form that alerts in dollars.
 */
class SpendUiTest extends BillingTestBase {
    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass(1280, 1800);

    /** Signs {@code who} in through the API and hands the session to the page, as the sign-in page would. */
    String inBrowser(Party who) throws Exception {
        String token = signInAs(who.key());
        open(uri("/").toString());
        executeJavaScript(
                "sessionStorage.setItem('tollgate.session', JSON.stringify({token: arguments[0], address: arguments[1],"
                        + " roles: [], expiresAt: new Date(Date.now() + 600000).toISOString()}))",
                token,
                who.address());
        return token;
    }

    @Test
    void eachTokenIsShownApartExactlyAndABudgetInDollarsAlertsInDollars() throws Exception {
        Party consumer = fresh();
        Party provider = provider("spend-ui");
        dollarListing("spend-ui-dollars", "spend-ui");
        var ether = channel(consumer, provider, Wei.of(30_000_000_000_000_000L));
        var dollars = dollarChannel(consumer, provider, BigInteger.valueOf(5_000_000));
        usage("spend-ui-dollars", dollars.address(), Instant.now(), 1, 0, 3, BigInteger.valueOf(3_000));
        usage(ether.address(), Instant.now(), 1, 0, 2, price(0, 2)); // 0.000002 ETH
        catchUp(indexer(0));
        String token = inBrowser(consumer);

        open(uri("/#/spend").toString());
        $("#spent-ETH").shouldHave(text("0.000002 ETH"));
        $("#spent-USDT-demo").shouldHave(text("0.003 USDT-demo"));
        $("#spent").shouldHave(text("0.000002 ETH"), text("0.003 USDT-demo"));
        $("#requests").shouldHave(text("5"));
        $("#deposited-USDT-demo").shouldHave(text("5 USDT-demo"));
        $("#deposited-ETH").shouldHave(text("0.03 ETH"));
        $("#pending-USDT-demo").shouldHave(text("0.003 USDT-demo"));
        $("#statement tr[data-token='" + usd() + "']").shouldHave(text("spend-ui-dollars"), text("0.003 USDT-demo"));
        $("#statement tr[data-token='" + usd() + "'] .money")
                .shouldHave(attribute("title", "3000 base units of USDT-demo (" + usd() + ")"));
        $("#channels tr[data-channel='" + dollars.address() + "']").shouldHave(text("in USDT-demo"));
        $("#by-day").shouldHave(attribute("data-series", "ETH USDT-demo"));
        $("#by-category").shouldHave(attribute("data-series", "ETH USDT-demo"));

        $("#budget-token").selectOptionByValue(usd());
        $("label[for=budget-amount]").shouldHave(text("USDT-demo"));
        $("#budget-amount").setValue("0.002");
        $("#budget-period").selectOptionByValue("MONTH");
        $("#budget button[type=submit]").click();
        $("#budget-USDT-demo").shouldHave(text("0.002 USDT-demo per month"));
        $("#alerts").shouldHave(text("Over budget in USDT-demo"), text("spent 0.003 USDT-demo of 0.002 USDT-demo"));

        var budgets = send("GET", "/api/billing/budgets", "", token);
        assertThat(JsonPath.<List<String>>read(budgets.body(), "$[*].amount.units"))
                .containsExactly("2000");
        assertThat(JsonPath.<List<String>>read(budgets.body(), "$[*].token.address"))
                .containsExactly(usd());

        // the provider's revenue, per token too
        inBrowser(provider);
        open(uri("/#/provider").toString());
        $("#accepted-USDT-demo").shouldHave(text("0.003 USDT-demo"));
        $("#accepted-ETH").shouldHave(text("0.000002 ETH"));
        $("#pending-USDT-demo").shouldHave(text("0.003 USDT-demo"));
        $("#redeemed").shouldHave(text("0 ETH"), text("0 USDT-demo"));
        $("#paying-channels tr[data-channel='" + dollars.address() + "']")
                .shouldHave(attribute("data-token", usd()), text("0 USDT-demo"));
    }
}
