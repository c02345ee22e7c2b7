package io.vigil.api.cluster;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's shared configuration: a versioned key-value store. Provided as a service by the
 * cluster bundle in use ({@code cluster-local} for a cluster of one).
 *
 * <p>Keys are paths of segments separated by {@code /}, each of letters, digits, {@code _},
 * {@code -} and {@code .} (not {@code .} or {@code ..}), e.g. {@code groups/web-rg}; at most 1024
 * characters. Values are opaque bytes (Vigil writes JSON). Every commit is atomic and durable
 * before it returns: after a crash at any moment the store reads as it was before or after the
 * commit, never in between.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ClusterStore {

    /** @return this node's name, unique in the cluster */
    String nodeName();

    /**
     * @param key a key
     * @return its entry, or empty when absent
     * @throws IllegalArgumentException if the key is not valid
     */
    Optional<StoreEntry> get(String key);

    /**
     * @param prefix a key prefix, e.g. {@code groups/}; empty for every key
     * @return the entries whose keys start with it, ordered by key
     */
    List<StoreEntry> list(String prefix);

    /**
     * Applies operations atomically: all of them, or none when any expected version does not
     * match.
     *
     * @param operations the steps, applied in order; a key may appear once
     * @return the entries written (puts), in order
     * @throws StoreConflictException if an expected version did not match; nothing was applied
     * @throws IOException if the store could not be written; nothing was applied
     * @throws IllegalArgumentException if a key is invalid or appears twice
     */
    List<StoreEntry> commit(List<StoreOperation> operations) throws StoreConflictException, IOException;

    /**
     * The store's revision: incremented by every commit. Lets a reader tell whether anything
     * changed since it last looked.
     *
     * @return the current revision, 0 for an empty store never written
     */
    long revision();
}
