package io.switchboard.cluster.redis;

import java.time.Duration;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a relay reports: its {@link RelayStatistics}, and waits for its connections. A {@link
 * RedisBroadcaster} is one; in OSGi the relay registers one as a service beside its Broadcaster.
 * Thread-safe.
 */
@ProviderType
public interface RelayMonitor {

    RelayStatistics statistics();

    /**
     * Waits until this node both publishes and is subscribed; false if not within the time. A
     * message sent to a topic is relayed to the nodes that are subscribed when Redis receives it.
     */
    boolean awaitRelaying(Duration limit) throws InterruptedException;

    /**
     * Waits until the statistics satisfy the condition, looking again whenever a connection goes
     * up or down, a failure is reported or messages are relayed (the other counters alone do not
     * wake it); returns the statistics that did, or the last ones read when the time ran out.
     */
    RelayStatistics awaitStatistics(Predicate<RelayStatistics> condition, Duration limit) throws InterruptedException;
}
