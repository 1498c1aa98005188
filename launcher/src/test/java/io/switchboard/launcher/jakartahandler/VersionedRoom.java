package io.switchboard.launcher.jakartahandler;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The Jakarta endpoint bundle that {@link io.switchboard.launcher.JakartaDeployIT} builds and
 * drops into the deploy folder: an annotated endpoint on {@code /jakarta/{room}}, registered by
 * its own activator as a whiteboard service, that answers {@code "v1 lobby hi adopted=null"} —
 * its bundle's {@code Endpoint-Version} header, the room, the message and whether the session was
 * adopted. Its package holds this class alone; it imports the Jakarta API and the framework only.
 */
@ServerEndpoint("/jakarta/{room}")
public final class VersionedRoom implements BundleActivator {
    public static final String VERSION_HEADER = "Endpoint-Version";

    private String version;

    @Override
    public void start(BundleContext context) {
        version = context.getBundle().getHeaders().get(VERSION_HEADER);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.jakarta.websocket.endpoint.implementor", true);
        context.registerService(Object.class, this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    @OnMessage
    public String message(String text, @PathParam("room") String room, Session session) {
        return version + " " + room + " " + text + " adopted=" + session.getUserProperties().get("io.switchboard.jakarta.adopted");
    }
}
