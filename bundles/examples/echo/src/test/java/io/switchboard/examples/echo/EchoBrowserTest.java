package io.switchboard.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.WebSocketServer;

/**
 * The echo page in headless Chromium: it connects to {@code /echo} on its own host, echoes what
 * is typed, shows a close from the server with its code and reason, reconnects when asked, closes
 * from the page, and shows the endpoint stopping as 1001. Needs Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs: without them this test fails. It leaves
 * a screenshot of the page in {@code target/echo-screenshot.png}.
 */
class EchoBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private WebDriver browser;
    private Path profile;
    private WebSocketServer server;

    @BeforeAll
    static void browserIsInstalled() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "EchoBrowserTest needs " + CHROMIUM + " and " + CHROMEDRIVER + ": install them with "
                        + "'apt-get install chromium chromium-driver' (as .ci/run does)");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private WebDriver startBrowser() throws IOException {
        profile = Files.createTempDirectory("echo-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=900,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The text of the log's entries of one kind (sent, echo, notice), as the page put it there. */
    private List<String> log(String kind) {
        return browser.findElements(By.cssSelector("#log li." + kind)).stream()
                .map(item -> item.getDomProperty("textContent")).collect(Collectors.toList());
    }

    private String state() {
        return browser.findElement(By.id("state")).getAttribute("data-state");
    }

    private String stateText() {
        return browser.findElement(By.id("state")).getText();
    }

    private void awaitState(String state) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "state " + state + ", was " + state() + " (" + stateText() + ")")
                .until(d -> state.equals(state()));
    }

    /** Types {@code text}, sends it, and waits until its echo is the last entry of the log. */
    private void echo(String text) {
        WebElement message = browser.findElement(By.id("message"));
        message.sendKeys(text);
        browser.findElement(By.id("send")).click();
        new WebDriverWait(browser, WAIT).withMessage(() -> "the echo of '" + text + "' in " + log("echo"))
                .until(d -> {
                    List<String> echoes = log("echo");
                    return !echoes.isEmpty() && echoes.get(echoes.size() - 1).equals(text);
                });
        assertEquals(text, log("sent").get(log("sent").size() - 1));
        assertEquals("", message.getDomProperty("value"), "the input is cleared after sending");
    }

    private void assertSendingIs(boolean enabled) {
        assertEquals(enabled, browser.findElement(By.id("message")).isEnabled());
        assertEquals(enabled, browser.findElement(By.id("send")).isEnabled());
        assertEquals(!enabled, browser.findElement(By.id("connect")).isEnabled(), "Reconnect while closed only");
    }

    private static WebSocketServer startServer(int port) throws IOException {
        return WebSocketServer.builder().name("echo-browser").host("127.0.0.1").port(port)
                .route("/echo", new EchoHandler()).httpHandler(new EchoPage()).start();
    }

    @Test
    void thePageEchoesShowsEachCloseWithItsCodeAndReconnects() throws IOException {
        server = startServer(0);
        browser = startBrowser();
        browser.get("http://127.0.0.1:" + server.port() + "/echo");
        awaitState("open");
        assertEquals("open", stateText());
        assertEquals("ws://127.0.0.1:" + server.port() + "/echo", browser.findElement(By.id("url")).getText());
        assertSendingIs(true);

        echo("hello echo");
        echo("<b>not bold</b> & ünïcödé ✓");
        assertTrue(browser.findElements(By.cssSelector("#log b")).isEmpty(), "echoed text is not parsed as HTML");

        // The server closes the connection: the page shows the code and the reason it was given.
        List<ConnectionInfo> connections = server.connections();
        assertEquals(1, connections.size(), connections.toString());
        assertTrue(server.close(connections.get(0).id(), 4000, "closed by the test"));
        awaitState("closed");
        assertEquals("closed: 4000 closed by the test", stateText());
        assertSendingIs(false);

        browser.findElement(By.id("connect")).click();
        awaitState("open");
        echo("after a reconnect");

        // The page closes with 1000: the browser reports the server's answering close frame,
        // which repeats the code (RFC 6455 §5.5.1) but not the page's reason.
        browser.findElement(By.id("disconnect")).click();
        awaitState("closed");
        assertEquals("closed: 1000", stateText());

        // The endpoint stops: every connection gets 1001, and the page can come back once it is up again.
        browser.findElement(By.id("connect")).click();
        awaitState("open");
        int port = server.port();
        server.stop();
        awaitState("closed");
        String stopped = stateText();
        assertTrue(stopped.startsWith("closed: 1001"), stopped);
        assertSendingIs(false);

        server = startServer(port);
        browser.findElement(By.id("connect")).click();
        awaitState("open");
        echo("back again");
        assertEquals(List.of("closed: 4000 closed by the test", "closed: 1000", stopped),
                log("notice"), "one notice per close, in order");
        assertEquals(List.of("hello echo", "<b>not bold</b> & ünïcödé ✓", "after a reconnect", "back again"), log("echo"));

        Path screenshot = Path.of("target", "echo-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
