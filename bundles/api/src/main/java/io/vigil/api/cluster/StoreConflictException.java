package io.vigil.api.cluster;

/**
 * A commit was refused because a key's version was not the one expected: someone else changed it
 * first. Nothing of the commit was applied; read again and retry.
 */
public final class StoreConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the key whose version did not match
     * @param message what was expected and what was found
     */
    public StoreConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** @return the key whose version did not match */
    public String key() {
        return key;
    }
}
