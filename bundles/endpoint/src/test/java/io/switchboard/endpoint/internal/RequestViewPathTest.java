package io.switchboard.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.handshake.HttpException;
import io.switchboard.handshake.HttpRequestParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The request's path, read without parsing a URI where it can be, is what the URI's would be. */
class RequestViewPathTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 1);

    @ParameterizedTest
    @ValueSource(strings = {"/", "/chat", "/a/b?x=1", "/a//b/./c?", "/rooms/%7Bx%7D", "/a%20b?q=%20",
            "http://example.com/abs?x", "/?only=query", "/a;p=1/b", "/%E2%82%AC", "//host/path", "///"})
    void isTheUrisPath(String target) throws HttpException {
        assertEquals(URI.create(target).getPath(), view(target).path());
    }

    @Property(tries = 2000)
    void isTheUrisPathForAnyValidTarget(@ForAll("targets") String target) {
        RequestView view;
        try {
            view = view(target);
        } catch (HttpException | IllegalArgumentException invalid) {
            Assume.that(false); // the handshake answers 400 to these before any path is asked for
            return;
        }
        assertEquals(URI.create(target).getPath(), view.path());
    }

    /** The constructor skips parsing a URI for plain targets: it must still refuse exactly what a URI refuses. */
    @Property(tries = 2000)
    void refusesExactlyTheTargetsThatAreNotURIs(@ForAll("targets") String target) {
        boolean uri;
        try {
            URI.create(target);
            uri = true;
        } catch (IllegalArgumentException e) {
            uri = false;
        }
        boolean accepted;
        try {
            view(target);
            accepted = true;
        } catch (IllegalArgumentException e) {
            accepted = false;
        } catch (HttpException e) {
            Assume.that(false); // the request line's own checks come first
            return;
        }
        assertEquals(uri, accepted, target);
    }

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019-._~!$&'()*+,;=:@").ofMinLength(0).ofMaxLength(6),
                Arbitraries.of("/", "//", "?", "%20", "%2F", "%E2%82%AC", "%", "#", "./", "../", "[", "]", "%zz", "\u00e9", "|", "^", "`", "{", "}", "\\", "\""));
        return piece.list().ofMaxSize(8).map(pieces -> "/" + String.join("", pieces));
    }

    private static RequestView view(String target) throws HttpException {
        String head = "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n";
        return new RequestView(new HttpRequestParser().parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1))),
                ADDRESS, ADDRESS, false);
    }
}
