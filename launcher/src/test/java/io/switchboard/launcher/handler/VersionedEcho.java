package io.switchboard.launcher.handler;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * The handler bundle that {@link io.switchboard.launcher.DeployFolderIT} builds and drops into the
 * deploy folder: it answers each text message on {@code /versioned} with the message, prefixed by
 * its bundle's {@code Handler-Version} header, so that version 1 and 2 of the bundle differ only in
 * their manifest. Its package holds this class alone; it imports only the api and the framework.
 * The component runtime's selector loops call {@link #message}; the field is set before the
 * service is registered.
 */
public final class VersionedEcho implements BundleActivator, ConnectionHandler {
    public static final String ROUTE = "/versioned";
    public static final String VERSION_HEADER = "Handler-Version";

    private String version;

    @Override
    public void start(BundleContext context) {
        version = context.getBundle().getHeaders().get(VERSION_HEADER);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("switchboard.route", ROUTE);
        context.registerService(ConnectionHandler.class, this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service; the whiteboard hands its connections over.
    }

    @Override
    public void message(Connection connection, String text) {
        connection.send(version + " " + text);
    }
}
