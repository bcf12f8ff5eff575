package io.tollgate.marketplace;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.value;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider's listing editor in real headless Chromium: a listing priced in the demo dollar (on anvil), its
 * price typed in dollars-token units, stored in the token's smallest unit and shown back in its units.
 */
class ListingTokenUiTest extends ChainTestBase {
    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass(1280, 1400);

    @Test
    void aProviderPricesANewListingInTheDemoDollar() throws Exception {
        String usd = ListingTokenTest.USD;
        String token = signInAs(ListingOwnershipTest.ACME);
        HeadlessChromium.signedIn(
                uri("/").toString(), token, send("GET", "/api/me", "", token).body());

        String slug = "usd-ui-" + Long.toString(System.nanoTime(), 36);
        open(uri("/#/provider/listings/new").toString());
        $("#listing-slug").shouldBe(visible).setValue(slug);
        $("#listing-name").setValue("Dollar prices");
        $("#listing-upstream").setValue("http://upstream.test:18081");
        $("#listing-token").setValue(usd);
        $("#cat-price-0").setValue("0.001");
        $("#save-listing").click();

        $("#listing-token").shouldHave(text("USDT-demo"));
        $("#price-table").shouldHave(text("0.001 USDT-demo"), text("1000"));
        String listing = get("/api/listings/" + slug).body();
        assertThat(JsonPath.<String>read(listing, "$.token.address")).isEqualTo(usd.toLowerCase(Locale.ROOT));
        assertThat(JsonPath.<String>read(listing, "$.categories[0].priceWei")).isEqualTo("1000");

        // back in the editor the price is in the token's units, and a price finer than a micro-dollar is refused
        open(uri("/#/provider/listings/" + slug + "/edit").toString());
        $("#listing-token-unit").shouldHave(text("USDT-demo"), text("6 decimals"));
        $("#cat-price-0").shouldHave(value("0.001"));
        $("#cat-price-0").setValue("0.0000001");
        $("#save-listing").click();
        $(".error").shouldHave(text("more than 6 decimal places"));
        assertThat(JsonPath.<String>read(get("/api/listings/" + slug).body(), "$.categories[0].priceWei"))
                .isEqualTo("1000");
    }
}
