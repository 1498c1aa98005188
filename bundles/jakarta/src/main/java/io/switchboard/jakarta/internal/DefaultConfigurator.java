package io.switchboard.jakarta.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The container's default configurator, which {@code ServerEndpointConfig.Configurator}'s own
 * methods delegate to (found through {@code ServiceLoader}). Stateless.
 */
public final class DefaultConfigurator extends ServerEndpointConfig.Configurator {

    /** The client's first choice among those the endpoint supports, or "" if none. */
    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String protocol : requested) {
            if (supported.contains(protocol)) {
                return protocol;
            }
        }
        return "";
    }

    /** The requested extensions that are installed, by name, in the client's order. */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        List<Extension> chosen = new ArrayList<>();
        for (Extension offer : requested) {
            if (installed.stream().anyMatch(e -> e.getName().equals(offer.getName()))) {
                chosen.add(offer);
            }
        }
        return chosen;
    }

    /** Admits every origin: the engine's Origin policy has already admitted this one. */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    }

    /** A new instance for each session, as the specification's default. */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        try {
            return endpointClass.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            InstantiationException failure = new InstantiationException(endpointClass.getName() + "'s constructor threw");
            failure.initCause(e.getCause());
            throw failure;
        } catch (ReflectiveOperationException e) {
            InstantiationException failure = new InstantiationException("cannot create " + endpointClass.getName());
            failure.initCause(e);
            throw failure;
        }
    }
}
