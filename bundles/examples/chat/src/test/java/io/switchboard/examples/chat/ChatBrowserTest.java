package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;

/**
 * Two headless Chromium sessions chat through the page the server serves; then the server goes
 * away and comes back, and the page reconnects by itself. Needs Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs: without them this test fails.
 */
class ChatBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private WebSocketServer server;

    @BeforeAll
    static void browserIsInstalled() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ChatBrowserTest needs " + CHROMIUM + " and " + CHROMEDRIVER + ": install them with "
                        + "'apt-get install chromium chromium-driver' (as .ci/run does)");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (WebDriver driver : drivers) {
            driver.quit();
        }
        if (server != null) {
            server.stop();
        }
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static WebSocketServer startServer(int port) throws IOException {
        return WebSocketServer.builder().name("chat-browser").host("127.0.0.1").port(port)
                .route("/chat", new ChatHandler(new Broadcasts())).httpHandler(new ChatPage()).start();
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("chat-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=900,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        return driver;
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, WAIT);
    }

    private static List<String> log(WebDriver driver) {
        return driver.findElements(By.cssSelector("#log li")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
    }

    private static String state(WebDriver driver) {
        return driver.findElement(By.id("state")).getAttribute("data-state");
    }

    /** Waits until the log holds {@code line} at least {@code times} times. */
    private static void awaitLine(WebDriver driver, String line, int times) {
        ExpectedCondition<Boolean> seen = d -> log(d).stream().filter(line::equals).count() >= times;
        waiting(driver).withMessage(() -> "'" + line + "' x" + times + " in " + log(driver)).until(seen);
    }

    private static void awaitState(WebDriver driver, String... states) {
        List<String> wanted = List.of(states);
        waiting(driver).withMessage(() -> "state in " + wanted + ", log " + log(driver))
                .until(d -> wanted.contains(state(d)));
    }

    private static void join(WebDriver driver, String nickname) {
        WebElement nick = driver.findElement(By.id("nick"));
        nick.clear();
        nick.sendKeys(nickname);
        driver.findElement(By.id("join")).click();
        waiting(driver).until(d -> d.findElement(By.id("message")).isEnabled());
    }

    private static void say(WebDriver driver, String text) {
        WebElement message = driver.findElement(By.id("message"));
        message.sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    @Test
    void twoBrowsersChatAndThePageReconnectsAfterARestart() throws IOException {
        server = startServer(0);
        int port = server.port();
        String page = "http://127.0.0.1:" + port + "/";

        WebDriver alice = browser();
        alice.get(page);
        awaitState(alice, "open");
        assertEquals("open", alice.findElement(By.id("state")).getText());
        join(alice, "alice");
        awaitLine(alice, "* alice joined", 1);

        WebDriver bob = browser();
        bob.get(page);
        awaitState(bob, "open");
        join(bob, "bob");
        awaitLine(bob, "* bob joined", 1);
        awaitLine(alice, "* bob joined", 1);

        say(alice, "hello bob");
        awaitLine(bob, "alice: hello bob", 1);
        awaitLine(alice, "alice: hello bob", 1);
        say(bob, "hi <b>alice</b> & all");
        awaitLine(alice, "bob: hi <b>alice</b> & all", 1);
        assertTrue(alice.findElements(By.cssSelector("#log b")).isEmpty(), "user text is not parsed as HTML");

        bob.quit();
        drivers.remove(bob);
        awaitLine(alice, "* bob left", 1);

        server.stop();
        awaitState(alice, "closed", "connecting");
        assertFalse(alice.findElement(By.id("message")).isEnabled(), "no sending while disconnected");

        server = startServer(port);
        awaitState(alice, "open");
        // The page rejoins under its nickname by itself.
        awaitLine(alice, "* alice joined", 2);
        waiting(alice).until(d -> d.findElement(By.id("message")).isEnabled());
        say(alice, "back again");
        awaitLine(alice, "alice: back again", 1);

        Path screenshot = Path.of("target", "chat-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        File taken = ((ChromeDriver) alice).getScreenshotAs(OutputType.FILE);
        Files.copy(taken.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(screenshot) > 0);
    }
}
