package io.vigil.testing;

import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory cluster store with the real one's compare-and-set semantics, for tests. */
public final class MemoryStore implements ClusterStore {

    private final TreeMap<String, StoreEntry> entries = new TreeMap<>();
    private long revision;
    /** When set, the next commit fails with this message and applies nothing. */
    public volatile String failNextCommit;

    @Override
    public String nodeName() {
        return "node1";
    }

    @Override
    public synchronized Optional<StoreEntry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized List<StoreEntry> list(String prefix) {
        return new ArrayList<>(entries.subMap(prefix, prefix + Character.MAX_VALUE).values());
    }

    @Override
    public synchronized List<StoreEntry> commit(List<StoreOperation> operations)
            throws StoreConflictException, java.io.IOException {
        if (failNextCommit != null) {
            String m = failNextCommit;
            failNextCommit = null;
            throw new java.io.IOException(m);
        }
        TreeMap<String, StoreEntry> next = new TreeMap<>(entries);
        List<StoreEntry> written = new ArrayList<>();
        for (StoreOperation op : operations) {
            StoreEntry cur = next.get(op.key());
            long have = cur == null ? 0 : cur.version();
            if (op.expectedVersion() != StoreOperation.ANY && op.expectedVersion() != have) {
                throw new StoreConflictException(op.key(), op.key() + " is at version " + have + ", expected "
                        + op.expectedVersion());
            }
            if (op.isDelete()) {
                next.remove(op.key());
            } else {
                StoreEntry e = new StoreEntry(op.key(), op.value(), have + 1);
                next.put(op.key(), e);
                written.add(e);
            }
        }
        entries.clear();
        entries.putAll(next);
        revision++;
        return written;
    }

    @Override
    public synchronized long revision() {
        return revision;
    }

    /** @return every entry now, by key */
    public synchronized Map<String, StoreEntry> snapshot() {
        return new TreeMap<>(entries);
    }
}
