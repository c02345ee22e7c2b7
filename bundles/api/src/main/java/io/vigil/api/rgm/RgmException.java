package io.vigil.api.rgm;

/**
 * An operation the RGM refused or that failed: an unknown name, an invalid property value, a
 * veto by Validate, a state that does not allow it. Its message says what was wrong and what was
 * expected; nothing of a refused operation was applied.
 */
public class RgmException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what was expected */
    public RgmException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and what was expected
     * @param cause the underlying failure
     */
    public RgmException(String message, Throwable cause) {
        super(message, cause);
    }
}
