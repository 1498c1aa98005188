package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.switchboard.testing.RedisServer;

/**
 * The chat example across nodes: two launched Switchboard processes on two ports, each with the
 * Redis relay turned on by a file in its etc/, sharing one real redis-server; one headless
 * Chromium per node. Each browser sees the other's lines and its join and leave notices.
 */
class ChatAcrossNodesIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;
    private RedisServer redis;
    private final List<LaunchedSwitchboard> nodes = new ArrayList<>();
    private final List<WebDriver> drivers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        drivers.forEach(WebDriver::quit);
        nodes.forEach(LaunchedSwitchboard::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoBrowsersOnTwoNodesSeeEachOthersLinesAndNotices() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver, as .ci/run does)");
        redis = RedisServer.start();
        String first = node("first");
        String second = node("second");

        WebDriver alice = browser(first);
        join(alice, "alice");
        awaitLine(alice, "* alice joined");
        WebDriver bob = browser(second);
        join(bob, "bob");
        awaitLine(bob, "* bob joined");
        awaitLine(alice, "* bob joined");

        say(alice, "hello from the first node");
        awaitLine(bob, "alice: hello from the first node");
        say(bob, "hello from the second");
        awaitLine(alice, "bob: hello from the second");

        bob.quit();
        drivers.remove(bob);
        awaitLine(alice, "* bob left");
    }

    /**
     * Launches a node whose etc/ turns the relay on, and returns its chat page once the node
     * listens, publishes and is subscribed.
     */
    private String node(String name) throws Exception {
        Path folder = root.resolve(name);
        Files.createDirectories(folder.resolve("etc"));
        Files.writeString(folder.resolve("etc").resolve("io.switchboard.cluster.redis.cfg"),
                "uri = " + redis.uri() + "\n");
        int port = LaunchedSwitchboard.freePort();
        LaunchedSwitchboard node = LaunchedSwitchboard.start(folder, "--port", String.valueOf(port));
        nodes.add(node);
        node.awaitLine("Switchboard is listening on port " + port);
        node.awaitLineContaining("Publishing broadcasts to " + redis.uri(), 0);
        node.awaitLineContaining("Receiving other nodes' broadcasts through " + redis.uri(), 0);
        return "http://127.0.0.1:" + port + "/";
    }

    private WebDriver browser(String page) throws IOException {
        Path profile = Files.createTempDirectory(root, "chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        driver.get(page);
        new WebDriverWait(driver, WAIT).until(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")));
        return driver;
    }

    private static void join(WebDriver driver, String nickname) {
        driver.findElement(By.id("nick")).sendKeys(nickname);
        driver.findElement(By.id("join")).click();
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("message")).isEnabled());
    }

    private static void say(WebDriver driver, String text) {
        driver.findElement(By.id("message")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private static void awaitLine(WebDriver driver, String line) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "'" + line + "' in " + log(driver))
                .until(d -> log(d).contains(line));
    }

    private static List<String> log(WebDriver driver) {
        return driver.findElements(By.cssSelector("#log li")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
    }
}
