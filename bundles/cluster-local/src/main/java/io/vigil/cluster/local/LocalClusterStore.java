package io.vigil.cluster.local;

import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreKeys;
import io.vigil.api.cluster.StoreOperation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster store of a cluster of one: every entry in memory, the whole store in one JSON file rewritten
 * atomically by each commit. Reads see an immutable snapshot; commits run one at a time and publish their
 * snapshot only once it is on disk. Opened and registered by {@link LocalCluster} in local mode.
 */
public final class LocalClusterStore implements ClusterStore {

    /** Configuration PID. */
    public static final String PID = "io.vigil.cluster.local";

    /** Framework property naming the agent's data directory; the store defaults to cluster/ in it. */
    public static final String DATA_DIR_PROPERTY = "vigil.data";

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterStore.class);

    @ObjectClassDefinition(pid = PID, name = "Vigil local cluster store",
            description = "The cluster configuration of a single-node cluster, kept in store.json in one directory. "
                    + "Every commit rewrites the file atomically and reaches the disk before it returns; the file it "
                    + "replaced is kept as store.json.prev.")
    public @interface Config {
        @AttributeDefinition(name = "Directory",
                description = "Directory of the store, created owner-only (0700). Empty: cluster/ in the agent's "
                        + "data directory (framework property vigil.data, else data/).")
        String directory() default "";

        @AttributeDefinition(name = "Node name",
                description = "This node's name in the cluster: letters, digits, '_', '-' and '.'. "
                        + "Empty: the host name.")
        String node_name() default "";
    }

    private final String nodeName;
    private final StoreFile file;
    private final Object commitLock = new Object();
    private volatile Snapshot state;
    /** Guarded by commitLock. */
    private boolean closed;
    /** Why commits are refused since a write of unknown outcome; null while they are not. Guarded by commitLock. */
    private String refusal;
    /** Told of each commit's changes once it is on disk, in commit order (called under commitLock). */
    private volatile Consumer<List<Change>> changes = c -> { };

    /**
     * One key changed by a commit.
     *
     * @param key the key
     * @param version its version after the commit, 0 when deleted
     * @param created whether the key did not exist before
     */
    record Change(String key, long version, boolean created) {
    }

    /**
     * Opens the store and loads it.
     *
     * @param context the bundle context, for the data directory
     * @param config the configuration
     * @throws IOException if the store cannot be opened or its file is not valid
     */
    public LocalClusterStore(BundleContext context, Config config) throws IOException {
        this(directory(config.directory(), context.getProperty(DATA_DIR_PROPERTY)), nodeName(config.node_name()));
    }

    /**
     * Opens the store in a directory and loads it.
     *
     * @param directory the store's directory, created if need be
     * @param nodeName this node's name
     * @throws IOException if the store cannot be opened or its file is not valid
     */
    LocalClusterStore(Path directory, String nodeName) throws IOException {
        this.nodeName = checkNodeName(nodeName);
        this.file = StoreFile.open(directory);
        try {
            this.state = file.load().orElseGet(() -> Snapshot.empty(nodeName));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        if (!state.node().equals(nodeName)) {
            LOG.warn("Cluster store {} was written by node {}; this node is {} and writes that name from now on",
                    file.live(), state.node(), nodeName);
        }
        LOG.info("Cluster store {} opened at revision {} with {} keys", file.live(), state.revision(),
                state.entries().size());
    }

    static Path directory(String configured, String dataDirectory) {
        if (!configured.isBlank()) {
            return Path.of(configured.strip());
        }
        return Path.of(dataDirectory == null || dataDirectory.isBlank() ? "data" : dataDirectory, "cluster");
    }

    static String nodeName(String configured) throws IOException {
        if (!configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IOException("this host's name is unknown (" + e.getMessage() + "); set node.name in "
                    + "configuration " + PID, e);
        }
    }

    private static String checkNodeName(String name) {
        String problem = StoreKeys.segmentProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("node name " + StoreKeys.quote(name) + " is not valid: it " + problem
                    + "; expected " + StoreKeys.SEGMENT_SYNTAX + ", e.g. node-1 (set node.name in configuration " + PID
                    + ")");
        }
        return name;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public Optional<StoreEntry> get(String key) {
        return Optional.ofNullable(state.entries().get(StoreKeys.check(key)));
    }

    @Override
    public List<StoreEntry> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<StoreEntry> found = new ArrayList<>();
        for (StoreEntry e : state.entries().tailMap(prefix, true).values()) {
            if (!e.key().startsWith(prefix)) {
                break;
            }
            found.add(e);
        }
        return List.copyOf(found);
    }

    @Override
    public long revision() {
        return state.revision();
    }

    /**
     * {@inheritDoc}
     *
     * <p>An empty list commits nothing and leaves the revision as it is.
     */
    @Override
    public List<StoreEntry> commit(List<StoreOperation> operations) throws StoreConflictException, IOException {
        StoreKeys.checkCommit(operations);
        if (operations.isEmpty()) {
            return List.of();
        }
        synchronized (commitLock) {
            if (closed) {
                throw new IllegalStateException("cluster store " + file.live() + " is closed");
            }
            if (refusal != null) {
                throw new IOException("cluster store " + file.live() + " refuses commits: " + refusal);
            }
            Snapshot current = state;
            for (StoreOperation op : operations) {
                checkVersion(op, current.entries().get(op.key()));
            }
            NavigableMap<String, StoreEntry> entries = new TreeMap<>(current.entries());
            List<StoreEntry> written = new ArrayList<>();
            List<Change> changed = new ArrayList<>();
            for (StoreOperation op : operations) {
                if (op.isDelete()) {
                    if (entries.remove(op.key()) != null) {
                        changed.add(new Change(op.key(), 0, false));
                    }
                } else {
                    StoreEntry old = entries.get(op.key());
                    StoreEntry entry = new StoreEntry(op.key(), op.value().clone(), old == null ? 1 : old.version() + 1);
                    entries.put(op.key(), entry);
                    written.add(entry);
                    changed.add(new Change(op.key(), entry.version(), old == null));
                }
            }
            Snapshot next = new Snapshot(current.revision() + 1, nodeName, entries);
            try {
                file.save(next);
            } catch (StoreFile.UncertainWriteException e) {
                refusal = e.getMessage() + "; reactivate the store to read back what the disk holds";
                throw e;
            }
            state = next;
            changes.accept(List.copyOf(changed));
            return List.copyOf(written);
        }
    }

    private static void checkVersion(StoreOperation op, StoreEntry current) throws StoreConflictException {
        long expected = op.expectedVersion();
        long found = current == null ? StoreOperation.ABSENT : current.version();
        if (expected != StoreOperation.ANY && expected != found) {
            throw new StoreConflictException(op.key(), "key " + op.key() + " was expected " + describe(expected)
                    + " but is " + describe(found) + "; nothing was committed");
        }
    }

    private static String describe(long version) {
        return version == StoreOperation.ABSENT ? "absent" : "at version " + version;
    }

    /** @param listener told of each commit's changes once it is on disk, in commit order */
    void onChanges(Consumer<List<Change>> listener) {
        this.changes = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Releases the store's directory; commits are refused from now on.
     *
     * @throws IOException if the lock cannot be released
     */
    public void close() throws IOException {
        synchronized (commitLock) {
            if (!closed) {
                closed = true;
                file.close();
            }
        }
    }
}
