package io.vigil.events.recovery;

import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A cluster store in memory, for tests. */
public final class MemoryStore implements ClusterStore {

    private final TreeMap<String, StoreEntry> entries = new TreeMap<>();
    private long revision;

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
        return entries.values().stream().filter(e -> e.key().startsWith(prefix)).toList();
    }

    @Override
    public synchronized List<StoreEntry> commit(List<StoreOperation> operations) throws StoreConflictException {
        for (StoreOperation op : operations) {
            long v = entries.containsKey(op.key()) ? entries.get(op.key()).version() : 0;
            if (op.expectedVersion() != StoreOperation.ANY && op.expectedVersion() != v) {
                throw new StoreConflictException(op.key(), "expected version " + op.expectedVersion() + ", found " + v);
            }
        }
        List<StoreEntry> out = new ArrayList<>();
        for (StoreOperation op : operations) {
            if (op.isDelete()) {
                entries.remove(op.key());
            } else {
                long v = entries.containsKey(op.key()) ? entries.get(op.key()).version() : 0;
                StoreEntry e = new StoreEntry(op.key(), op.value(), v + 1);
                entries.put(op.key(), e);
                out.add(e);
            }
        }
        revision++;
        return out;
    }

    @Override
    public synchronized long revision() {
        return revision;
    }
}
