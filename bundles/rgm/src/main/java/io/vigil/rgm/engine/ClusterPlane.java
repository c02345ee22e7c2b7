package io.vigil.rgm.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.rgm.GroupState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows of the cluster's runtime: where the coordinator placed every group
 * ({@code rgm/placement/<group>}), what every node reports for its groups
 * ({@code rgm/status/<node>/<group>}), which node holds a failover group
 * ({@code rgm/owner/<group>}), and which nodes an outside observer reports dead
 * ({@code rgm/down/<node>}). The caches are filled at start-up and kept current from the
 * store's change events; reads never block on the store.
 *
 * <p>On a cluster of one ({@link #distributed()} false) there is nobody to tell: statuses are not
 * written and claims are not taken, the local state being the whole truth.
 */
final class ClusterPlane {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPlane.class);

    /** Key prefix of placements, written by the coordinator only. */
    static final String PLACEMENT = "rgm/placement/";
    /** Key prefix of the states nodes report, {@code rgm/status/<node>/<group>}. */
    static final String STATUS = "rgm/status/";
    /** Key prefix of failover groups' holders. */
    static final String OWNER = "rgm/owner/";
    /** Key prefix of dead reports, {@code rgm/down/<node>}. */
    static final String DOWN = "rgm/down/";

    /**
     * A placement decision.
     *
     * @param group the group
     * @param nodes where it should run
     * @param epoch the coordinator's term
     * @param coordinator the coordinator
     * @param decided when, epoch ms
     * @param reason why fewer nodes than wanted, or empty
     * @param cause what led to the decision
     */
    record Placed(String group, List<String> nodes, long epoch, String coordinator, long decided, String reason,
            String cause) {
        Placed {
            nodes = List.copyOf(nodes);
            reason = reason == null ? "" : reason;
            cause = cause == null ? "" : cause;
        }
    }

    /** A placement with its store version (the fencing token). */
    record Versioned(Placed placed, long version) {
    }

    /**
     * What a node reports for a group.
     *
     * @param node the node
     * @param group the group
     * @param state its state there
     * @param message the group's message there
     * @param placement the placement version it acted on
     * @param time when it reached the state, epoch ms
     * @param failed when it last failed there (start failure or giveover), epoch ms; 0 if never
     */
    record Status(String node, String group, String state, String message, long placement, long time, long failed) {
    }

    /**
     * Who holds a failover group.
     *
     * @param node the node
     * @param placement the placement version it claimed it under
     * @param time when, epoch ms
     */
    record Owner(String node, long placement, long time) {
    }

    /**
     * A report that a node is dead.
     *
     * @param node the node
     * @param since the start of the node's session when it was reported ({@link ClusterNode#since()}):
     *        the report is about that session only
     * @param reason what the reporter said
     * @param reportedOn the node that received the report
     * @param time when, epoch ms
     */
    record Down(String node, long since, String reason, String reportedOn, long time) {
    }

    final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ClusterStore store;
    private final ClusterMembership membership;
    private final boolean distributed;
    final Clock clock;
    private final Map<String, Versioned> placements = new ConcurrentHashMap<>();
    /** Node to group key to status. */
    private final Map<String, Map<String, Status>> statuses = new ConcurrentHashMap<>();
    /** Group key to the failure time this node last reported, so that every report carries it. */
    private final Map<String, Long> failedHere = new ConcurrentHashMap<>();
    /** Node key to the dead report about it, with the report's store version. */
    private final Map<String, Map.Entry<Down, Long>> downs = new ConcurrentHashMap<>();
    private final Object changes = new Object();

    ClusterPlane(ClusterStore store, ClusterMembership membership, boolean distributed, Clock clock) {
        this.store = store;
        this.membership = membership;
        this.distributed = distributed;
        this.clock = clock;
    }

    ClusterMembership membership() {
        return membership;
    }

    ClusterStore store() {
        return store;
    }

    /** @return whether other nodes may exist (the cluster runs on ZooKeeper) */
    boolean distributed() {
        return distributed;
    }

    String local() {
        return membership.localNode();
    }

    NodeState localState() {
        return membership.localState();
    }

    /** @return the members whose session is live, this node only while it is UP */
    Set<String> liveNodes() {
        Set<String> out = new LinkedHashSet<>();
        for (ClusterNode n : membership.nodes()) {
            if (n.state() == NodeState.UP) {
                out.add(n.name());
            }
        }
        return out;
    }

    boolean isLive(String node) {
        return membership.node(node).map(n -> n.state() == NodeState.UP).orElse(false);
    }

    // ------------------------------------------------------------------ loading and events

    /** Reads every placement and status. */
    void loadAll() {
        for (StoreEntry e : store.list(PLACEMENT)) {
            readPlacement(e);
        }
        for (StoreEntry e : store.list(STATUS)) {
            readStatus(e);
        }
        downs.clear();
        for (StoreEntry e : store.list(DOWN)) {
            readDown(e);
        }
    }

    /**
     * A dead report's key changed: reads it again.
     *
     * @param key the key
     */
    void downChanged(String key) {
        Optional<StoreEntry> e = store.get(key);
        if (e.isEmpty()) {
            downs.remove(key.substring(DOWN.length()));
        } else {
            readDown(e.get());
        }
        changed();
    }

    private void readDown(StoreEntry e) {
        try {
            Down d = json.readValue(e.value(), Down.class);
            downs.put(key(d.node()), Map.entry(d, e.version()));
        } catch (IOException ex) {
            LOG.error("Dead report {} is not readable and is ignored: {}", e.key(), ex.getMessage());
        }
    }

    /**
     * @return the dead reports that hold: about a member that still has the session it was
     *         reported with, by node name
     */
    Map<String, Down> reportedDead() {
        Map<String, Down> out = new java.util.TreeMap<>();
        for (Map.Entry<Down, Long> e : downs.values()) {
            Down d = e.getKey();
            if (membership.node(d.node()).filter(n -> n.since() == d.since()).isPresent()) {
                out.put(d.node(), d);
            }
        }
        return out;
    }

    /** @return what each node that holds a dead report was reported with, for placement */
    Map<String, String> deadReasons() {
        Map<String, String> out = new java.util.HashMap<>();
        reportedDead().forEach((n, d) -> out.put(n, d.reason()));
        return out;
    }

    /**
     * Stores a node's dead report, or removes it.
     *
     * @param node the member (its current session is the one reported)
     * @param down the report; empty to remove it
     * @throws IOException if the store cannot be written
     */
    void reportDown(ClusterNode node, Optional<Down> down) throws IOException {
        String k = DOWN + key(node.name());
        try {
            if (down.isPresent()) {
                store.commit(List.of(StoreOperation.put(k, json.writeValueAsBytes(down.get()), StoreOperation.ANY)));
            } else if (store.get(k).isPresent()) {
                store.commit(List.of(StoreOperation.delete(k, StoreOperation.ANY)));
            }
        } catch (StoreConflictException e) {
            throw new IOException("the report changed at the same moment: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Removes the dead reports that no longer hold (their node left, or rejoined with another
     * session); the coordinator does this, each removal conditional on the version it read.
     */
    void forgetStaleDowns() {
        Set<String> holding = reportedDead().keySet().stream().map(ClusterPlane::key)
                .collect(java.util.stream.Collectors.toSet());
        for (Map.Entry<String, Map.Entry<Down, Long>> e : Map.copyOf(downs).entrySet()) {
            if (holding.contains(e.getKey())) {
                continue;
            }
            try {
                store.commit(List.of(StoreOperation.delete(DOWN + e.getKey(), e.getValue().getValue())));
                LOG.info("Dead report about node {} withdrawn: the node left the cluster since ({})",
                        e.getValue().getKey().node(), e.getValue().getKey().reason());
            } catch (StoreConflictException ex) {
                LOG.debug("Dead report about {} changed meanwhile: {}", e.getKey(), ex.getMessage());
            } catch (IOException | UncheckedIOException ex) {
                LOG.warn("A stale dead report about node {} could not be removed: {}", e.getKey(), ex.getMessage());
            }
        }
    }

    /**
     * A placement key changed: reads it again.
     *
     * @param key the key
     * @return the group key whose placement is to be acted on, or empty when the event is older than what is known
     */
    Optional<String> placementChanged(String key) {
        String group = key.substring(PLACEMENT.length());
        Optional<StoreEntry> e = store.get(key);
        if (e.isEmpty()) {
            return placements.remove(group) == null ? Optional.empty() : Optional.of(group);
        }
        Versioned known = placements.get(group);
        if (known != null && known.version() > e.get().version()) {
            return Optional.empty();
        }
        if (known == null || known.version() < e.get().version()) {
            readPlacement(e.get());
        }
        // The same version is news too: the coordinator records its own placements before their
        // events arrive, and it may be the node that has to act on them (take the group offline).
        return Optional.of(group);
    }

    /**
     * A status key changed: reads it again and wakes whoever waits on statuses.
     *
     * @param key the key
     * @return the group key whose status changed, or empty for a key that names none
     */
    Optional<String> statusChanged(String key) {
        String[] parts = key.substring(STATUS.length()).split("/", 2);
        if (parts.length != 2) {
            return Optional.empty();
        }
        Optional<StoreEntry> e = store.get(key);
        if (e.isEmpty()) {
            Map<String, Status> byGroup = statuses.get(parts[0]);
            if (byGroup != null) {
                byGroup.remove(parts[1]);
            }
        } else {
            readStatus(e.get());
        }
        changed();
        return Optional.of(parts[1]);
    }

    private void readPlacement(StoreEntry e) {
        try {
            Placed p = json.readValue(e.value(), Placed.class);
            placements.merge(key(p.group()), new Versioned(p, e.version()),
                    (old, next) -> old.version() >= next.version() ? old : next);
        } catch (IOException ex) {
            LOG.error("Placement {} is not readable and is ignored: {}", e.key(), ex.getMessage());
        }
    }

    private void readStatus(StoreEntry e) {
        try {
            Status s = json.readValue(e.value(), Status.class);
            statuses.computeIfAbsent(s.node(), n -> new ConcurrentHashMap<>()).put(key(s.group()), s);
        } catch (IOException ex) {
            LOG.error("Status {} is not readable and is ignored: {}", e.key(), ex.getMessage());
        }
    }

    // ------------------------------------------------------------------ placement

    Optional<Versioned> placement(String group) {
        return Optional.ofNullable(placements.get(key(group)));
    }

    Map<String, Versioned> placements() {
        return Map.copyOf(placements);
    }

    /** Records placements just committed by this node (the coordinator), before their events arrive. */
    void placed(List<StoreEntry> written) {
        written.forEach(this::readPlacement);
        changed();
    }

    void forgetPlacements() {
        placements.clear();
    }

    /**
     * @param group a group
     * @return whether the current placement names this node
     */
    boolean placedHere(String group) {
        Versioned v = placements.get(key(group));
        return v != null && v.placed().nodes().contains(local());
    }

    // ------------------------------------------------------------------ statuses

    /** @return what other nodes report, node to group key to status */
    Map<String, Map<String, Status>> statuses() {
        return Map.copyOf(statuses);
    }

    Optional<Status> status(String node, String group) {
        return Optional.ofNullable(statuses.getOrDefault(node, Map.of()).get(key(group)));
    }

    /**
     * Reports this node's state for a group. Written synchronously; a store that cannot be written
     * (the node is cut off) is logged, and the next report or the reconnection repairs it.
     *
     * @param group the group
     * @param state its state here
     * @param message its message here
     * @param failed whether it has just failed here (start failure or giveover)
     */
    void report(String group, GroupState state, String message, boolean failed) {
        long now = clock.millis();
        if (failed) {
            failedHere.put(key(group), now);
        }
        changed();
        if (!distributed) {
            return;
        }
        Status s = new Status(local(), group, state.name(), message == null ? "" : message,
                placement(group).map(Versioned::version).orElse(0L), now, failedHere.getOrDefault(key(group), 0L));
        statuses.computeIfAbsent(local(), n -> new ConcurrentHashMap<>()).put(key(group), s);
        if (localState() != NodeState.UP) {
            return;
        }
        try {
            store.commit(List.of(StoreOperation.put(STATUS + local() + "/" + key(group), json.writeValueAsBytes(s),
                    StoreOperation.ANY)));
        } catch (IOException | StoreConflictException | UncheckedIOException e) {
            LOG.warn("The state of group {} here ({}) could not be reported to the cluster: {}", group, state,
                    e.getMessage());
        }
    }

    /**
     * Forgets that a group failed here: the operator asked for it to run (Pingpong_interval keeps
     * the coordinator's own choices away from this node, not the operator's).
     *
     * @param group the group
     */
    void clearFailure(String group) {
        failedHere.remove(key(group));
    }

    /** Removes this node's report of a deleted group. */
    void forget(String group) {
        statuses.getOrDefault(local(), Map.of()).remove(key(group));
        failedHere.remove(key(group));
        if (!distributed || localState() != NodeState.UP) {
            return;
        }
        try {
            store.commit(List.of(StoreOperation.delete(STATUS + local() + "/" + key(group), StoreOperation.ANY)));
        } catch (IOException | StoreConflictException | UncheckedIOException e) {
            LOG.warn("The report of deleted group {} could not be removed: {}", group, e.getMessage());
        }
    }

    /** @return when each group last failed on each node: this node's own record and the others' reports */
    Map<String, Map<String, java.time.Instant>> failures() {
        Map<String, Map<String, java.time.Instant>> out = new java.util.HashMap<>();
        statuses.forEach((node, byGroup) -> byGroup.forEach((g, s) -> {
            // this node's own record is failedHere, which an operator's online clears; its last
            // report may still carry the failure it cleared
            if (s.failed() > 0 && !node.equals(local())) {
                out.computeIfAbsent(g, k -> new java.util.HashMap<>()).put(node, java.time.Instant.ofEpochMilli(s.failed()));
            }
        }));
        failedHere.forEach((g, t) -> out.computeIfAbsent(g, k -> new java.util.HashMap<>())
                .put(local(), java.time.Instant.ofEpochMilli(t)));
        return out;
    }

    // ------------------------------------------------------------------ claims

    /**
     * Claims a failover group for this node before it starts anything of it: one atomic
     * compare-and-set of {@code rgm/owner/<group>}, refused while another live member holds it (it
     * has not finished taking the group offline). A holder that is no longer a member has lost its
     * session and stopped its resources (or was fenced) before the coordinator placed the group here.
     *
     * @param group the group
     * @param placementVersion the placement this node acts on
     * @return empty when claimed, else why not
     */
    Optional<String> claim(String group, long placementVersion) {
        if (!distributed) {
            return Optional.empty();
        }
        String k = OWNER + key(group);
        try {
            Optional<StoreEntry> e = store.get(k);
            long expected = StoreOperation.ABSENT;
            if (e.isPresent()) {
                Owner o = json.readValue(e.get().value(), Owner.class);
                if (o.node().equals(local()) && o.placement() == placementVersion) {
                    return Optional.empty();
                }
                if (!o.node().equals(local()) && isLive(o.node())) {
                    return Optional.of("waiting for node " + o.node() + " to take it offline");
                }
                expected = e.get().version();
            }
            Owner mine = new Owner(local(), placementVersion, clock.millis());
            store.commit(List.of(StoreOperation.put(k, json.writeValueAsBytes(mine), expected)));
            return Optional.empty();
        } catch (StoreConflictException e) {
            return Optional.of("another node claimed it at the same moment (" + e.getMessage() + ")");
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("its claim could not be stored: " + e.getMessage());
        }
    }

    /**
     * Releases this node's claim on a group it has taken offline cleanly.
     *
     * @param group the group
     */
    void release(String group) {
        if (!distributed || localState() != NodeState.UP) {
            return;
        }
        String k = OWNER + key(group);
        try {
            Optional<StoreEntry> e = store.get(k);
            if (e.isPresent() && json.readValue(e.get().value(), Owner.class).node().equals(local())) {
                store.commit(List.of(StoreOperation.delete(k, e.get().version())));
            }
        } catch (StoreConflictException e) {
            LOG.info("Claim on group {} changed while it was released: {}", group, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Claim on group {} could not be released: {}", group, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ waiting

    /** Wakes every {@link #await}. */
    void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /**
     * Waits until a condition holds, re-checking it whenever a placement, a status or a local
     * group state changes.
     *
     * @param condition the condition
     * @param timeoutMillis how long at most
     * @return whether it holds
     * @throws InterruptedException if interrupted
     */
    boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (changes) {
            while (!condition.getAsBoolean()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                changes.wait(Math.min(left, 1000));
            }
            return true;
        }
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
