package io.switchboard.endpoint.limits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.codec.Opcode;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * A client of an interleaving schedule: sends numbered messages {@code "<id>:<n>"}, and reads
 * on a thread of its own what comes back, answering a Close as a client should. At the end it
 * tells whether what came back is what the contract allows (see {@link #check}).
 */
final class ScheduledClient implements AutoCloseable {
    final String id;
    private final RawWebSocketClient raw;
    private final Thread reader;
    private final List<Integer> sent = new ArrayList<>();
    private final List<Integer> echoed = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int closes;
    private int closeCode;
    private boolean ended;
    private boolean closeSent;
    /** This client sent Close before the server did: every message before it is owed an echo. */
    private boolean closedFirst;
    /** This client asked the handler to end the connection (close, or flood past the queue's cap). */
    private boolean askedForTheEnd;
    private int next;

    ScheduledClient(String id, RawWebSocketClient raw) {
        this.id = id;
        this.raw = raw;
        this.reader = new Thread(this::read, "client " + id);
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends {@code count} numbered messages in one write; the last one may carry a command. */
    synchronized void send(int count, String command) throws IOException {
        if (ended || closeSent) {
            return;
        }
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            int number = next++;
            sent.add(number);
            String text = id + ":" + number + (i == count - 1 && command != null ? ":" + command : "");
            askedForTheEnd |= text.endsWith(":close") || text.endsWith(":flood");
            frames[i] = raw.textFrame(text);
        }
        raw.send(Frames.concat(frames));
    }

    synchronized void peerClose() throws IOException {
        if (!ended && !closeSent) {
            closeSent = true;
            closedFirst = closes == 0;
            raw.sendClose(CloseStatus.NORMAL, "");
        }
    }

    /** Sends one message and waits for its echo (or the end): what came before it has happened. */
    void roundTrip() throws IOException, InterruptedException {
        roundTrip(() -> { });
    }

    /**
     * As {@link #roundTrip()}, running {@code whileWaiting} every 50 ms outside this client's lock:
     * a pause that a message ahead of this one makes may need a resume for the echo to come.
     */
    void roundTrip(Runnable whileWaiting) throws IOException, InterruptedException {
        int number;
        synchronized (this) {
            if (ended || closeSent) {
                return;
            }
            number = next;
        }
        send(1, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            synchronized (this) {
                if (ended || echoed.contains(number)) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    problems.add("no echo of " + id + ":" + number + " within 10 s");
                    return;
                }
                wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 50));
            }
            whileWaiting.run();
        }
    }

    /** Waits until the server's end of the connection has been read to the end (bounded). */
    synchronized void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                problems.add(id + ": the connection did not end within 5 s of the server's stop");
                return;
            }
            wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
    }

    private void read() {
        try {
            while (true) {
                Frame frame;
                try {
                    frame = raw.readFrame();
                } catch (AssertionError quiet) {
                    continue; // nothing for a while: keep listening
                }
                synchronized (this) {
                    if (frame.opcode() == Opcode.TEXT) {
                        onEcho(frame.text());
                    } else if (frame.isClose()) {
                        closes++;
                        closeCode = frame.closeCode();
                        if (closes > 1) {
                            problems.add(id + " got a second Close frame");
                        }
                        if (!closeSent) {
                            closeSent = true;
                            raw.sendClose(closeCode == 1005 ? CloseStatus.NORMAL : closeCode, "");
                        }
                    }
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException end) {
            try {
                raw.close(); // the server closed first, as it should (RFC 6455 §7.1.1): the client closes too
            } catch (IOException ignored) {
                // closed either way
            }
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private void onEcho(String text) {
        String[] parts = text.split(":");
        if (!parts[0].equals(id)) {
            problems.add(id + " got another client's message " + text);
            return;
        }
        int number = Integer.parseInt(parts[1]);
        if (!echoed.isEmpty() && number <= echoed.get(echoed.size() - 1)) {
            problems.add(id + " got " + number + " after " + echoed.get(echoed.size() - 1) + ": out of order or twice");
        }
        echoed.add(number);
    }

    /**
     * What the contract allows: the echoes are the messages sent, in order, each once; all of
     * them unless the server ended the connection (the handler closed it, the queue went past its
     * cap, the swap grace period or the server's stop), in which case a prefix of them; one Close.
     */
    synchronized List<String> check(boolean serverMayEnd) throws InterruptedException {
        List<String> found = new ArrayList<>(problems);
        if (closes == 1 && !List.of(CloseStatus.NORMAL, CloseStatus.GOING_AWAY, CloseStatus.POLICY_VIOLATION).contains(closeCode)) {
            found.add(id + " was closed with " + closeCode);
        }
        boolean complete = echoed.equals(sent);
        boolean prefix = echoed.equals(sent.subList(0, Math.min(echoed.size(), sent.size())));
        boolean serverEnded = closes == 1 && (askedForTheEnd || !(closedFirst && closeCode == CloseStatus.NORMAL));
        if (!complete && !(serverMayEnd && serverEnded && prefix)) {
            found.add(id + " sent " + sent + " but got back " + echoed + ", " + closes + " Close frames (the last "
                    + closeCode + (closedFirst ? ", after the client's" : "") + ")");
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        raw.close();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
