package io.switchboard.endpoint.interop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * A handler for a blocking route: it sleeps a little in every message before echoing it, and
 * counts callbacks for one connection that overlap. The text {@link #MEET} blocks until every
 * expected connection has sent it too, which can only happen if their callbacks run in parallel.
 */
class SlowEchoHandler implements ConnectionHandler {
    static final String MEET = "meet";

    private final CountDownLatch meeting;
    private final Map<Long, AtomicBoolean> inside = new ConcurrentHashMap<>();
    final Map<Long, List<String>> received = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> disconnectCalls = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger missedMeetings = new AtomicInteger();

    SlowEchoHandler(int connections) {
        this.meeting = new CountDownLatch(connections);
    }

    @Override
    public void connect(Connection connection) {
        inCallback(connection, () -> {
            received.put(connection.id(), new CopyOnWriteArrayList<>());
            disconnectCalls.put(connection.id(), new AtomicInteger());
        });
    }

    @Override
    public void message(Connection connection, String text) {
        inCallback(connection, () -> {
            if (MEET.equals(text)) {
                meeting.countDown();
                if (!awaitQuietly(meeting)) {
                    missedMeetings.incrementAndGet();
                }
            }
            sleepQuietly(2);
            received.get(connection.id()).add(text);
            connection.send(text);
        });
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        inCallback(connection, () -> {
            sleepQuietly(2);
            disconnectCalls.computeIfAbsent(connection.id(), id -> new AtomicInteger()).incrementAndGet();
        });
    }

    private void inCallback(Connection connection, Runnable body) {
        AtomicBoolean flag = inside.computeIfAbsent(connection.id(), id -> new AtomicBoolean());
        if (!flag.compareAndSet(false, true)) {
            overlaps.incrementAndGet();
        }
        try {
            body.run();
        } finally {
            flag.set(false);
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
