package io.switchboard.whiteboard;

/**
 * The service properties a {@link io.switchboard.api.ConnectionHandler} service carries, and the
 * names under which endpoints are configured and described. Route information is read from the
 * properties alone: the whiteboard never fetches a handler service to learn where it belongs.
 */
public final class WhiteboardConstants {
    /**
     * The path or paths a handler serves, such as {@code /chat}, each possibly a URI template such
     * as {@code /rooms/{room}} whose values the request gives ({@code Request.pathParameters()}):
     * {@code String} or {@code String[]}. Required.
     */
    public static final String ROUTE = "switchboard.route";
    /**
     * An LDAP filter on the properties of endpoint services ({@link #ENDPOINT_NAME} …) choosing the
     * endpoints a handler serves; all of them if absent.
     */
    public static final String ENDPOINT_TARGET = "switchboard.endpoint.target";
    /**
     * Subprotocols the handler speaks, in its order of preference: {@code String[]}. The first
     * one the client offered is selected before {@code validate}, which may change it.
     */
    public static final String SUBPROTOCOLS = "switchboard.subprotocols";
    /**
     * {@code true}: when this handler becomes the best for a route, it adopts the route's live
     * connections at once instead of leaving them with their handler until it goes away.
     */
    public static final String ADOPT_LIVE_CONNECTIONS = "switchboard.adopt";
    /** {@code true}: the handler's callbacks may block, so they run on the worker pool. */
    public static final String BLOCKING = "switchboard.blocking";

    /** The factory PID of endpoint configurations: one configuration, one listening port. */
    public static final String ENDPOINT_FACTORY_PID = "io.switchboard.endpoint";
    /** Endpoint service property: the endpoint's name. */
    public static final String ENDPOINT_NAME = "switchboard.endpoint.name";
    /** Endpoint service property: the address it listens on. */
    public static final String ENDPOINT_HOST = "switchboard.endpoint.host";
    /** Endpoint service property: the port it listens on (the actual one when 0 was configured). */
    public static final String ENDPOINT_PORT = "switchboard.endpoint.port";
    /** Endpoint service property: whether it speaks wss. */
    public static final String ENDPOINT_SECURE = "switchboard.endpoint.secure";

    /** The PID of the {@link SwitchboardClient} service's configuration. */
    public static final String CLIENT_PID = "io.switchboard.client";
    /**
     * {@link SwitchboardClient} service property: how many configurations the client has applied
     * ({@code Long}, 0 for the defaults); a configuration that cannot be used does not count. Its
     * change tells tools that connections opened from then on get the new settings.
     */
    public static final String CLIENT_SETTINGS_APPLIED = "switchboard.client.settings";

    private WhiteboardConstants() {
    }
}
