package io.vigil.api.cluster;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key of the cluster store, its value and its version.
 *
 * @param key the key
 * @param value the value; treat as read-only
 * @param version 1 for a key just created, incremented by every write of it
 */
public record StoreEntry(String key, byte[] value, long version) {

    /** Checks that neither key nor value is null. */
    public StoreEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreEntry e && e.key.equals(key) && e.version == version && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return key + "@" + version + " (" + value.length + " bytes)";
    }
}
