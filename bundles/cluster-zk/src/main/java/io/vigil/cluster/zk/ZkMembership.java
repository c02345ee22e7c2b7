package io.vigil.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership, coordinator election and this node's session state.
 *
 * <ul>
 * <li>This node registers an ephemeral znode {@code nodes/<name>} with its addresses (a Curator {@link PersistentNode},
 * which registers it again under every new session); it lives exactly as long as the node's session.
 * <li>Every node runs a {@link LeaderLatch} on {@code election}. The winner begins a term by writing its name and
 * its registration's creation zxid to {@code epoch}, in one multi-operation with checks that its latch znode and its
 * registration (of its current session) still exist; the epoch znode's data version after that write is the term's
 * epoch, so every term has a greater one than the last. A term lasts while that registration does: a coordinator
 * that registers again with a new session has to win and begin a new term.
 * <li>The view (members and coordinator) is read from the cluster's {@link CuratorCache}, fed by
 * {@link #cacheChanged}; reads never go to the ensemble.
 * <li>Session states come from Curator ({@link #sessionChanged}): SUSPENDED when the connection drops; LOST at the
 * suspension's deadline unless it reconnected first, or when the ensemble reports the session expired. The deadline
 * is {@link #lastHeard} (kept fresh by a {@link #heartbeat}) plus the negotiated session timeout, less
 * {@value ClusterEvents#LOST_MARGIN_PERCENT}% of it: the ensemble cannot expire the session before that sum.
 * </ul>
 */
final class ZkMembership implements ClusterMembership {

    private static final Logger LOG = LoggerFactory.getLogger(ZkMembership.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NEVER = Long.MIN_VALUE;

    private final CuratorFramework client;
    private final ZkSettings settings;
    private final CuratorCache cache;
    private final Notifier notifier;
    private final Clock clock;
    private final String registrationPath;
    private final PersistentNode registration;
    private final LeaderLatch latch;

    private volatile NodeState localState = NodeState.DOWN;
    /** When the last question the ensemble answered was sent (System.nanoTime), or {@link #NEVER}. */
    private final AtomicLong lastHeard = new AtomicLong(NEVER);
    /** Runs the heartbeat and the deadline of a suspension; never blocks on the ensemble. */
    private final ScheduledExecutorService timer;
    /** Declares the session lost at the deadline of the current suspension. Guarded by this. */
    private ScheduledFuture<?> deadlineTimer;
    /** The term this node began, null while it is not the coordinator. */
    private volatile Term term;
    /** Whether the cache has loaded; events are posted only from then on. */
    private volatile boolean initialized;
    /** The coordinator last posted. Guarded by this. */
    private Optional<Coordinator> posted = Optional.empty();
    /** Whether this node was the coordinator when last posted. Guarded by this. */
    private boolean postedLocal;

    ZkMembership(CuratorFramework client, ZkSettings settings, CuratorCache cache, Notifier notifier, Clock clock,
            Executor executor, ScheduledExecutorService timer) {
        this.timer = timer;
        this.client = client;
        this.settings = settings;
        this.cache = cache;
        this.notifier = notifier;
        this.clock = clock;
        this.registrationPath = ZKPaths.makePath(settings.nodes(), settings.nodeName());
        this.registration = new PersistentNode(client, CreateMode.EPHEMERAL, false, registrationPath,
                registrationData(settings.addresses()));
        registration.getListenable().addListener(path -> beginTerm(), executor);
        this.latch = new LeaderLatch(client, settings.election(), settings.nodeName());
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                beginTerm();
            }

            @Override
            public void notLeader() {
                endTerm();
            }
        }, executor);
    }

    /** Registers this node and enters the election. */
    void start() throws Exception {
        registration.start();
        latch.start();
    }

    /** Leaves the election (handing the role over at once) and unregisters this node. */
    void close() throws IOException {
        try {
            latch.close();
        } finally {
            registration.close();
        }
    }

    private static byte[] registrationData(List<String> addresses) {
        try {
            return JSON.writeValueAsBytes(Map.of("addresses", addresses));
        } catch (IOException e) {
            throw new IllegalStateException("addresses " + addresses + " cannot be written as JSON", e);
        }
    }

    // ------------------------------------------------------------------ the view

    @Override
    public String localNode() {
        return settings.nodeName();
    }

    @Override
    public NodeState localState() {
        return localState;
    }

    @Override
    public List<ClusterNode> nodes() {
        Map<String, Member> registered = registered();
        NodeState state = localState;
        Member self = registered.remove(settings.nodeName());
        List<ClusterNode> nodes = new ArrayList<>();
        registered.values().forEach(m -> nodes.add(m.node()));
        nodes.add(new ClusterNode(settings.nodeName(), settings.addresses(), state,
                self == null ? 0 : self.node().since()));
        nodes.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(nodes);
    }

    @Override
    public Optional<ClusterNode> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public Optional<Coordinator> coordinator() {
        if (localState != NodeState.UP) {
            return Optional.empty();
        }
        Optional<ChildData> epoch = cache.get(settings.epoch());
        if (epoch.isEmpty() || epoch.get().getStat().getVersion() < 1) {
            return Optional.empty();
        }
        String[] holder = new String(Objects.requireNonNullElse(epoch.get().getData(), new byte[0]),
                StandardCharsets.UTF_8).split("\n");
        Member m = registered().get(holder[0]);
        if (m == null || holder.length != 2 || !holder[1].equals(Long.toString(m.czxid()))) {
            return Optional.empty(); // the last term's registration is gone; the next term has not begun yet
        }
        return Optional.of(new Coordinator(holder[0], epoch.get().getStat().getVersion()));
    }

    @Override
    public boolean isCoordinator() {
        Term t = term;
        return t != null && latch.hasLeadership() && coordinator()
                .map(c -> c.node().equals(settings.nodeName()) && c.epoch() == t.epoch()).orElse(false);
    }

    /**
     * @param epoch a coordinator epoch
     * @return this node's latch znode when this node is the coordinator of that term now
     */
    Optional<String> termLatch(long epoch) {
        Term t = term;
        return t != null && t.epoch() == epoch && localState == NodeState.UP ? Optional.of(t.latchPath())
                : Optional.empty();
    }

    /** A registered member and the zxid that created its registration. */
    private record Member(ClusterNode node, long czxid) {
    }

    /** A term this node began: its epoch and the latch znode it won with. */
    private record Term(long epoch, String latchPath) {
    }

    /** @return the registered members by name, from the cache */
    private Map<String, Member> registered() {
        Map<String, Member> found = new HashMap<>();
        String parent = settings.nodes();
        cache.stream().filter(d -> parent.equals(ZKPaths.getPathAndNode(d.getPath()).getPath())).forEach(d -> {
            String name = ZKPaths.getNodeFromPath(d.getPath());
            found.put(name, new Member(new ClusterNode(name, addresses(name, d.getData()), NodeState.UP,
                    d.getStat().getCtime()), d.getStat().getCzxid()));
        });
        return found;
    }

    private static List<String> addresses(String name, byte[] data) {
        try {
            JsonNode addresses = JSON.readTree(data == null ? new byte[0] : data).path("addresses");
            List<String> out = new ArrayList<>();
            addresses.forEach(a -> out.add(a.asText()));
            return out;
        } catch (IOException e) {
            LOG.warn("Node {} registered addresses that are not JSON ({}); showing none", name, e.getMessage());
            return List.of();
        }
    }

    // ------------------------------------------------------------------ election

    /** Begins a term when this node leads and is registered with its current session; else waits for both. */
    private void beginTerm() {
        if (term != null || !latch.hasLeadership()) {
            return;
        }
        try {
            Stat registered = client.checkExists().forPath(registrationPath);
            if (registered == null
                    || registered.getEphemeralOwner() != client.getZookeeperClient().getZooKeeper().getSessionId()) {
                LOG.debug("Node {} won the election; it begins its term once registered", settings.nodeName());
                return; // the registration's listener calls again
            }
            String latchPath = latch.getOurPath();
            String holder = settings.nodeName() + "\n" + registered.getCzxid();
            List<CuratorTransactionResult> results = client.transaction().forOperations(
                    client.transactionOp().check().forPath(latchPath),
                    client.transactionOp().check().withVersion(registered.getVersion()).forPath(registrationPath),
                    client.transactionOp().setData().forPath(settings.epoch(), holder.getBytes(StandardCharsets.UTF_8)));
            term = new Term(results.get(2).getResultStat().getVersion(), latchPath);
            LOG.info("Node {} is the coordinator, epoch {}", settings.nodeName(), term.epoch());
        } catch (Exception e) {
            // The latch's znode went with the session, or the connection dropped: the latch elects again.
            LOG.warn("Node {} won the election but could not begin its term: {}", settings.nodeName(), e.toString());
        }
        refresh();
    }

    private void endTerm() {
        Term t = term;
        if (t != null) {
            LOG.info("Node {} is no longer the coordinator (epoch {})", settings.nodeName(), t.epoch());
        }
        term = null;
        refresh();
    }

    // ------------------------------------------------------------------ changes

    /**
     * Asks the ensemble a trivial question (does the root exist?) without waiting: each answer proves that the
     * ensemble heard this session no earlier than the question was sent, so it cannot expire the session before
     * {@link #lastHeard} plus the session timeout. "No such node" is an answer too: the first heartbeat of a new
     * cluster's first node is asked before the root is made. Run every sixth of the timeout while connected.
     */
    void heartbeat() {
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return;
            }
            long sent = System.nanoTime();
            client.getZookeeperClient().getZooKeeper().exists(settings.root(), false, (rc, path, ctx, stat) -> {
                if (rc == KeeperException.Code.OK.intValue() || rc == KeeperException.Code.NONODE.intValue()) {
                    lastHeard.accumulateAndGet(sent, (a, b) -> a == NEVER ? b : Math.max(a, b));
                }
            }, null);
        } catch (Exception e) {
            LOG.debug("Heartbeat of node {} not sent: {}", settings.nodeName(), e.toString());
        }
    }

    /** Sends a heartbeat at once (on a new connection), not a sixth of the timeout later. */
    private void hearNow() {
        try {
            timer.execute(this::heartbeat);
        } catch (RejectedExecutionException e) {
            LOG.debug("Node {} is leaving the cluster: no heartbeat", settings.nodeName());
        }
    }

    /** @return the session timeout granted by the ensemble (asked for, until it answered), milliseconds */
    private long sessionTimeoutMs() {
        long timeout = client.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
        return timeout > 0 ? timeout : settings.sessionTimeoutMs();
    }

    /**
     * The connection's state changed (on Curator's thread, which nothing here blocks).
     *
     * @param state Curator's new state
     */
    synchronized void sessionChanged(ConnectionState state) {
        long timeout = sessionTimeoutMs();
        Map<String, Object> p = new HashMap<>();
        p.put(ClusterEvents.SESSION_TIMEOUT, timeout);
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                cancelDeadline();
                boolean lost = localState == NodeState.DOWN || state == ConnectionState.CONNECTED;
                if (lost) {
                    lastHeard.set(NEVER); // a new session: nothing heard of it yet
                }
                localState = NodeState.UP;
                hearNow();
                post(lost ? ClusterEvents.SESSION_CONNECTED : ClusterEvents.SESSION_RECONNECTED, settings.nodeName(),
                        p);
            }
            case SUSPENDED -> {
                if (localState != NodeState.UP) {
                    return;
                }
                localState = NodeState.SUSPENDED;
                long now = System.nanoTime();
                long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeout);
                long heard = lastHeard.get();
                // Without an answer yet, the ZooKeeper client's own bound: it suspends 2/3 of the timeout after
                // it last heard the ensemble.
                long expiry = heard == NEVER ? now + timeoutNanos / 3 : heard + timeoutNanos;
                long delay = Math.max(0, expiry - timeoutNanos * ClusterEvents.LOST_MARGIN_PERCENT / 100 - now);
                long deadline = clock.millis() + TimeUnit.NANOSECONDS.toMillis(delay);
                try {
                    deadlineTimer = timer.schedule(this::deadlinePassed, delay, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Node {} is leaving the cluster: no deadline", settings.nodeName());
                }
                p.put(ClusterEvents.DEADLINE, deadline);
                LOG.warn("Node {} lost its connection to ZooKeeper; it considers its session lost at {} unless it "
                        + "reconnects first", settings.nodeName(), java.time.Instant.ofEpochMilli(deadline));
                post(ClusterEvents.SESSION_SUSPENDED, settings.nodeName(), p);
            }
            case LOST -> {
                cancelDeadline();
                if (localState != NodeState.DOWN) {
                    lost("the ensemble expired its session", p);
                }
            }
            default -> {
                return; // READ_ONLY: never asked for
            }
        }
        refresh();
    }

    /** The deadline of a suspension passed: lost, unless it reconnected meanwhile. */
    private synchronized void deadlinePassed() {
        if (localState == NodeState.SUSPENDED) {
            lost("it did not reconnect by its deadline", Map.of(ClusterEvents.SESSION_TIMEOUT, sessionTimeoutMs()));
            refresh();
        }
    }

    private void lost(String why, Map<String, Object> properties) {
        localState = NodeState.DOWN;
        LOG.error("Node {} considers its ZooKeeper session lost ({}): it must hold nothing online",
                settings.nodeName(), why);
        post(ClusterEvents.SESSION_LOST, settings.nodeName(), properties);
    }

    private void cancelDeadline() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
    }

    /** The cache finished its first load: the view is complete from now on. */
    void cacheInitialized() {
        initialized = true;
        refresh();
    }

    /**
     * A znode of the cluster changed.
     *
     * @param path its path
     * @param created whether it was created
     * @param deleted whether it was deleted
     * @param data its data after the change (before it, when deleted)
     */
    void cacheChanged(String path, boolean created, boolean deleted, ChildData data) {
        if (settings.nodes().equals(ZKPaths.getPathAndNode(path).getPath()) && initialized) {
            String name = ZKPaths.getNodeFromPath(path);
            if (created) {
                post(ClusterEvents.NODE_JOINED, name, Map.of(ClusterEvents.ADDRESSES,
                        addresses(name, data.getData()).toArray(String[]::new)));
            } else if (deleted) {
                post(ClusterEvents.NODE_LEFT, name, Map.of());
            }
        }
        if (path.startsWith(settings.nodes()) || path.equals(settings.epoch())) {
            refresh();
        }
    }

    /** Posts {@link ClusterEvents#COORDINATOR} when the coordinator, or whether it is this node, changed. */
    private synchronized void refresh() {
        if (!initialized) {
            return;
        }
        Optional<Coordinator> now = coordinator();
        boolean local = isCoordinator();
        if (now.equals(posted) && local == postedLocal) {
            return;
        }
        posted = now;
        postedLocal = local;
        post(ClusterEvents.COORDINATOR, settings.nodeName(), Map.of(
                ClusterEvents.COORDINATOR_NODE, now.map(Coordinator::node).orElse(""),
                ClusterEvents.EPOCH, now.map(Coordinator::epoch).orElse(0L),
                ClusterEvents.LOCAL, local));
    }

    private void post(String topic, String node, Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put(ClusterEvents.NODE, node);
        p.putIfAbsent(ClusterEvents.TIME, clock.millis());
        notifier.post(topic, p);
    }
}
