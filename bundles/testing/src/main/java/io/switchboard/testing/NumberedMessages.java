package io.switchboard.testing;

import java.util.function.IntFunction;

/**
 * Numbered round trips over one {@link JdkWebSocketClient}: it sends the text messages
 * {@code "1"}, {@code "2"}, {@code "3"} … and expects the handler's answer to each, once and in
 * order. The numbering goes on from one call to the next, so a test can send a few numbers, swap
 * or update the handler, and send more on the same connection:
 *
 * <pre>{@code
 * NumberedMessages numbers = NumberedMessages.over(client);
 * numbers.roundTrips(5, n -> "Hello, " + n);   // "1" … "5" answered by the first version
 * // update the handler's bundle
 * numbers.roundTrips(5, n -> "Howdy, " + n);   // "6" … "10" answered by the next one
 * }</pre>
 *
 * <p>Each answer is awaited within the client's timeout; a missing, extra or unexpected answer
 * fails the test with an {@link AssertionError} that names the number it was for. Not
 * thread-safe: one test thread uses it.
 */
public final class NumberedMessages {
    private final JdkWebSocketClient client;
    private int sent;
    private int answered;

    private NumberedMessages(JdkWebSocketClient client) {
        this.client = client;
    }

    /** Numbers messages over {@code client}, starting at 1. */
    public static NumberedMessages over(JdkWebSocketClient client) {
        return new NumberedMessages(client);
    }

    /** Sends the next {@code count} numbers without waiting for their answers; returns the last one. */
    public int send(int count) {
        for (int i = 0; i < count; i++) {
            client.send(String.valueOf(++sent));
        }
        return sent;
    }

    /**
     * Expects the answers to the next {@code count} numbers sent and not yet answered, in order:
     * the answer to the number {@code n} must be {@code answer.apply(n)}.
     */
    public void expect(int count, IntFunction<String> answer) {
        if (answered + count > sent) {
            throw new IllegalArgumentException("expecting " + count + " answers, but only "
                    + (sent - answered) + " numbers are unanswered");
        }
        for (int i = 0; i < count; i++) {
            int number = answered + 1;
            String expected = answer.apply(number);
            String actual;
            try {
                actual = client.awaitText();
            } catch (AssertionError e) {
                throw new AssertionError("no answer to the number " + number + ": " + e.getMessage(), e);
            }
            if (!expected.equals(actual)) {
                throw new AssertionError("the answer to the number " + number + " should be <" + expected
                        + ">, but was <" + actual + ">");
            }
            answered = number;
        }
    }

    /** Sends the next {@code count} numbers and expects each answer, in order (see {@link #expect}). */
    public void roundTrips(int count, IntFunction<String> answer) {
        send(count);
        expect(count, answer);
    }

    /** The last number sent; 0 before the first. */
    public int sent() {
        return sent;
    }

    /** The last number whose answer came; 0 before the first. */
    public int answered() {
        return answered;
    }
}
