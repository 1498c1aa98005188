package io.switchboard.jakarta.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configuration one session sees: the deployed one, with user properties of its own, copied
 * from the deployed ones at the handshake. So what a configurator's {@code modifyHandshake} puts
 * there (a user name, a header's value) belongs to that session only and becomes its
 * {@code Session.getUserProperties()}. Thread-safe (a concurrent map; the rest is immutable).
 */
final class SessionConfig implements ServerEndpointConfig {
    private final ServerEndpointConfig deployed;
    private final Map<String, Object> userProperties;

    SessionConfig(ServerEndpointConfig deployed) {
        this.deployed = deployed;
        this.userProperties = new ConcurrentHashMap<>(deployed.getUserProperties());
    }

    @Override
    public Class<?> getEndpointClass() {
        return deployed.getEndpointClass();
    }

    @Override
    public String getPath() {
        return deployed.getPath();
    }

    @Override
    public List<String> getSubprotocols() {
        return deployed.getSubprotocols();
    }

    @Override
    public List<Extension> getExtensions() {
        return deployed.getExtensions();
    }

    @Override
    public Configurator getConfigurator() {
        return deployed.getConfigurator();
    }

    @Override
    public List<Class<? extends Encoder>> getEncoders() {
        return deployed.getEncoders();
    }

    @Override
    public List<Class<? extends Decoder>> getDecoders() {
        return deployed.getDecoders();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }
}
