package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * TestEndpoint on a plain class path (this test's, which has the OSGi API but no framework): a
 * defined answer at once rather than a wait for a service that cannot come.
 */
class TestEndpointOutsideAFrameworkTest {

    @Test
    void saysAtOnceThatThereIsNoFramework() {
        long start = System.nanoTime();
        IllegalStateException port = assertThrows(IllegalStateException.class, TestEndpoint::port);
        assertTrue(port.getMessage().contains("outside an OSGi framework"), port.getMessage());
        IllegalStateException route = assertThrows(IllegalStateException.class,
                () -> TestEndpoint.awaitRoute("/hello", Duration.ofSeconds(30)));
        assertTrue(route.getMessage().contains("outside an OSGi framework"), route.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                "it did not wait for the timeout");
    }

    @Test
    void refusesAPathWithoutItsSlashFirst() {
        assertThrows(IllegalArgumentException.class, () -> TestEndpoint.uri("hello"));
        assertThrows(IllegalArgumentException.class, () -> TestEndpoint.awaitRoute("hello"));
    }
}
