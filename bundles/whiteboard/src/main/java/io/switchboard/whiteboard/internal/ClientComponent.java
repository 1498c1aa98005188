package io.switchboard.whiteboard.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.whiteboard.SwitchboardClient;
import io.switchboard.whiteboard.WhiteboardConstants;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;

/**
 * Registers the {@link SwitchboardClient} service as a {@link ServiceFactory}: each bundle gets a
 * {@link BundleClient} of its own, whose connections are closed with 1001 when the bundle lets the
 * service go. It holds the configuration's settings (replaced whole when the configuration
 * changes, read by each connect) and the client's own loop for when no endpoint runs.
 *
 * <p>Any thread: the framework calls {@link #getService} and {@link #ungetService} from the
 * bundles' threads, the component runtime the life cycle methods one at a time.
 */
@Component(configurationPid = WhiteboardConstants.CLIENT_PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ClientConfiguration.class)
public final class ClientComponent implements ServiceFactory<SwitchboardClient> {
    private static final System.Logger LOG = System.getLogger(ClientComponent.class.getName());

    private final HandlerRegistry registry;
    private final Set<BundleClient> bundles = ConcurrentHashMap.newKeySet();
    private final ServiceRegistration<SwitchboardClient> registration;
    private volatile ClientConfiguration configuration;
    /** Configurations applied since activation; changed by the component runtime only. */
    private long applied;
    /** The client's own loop, started by the first connect made while no endpoint runs; then kept until deactivation. */
    private WebSocketClient ownLoops;
    private boolean deactivated;

    @Activate
    public ClientComponent(@Reference HandlerRegistry registry, BundleContext context, ClientConfiguration configuration)
            throws IOException {
        this.registry = registry;
        try {
            builder(configuration);
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, "Rejected " + WhiteboardConstants.CLIENT_PID + ": " + e + "; no SwitchboardClient service");
            throw e;
        }
        this.configuration = configuration;
        registry.attachClient(this);
        registration = context.registerService(SwitchboardClient.class, this, properties());
    }

    /** A configuration that cannot be used is logged in one line and leaves the settings as they were. */
    @Modified
    void modified(ClientConfiguration next) {
        try {
            builder(next);
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, "Rejected " + WhiteboardConstants.CLIENT_PID + ": " + e
                    + "; the client keeps its settings as they were");
            return;
        }
        configuration = next;
        applied++;
        registration.setProperties(properties());
    }

    private Hashtable<String, Object> properties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WhiteboardConstants.CLIENT_SETTINGS_APPLIED, applied);
        return properties;
    }

    /** Closes every bundle's connections with 1001 (the framework ungets the service for each), then the own loop. */
    @Deactivate
    void deactivate() {
        registry.detachClient(this);
        registration.unregister();
        synchronized (this) {
            deactivated = true;
            if (ownLoops != null) {
                ownLoops.close();
            }
        }
    }

    @Override
    public SwitchboardClient getService(Bundle bundle, ServiceRegistration<SwitchboardClient> registration) {
        BundleClient client = new BundleClient(this, bundle);
        bundles.add(client);
        return client;
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<SwitchboardClient> registration, SwitchboardClient service) {
        bundles.remove(service);
        ((BundleClient) service).close();
    }

    ClientConfiguration configuration() {
        return configuration;
    }

    /** The server whose loops new connections run on: the longest-running endpoint's; null if none runs. */
    WebSocketServer endpointLoops() {
        return registry.oldestServer();
    }

    /** The client's own loop, started if it is not yet. */
    synchronized WebSocketClient ownLoops() throws IOException {
        if (deactivated) {
            throw new IOException("the SwitchboardClient service is stopped");
        }
        if (ownLoops == null) {
            ownLoops = WebSocketClient.builder().name("switchboard-client").build();
        }
        return ownLoops;
    }

    /** Every bundle's open outbound connections, for the runtime information. */
    List<ClientConnectionDTO> describe() {
        List<ClientConnectionDTO> all = new ArrayList<>();
        for (BundleClient client : bundles) {
            client.describe(all);
        }
        return all;
    }

    /**
     * A builder with every value of {@code c} (the truststore loaded), ready for
     * {@code loopsOf} and {@code build}.
     *
     * @throws IOException if the truststore cannot be loaded
     * @throws IllegalArgumentException if a value is out of range or the proxy is not {@code host:port}
     */
    static WebSocketClient.Builder builder(ClientConfiguration c) throws IOException {
        WebSocketClient.Builder builder = WebSocketClient.builder()
                .connectTimeout(Duration.ofMillis(c.connectTimeoutMillis()))
                .handshakeTimeout(Duration.ofMillis(c.handshakeTimeoutMillis()))
                .maxMessageSize(c.maxMessageSize())
                .maxFrameSize(c.maxFrameSize() > 0 ? c.maxFrameSize() : -1)
                .maxFragments(c.maxFragments())
                .closeTimeout(Duration.ofMillis(c.closeTimeoutMillis()))
                .idleTimeout(Duration.ofMillis(c.idleTimeoutMillis()))
                .pingInterval(Duration.ofMillis(c.pingIntervalMillis()))
                .sendQueue(c.sendLowWater(), c.sendHighWater(), c.sendQueueCap());
        if (c.perMessageDeflate()) {
            boolean noTakeover = !c.deflateContextTakeover();
            builder.perMessageDeflate(new PerMessageDeflate(noTakeover, noTakeover));
        }
        if (!c.tlsTruststore().isEmpty()) {
            builder.tls(Tls.context(Path.of(c.tlsTruststore()), c.tlsTruststoreType(), c.tlsTruststorePassword().toCharArray()));
        }
        if (!c.proxy().isEmpty()) {
            int colon = c.proxy().lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("proxy = " + c.proxy() + " is not host:port");
            }
            InetSocketAddress proxy = new InetSocketAddress(c.proxy().substring(0, colon),
                    Integer.parseInt(c.proxy().substring(colon + 1))); // resolved once, here
            if (proxy.isUnresolved()) {
                throw new IllegalArgumentException("proxy = " + c.proxy() + ": the host does not resolve");
            }
            if (c.proxyUser().isEmpty()) {
                builder.proxy(proxy);
            } else {
                builder.proxy(proxy, c.proxyUser(), c.proxyPassword());
            }
        }
        return builder;
    }
}
