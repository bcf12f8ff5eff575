package io.tollgate.marketplace;

import com.codeborne.selenide.Configuration;
import com.codeborne.selenide.WebDriverRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium and chromium-driver for the UI tests (nothing downloaded), handed to Selenide: a
 * fresh profile, no background networking (this machine's network is closed), failure screenshots and page
 * sources in {@code target/selenide-reports}.
 */
final class HeadlessChromium {

    private HeadlessChromium() {}

    /** Starts a browser with a window of {@code width} × {@code height} and makes it Selenide's. */
    static ChromeDriver start(int width, int height) throws IOException {
        var options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=" + width + "," + height,
                        "--user-data-dir=" + Files.createTempDirectory("tollgate-chromium"));
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        var driver = new ChromeDriver(service, options);
        WebDriverRunner.setWebDriver(driver);
        Configuration.timeout = 10_000;
        Configuration.reportsFolder = "target/selenide-reports";
        return driver;
    }

    /**
     * Hands a session signed in through the API ({@code token}, and {@code me}, the body of {@code GET /api/me}) to
     * the page at {@code home}, as the sign-in page would.
     */
    static void signedIn(String home, String token, String me) {
        com.codeborne.selenide.Selenide.open(home);
        com.codeborne.selenide.Selenide.executeJavaScript(
                "sessionStorage.setItem('tollgate.session', JSON.stringify({token: arguments[0], address: arguments[1],"
                        + " roles: arguments[2], expiresAt: new Date(Date.now() + 600000).toISOString()}))",
                token,
                com.jayway.jsonpath.JsonPath.<String>read(me, "$.address"),
                com.jayway.jsonpath.JsonPath.read(me, "$.roles"));
    }

    /**
     * One test class's browser, as a {@code @RegisterExtension static final} field: started before the class's
     * tests, Selenide's web driver closed after them.
     */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private final int width;
        private final int height;
        private ChromeDriver driver;

        PerClass(int width, int height) {
            this.width = width;
            this.height = height;
        }

        ChromeDriver driver() {
            return driver;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            driver = start(width, height);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            WebDriverRunner.closeWebDriver();
        }
    }
}
