package io.vigil.api.cluster;

import java.util.Objects;

/**
 * One step of an atomic {@link ClusterStore#commit commit}: put or delete a key, each guarded by
 * the version the caller expects it to have.
 *
 * @param key the key
 * @param value the new value for a put; null for a delete
 * @param expectedVersion {@link #ABSENT} (the key must not exist), {@link #ANY}, or the exact
 *        current version
 */
public record StoreOperation(String key, byte[] value, long expectedVersion) {

    /** Expected version meaning: the key must not exist yet. */
    public static final long ABSENT = 0;
    /** Expected version meaning: whatever the key's version (or absence) is. */
    public static final long ANY = -1;

    /** Checks the key. */
    public StoreOperation {
        Objects.requireNonNull(key, "key");
        if (expectedVersion < ANY) {
            throw new IllegalArgumentException("expected version " + expectedVersion
                    + " is not valid; expected ABSENT (0), ANY (-1) or a version above 0");
        }
    }

    /**
     * @param key the key
     * @param value its new value
     * @param expectedVersion {@link #ABSENT}, {@link #ANY} or the current version
     * @return a put
     */
    public static StoreOperation put(String key, byte[] value, long expectedVersion) {
        return new StoreOperation(key, Objects.requireNonNull(value, "value"), expectedVersion);
    }

    /**
     * @param key the key
     * @param expectedVersion {@link #ANY} or the current version
     * @return a delete
     */
    public static StoreOperation delete(String key, long expectedVersion) {
        return new StoreOperation(key, null, expectedVersion);
    }

    /** @return whether this step deletes its key */
    public boolean isDelete() {
        return value == null;
    }
}
