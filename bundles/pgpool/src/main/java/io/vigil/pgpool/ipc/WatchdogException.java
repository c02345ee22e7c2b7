package io.vigil.pgpool.ipc;

/** The watchdog answered, but refused the command (RESULT BAD) or answered unexpectedly. */
public final class WatchdogException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what the watchdog answered */
    public WatchdogException(String message) {
        super(message);
    }
}
