package io.switchboard.launcher;

/** Why the launcher cannot serve, in words for the person who ran it. */
final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
