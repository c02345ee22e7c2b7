package io.vigil.shell;

/**
 * A command failure with a specific exit status for {@code bin/vigil}: the legacy
 * {@code scha_*} commands exit with Sun Cluster's error codes.
 */
public final class CommandStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the exit status
     * @param message what went wrong
     */
    public CommandStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return the exit status */
    public int status() {
        return status;
    }
}
