package io.switchboard.endpoint;

import io.switchboard.api.ConnectionHandler;

/**
 * Where the handlers of a route come from. The plain-Java builder binds one handler object to a
 * path; the OSGi whiteboard binds a handler service, which may hand each connection an instance
 * of its own (a prototype-scoped service) and may go away while its connections live on.
 *
 * <p>The endpoint acquires a handler for each connection it accepts or adopts, and releases it
 * exactly once, when the connection ends or is handed to another binding.
 */
public interface HandlerBinding {

    /** A handler for one new or adopted connection. */
    ConnectionHandler acquire();

    /** The connection that {@code handler} was acquired for no longer uses it. */
    default void release(ConnectionHandler handler) {
    }

    /** Whether the handler's callbacks may block, so that they run on the worker pool. */
    boolean blocking();

    /** The binding of one shared handler object. */
    static HandlerBinding of(ConnectionHandler handler, boolean blocking) {
        return new HandlerBinding() {
            @Override
            public ConnectionHandler acquire() {
                return handler;
            }

            @Override
            public boolean blocking() {
                return blocking;
            }

            @Override
            public String toString() {
                return handler.toString();
            }
        };
    }
}
