package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.endpoint.WebSocketServer;

/**
 * permessage-deflate with the browser that most users have: headless Chromium offers the
 * extension, the server accepts it, and a large message goes both ways compressed and intact.
 */
class DeflateBrowserTest {
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>waiting</title>
            <script>
            const ws = new WebSocket('ws://' + location.host + '/echo');
            const sent = 'Grüße, 你好 '.repeat(20000);
            ws.onopen = () => ws.send(sent);
            ws.onmessage = e => { document.title = ws.extensions + '|' + (e.data === sent) + '|' + e.data.length; };
            ws.onerror = () => { document.title = 'error'; };
            </script>
            """;

    @Test
    void chromiumNegotiatesDeflateAndALargeMessageRoundTrips() throws Exception {
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }
        };
        Path profile = Files.createTempDirectory("deflate-chromium-");
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).perMessageDeflate(true)
                .route("/echo", echo)
                .httpHandler(request -> HttpResponse.of(200, "text/html; charset=utf-8", PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        WebDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        try {
            driver.get("http://127.0.0.1:" + server.port() + "/page");
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !"waiting".equals(d.getTitle()));
            String[] result = driver.getTitle().split("\\|");
            assertTrue(result[0].startsWith("permessage-deflate"), "negotiated: " + driver.getTitle());
            assertEquals("true", result[1], "the echo equals what was sent: " + driver.getTitle());
        } finally {
            driver.quit();
            server.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
