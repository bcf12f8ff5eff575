package io.tollgate.marketplace;

import static com.codeborne.selenide.CollectionCondition.size;
import static com.codeborne.selenide.CollectionCondition.sizeGreaterThanOrEqual;
import static com.codeborne.selenide.Condition.matchText;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;

import com.codeborne.selenide.WebDriverRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/** The catalogue page in real headless Chromium (Debian's chromium and chromium-driver; nothing downloaded). */
class CatalogueUiTest extends MarketplaceTestBase {
    static ChromeDriver driver;

    @BeforeAll
    static void browser() throws Exception {
        driver = HeadlessChromium.start(1280, 900);
    }

    @AfterAll
    static void close() {
        WebDriverRunner.closeWebDriver();
    }

    @Test
    void showsTheListingsWithTheirPricesAndFiltersThem() throws Exception {
        open(uri("/").toString());
        // other tests add listings to the same database: check the demo's, whatever else is there
        $$("#listings tbody tr").shouldHave(sizeGreaterThanOrEqual(2));
        $("#listings tbody tr[data-listing='weather']").shouldHave(text("current: 0.000001 ETH"));
        $("#listings tbody tr[data-listing='quotes']").shouldHave(text("translate: 0.000004 ETH"));
        $("#status").shouldHave(matchText("\\d+ listing\\(s\\)\\."));
        screenshot("catalogue.png");

        $("#query").setValue("quotient");
        $$("#listings tbody tr").shouldHave(size(1));
        $("#listings tbody tr").shouldHave(text("Market quotes"));
        $("label[for='query']").shouldHave(text("Search listings"));
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }
}
