package io.switchboard.launcher;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Prints a line when an endpoint starts listening, is reconfigured or stops, so that whoever edits
 * a file in etc/ sees what came of it. The framework calls {@link #serviceChanged} on the thread
 * that registered, changed or unregistered the endpoint's service (the component runtime's); it
 * only prints.
 */
final class EndpointAnnouncer implements ServiceListener {
    private static final String ENDPOINT_SERVICE = "io.switchboard.whiteboard.SwitchboardEndpoint";

    private EndpointAnnouncer() {
    }

    static void listen(BundleContext context) {
        try {
            context.addServiceListener(new EndpointAnnouncer(), "(objectClass=" + ENDPOINT_SERVICE + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> endpoint = event.getServiceReference();
        String name = "Endpoint " + endpoint.getProperty("switchboard.endpoint.name");
        switch (event.getType()) {
            case ServiceEvent.REGISTERED -> System.out.println(name + " listening on " + address(endpoint));
            case ServiceEvent.MODIFIED -> System.out.println(name + " reconfigured, listening on " + address(endpoint));
            case ServiceEvent.UNREGISTERING -> System.out.println(name + " stopped");
            default -> {
            }
        }
    }

    private static String address(ServiceReference<?> endpoint) {
        boolean secure = Boolean.TRUE.equals(endpoint.getProperty("switchboard.endpoint.secure"));
        return (secure ? "wss://" : "ws://") + shownHost(String.valueOf(endpoint.getProperty("switchboard.endpoint.host")))
                + ":" + endpoint.getProperty("switchboard.endpoint.port");
    }

    /** The host of an endpoint's URL: localhost for every interface, an IPv6 address in brackets. */
    static String shownHost(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }
}
