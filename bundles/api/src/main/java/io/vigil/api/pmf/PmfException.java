package io.vigil.api.pmf;

/** A PMF request that was refused or failed; the message says what and what was expected. */
public class PmfException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong */
    public PmfException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause the underlying failure
     */
    public PmfException(String message, Throwable cause) {
        super(message, cause);
    }
}
