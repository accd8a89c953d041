package nexus.bench.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium for {@link ConsoleLoad}, from the Debian packages {@code chromium} and
 * {@code chromium-driver} named to Selenium, so Selenium Manager never runs and nothing is
 * downloaded (the same choice as the browser tests' {@code nexus.distro.Chromium}). Before any page
 * script runs, {@code instrument.js} is put into every document through the DevTools protocol: it
 * counts the stream's messages and long tasks and logs the benchmark's token in. The page's scripts
 * ({@code cold.js}, {@code timed.js}, {@code live.js}) are this package's resources.
 */
final class ConsoleBrowser implements AutoCloseable {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private final ChromeDriver chrome;

    private ConsoleBrowser(ChromeDriver chrome) {
        this.chrome = chrome;
    }

    /**
     * @param token the API token the console uses, or null for a node in open mode
     * @return a new headless browser, 1280 × 800, with an empty profile (a cold cache)
     */
    static ConsoleBrowser start(String token) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find("nexus.chromium", BROWSERS, "chromium").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--disable-extensions", "--no-first-run", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(find("nexus.chromedriver", DRIVERS, "chromium-driver").toFile())
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        try {
            chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
            String instrument = resource("instrument.js").replace("__TOKEN__", token == null ? "null" : jsString(token));
            chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", instrument));
            return new ConsoleBrowser(chrome);
        } catch (RuntimeException e) {
            chrome.quit();
            throw e;
        }
    }

    ChromeDriver driver() {
        return chrome;
    }

    /** Runs one of this package's page scripts asynchronously and answers what it passed to its callback. */
    @SuppressWarnings("unchecked")
    Map<String, Object> run(String script, Object... args) {
        Object answer = chrome.executeAsyncScript(resource(script), args);
        if (!(answer instanceof Map)) {
            throw new IllegalStateException(script + " answered " + answer + " instead of an object");
        }
        Map<String, Object> result = (Map<String, Object>) answer;
        if (result.containsKey("error")) {
            throw new IllegalStateException(script + ": " + result.get("error"));
        }
        return result;
    }

    @Override
    public void close() {
        chrome.quit();
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleBrowser.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the page script " + name + " is missing from the class path: rebuild benchmarks.jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text as a JavaScript string literal. */
    private static String jsString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static Path find(String property, List<String> candidates, String debianPackage) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (!Files.isExecutable(path)) {
                throw new IllegalArgumentException("-D" + property + "=" + given + " names no executable file");
            }
            return path;
        }
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("ConsoleLoad needs headless Chromium and its driver: install the Debian packages"
                + " chromium and chromium-driver, or name them with -D" + property + "=. Looked for " + candidates
                + " (" + debianPackage + ")");
    }
}
