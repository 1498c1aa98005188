package io.switchboard.testing.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.switchboard.testing.TestEndpoint;

/**
 * Creates the {@link TestEndpoint}'s configuration in a framework that {@code SwitchboardOptions}
 * provisioned: when the property {@value TestEndpoint#ENDPOINT_PROPERTY} is {@code true}, a
 * factory configuration of {@value #ENDPOINT_FACTORY_PID} named {@value TestEndpoint#NAME}, on
 * {@value TestEndpoint#HOST} and port 0, as soon as Configuration Admin is there. The endpoint
 * binds a free port itself, so no other process can take it first; {@link TestEndpoint} learns
 * it from the endpoint's service. Without the property it does nothing, so the bundle's clients
 * can be used in any framework.
 *
 * <p>The configuration is unbound ({@code "?"}): one bound to this bundle would stay invisible to
 * the whiteboard's components. {@link #start} and {@link #stop} run on the framework's thread;
 * the tracker's callbacks on the thread that registers or unregisters Configuration Admin.
 */
public final class TestEndpointActivator implements BundleActivator {
    /** The whiteboard's factory PID, by value: this bundle depends on no Switchboard bundle. */
    static final String ENDPOINT_FACTORY_PID = "io.switchboard.endpoint";

    private ServiceTracker<ConfigurationAdmin, Configuration> tracker;

    @Override
    public void start(BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty(TestEndpoint.ENDPOINT_PROPERTY))) {
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", TestEndpoint.NAME);
        properties.put("host", TestEndpoint.HOST);
        properties.put("port", 0);
        tracker = new ServiceTracker<>(context, ConfigurationAdmin.class, null) {
            @Override
            public Configuration addingService(ServiceReference<ConfigurationAdmin> reference) {
                ConfigurationAdmin admin = context.getService(reference);
                try {
                    Configuration endpoint = admin.getFactoryConfiguration(ENDPOINT_FACTORY_PID, TestEndpoint.NAME, "?");
                    endpoint.update(properties);
                    return endpoint;
                } catch (IOException e) {
                    throw new IllegalStateException("cannot configure the test endpoint", e);
                }
            }

            @Override
            public void removedService(ServiceReference<ConfigurationAdmin> reference, Configuration endpoint) {
                try {
                    endpoint.delete();
                } catch (IOException | IllegalStateException alreadyGone) {
                    // Configuration Admin is going away with its configurations
                }
                context.ungetService(reference);
            }
        };
        tracker.open();
    }

    @Override
    public void stop(BundleContext context) {
        if (tracker != null) {
            tracker.close();
        }
    }
}
