package nexus.distro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the web console's browser tests, from the distribution's packages
 * ({@code chromium} and {@code chromium-driver} on Debian): the browser and the driver are named
 * to Selenium, so Selenium Manager never runs and nothing is downloaded. Without them the tests
 * fail saying what to install; they are never skipped ({@code .ci/run} installs them when it can).
 * The paths can be given as {@code -Dnexus.chromium=} and {@code -Dnexus.chromedriver=}.
 */
final class Chromium {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Chromium() {
    }

    /** @return a new headless browser, 1280 × 800 */
    static ChromeDriver start() {
        Path browser = find("nexus.chromium", BROWSERS, "chromium");
        Path driver = find("nexus.chromedriver", DRIVERS, "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--disable-extensions", "--no-first-run", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return chrome;
    }

    /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}, for a reviewer. */
    static void screenshot(ChromeDriver chrome, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) chrome).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot " + name, e);
        }
    }

    private static Path find(String property, List<String> candidates, String debianPackage) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (!Files.isExecutable(path)) {
                throw new AssertionError("-D" + property + "=" + given + " names no executable file");
            }
            return path;
        }
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("the web console's browser tests need headless Chromium and its driver: install the"
                + " Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does"
                + " this when it can), or name them with -Dnexus.chromium= and -Dnexus.chromedriver=. Looked for "
                + candidates + " (" + debianPackage + ")");
    }
}
