package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/** Invalid endpoints fail to deploy with a message that names the method and why. */
class DeploymentErrorsTest {

    @ServerEndpoint("/two-opens")
    public static class TwoOpens {
        @OnOpen
        public void a(Session session) {
        }

        @OnOpen
        public void b() {
        }
    }

    @ServerEndpoint("/two-text")
    public static class TwoTextHandlers {
        @OnMessage
        public void a(String text) {
        }

        @OnMessage
        public void b(String text, Session session) {
        }
    }

    @ServerEndpoint("/bad-open")
    public static class BadOpenParameter {
        @OnOpen
        public void open(Session session, String what) {
        }
    }

    @ServerEndpoint("/no-throwable")
    public static class ErrorWithoutThrowable {
        @OnError
        public void error(Session session) {
        }
    }

    @ServerEndpoint("/two-messages")
    public static class TwoMessageParameters {
        @OnMessage
        public void message(String a, ByteBuffer b) {
        }
    }

    @ServerEndpoint("/undecodable")
    public static class Undecodable {
        @OnMessage
        public void message(ChatMessage message) {
        }
    }

    @ServerEndpoint("/unencodable")
    public static class Unencodable {
        @OnMessage
        public ChatMessage message(String text) {
            return null;
        }
    }

    @ServerEndpoint("/partial-reader")
    public static class PartialReader {
        @OnMessage
        public void message(java.io.Reader reader, boolean last) {
        }
    }

    @ServerEndpoint("/rooms/{room}")
    public static class BadPathParameter {
        @OnClose
        public void close(CloseReason reason, @PathParam("room") List<String> room) {
        }
    }

    @ServerEndpoint("/rooms/{room}")
    public static class PrimitiveNotInTemplate {
        @OnOpen
        public void open(@PathParam("id") int id) {
        }
    }

    @ServerEndpoint("/hidden")
    public static class Hidden {
        @OnMessage
        void message(String text) {
        }
    }

    @ServerEndpoint("/static")
    public static class Static {
        @OnMessage
        public static void message(String text) {
        }
    }

    @ServerEndpoint("/rooms/{name}")
    public static class SameShape {
        @OnMessage
        public void message(String text) {
        }
    }

    public static class NotAnnotated {
    }

    @ServerEndpoint("no-slash")
    public static class NoSlash {
    }

    @ServerEndpoint("/a/{x}b")
    public static class PartialSegment {
    }

    @Test
    void eachViolationNamesTheMethodAndWhy() {
        assertFails(TwoOpens.class, "is a second @OnOpen method");
        assertFails(TwoTextHandlers.class, "is a second @OnMessage method for text messages");
        assertFails(BadOpenParameter.class, "BadOpenParameter.open has a parameter of type java.lang.String, which @OnOpen does not allow");
        assertFails(ErrorWithoutThrowable.class, "ErrorWithoutThrowable.error needs exactly one Throwable parameter");
        assertFails(TwoMessageParameters.class, "TwoMessageParameters.message has 2 parameters that could be the message");
        assertFails(Undecodable.class, "Undecodable.message takes messages as io.switchboard.jakarta.ChatMessage, which no decoder");
        assertFails(Unencodable.class, "Unencodable.message returns io.switchboard.jakarta.ChatMessage, which no encoder");
        assertFails(PartialReader.class, "PartialReader.message takes partial messages as java.io.Reader");
        assertFails(BadPathParameter.class, "BadPathParameter.close has @PathParam(\"room\") of type java.util.List");
        assertFails(PrimitiveNotInTemplate.class, "PrimitiveNotInTemplate.open has the primitive @PathParam(\"id\"), which the path /rooms/{room} does not define");
        assertFails(Hidden.class, "Hidden.message is not public");
        assertFails(Static.class, "Static.message is static");
        assertFails(NotAnnotated.class, "NotAnnotated has no @ServerEndpoint annotation");
        assertFails(NoSlash.class, "the path no-slash does not start with '/'");
        assertFails(PartialSegment.class, "has a variable that is not a whole segment, or is empty or repeated: {x}b");
    }

    @Test
    void twoEndpointsMatchingTheSamePathsAreRefused() {
        DeploymentException failure = assertThrows(DeploymentException.class,
                () -> JakartaEndpoints.builder().add(RoomEcho.class).add(SameShape.class).build());
        assertEquals(SameShape.class.getName() + " on /rooms/{name} and " + RoomEcho.class.getName()
                + " on /rooms/{room} match the same paths", failure.getMessage());
    }

    @Test
    void aConfigurationOfAClassThatIsNeitherEndpointNorAnnotatedIsRefused() {
        assertFails(ServerEndpointConfig.Builder.create(NotAnnotated.class, "/plain").build(), "has no @ServerEndpoint annotation");
    }

    @ServerEndpoint("/rooms/{room}")
    public static class RoomEcho {
        @OnMessage
        public String message(String text, @PathParam("room") String room) {
            return room;
        }
    }

    private static void assertFails(Class<?> endpoint, String why) {
        DeploymentException failure = assertThrows(DeploymentException.class, () -> JakartaEndpoints.builder().add(endpoint).build());
        if (!failure.getMessage().contains(why)) {
            throw new AssertionError("expected a message with \"" + why + "\", got \"" + failure.getMessage() + "\"");
        }
    }

    private static void assertFails(ServerEndpointConfig config, String why) {
        DeploymentException failure = assertThrows(DeploymentException.class, () -> JakartaEndpoints.builder().add(config).build());
        if (!failure.getMessage().contains(why)) {
            throw new AssertionError("expected a message with \"" + why + "\", got \"" + failure.getMessage() + "\"");
        }
    }
}
