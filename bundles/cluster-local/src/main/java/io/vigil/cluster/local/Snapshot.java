package io.vigil.cluster.local;

import io.vigil.api.cluster.StoreEntry;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One immutable state of the store: what a reader sees and what one file holds.
 *
 * @param revision the number of commits so far
 * @param node the name of the node that wrote it
 * @param entries the entries by key; not modified once given here
 */
record Snapshot(long revision, String node, NavigableMap<String, StoreEntry> entries) {

    Snapshot {
        entries = Collections.unmodifiableNavigableMap(entries);
    }

    /** @return the state of a store never written */
    static Snapshot empty(String node) {
        return new Snapshot(0, node, new TreeMap<>());
    }
}
