package io.switchboard.examples.jakartachat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;

/**
 * Headless Chromium sessions chat through the page: two in one room, one in another room that
 * hears none of it; then the server goes away and comes back, and the page reconnects and joins
 * again by itself. Needs Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs: without them this test fails.
 */
class ChatBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private JakartaEndpoints endpoints;
    private WebSocketServer server;

    @BeforeAll
    static void browserIsInstalled() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ChatBrowserTest needs " + CHROMIUM + " and " + CHROMEDRIVER + ": install them with "
                        + "'apt-get install chromium chromium-driver' (as .ci/run does)");
    }

    @AfterEach
    void tearDown() throws IOException {
        drivers.forEach(WebDriver::quit);
        stopServer();
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private void startServer(int port) throws Exception {
        endpoints = JakartaEndpoints.builder().add(ChatEndpoint.config(new ChatRooms())).build();
        server = WebSocketServer.builder().name("jakarta-chat-browser").host("127.0.0.1").port(port)
                .router(endpoints).httpHandler(new ChatPage()).start();
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            endpoints.close();
            server = null;
        }
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("jakarta-chat-chromium-");
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

    /** Waits until the log holds {@code line} at least {@code times} times. */
    private static void awaitLine(WebDriver driver, String line, int times) {
        waiting(driver).withMessage(() -> "'" + line + "' x" + times + " in " + log(driver))
                .until(d -> log(d).stream().filter(line::equals).count() >= times);
    }

    private static void awaitState(WebDriver driver, String... states) {
        List<String> wanted = List.of(states);
        waiting(driver).withMessage(() -> "state in " + wanted + ", log " + log(driver))
                .until(d -> wanted.contains(d.findElement(By.id("state")).getAttribute("data-state")));
    }

    private static WebDriver open(WebDriver driver, String page, String nickname) {
        driver.get(page);
        awaitState(driver, "open");
        WebElement nick = driver.findElement(By.id("nick"));
        nick.sendKeys(nickname);
        driver.findElement(By.id("join")).click();
        waiting(driver).until(d -> d.findElement(By.id("message")).isEnabled());
        return driver;
    }

    private static void say(WebDriver driver, String text) {
        driver.findElement(By.id("message")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    @Test
    void browsersChatInTheirRoomsAndThePageRejoinsAfterARestart() throws Exception {
        startServer(0);
        int port = server.port();
        String base = "http://127.0.0.1:" + port + "/jakarta-chat";

        WebDriver alice = open(browser(), base, "alice");
        assertEquals("lobby", alice.findElement(By.id("room-name")).getText(), "the default room");
        awaitLine(alice, "* you are alice; online: alice", 1);
        WebDriver bob = open(browser(), base + "?room=lobby", "bob");
        awaitLine(bob, "* you are bob; online: alice, bob", 1);
        awaitLine(alice, "* bob joined", 1);
        WebDriver carol = open(browser(), base + "?room=kitchen", "carol");
        awaitLine(carol, "* you are carol; online: carol", 1);

        say(alice, "hello bob");
        awaitLine(bob, "alice: hello bob", 1);
        say(bob, "hi <b>alice</b> & \"all\"");
        awaitLine(alice, "bob: hi <b>alice</b> & \"all\"", 1);
        assertTrue(alice.findElements(By.cssSelector("#log b")).isEmpty(), "user text is not parsed as HTML");
        say(carol, "in the kitchen");
        awaitLine(carol, "carol: in the kitchen", 1);
        // The kitchen's line went before this one in carol's room only: the lobby's next line is bob's.
        say(bob, "after the kitchen");
        awaitLine(alice, "bob: after the kitchen", 1);
        assertFalse(log(alice).contains("carol: in the kitchen"), "another room's line: " + log(alice));

        bob.quit();
        drivers.remove(bob);
        awaitLine(alice, "* bob left", 1);

        stopServer();
        awaitState(alice, "closed", "connecting");
        assertFalse(alice.findElement(By.id("message")).isEnabled(), "no sending while disconnected");
        startServer(port);
        // The page rejoins under its nickname by itself.
        awaitLine(alice, "* you are alice; online: alice", 2);
        waiting(alice).until(d -> d.findElement(By.id("message")).isEnabled());
        say(alice, "back again");
        awaitLine(alice, "alice: back again", 1);
    }
}
