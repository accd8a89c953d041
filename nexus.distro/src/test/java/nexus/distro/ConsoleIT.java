package nexus.distro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The web console in a real headless Chromium against a real node process (the {@code ./nexus}
 * script, tokens, a small registry of its own): log in and out, each page, an alarm that appears
 * live and is acknowledged, a viewer who cannot acknowledge, a tag browsed to and written, a query
 * with its plan drawn, and names with markup shown as text. Each test saves a screenshot under
 * {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final Path HOME = Path.of("target", "console-it", "home").toAbsolutePath();
    private static final String SP = "area1/tank1/level_sp";
    private static final String SP_HI = "area1/tank1/level_sp_hi";
    private static final String MARKUP = "area1/<img src=x onerror=window.pwned=1>";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NodeProcess node;
    private ChromeDriver chrome;
    private String admin;
    private String operator;
    private String viewer;

    @BeforeAll
    void start() throws IOException {
        NodeProcess.deleteRecursively(HOME.getParent());
        node = NodeProcess.withNewHome("console", HOME);
        StringBuilder tags = new StringBuilder("""
                {"path": "area1/tank1/level_sp", "type": "FLOAT32", "bank": "process", "unit": "%", "writable": true,
                 "engLow": 0, "engHigh": 100, "description": "level set-point"},
                {"path": "area1/tank1/level", "type": "FLOAT32", "bank": "process", "unit": "%", "description": "level"},
                {"path": "area1/<img src=x onerror=window.pwned=1>", "type": "BOOL", "bank": "process",
                 "description": "a name with <b>markup</b> and \\"quotes\\""}""");
        for (int i = 0; i < 2_000; i++) {
            tags.append(",\n{\"path\": \"bulk/t").append(String.format("%04d", i)).append("\", \"type\": \"INT32\", \"bank\": \"process\"}");
        }
        Path list = HOME.getParent().resolve("registry.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 16384}, {"name": "alarms", "size": 64}],
                 "tags": [%s],
                 "alarms": [{"name": "%s", "tag": "%s", "condition": "HI", "limit": 50, "deadband": 1,
                             "severity": "HIGH", "message": "set-point <b>high</b>"}]}
                """.formatted(tags, SP_HI, SP));
        Files.createDirectories(HOME.resolve("data"));
        node.registryCommand("import", list.toString(), HOME.resolve("data/registry.db").toString());
        admin = token("ada", "admin");
        operator = token("oscar", "operator");
        viewer = token("ivy", "viewer");
        writeTokens();
        node.start();
        chrome = Chromium.start();
    }

    @AfterAll
    void stop() {
        if (chrome != null) {
            chrome.quit();
        }
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void screenshot(TestInfo test) {
        Chromium.screenshot(chrome, test.getTestMethod().orElseThrow().getName());
    }

    @Test
    @Order(1)
    void aTokenLogsInAndTheUserAndRoleAreShownThenLogsOut() {
        chrome.get(url("/"));
        WebElement token = await(By.id("token"));
        token.sendKeys("not-a-token");
        chrome.findElement(By.cssSelector("#login button[type=submit]")).click();
        awaitText(By.id("login-error"), "not accepted");
        login(viewer);
        assertEquals("ivy", text(By.id("user")));
        assertTrue(text(By.id("roles")).contains("viewer"));
        assertFalse(chrome.getCurrentUrl().contains("nexus_"), "a token never goes into a URL");
        chrome.findElement(By.id("logout")).click();
        await(By.id("token"));
        assertEquals(null, script("return sessionStorage.getItem('rma-nexus.token')"));
    }

    @Test
    @Order(2)
    void theOverviewShowsHealthAlarmKpisAndBanks() {
        login(admin); // the components need the permission health, which an operator has not
        chrome.get(url("/console/#/overview"));
        await(By.cssSelector("#health tr[data-component='registry']"));
        await(By.cssSelector("#kpis [data-kpi='active']"));
        await(By.cssSelector("#banks tr[data-bank='process']"));
        assertFalse(text(By.cssSelector("#banks tr[data-bank='process'] td.sequence")).isBlank());
    }

    @Test
    @Order(3)
    void anAlarmAppearsLiveAndTheOperatorAcknowledgesIt() throws Exception {
        login(operator);
        chrome.get(url("/console/#/alarms"));
        await(By.id("alarm-count"));
        assertTrue(chrome.findElements(By.cssSelector("tr[data-alarm='" + SP_HI + "']")).isEmpty(),
                "the list shows alarms that are not NORMAL by default");
        write(admin, SP, 60); // the page is not reloaded: the change comes through the stream
        awaitText(By.cssSelector("tr[data-alarm='" + SP_HI + "'] td.state"), "UNACK_ALARM");
        click(By.cssSelector("tr[data-alarm='" + SP_HI + "'] button.ack"));
        confirmIfAsked();
        awaitText(By.cssSelector("tr[data-alarm='" + SP_HI + "'] td.state"), "ACKED_ALARM");
        assertEquals("ACKED_ALARM", api(admin, "GET", "/api/v1/alarms/" + SP_HI, null).path("state").asText());
    }

    @Test
    @Order(4)
    void aViewerCannotAcknowledge() throws Exception {
        write(admin, SP, 10);
        awaitState("NORMAL", "RTN_UNACK"); // cleared: NORMAL when it was acknowledged
        if ("RTN_UNACK".equals(api(admin, "GET", "/api/v1/alarms/" + SP_HI, null).path("state").asText())) {
            api(admin, "POST", "/api/v1/alarms/" + SP_HI + ":ack", "{\"comment\": \"test set-up\"}");
            awaitState("NORMAL");
        }
        write(admin, SP, 70); // in alarm again: UNACK_ALARM
        awaitState("UNACK_ALARM");
        login(viewer);
        chrome.get(url("/console/#/alarms"));
        awaitText(By.cssSelector("tr[data-alarm='" + SP_HI + "'] td.state"), "UNACK_ALARM");
        WebElement ack = await(By.cssSelector("tr[data-alarm='" + SP_HI + "'] button.ack"));
        assertFalse(ack.isEnabled(), "a viewer's acknowledge button is disabled");
        assertFalse(ack.getAttribute("title").isBlank(), "and says why");
        assertEquals("UNACK_ALARM", api(admin, "GET", "/api/v1/alarms/" + SP_HI, null).path("state").asText());
    }

    @Test
    @Order(5)
    void theOperatorBrowsesToATagAndWritesItSeeingOldNewAndUnit() throws Exception {
        login(operator);
        chrome.get(url("/console/#/tags"));
        await(By.cssSelector("#tree [data-folder='area1']")).click();
        await(By.cssSelector("#tree [data-folder='area1/tank1']")).click();
        WebElement row = await(By.cssSelector("tr[data-tag='" + SP + "']"));
        row.findElement(By.cssSelector("button.write")).click();
        WebElement value = await(By.id("write-value"));
        value.clear();
        value.sendKeys("42.5");
        assertTrue(text(By.id("write-unit")).contains("%"));
        chrome.findElement(By.id("write-confirm")).click();
        new WebDriverWait(chrome, WAIT).until(d -> {
            try {
                return api(admin, "GET", "/api/v1/tags/" + SP, null).path("value").asDouble() == 42.5;
            } catch (Exception e) {
                return false;
            }
        });
        awaitText(By.cssSelector("tr[data-tag='" + SP + "'] td.value"), "42.5");
    }

    @Test
    @Order(6)
    void aQueryShowsItsRowsVirtualisedAndItsPlanDrawn() {
        login(operator);
        chrome.get(url("/console/#/query"));
        WebElement sql = await(By.id("sql"));
        sql.clear();
        sql.sendKeys("SELECT id, path FROM tags WHERE path LIKE 'bulk/%' ORDER BY path");
        chrome.findElement(By.id("run")).click();
        awaitText(By.id("result-count"), "2000");
        long rendered = chrome.findElements(By.cssSelector("#results tr[data-row]")).size();
        assertTrue(rendered > 0 && rendered < 200, "only the rows in view are in the page: " + rendered);
        chrome.findElement(By.id("explain")).click();
        await(By.cssSelector("#plan svg g.bank rect.block"));
        awaitText(By.id("plan-bytes"), "read");
    }

    @Test
    @Order(7)
    void namesWithMarkupAreShownAsText() {
        login(operator);
        chrome.get(url("/console/#/tags"));
        await(By.cssSelector("#tree [data-folder='area1']")).click();
        WebElement markup = await(By.cssSelector("tr[data-tag=\"" + MARKUP + "\"]"));
        assertTrue(markup.getText().contains("<img src=x onerror=window.pwned=1>"), markup.getText());
        assertTrue(chrome.findElements(By.cssSelector("main img")).isEmpty(), "no element was made from the name");
        assertEquals(null, script("return window.pwned === undefined ? null : window.pwned"));
    }

    // ---- defects found by the console review (h-catk): each fails until the console is fixed

    @Test
    @Order(20)
    void aPastedTokenHttpCannotCarryIsRefusedAtTheLoginFormNotLockingTheTab() {
        chrome.get(url("/"));
        script("sessionStorage.clear()");
        chrome.get(url("/"));
        try {
            // The form's own placeholder ends in '…' (U+2026): a header cannot carry it, fetch throws a
            // TypeError before any request, and the page reads it as "the node cannot be reached".
            await(By.id("token")).sendKeys("nexus_abc\u2026def");
            chrome.findElement(By.cssSelector("#login button[type=submit]")).click();
            awaitText(By.id("login-error"), "token");
            chrome.navigate().refresh();
            await(By.id("token")); // a reload offers the form again: the tab is not stuck on an error
        } finally {
            script("sessionStorage.clear()");
        }
    }

    @Test
    @Order(21)
    void aHashNamingNoPageShowsTheOverviewEvenWhenItIsAnObjectProperty() {
        login(viewer);
        chrome.get(url("/console/#/constructor"));
        await(By.cssSelector("#overview #kpis"));
        assertFalse(pageText().contains("could not be shown"), pageText());
    }

    @Test
    @Order(22)
    void explainOfAQueryAnswering10000TagsDrawsItsPlan() {
        login(operator);
        chrome.get(url("/console/#/query"));
        await(By.id("sql"));
        // What the Query page does for a 10,000-row answer (the row cap): the layout of every id is asked
        // in one POST /api/v1/query whose body outgrows the API's 64 KiB body limit (413).
        Object outcome = ((JavascriptExecutor) chrome).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/console/js/plan.js').then(({explain}) => explain(
                    "SELECT id FROM tags WHERE path LIKE 'bulk/%'", Array.from({length: 10000}, (_, i) => 100000 + i)))
                  .then((e) => done('drawn ' + e.plan.tags), (e) => done('failed: ' + e));
                """);
        assertTrue(String.valueOf(outcome).startsWith("drawn"), String.valueOf(outcome));
    }

    /**
     * Last on purpose: it makes the node refuse this address for a minute (429 after 10 failed
     * authentications). The page then keeps the wrong token, shows "The node cannot tell who you
     * are ... (TOO_MANY_FAILURES, HTTP 429)" and no login form, also after a reload.
     */
    @Test
    @Order(99)
    void aLoginRefusedForTooManyFailuresKeepsTheLoginFormAndSaysWhenToTryAgain() {
        chrome.get(url("/"));
        script("sessionStorage.clear()");
        chrome.get(url("/"));
        try {
            for (int i = 0; i < 11; i++) {
                WebElement field = await(By.id("token"));
                field.clear();
                field.sendKeys("nexus_wrong" + i);
                chrome.findElement(By.cssSelector("#login button[type=submit]")).click();
                new WebDriverWait(chrome, WAIT).until(d -> !d.findElements(By.id("login-error")).isEmpty()
                        || pageText().contains("cannot tell who you are"));
            }
            awaitText(By.id("login-error"), "try again");
            assertEquals(null, script("return sessionStorage.getItem('rma-nexus.token')"), "a refused token is not kept");
        } finally {
            script("sessionStorage.clear()");
        }
    }

    // ---- helpers

    private void login(String token) {
        chrome.get(url("/"));
        script("sessionStorage.clear()"); // whoever was logged in: gone before the page asks who it is
        chrome.get(url("/"));
        WebElement field = await(By.id("token"));
        field.sendKeys(token);
        chrome.findElement(By.cssSelector("#login button[type=submit]")).click();
        await(By.id("user"));
    }

    private void confirmIfAsked() {
        List<WebElement> ok = chrome.findElements(By.cssSelector(".dialog button.confirm, #ack-confirm"));
        if (!ok.isEmpty() && ok.get(0).isDisplayed()) {
            ok.get(0).click();
        }
    }

    /** Clicks what the selector finds, again if the page redrew it in between (live rows are redrawn). */
    private void click(By by) {
        new WebDriverWait(chrome, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private void awaitState(String... states) {
        new WebDriverWait(chrome, WAIT).until(d -> {
            try {
                return List.of(states).contains(api(admin, "GET", "/api/v1/alarms/" + SP_HI, null).path("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
    }

    private WebElement await(By by) {
        return new WebDriverWait(chrome, WAIT).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private void awaitText(By by, String text) {
        new WebDriverWait(chrome, WAIT).withMessage(() -> by + " never showed '" + text + "'; page: " + pageText())
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until((Function<WebDriver, Boolean>) d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
    }

    private String pageText() {
        try {
            return chrome.findElement(By.tagName("main")).getText();
        } catch (RuntimeException e) {
            return "(none)";
        }
    }

    private String text(By by) {
        return await(by).getText();
    }

    private Object script(String js) {
        return ((JavascriptExecutor) chrome).executeScript(js);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + node.port() + path;
    }

    private void write(String token, String path, double value) throws Exception {
        api(token, "PUT", "/api/v1/tags/" + path, "{\"value\": " + value + "}");
    }

    private JsonNode api(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    // ---- tokens, written into etc/tokens.json before the first start as an admin of the machine would

    private final SecureRandom random = new SecureRandom();
    private final StringBuilder tokenLines = new StringBuilder();

    private String token(String name, String role) {
        String id = base64url(9);
        String token = "nexus_" + id + base64url(32);
        String line = "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"roles\":[\"" + role + "\"],\"sha256\":\"" + sha256(token)
                + "\",\"created\":\"" + Instant.now() + "\",\"createdBy\":\"console-it\"}";
        tokenLines.append(tokenLines.length() == 0 ? "\n    " : ",\n    ").append(line);
        return token;
    }

    private void writeTokens() throws IOException {
        Files.writeString(HOME.resolve("etc/tokens.json"), "{\n  \"format\": 1,\n  \"tokens\": [" + tokenLines + "\n  ]\n}\n");
    }

    private String base64url(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
