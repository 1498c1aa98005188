package io.switchboard.testing;

import java.net.URI;
import java.time.Duration;

import io.switchboard.testing.internal.WhiteboardWait;

/**
 * The endpoint that {@code SwitchboardOptions} (package {@code io.switchboard.testing.osgi})
 * configures in the framework of a Pax Exam test: {@value #HOST}, on port 0, so that it binds a
 * free port itself. A test in the framework learns the port from the endpoint's service and
 * reaches a route through it:
 *
 * <pre>{@code
 * URI hello = TestEndpoint.awaitRoute("/hello");   // once the handler's component is bound
 * try (JdkWebSocketClient client = JdkWebSocketClient.connect(hello)) { ... }
 * }</pre>
 *
 * <p>Only inside the framework: it asks the framework's services, and fails with an
 * {@link IllegalStateException} on a plain class path. Stateless: any thread may call it.
 */
public final class TestEndpoint {
    /**
     * The property that has the testing bundle configure the endpoint when it starts, {@code true}
     * or {@code false}: {@code SwitchboardOptions} sets it, as a system property.
     */
    public static final String ENDPOINT_PROPERTY = "io.switchboard.testing.endpoint";
    /** The address it listens on: loopback only. */
    public static final String HOST = "127.0.0.1";
    /** Its name, the {@code name} property of its factory configuration of {@code io.switchboard.endpoint}. */
    public static final String NAME = "testing";

    private TestEndpoint() {
    }

    /**
     * The port it listens on, once it runs, within {@link JdkWebSocketClient#DEFAULT_TIMEOUT}; fails
     * the test with why it did not start (its component's failure, if there was one) if it does not.
     */
    public static int port() {
        return inFramework(JdkWebSocketClient.DEFAULT_TIMEOUT).port(NAME);
    }

    /** The {@code ws://} URI of {@code path} ("/hello") on it, once it runs (see {@link #port()}). */
    public static URI uri(String path) {
        checkPath(path);
        return uri(port(), path);
    }

    /**
     * Waits until a handler serves {@code path} on it, within {@link JdkWebSocketClient#DEFAULT_TIMEOUT},
     * and returns the route's URI: see {@link #awaitRoute(String, Duration)}.
     */
    public static URI awaitRoute(String path) {
        return awaitRoute(path, JdkWebSocketClient.DEFAULT_TIMEOUT);
    }

    /**
     * Waits until the endpoint runs and the whiteboard reports a handler service bound to
     * {@code path} on it, within {@code timeout}, and returns the route's URI; fails the test with
     * what the whiteboard reports of the path's handlers if not. It asks the whiteboard's runtime
     * information, not the endpoint: the handler sees no probe connection, and an HTTP handler on
     * the same path (a page for browsers) does not stand in the way.
     */
    public static URI awaitRoute(String path, Duration timeout) {
        checkPath(path);
        WhiteboardWait whiteboard = inFramework(timeout);
        int port = whiteboard.port(NAME);
        whiteboard.awaitBound(NAME, path);
        return uri(port, path);
    }

    /** A wait through the framework this class is in, if it is configured with the endpoint. */
    private static WhiteboardWait inFramework(Duration timeout) {
        WhiteboardWait whiteboard;
        try {
            whiteboard = WhiteboardWait.within(TestEndpoint.class, timeout);
        } catch (NoClassDefFoundError noOsgi) {
            whiteboard = null;
        }
        if (whiteboard == null) {
            throw new IllegalStateException("no test endpoint outside an OSGi framework: TestEndpoint is for"
                    + " tests that run in a framework provisioned with SwitchboardOptions.switchboard()");
        }
        if (!whiteboard.property(ENDPOINT_PROPERTY)) {
            throw new IllegalStateException("no test endpoint: the property " + ENDPOINT_PROPERTY + " is not true"
                    + " (provision the framework with SwitchboardOptions.switchboard(), not withoutEndpoint())");
        }
        return whiteboard;
    }

    private static void checkPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/': " + path);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("ws://" + HOST + ":" + port + path);
    }
}
