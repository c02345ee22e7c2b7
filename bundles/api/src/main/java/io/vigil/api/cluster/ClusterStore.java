package io.vigil.api.cluster;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's shared configuration: a versioned key-value store. Provided as a service by the
 * cluster bundle in use: {@code cluster-local} for a cluster of one, {@code cluster-zk} for a cluster on
 * ZooKeeper (configuration {@code io.vigil.cluster}, {@code mode}); exactly one is registered. Changes,
 * by this node or another, are posted as {@link ClusterEvents#STORE_CHANGED} events.
 *
 * <p>Keys are paths of segments separated by {@code /}, each of letters, digits, {@code _},
 * {@code -} and {@code .} (not {@code .} or {@code ..}), e.g. {@code groups/web-rg}; at most 1024
 * characters. Values are opaque bytes (Vigil writes JSON). Every commit is atomic and durable
 * before it returns: after a crash at any moment the store reads as it was before or after the
 * commit, never in between.
 *
 * <p>A store kept remotely ({@code cluster-zk}) can fail where a file cannot: reads then throw
 * {@link java.io.UncheckedIOException}, and a commit whose connection dropped while it was in flight
 * throws an {@link IOException} whose message says that its outcome is unknown (read again to see);
 * every other {@link IOException} from a commit means nothing was applied.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ClusterStore {

    /** @return this node's name, unique in the cluster */
    String nodeName();

    /**
     * @param key a key
     * @return its entry, or empty when absent
     * @throws IllegalArgumentException if the key is not valid
     * @throws java.io.UncheckedIOException if a remote store cannot be read
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
     * Applies operations atomically, and only while this node is the coordinator in term
     * {@code epoch} ({@link Coordinator#epoch()}, {@link ClusterMembership#isCoordinator()}): the
     * coordinator commits what it decides with this, so that once it has lost the role (another
     * node was elected, or its own session ended) nothing it decided can be stored. The check and
     * the operations are one atomic step.
     *
     * @param epoch the term the decision was made in
     * @param operations the steps, as for {@link #commit(List)}
     * @return the entries written (puts), in order
     * @throws StoreConflictException if an expected version did not match, or this node is not
     *         the coordinator of that term ({@link StoreConflictException#key()} is then
     *         {@link #EPOCH_KEY}); nothing was applied
     * @throws IOException if the store could not be written; nothing was applied
     * @throws IllegalArgumentException if a key is invalid or appears twice
     * @since 1.1
     */
    default List<StoreEntry> commitFenced(long epoch, List<StoreOperation> operations)
            throws StoreConflictException, IOException {
        // A store without elections: a cluster of one, whose only term is SINGLE_NODE_EPOCH.
        if (epoch != SINGLE_NODE_EPOCH) {
            throw new StoreConflictException(EPOCH_KEY, "coordinator epoch " + epoch + " is not the current one ("
                    + SINGLE_NODE_EPOCH + ", the only term of a cluster of one); nothing was committed");
        }
        return commit(operations);
    }

    /**
     * The coordinator term of a cluster of one, which has no elections: its node coordinates in
     * this epoch for ever. The default {@link #commitFenced} accepts it alone.
     *
     * @since 1.1
     */
    long SINGLE_NODE_EPOCH = 1;

    /**
     * What {@link StoreConflictException#key()} names when {@link #commitFenced} was refused
     * because its term is over. Not a key of the store.
     *
     * @since 1.1
     */
    String EPOCH_KEY = "(coordinator epoch)";

    /**
     * The store's revision: incremented by every commit. Lets a reader tell whether anything
     * changed since it last looked.
     *
     * @return the current revision, 0 for an empty store never written
     */
    long revision();
}
