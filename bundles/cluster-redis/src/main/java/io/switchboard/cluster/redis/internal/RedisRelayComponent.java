package io.switchboard.cluster.redis.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Predicate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.Connection;
import io.switchboard.api.Group;
import io.switchboard.cluster.redis.RedisBroadcaster;
import io.switchboard.cluster.redis.RelayMonitor;
import io.switchboard.cluster.redis.RelayStatistics;

/**
 * The relay in OSGi: with a configuration of {@value #PID}, a {@link Broadcaster} service that
 * ranks above the whiteboard's and decorates it, so that handlers asking for a Broadcaster get
 * topics that span the nodes, and a {@link RelayMonitor} with its statistics. Without one,
 * nothing. A changed configuration restarts the relay.
 * Thread-safe, as the broadcaster it hands on to.
 */
@Component(configurationPid = RedisRelayComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Broadcaster.class, RelayMonitor.class},
        // Immediate: other nodes' messages are to reach the local topics before anyone here publishes.
        immediate = true,
        property = {"service.ranking:Integer=100", RedisRelayComponent.RELAY_PROPERTY + "=redis"})
@Designate(ocd = RelayConfiguration.class)
public final class RedisRelayComponent implements Broadcaster, RelayMonitor {
    static final String PID = "io.switchboard.cluster.redis";
    /** Marks a relaying Broadcaster, so that the relay binds the node's own one, never itself or another relay. */
    static final String RELAY_PROPERTY = "switchboard.broadcast.relay";
    private static final System.Logger LOG = System.getLogger(RedisRelayComponent.class.getName());

    private final RedisBroadcaster relay;

    @Activate
    public RedisRelayComponent(@Reference(target = "(!(" + RELAY_PROPERTY + "=*))") Broadcaster local,
            RelayConfiguration config) {
        try {
            relay = RedisBroadcaster.builder(local)
                    .uri(URI.create(config.uri().trim()))
                    .user(config.user())
                    .password(config._password())
                    .trustStore(config.tlsTruststore().isBlank() ? null : Path.of(config.tlsTruststore()),
                            config._tlsTruststorePassword().isEmpty() ? null : config._tlsTruststorePassword().toCharArray())
                    .channelPrefix(config.channelPrefix())
                    .topics(config.topics())
                    .queueCap(config.queueCapBytes())
                    .timeout(Duration.ofMillis(config.timeoutMillis()))
                    .maxBackoff(Duration.ofMillis(config.maxBackoffMillis()))
                    .start();
        } catch (IllegalArgumentException e) {
            // One line naming the configuration; SCR then reports the component as failed.
            LOG.log(Level.ERROR, "Configuration " + PID + " cannot be used, the relay stays off: " + e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        relay.close();
    }

    @Override
    public Group group() {
        return relay.group();
    }

    @Override
    public Group topic(String name) {
        return relay.topic(name);
    }

    @Override
    public int send(Collection<? extends Connection> connections, String text) {
        return relay.send(connections, text);
    }

    @Override
    public int send(Collection<? extends Connection> connections, ByteBuffer data) {
        return relay.send(connections, data);
    }

    @Override
    public RelayStatistics statistics() {
        return relay.statistics();
    }

    @Override
    public boolean awaitRelaying(Duration limit) throws InterruptedException {
        return relay.awaitRelaying(limit);
    }

    @Override
    public RelayStatistics awaitStatistics(Predicate<RelayStatistics> condition, Duration limit)
            throws InterruptedException {
        return relay.awaitStatistics(condition, limit);
    }
}
