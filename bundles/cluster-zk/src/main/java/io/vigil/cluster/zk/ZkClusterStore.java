package io.vigil.cluster.zk;

import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreKeys;
import io.vigil.api.cluster.StoreOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster store in ZooKeeper: one znode per key under {@link ZkSettings#store()}, whose data version (plus one)
 * is the key's version. A commit is one ZooKeeper multi-operation: every step guarded by the version expected,
 * plus a write of the store's znode, whose data version thereby counts the commits (the {@link #revision()}).
 * ZooKeeper applies a multi-operation whole or not at all, and only once a quorum of the ensemble has it on disk.
 *
 * <p>Reads go to the server this node is connected to, which has seen at least every write of this node's
 * session (ZooKeeper's read-your-writes order); {@link #list} reads a consistent snapshot.
 *
 * <p>Commits are sent once, never retried by the client: when the connection drops while a commit is in flight,
 * it may or may not have been applied, and {@link #commit} throws an {@link IOException} that says so (read the
 * store again to see). Every other {@link IOException} means nothing was applied.
 */
final class ZkClusterStore implements ClusterStore {

    /** Attempts of a commit whose steps expect {@link StoreOperation#ANY} and lose a race, and of a snapshot. */
    private static final int ATTEMPTS = 16;

    private final CuratorFramework client;
    private final ZkSettings settings;
    private final LongFunction<Optional<String>> termLatch;

    /**
     * @param client the client
     * @param settings the settings
     * @param termLatch for an epoch, this node's latch znode when it is the coordinator of that term now
     */
    ZkClusterStore(CuratorFramework client, ZkSettings settings, LongFunction<Optional<String>> termLatch) {
        this.client = client;
        this.settings = settings;
        this.termLatch = termLatch;
    }

    @Override
    public String nodeName() {
        return settings.nodeName();
    }

    @Override
    public Optional<StoreEntry> get(String key) {
        String path = settings.keyPath(StoreKeys.check(key));
        try {
            Stat stat = new Stat();
            byte[] value = client.getData().storingStatIn(stat).forPath(path);
            return Optional.of(entry(key, value, stat));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw unreadable("key " + key, e);
        }
    }

    @Override
    public List<StoreEntry> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Optional<List<StoreEntry>> snapshot = snapshot(prefix);
                if (snapshot.isPresent()) {
                    return snapshot.get();
                }
            }
        } catch (Exception e) {
            throw unreadable("keys " + prefix + "*", e);
        }
        throw unreadable("keys " + prefix + "*", new IOException("the store changed during each of " + ATTEMPTS
                + " attempts to read it"));
    }

    /** One attempt: the keys, then their values in one read-only multi-operation with the store's version. */
    private Optional<List<StoreEntry>> snapshot(String prefix) throws Exception {
        Stat before = new Stat();
        List<String> keys = new ArrayList<>();
        for (String child : client.getChildren().storingStatIn(before).forPath(settings.store())) {
            String key = ZkSettings.keyOf(child);
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        keys.sort(null);
        List<Op> reads = new ArrayList<>();
        reads.add(Op.getData(settings.store()));
        keys.forEach(k -> reads.add(Op.getData(settings.keyPath(k))));
        List<OpResult> results = zooKeeper().multi(reads);
        if (!(results.get(0) instanceof OpResult.GetDataResult root)) {
            throw new IOException("znode " + settings.store() + " cannot be read");
        }
        if (root.getStat().getVersion() != before.getVersion()) {
            return Optional.empty(); // a commit came in between
        }
        List<StoreEntry> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (results.get(i + 1) instanceof OpResult.GetDataResult r) {
                entries.add(entry(keys.get(i), r.getData(), r.getStat()));
            }
        }
        return Optional.of(List.copyOf(entries));
    }

    @Override
    public long revision() {
        try {
            Stat stat = client.checkExists().forPath(settings.store());
            if (stat == null) {
                throw new IOException("znode " + settings.store() + " is missing");
            }
            return stat.getVersion();
        } catch (Exception e) {
            throw unreadable("the revision", e);
        }
    }

    @Override
    public List<StoreEntry> commit(List<StoreOperation> operations) throws StoreConflictException, IOException {
        return commit(operations, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: only while this node is the coordinator of that term; the commit checks, in the same multi-operation,
     * that the epoch znode is still at that version and that the latch znode this node won the term with still
     * exists (so not even a commit sent under a later session of this node can pass).
     */
    @Override
    public List<StoreEntry> commitFenced(long epoch, List<StoreOperation> operations)
            throws StoreConflictException, IOException {
        StoreKeys.checkCommit(operations);
        Optional<String> latch = termLatch.apply(epoch);
        if (latch.isEmpty() || epoch > Integer.MAX_VALUE) {
            throw new StoreConflictException(EPOCH_KEY, "coordinator epoch " + epoch + " is not a term of this node ("
                    + settings.nodeName() + ") now: the coordinator's term is " + currentEpoch()
                    + "; nothing was committed");
        }
        return commit(operations, new Fence(epoch, latch.get()));
    }

    /** What a fenced commit checks: the epoch znode's version and the latch znode of the term. */
    private record Fence(long epoch, String latchPath) {
    }

    private List<StoreEntry> commit(List<StoreOperation> operations, Fence fence)
            throws StoreConflictException, IOException {
        StoreKeys.checkCommit(operations);
        if (operations.isEmpty() && fence == null) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            Transaction tx = prepare(operations, fence);
            List<OpResult> results;
            try {
                results = zooKeeper().multi(tx.ops);
            } catch (KeeperException e) {
                List<OpResult> failed = e.getResults();
                int index = failedIndex(failed);
                if (index < 0 || e instanceof KeeperException.ConnectionLossException
                        || e instanceof KeeperException.SessionExpiredException) {
                    throw notWritten(e);
                }
                StoreOperation op = tx.sources.get(index);
                if (op == null) {
                    throw new StoreConflictException(EPOCH_KEY, "coordinator epoch " + fence.epoch() + " is over (the "
                            + "coordinator's term is now " + currentEpoch() + "); nothing was committed");
                }
                if (op.expectedVersion() == StoreOperation.ANY && attempt < ATTEMPTS) {
                    continue; // the key changed between the read and the write; the caller accepts any version
                }
                long found = get(op.key()).map(StoreEntry::version).orElse(StoreOperation.ABSENT);
                throw new StoreConflictException(op.key(), "key " + op.key() + " was expected "
                        + describe(op.expectedVersion()) + " but is " + describe(found) + "; nothing was committed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("commit to the cluster store was interrupted; it may or may not have been "
                        + "applied: read the store again", e);
            }
            return written(operations, tx, results);
        }
    }

    /** The multi-operation of a commit, and for each of its steps the operation it comes from (null: a fence). */
    private record Transaction(List<Op> ops, List<StoreOperation> sources) {
    }

    private Transaction prepare(List<StoreOperation> operations, Fence fence) throws IOException {
        List<Op> ops = new ArrayList<>();
        List<StoreOperation> sources = new ArrayList<>();
        if (fence != null) {
            ops.add(Op.check(settings.epoch(), (int) fence.epoch()));
            ops.add(Op.check(fence.latchPath(), -1));
            sources.add(null);
            sources.add(null);
        }
        for (StoreOperation op : operations) {
            String path = settings.keyPath(op.key());
            long expected = op.expectedVersion();
            if (expected == StoreOperation.ANY) {
                Stat stat = exists(path);
                if (op.isDelete()) {
                    if (stat != null) {
                        add(ops, sources, op, Op.delete(path, stat.getVersion()));
                    }
                } else if (stat == null) {
                    add(ops, sources, op, create(path, op.value()));
                } else {
                    add(ops, sources, op, Op.setData(path, op.value(), stat.getVersion()));
                }
            } else if (expected == StoreOperation.ABSENT) {
                add(ops, sources, op, create(path, op.isDelete() ? new byte[0] : op.value()));
                if (op.isDelete()) {
                    add(ops, sources, op, Op.delete(path, 0)); // checks absence: create fails if it exists
                }
            } else if (op.isDelete()) {
                add(ops, sources, op, Op.delete(path, zkVersion(expected)));
            } else {
                add(ops, sources, op, Op.setData(path, op.value(), zkVersion(expected)));
            }
        }
        if (!operations.isEmpty()) {
            ops.add(Op.setData(settings.store(), settings.nodeName().getBytes(StandardCharsets.UTF_8), -1));
            sources.add(null);
        }
        return new Transaction(ops, sources);
    }

    private static void add(List<Op> ops, List<StoreOperation> sources, StoreOperation source, Op op) {
        ops.add(op);
        sources.add(source);
    }

    private static Op create(String path, byte[] value) {
        return Op.create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    /** Key versions count from 1, znode versions from 0; versions above the znode's range can never match. */
    private static int zkVersion(long expected) {
        return expected - 1 > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) (expected - 1);
    }

    private Stat exists(String path) throws IOException {
        try {
            return client.checkExists().forPath(path);
        } catch (Exception e) {
            throw notWritten(e);
        }
    }

    private List<StoreEntry> written(List<StoreOperation> operations, Transaction tx, List<OpResult> results) {
        Map<StoreOperation, OpResult> last = new IdentityHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (tx.sources.get(i) != null) {
                last.put(tx.sources.get(i), results.get(i));
            }
        }
        List<StoreEntry> entries = new ArrayList<>();
        for (StoreOperation op : operations) {
            if (!op.isDelete()) {
                OpResult r = last.get(op);
                long version = r instanceof OpResult.SetDataResult s ? s.getStat().getVersion() + 1L : 1L;
                entries.add(new StoreEntry(op.key(), op.value().clone(), version));
            }
        }
        return List.copyOf(entries);
    }

    /** @return the index of the step that failed a multi-operation, or -1 when none is named */
    private static int failedIndex(List<OpResult> results) {
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult r && r.getErr() != KeeperException.Code.OK.intValue()
                    && r.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    private String currentEpoch() {
        try {
            Stat stat = client.checkExists().forPath(settings.epoch());
            return stat == null ? "unknown" : Integer.toString(stat.getVersion());
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private ZooKeeper zooKeeper() throws IOException {
        try {
            if (!client.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
                throw new IOException("not connected to ZooKeeper " + settings.connect() + " within "
                        + client.getZookeeperClient().getConnectionTimeoutMs() + " ms");
            }
            return client.getZookeeperClient().getZooKeeper();
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to ZooKeeper " + settings.connect(), e);
        } catch (Exception e) {
            throw new IOException("no ZooKeeper connection to " + settings.connect() + ": " + e.getMessage(), e);
        }
    }

    private IOException notWritten(Exception e) {
        if (e instanceof IOException io) {
            return new IOException("cluster store on ZooKeeper " + settings.connect() + " was not written: "
                    + io.getMessage() + "; nothing was committed", io);
        }
        if (e instanceof KeeperException.ConnectionLossException) {
            return new IOException("the connection to ZooKeeper " + settings.connect() + " was lost during a commit; "
                    + "it may or may not have been applied: read the store again", e);
        }
        return new IOException("cluster store on ZooKeeper " + settings.connect() + " was not written ("
                + e.getMessage() + "); nothing was committed", e);
    }

    private UncheckedIOException unreadable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new UncheckedIOException(new IOException("cluster store on ZooKeeper " + settings.connect()
                + " cannot read " + what + ": " + e.getMessage(), e));
    }

    private static StoreEntry entry(String key, byte[] value, Stat stat) {
        return new StoreEntry(key, value == null ? new byte[0] : value, stat.getVersion() + 1L);
    }

    private static String describe(long version) {
        return version == StoreOperation.ABSENT ? "absent" : "at version " + version;
    }
}
