package io.switchboard.testing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Objects;
import java.util.function.Predicate;

import io.switchboard.testing.JdkWebSocketClient.Event;
import io.switchboard.testing.JdkWebSocketClient.Text;

/**
 * A client under load for a handler that answers each number {@code n} with {@code "vK n"}, K
 * being the version of the handler that answered (the integration tests' number-echo bundle): it
 * sends the numbers 1, 2, 3 … with a few unanswered at most, the next one as each answer arrives,
 * until told to stop. It checks each answer as it comes — the n-th is {@code "vK n"}, and the
 * version K never goes back — and keeps counts, not answers, so that a long soak costs no memory
 * per message. For a few numbered round trips on one connection, {@link NumberedMessages} is
 * simpler.
 *
 * <p>Its own thread takes the answers from the {@link JdkWebSocketClient}; the test's thread
 * waits for {@link #when milestones} and checks the outcome. Every method is synchronized.
 */
public final class NumberClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final JdkWebSocketClient socket;
    private final Map<String, Integer> answersByVersion = new HashMap<>();
    private final Map<String, Integer> lastAnsweredByVersion = new HashMap<>();
    private final List<Milestone> milestones = new ArrayList<>();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private int sent;
    private int answers;
    private int version = 1;
    private String last = "";
    private String problem;
    private Event ended;
    private boolean stopped;
    private boolean letGo;

    private record Milestone(Predicate<NumberClient> condition, CompletableFuture<Void> reached) {
    }

    private NumberClient(JdkWebSocketClient socket) {
        this.socket = socket;
    }

    /** Connects and starts sending, with {@code inFlight} numbers unanswered at most. */
    public static NumberClient open(URI uri, int inFlight) {
        NumberClient client = new NumberClient(JdkWebSocketClient.to(uri).timeout(CONNECT_TIMEOUT).connect());
        synchronized (client) {
            for (int i = 0; i < inFlight; i++) {
                client.sendNext();
            }
        }
        Thread reader = new Thread(client::readAnswers, "number-client " + uri.getPath());
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    public synchronized int sent() {
        return sent;
    }

    public synchronized int answers() {
        return answers;
    }

    /** How many answers came from version {@code tag} ("v2"). */
    public synchronized int answersFrom(String tag) {
        return answersByVersion.getOrDefault(tag, 0);
    }

    /** The highest number that version {@code tag} ("v1") answered; 0 if it answered none. */
    public synchronized int lastAnsweredBy(String tag) {
        return lastAnsweredByVersion.getOrDefault(tag, 0);
    }

    /** Sends the next number now, besides those in flight; returns it. */
    public synchronized int sendNow() {
        sendNext();
        return sent;
    }

    /** Whether it has stopped sending and every number it sent is answered. */
    public synchronized boolean allAnswered() {
        return stopped && answers == sent;
    }

    /**
     * Completes once {@code condition} holds; exceptionally if the connection ends before. The
     * condition is checked at each answer, on the client's thread.
     */
    public synchronized CompletableFuture<Void> when(Predicate<NumberClient> condition) {
        Milestone milestone = new Milestone(condition, new CompletableFuture<>());
        milestones.add(milestone);
        checkMilestones();
        if (ended != null) {
            failMilestones();
        }
        return milestone.reached();
    }

    /** Sends no new number from now on; those in flight are still answered. */
    public synchronized void stopSending() {
        stopped = true;
        checkMilestones();
    }

    /** Waits until every number sent is answered (after {@link #stopSending()}); fails the test if they are not in time. */
    public void awaitAllAnswered(long seconds) throws InterruptedException {
        try {
            when(NumberClient::allAnswered).get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError(this + " did not get every answer in time: " + e, e);
        }
    }

    /** Fails the test unless the answers were "vX 1" … "vX N" for the N numbers sent, the versions never going back, the last one {@code lastTag}. */
    public synchronized void assertAnsweredOneToNInOrder(String lastTag) {
        check(!socket.isClosed(), "the connection ended");
        check(!sending.isCompletedExceptionally(), "a send failed");
        check(sent == answers, "answers: expected " + sent + " but got " + answers);
        check(problem == null, "first wrong answer: " + problem);
        check(Objects.equals(lastTag, "v" + version),
                "the last answers come from the last version: expected " + lastTag + " but was v" + version);
    }

    private void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(this + ": " + problem);
        }
    }

    /** Starts the closing handshake, and lets the connection go. */
    public void close() {
        letGo();
        socket.closeAsync(1000, "").exceptionally(e -> null);
    }

    /** Drops the connection at once. */
    public void abort() {
        letGo();
        socket.abort();
    }

    private synchronized void letGo() {
        letGo = true;
    }

    private synchronized boolean isLetGo() {
        return letGo;
    }

    /** The client's thread: each answer in turn, until the connection ends or the test lets it go. */
    private void readAnswers() {
        while (!isLetGo()) {
            Event event = socket.pollEvent(Duration.ofMillis(200));
            if (event instanceof Text text) {
                answered(text.text());
            } else if (event != null) {
                end(event);
                return;
            }
        }
    }

    /** Checks each answer as it comes ("vK n", n = 1, 2, 3 …, K never going back). */
    private synchronized void answered(String answer) {
        answers++;
        last = answer;
        String[] parts = answer.split(" ");
        if (problem == null) {
            int v = parts.length == 2 && parts[0].matches("v[0-9]+") ? Integer.parseInt(parts[0].substring(1)) : -1;
            if (parts.length != 2 || !parts[1].equals(String.valueOf(answers))) {
                problem = "answer " + answers + " was '" + answer + "'";
            } else if (v < version) {
                problem = "answer " + answers + " from an older version: '" + answer + "' after v" + version;
            } else {
                version = v;
            }
        }
        answersByVersion.merge(parts[0], 1, Integer::sum);
        lastAnsweredByVersion.put(parts[0], answers); // the n-th answer is to the number n
        if (!stopped) {
            sendNext();
        }
        checkMilestones();
    }

    private synchronized void end(Event event) {
        ended = event;
        failMilestones();
    }

    private void failMilestones() {
        for (Milestone milestone : milestones) {
            milestone.reached().completeExceptionally(new AssertionError(this + ": the connection ended"));
        }
        milestones.clear();
    }

    /** Queues the next number behind the previous send (the client sends one at a time, in order). */
    private void sendNext() {
        sending = socket.sendTextAsync(String.valueOf(++sent));
    }

    private void checkMilestones() {
        milestones.removeIf(milestone -> {
            if (milestone.condition().test(this)) {
                milestone.reached().complete(null);
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized String toString() {
        return "client (sent " + sent + ", answers " + answers + ", last '" + last + "'"
                + (ended == null ? "" : ", ended: " + ended) + ")";
    }
}
