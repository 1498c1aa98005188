package io.switchboard.itests.handlerbundle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;

/** The prototype-scoped number echo: a {@link NumberEcho} per getService, each told when it is taken back. */
final class NumberEchoFactory implements PrototypeServiceFactory<ConnectionHandler> {
    private final String tag;
    private final Consumer<String> events;
    private final AtomicLong workMillis;

    NumberEchoFactory(String tag, Consumer<String> events, AtomicLong workMillis) {
        this.tag = tag;
        this.events = events;
        this.workMillis = workMillis;
    }

    @Override
    public ConnectionHandler getService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration) {
        return new NumberEcho(tag, events, workMillis);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration,
                             ConnectionHandler service) {
        ((NumberEcho) service).released();
    }
}
