package io.switchboard.testing;

import java.net.URI;
import java.time.Duration;

/**
 * The endpoint that {@code SwitchboardOptions} (package {@code io.switchboard.testing.osgi})
 * configures in the framework of a Pax Exam test: {@value #HOST}, on a free port that the test
 * JVM chose and passed in the system property {@value #PORT_PROPERTY}. A test in the framework
 * reaches a route through it:
 *
 * <pre>{@code
 * URI hello = TestEndpoint.awaitRoute("/hello");   // once the handler's component is bound
 * try (JdkWebSocketClient client = JdkWebSocketClient.connect(hello)) { ... }
 * }</pre>
 *
 * <p>Stateless: any thread may call it.
 */
public final class TestEndpoint {
    /** The system property that holds the port; empty when the options configure no endpoint. */
    public static final String PORT_PROPERTY = "io.switchboard.testing.endpoint.port";
    /** The address it listens on: loopback only. */
    public static final String HOST = "127.0.0.1";
    /** Its name, the {@code name} property of its factory configuration of {@code io.switchboard.endpoint}. */
    public static final String NAME = "testing";

    private TestEndpoint() {
    }

    /** The port it listens on; fails if the test was not provisioned with an endpoint. */
    public static int port() {
        String port = System.getProperty(PORT_PROPERTY, "");
        if (port.isBlank()) {
            throw new IllegalStateException("no test endpoint: the system property " + PORT_PROPERTY
                    + " is not set (provision the framework with SwitchboardOptions.switchboard())");
        }
        return Integer.parseInt(port.trim());
    }

    /** The {@code ws://} URI of {@code path} ("/hello") on it. */
    public static URI uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/': " + path);
        }
        return URI.create("ws://" + HOST + ":" + port() + path);
    }

    /**
     * Waits until a handler serves {@code path} on it, within {@link JdkWebSocketClient#DEFAULT_TIMEOUT}
     * (see {@link RouteProbe}), and returns the route's URI.
     */
    public static URI awaitRoute(String path) {
        return awaitRoute(path, JdkWebSocketClient.DEFAULT_TIMEOUT);
    }

    /** Waits until a handler serves {@code path} on it, within {@code timeout}, and returns the route's URI. */
    public static URI awaitRoute(String path, Duration timeout) {
        URI route = uri(path);
        RouteProbe.awaitServed(route, timeout);
        return route;
    }
}
