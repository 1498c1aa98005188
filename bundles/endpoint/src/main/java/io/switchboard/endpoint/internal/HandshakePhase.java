package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.handshake.HttpException;
import io.switchboard.handshake.HttpRequest;
import io.switchboard.handshake.HttpRequestParser;
import io.switchboard.handshake.HttpResponses;
import io.switchboard.handshake.WebSocketUpgrade;

/**
 * The opening handshake of one connection: the request head, read in as many pieces as it comes
 * in, the upgrade checks, the handler's {@code validate}, then the 101 or a refusal. It lives only
 * until the connection opens or is refused: an open connection keeps none of it.
 *
 * <p>Loop thread only, except {@code validate} of a blocking handler, which runs on a worker; its
 * end comes back to the loop as a task. While it runs, the loop tracks the instance that validates
 * as a {@link Detachment}: it is released, or handed to the open connection, only once validate
 * has returned, and a removal of its binding waits for that.
 */
final class HandshakePhase implements Opening {
    private static final System.Logger LOG = System.getLogger(HandshakePhase.class.getName());

    private final WsConnection connection;
    private HttpRequestParser parser;
    private HandlerBinding binding;
    private ConnectionHandler validator;

    HandshakePhase(WsConnection connection, Settings settings) {
        this.connection = connection;
        this.parser = new HttpRequestParser(settings.maxHeaderBytes(), settings.maxHeaderCount());
    }

    /** Reads request bytes; once the head is whole, checks it and validates or refuses. */
    @Override
    public void read(ByteBuffer in) {
        HttpRequest head;
        try {
            head = parser.parse(in);
        } catch (HttpException e) {
            connection.answerAndClose(HttpResponses.error(e));
            return;
        }
        if (head == null) {
            return;
        }
        parser = null;
        RequestView view;
        try {
            view = new RequestView(head, connection.remote(), connection.localAddress(), connection.secure());
        } catch (IllegalArgumentException e) {
            connection.answerAndClose(HttpResponses.error(400, "Bad Request", List.of()));
            return;
        } catch (IOException e) {
            connection.closeChannel(); // the socket is already gone
            return;
        }
        Endpoint endpoint = connection.loop().endpoint;
        if (!WebSocketUpgrade.isWebSocketRequest(head)) {
            connection.answerAndClose(PlainHttp.answer(endpoint, view));
            return;
        }
        WebSocketUpgrade upgrade;
        try {
            upgrade = WebSocketUpgrade.check(head);
        } catch (HttpException e) {
            connection.answerAndClose(HttpResponses.error(e));
            return;
        }
        if (!connection.withinLimits()) {
            connection.answerAndClose(HttpResponses.error(503, "Too Many Connections", List.of()));
            return;
        }
        if (!endpoint.originPolicy().admits(head.headers("Origin"), head.header("Host"), connection.secure())) {
            connection.answerAndClose(HttpResponses.error(403, "Origin Not Allowed", List.of()));
            return;
        }
        Route route = endpoint.router().route(view.path());
        if (route.binding() == null) {
            connection.answerAndClose(HttpResponses.error(route.status(), HttpResponses.reasonPhrase(route.status()), List.of()));
            return;
        }
        view.pathParameters(route.pathParameters());
        connection.holdBack(in); // frames sent right behind the request wait for the upgrade to finish
        connection.requestRead(view);
        try {
            validator = route.binding().acquire();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no handler from " + route.binding() + " for " + view, e);
            connection.answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
            return;
        }
        binding = route.binding();
        validate(upgrade, new HandshakeView(view, upgrade));
    }

    /** The request head did not come in time: 408. */
    @Override
    public void expire() {
        connection.answerAndClose(HttpResponses.error(408, "Request Timeout", List.of()));
    }

    private void validate(WebSocketUpgrade upgrade, HandshakeView handshake) {
        if (!binding.blocking()) {
            runValidate(validator, handshake);
            if (handshake.rejected()) {
                WsConnection.release(binding, validator, connection);
                refuse(handshake);
            } else {
                accept(upgrade, handshake, binding, validator);
            }
            return;
        }
        SelectorLoop loop = connection.loop();
        Detachment validating = loop.track(new Detachment(binding, validator, connection, null));
        connection.startedValidating();
        ConnectionHandler running = validator;
        try {
            loop.endpoint.workers().execute(() -> {
                runValidate(running, handshake);
                loop.execute(() -> finish(upgrade, handshake, validating));
            });
        } catch (RejectedExecutionException stopping) {
            handshake.reject(503, "Service Unavailable");
            handshake.seal();
            finish(upgrade, handshake, validating);
        }
    }

    private static void runValidate(ConnectionHandler validator, HandshakeView handshake) {
        try {
            validator.validate(handshake);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "validate of " + validator + " failed for " + handshake.request(), e);
            handshake.reject(500, "Internal Server Error");
        } finally {
            handshake.seal();
        }
    }

    /**
     * A blocking validate returned: the 101 and connect, or a refusal. Meanwhile the connection may
     * have been refused (handshake time-out, stop, the peer left), or the binding removed (503).
     */
    private void finish(WebSocketUpgrade upgrade, HandshakeView handshake, Detachment validating) {
        connection.loop().untrack(validating);
        if (!connection.isValidating() || validating.bindingGone || handshake.rejected()) {
            validating.release();
            if (!connection.isValidating()) {
                return;
            }
            if (validating.bindingGone) {
                connection.answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
            } else {
                refuse(handshake);
            }
        } else if (validating.handOn()) {
            accept(upgrade, handshake, binding, validator);
        } // else: given up by the removal, which has answered 503
    }

    /** Sends the 101 with what was agreed (subprotocol, permessage-deflate) and opens the connection. */
    private void accept(WebSocketUpgrade upgrade, HandshakeView handshake, HandlerBinding with, ConnectionHandler instance) {
        PerMessageDeflate deflate = connection.settings.perMessageDeflate()
                ? upgrade.negotiateDeflate(!connection.settings.deflateContextTakeover()).orElse(null) : null;
        connection.sendOpeningHead(HttpResponses.switchingProtocols(
                WebSocketUpgrade.acceptKey(upgrade.key()), handshake.subprotocol(),
                deflate == null ? null : deflate.responseHeader(), handshake.responseHeaders()));
        connection.open(handshake.subprotocol() == null ? "" : handshake.subprotocol(), deflate, with, instance);
    }

    private void refuse(HandshakeView handshake) {
        connection.answerAndClose(HttpResponses.error(handshake.rejectStatus(), handshake.rejectReason(),
                handshake.responseHeaders()));
    }
}
