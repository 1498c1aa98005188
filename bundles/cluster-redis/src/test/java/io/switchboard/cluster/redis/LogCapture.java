package io.switchboard.cluster.redis;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The relay's log lines, as formatted: System.Logger goes to java.util.logging when nothing else
 * is installed, and the relay's loggers are named after its classes. Any thread.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private static final Logger RELAY = Logger.getLogger("io.switchboard.cluster.redis.internal");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    LogCapture() {
        RELAY.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getParameters() == null ? record.getMessage()
                : MessageFormat.format(record.getMessage(), record.getParameters());
        lines.add(record.getLevel() + " " + message);
    }

    boolean any(String part) {
        return lines.stream().anyMatch(line -> line.contains(part));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        RELAY.removeHandler(this);
    }
}
