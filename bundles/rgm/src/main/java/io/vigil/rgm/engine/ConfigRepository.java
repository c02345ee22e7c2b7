package io.vigil.rgm.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.rgm.RgmException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the RGM's configuration in the cluster store, as JSON. Every change is one
 * atomic commit guarded by the versions last read, so a change computed from stale state is
 * refused rather than lost.
 */
final class ConfigRepository {

    private final ClusterStore store;
    /** Created at first use: an empty store is read without it, which keeps start-up quick. */
    private volatile ObjectMapper json;

    ConfigRepository(ClusterStore store) {
        this.store = store;
    }

    /** @return the store it reads and writes */
    ClusterStore store() {
        return store;
    }

    private ObjectMapper json() {
        ObjectMapper m = json;
        if (m == null) {
            synchronized (this) {
                m = json;
                if (m == null) {
                    json = m = new ObjectMapper();
                }
            }
        }
        return m;
    }

    static String key(String prefix, String name) {
        return prefix + name.toLowerCase(Locale.ROOT);
    }

    <T> Map<String, Versioned<T>> load(String prefix, Class<T> kind) throws RgmException {
        Map<String, Versioned<T>> out = new LinkedHashMap<>();
        for (StoreEntry e : store.list(prefix)) {
            try {
                out.put(e.key(), new Versioned<>(json().readValue(e.value(), kind), e.version()));
            } catch (IOException ex) {
                throw new RgmException("stored configuration " + e.key() + " is not readable: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    <T> Optional<Versioned<T>> get(String key, Class<T> kind) throws RgmException {
        Optional<StoreEntry> e = store.get(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Versioned<>(json().readValue(e.get().value(), kind), e.get().version()));
        } catch (IOException ex) {
            throw new RgmException("stored configuration " + key + " is not readable: " + ex.getMessage(), ex);
        }
    }

    /** A batch of changes committed together. */
    final class Batch {
        private final List<StoreOperation> ops = new ArrayList<>();

        Batch put(String key, Object value, long expectedVersion) {
            try {
                ops.add(StoreOperation.put(key, json().writeValueAsBytes(value), expectedVersion));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode " + key, e);
            }
            return this;
        }

        Batch delete(String key, long expectedVersion) {
            ops.add(StoreOperation.delete(key, expectedVersion));
            return this;
        }

        void commit() throws RgmException {
            try {
                store.commit(ops);
            } catch (StoreConflictException e) {
                throw new RgmException("the configuration changed meanwhile (" + e.getMessage() + "); nothing was changed, try again", e);
            } catch (IOException e) {
                throw new RgmException("the configuration could not be stored: " + e.getMessage() + "; nothing was changed", e);
            }
        }
    }

    Batch batch() {
        return new Batch();
    }

    /** A stored value with the version it was read at. */
    record Versioned<T>(T value, long version) {
    }
}
