package io.switchboard.benchmarks.load;

/** The run cannot produce a valid result; the message says why and goes to stderr. */
final class RunFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RunFailure(String message) {
        super(message);
    }

    RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
