package io.vigil.rgm.engine;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.rgm.RgmException;
import io.vigil.rgm.placement.GroupSpec;
import io.vigil.rgm.placement.Placement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the RGM: while this node holds the coordinator role it decides where
 * every group runs ({@link Placement}) and commits each decision with
 * {@link io.vigil.api.cluster.ClusterStore#commitFenced commitFenced} in its term, so a coordinator
 * that lost the role cannot store anything. Decisions are made on one thread, coalescing the
 * triggers that arrive meanwhile; callers that need the outcome at once ({@link #decideNow})
 * decide on their own thread under the same lock.
 *
 * <p>Before the groups of a node that left are placed elsewhere, the node fence command (when one
 * is configured) must succeed for it: until then those groups stay placed on the lost node and the
 * placement's reason says why.
 */
final class Coordination implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coordination.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ClusterPlane plane;
    private final Supplier<List<GroupSpec>> groups;
    private final Optional<List<String>> nodeFence;
    private final Function<List<String>, CallResult> commandRunner;
    private final Consumer<String> notAutoStarted;
    private final ScheduledExecutorService thread;
    private final Object lock = new Object();
    /** Calls of {@link #decideNow} so far, and how many of them the last decision covered (guarded by lock). */
    private final java.util.concurrent.atomic.AtomicLong requestedDecisions = new java.util.concurrent.atomic.AtomicLong();
    private long decidedThrough;
    /** Nodes fenced since they left; forgotten when they join again. */
    private final Set<String> fenced = ConcurrentHashMap.newKeySet();
    /** Nodes evacuated, until when they are not eligible. */
    private final Map<String, Instant> evacuated = new ConcurrentHashMap<>();
    private boolean pending;
    private boolean pendingJoin;
    private final List<String> pendingCauses = new ArrayList<>();
    /** Until when a group placed on a node that has not rejoined stays placed there. */
    private final Instant graceEnds;
    /**
     * The nodes seen as members since this node started: the start grace waits only for nodes
     * not seen yet (the cluster starting), never for one that has left (a failure).
     */
    private final Set<String> seen = new java.util.HashSet<>();
    /** Whether a decision is scheduled for the end of the start grace. */
    private boolean graceRetry;
    /** The term of the last decision, to see the first decision of a term. */
    private long decidedEpoch;

    /**
     * @param plane the cluster view
     * @param groups every group as placement sees it
     * @param nodeFence the node fence command (the lost node's name is appended), if any
     * @param commandRunner runs it
     * @param notAutoStarted told of a group that is not started on a new cluster
     *        (Auto_start_on_new_cluster FALSE): it stops wanting it online
     * @param startGrace how long after this node's start a group stays placed on a node that has
     *        not rejoined yet (the whole cluster restarting)
     */
    Coordination(ClusterPlane plane, Supplier<List<GroupSpec>> groups, Optional<List<String>> nodeFence,
            Function<List<String>, CallResult> commandRunner, Consumer<String> notAutoStarted, Duration startGrace) {
        this.plane = plane;
        this.graceEnds = plane.clock.instant().plus(startGrace);
        this.groups = groups;
        this.nodeFence = nodeFence;
        this.commandRunner = commandRunner;
        this.notAutoStarted = notAutoStarted;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rgm-coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Asks for a decision soon, on the coordinator's thread. Does nothing unless this node is the
     * coordinator when the decision runs.
     *
     * @param cause what changed, for the placement's record and the log
     * @param joined whether a node joined (Failback applies only then)
     */
    void trigger(String cause, boolean joined) {
        synchronized (pendingCauses) {
            pendingCauses.add(cause);
            pendingJoin |= joined;
            if (pending) {
                return;
            }
            pending = true;
        }
        thread.execute(this::runPending);
    }

    private void runPending() {
        String cause;
        boolean joined;
        synchronized (pendingCauses) {
            cause = String.join("; ", new LinkedHashSet<>(pendingCauses));
            joined = pendingJoin;
            pendingCauses.clear();
            pendingJoin = false;
            pending = false;
        }
        try {
            if (!decide(cause, joined)) {
                thread.schedule(() -> trigger("retry after: " + cause, joined), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("Placement decision ({}) failed: {}", cause, e.toString(), e);
            thread.schedule(() -> trigger("retry after an error", joined), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Decides now, on the caller's thread, when this node is the coordinator. Callers that arrive
     * while a decision runs share the next one (a decision reads every group as it is when it
     * starts), so a hundred groups brought online at once cost a few decisions, not a hundred.
     *
     * @param cause what changed
     * @throws RgmException if the decision could not be stored
     */
    void decideNow(String cause) throws RgmException {
        long mine = requestedDecisions.incrementAndGet();
        synchronized (lock) {
            if (decidedThrough >= mine) {
                return;
            }
            long covered = requestedDecisions.get();
            try {
                if (!decide(cause, false)) {
                    throw new RgmException("the placement could not be stored (" + cause + "); it is retried");
                }
            } catch (UncheckedIOException e) {
                throw new RgmException("the placement could not be decided: " + e.getMessage(), e);
            }
            decidedThrough = covered;
        }
    }

    /**
     * One decision.
     *
     * @return false when it should be tried again (conflict, store unreachable, a fence failed)
     */
    boolean decide(String cause, boolean joined) {
        synchronized (lock) {
            ClusterMembership m = plane.membership();
            seen.addAll(plane.liveNodes()); // also while another node coordinates
            Optional<Coordinator> term = m.coordinator();
            if (!m.isCoordinator() || term.isEmpty()) {
                return true;
            }
            long epoch = term.get().epoch();
            boolean firstOfTerm = epoch != decidedEpoch;
            Instant now = plane.clock.instant();
            evacuated.values().removeIf(until -> !until.isAfter(now));
            Set<String> members = plane.liveNodes();
            seen.addAll(members);
            fenced.removeAll(members);
            Set<String> live = new LinkedHashSet<>(members);
            live.removeAll(evacuated.keySet());

            plane.forgetStaleDowns();
            Map<String, ClusterPlane.Versioned> before = plane.placements();
            Map<String, String> unfenced = fenceLostNodes(before, members);
            List<GroupSpec> specs = new ArrayList<>();
            List<String> holdBack = new ArrayList<>();
            boolean newCluster = firstOfTerm && plane.distributed() && nothingOnline(members);
            for (GroupSpec g : groups.get()) {
                boolean failback = g.failback() && joined;
                specs.add(new GroupSpec(g.name(), g.nodelist(), g.scalable(), g.maximumPrimaries(), g.desiredPrimaries(),
                        failback, g.pingpongInterval(), g.dependencies(), g.autoStartOnNewCluster(), g.wantedOnline()));
            }
            Map<String, List<String>> current = new HashMap<>();
            before.forEach((k, v) -> current.put(v.placed().group(),
                    v.placed().nodes().stream().filter(live::contains).toList()));
            Placement.Decision decision;
            try {
                decision = Placement.decide(new Placement.Input(specs, live, current, plane.failures(), now, newCluster,
                        plane.deadReasons()));
            } catch (IllegalArgumentException e) {
                LOG.error("No placement can be decided: {}", e.getMessage());
                return true;
            }
            List<StoreOperation> ops = new ArrayList<>();
            Set<String> existing = new java.util.HashSet<>();
            for (GroupSpec g : specs) {
                String k = ClusterPlane.key(g.name());
                existing.add(k);
                ClusterPlane.Versioned old = before.get(k);
                List<String> nodes = decision.nodesOf(g.name());
                String reason = decision.reasons().getOrDefault(g.name(), "");
                Optional<String> waitingFence = old == null ? Optional.empty()
                        : old.placed().nodes().stream().filter(unfenced::containsKey).findFirst();
                if (waitingFence.isPresent()) {
                    nodes = old.placed().nodes();
                    reason = "node " + waitingFence.get() + " left and its fence has not succeeded ("
                            + unfenced.get(waitingFence.get()) + "); the group is not relocated until it does";
                }
                List<String> absent = old == null ? List.of()
                        : old.placed().nodes().stream().filter(n -> !members.contains(n) && !seen.contains(n)).toList();
                if (waitingFence.isEmpty() && now.isBefore(graceEnds) && g.wantedOnline() && !absent.isEmpty()) {
                    nodes = old.placed().nodes();
                    reason = "waiting until " + graceEnds + " for " + absent + ", where it is placed, to rejoin after "
                            + "this coordinator's start";
                    scheduleGraceEnd(now);
                }
                if (newCluster && g.wantedOnline() && !g.autoStartOnNewCluster() && nodes.isEmpty()) {
                    holdBack.add(g.name());
                }
                if (old != null && old.placed().nodes().equals(nodes) && old.placed().reason().equals(reason)) {
                    continue;
                }
                if (old == null && nodes.isEmpty() && reason.isEmpty()) {
                    continue;
                }
                ops.add(put(new ClusterPlane.Placed(g.name(), nodes, epoch, m.localNode(), now.toEpochMilli(), reason,
                        cause), old == null ? StoreOperation.ABSENT : old.version()));
            }
            before.forEach((k, v) -> {
                if (!existing.contains(k)) {
                    ops.add(StoreOperation.delete(ClusterPlane.PLACEMENT + k, v.version()));
                }
            });
            if (!commit(epoch, ops, cause)) {
                return false;
            }
            decidedEpoch = epoch;
            holdBack.forEach(notAutoStarted);
            return unfenced.isEmpty();
        }
    }

    private void scheduleGraceEnd(Instant now) {
        if (graceRetry) {
            return;
        }
        graceRetry = true;
        thread.schedule(() -> trigger("start grace over", false),
                Math.max(1, Duration.between(now, graceEnds).toMillis() + 1), TimeUnit.MILLISECONDS);
    }

    private boolean nothingOnline(Set<String> members) {
        for (String n : members) {
            for (ClusterPlane.Status s : plane.statuses().getOrDefault(n, Map.of()).values()) {
                if (!s.state().equals("OFFLINE") && !s.state().equals("UNMANAGED")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Runs the node fence command for every node that left while groups were placed on it and that
     * was not fenced yet.
     *
     * @return the lost nodes whose fence did not succeed, with why
     */
    private Map<String, String> fenceLostNodes(Map<String, ClusterPlane.Versioned> before, Set<String> members) {
        Map<String, String> unfenced = new HashMap<>();
        if (nodeFence.isEmpty()) {
            return unfenced;
        }
        Set<String> lost = new LinkedHashSet<>();
        before.values().forEach(v -> v.placed().nodes().stream().filter(n -> !members.contains(n)).forEach(lost::add));
        for (String node : lost) {
            if (fenced.contains(node)) {
                continue;
            }
            List<String> argv = new ArrayList<>(nodeFence.get());
            argv.add(node);
            LOG.warn("Node {} left the cluster with groups placed on it: running the node fence command {}", node, argv);
            CallResult r = commandRunner.apply(argv);
            if (r.ok()) {
                LOG.warn("Node {} fenced; its groups may now be relocated", node);
                fenced.add(node);
            } else {
                LOG.error("Fencing node {} failed: {}; its groups are not relocated (retried)", node, r.message());
                unfenced.put(node, r.message());
            }
        }
        return unfenced;
    }

    private StoreOperation put(ClusterPlane.Placed p, long expected) {
        try {
            return StoreOperation.put(ClusterPlane.PLACEMENT + ClusterPlane.key(p.group()), plane.json.writeValueAsBytes(p),
                    expected);
        } catch (IOException e) {
            throw new IllegalStateException("a placement is always encodable", e);
        }
    }

    private boolean commit(long epoch, List<StoreOperation> ops, String cause) {
        if (ops.isEmpty()) {
            return true;
        }
        try {
            List<StoreEntry> written = plane.store().commitFenced(epoch, ops);
            plane.placed(written);
            for (StoreEntry e : written) {
                ClusterPlane.Placed p = plane.json.readValue(e.value(), ClusterPlane.Placed.class);
                LOG.info("Placement of group {} (version {}): {}{} — {}", p.group(), e.version(),
                        p.nodes().isEmpty() ? "nowhere" : p.nodes(), p.reason().isEmpty() ? "" : " (" + p.reason() + ")",
                        cause);
            }
            ops.stream().filter(StoreOperation::isDelete).forEach(o -> plane.placementChanged(o.key()));
            return true;
        } catch (StoreConflictException e) {
            LOG.info("Placement not stored ({}): {}; deciding again", cause, e.getMessage());
            plane.forgetPlacements();
            plane.loadAll();
            return false;
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Placement not stored ({}): {}; retried", cause, e.getMessage());
            return false;
        }
    }

    /**
     * Places a group on given nodes (a switchover, or a giveover to a candidate that passed
     * Monitor_check), in this coordinator's term. The next decisions keep it there while those
     * nodes stay live (Failback moves it back only when a node joins). An operator's switch ends
     * the evacuation of the nodes it names; a giveover is refused for an evacuated node (only the
     * coordinator knows the evacuations, so the node asking may have chosen one).
     *
     * @param group the group
     * @param nodes where
     * @param cause why
     * @param operator whether an operator asked (a switch), not a giveover
     * @throws RgmException if this node is not the coordinator, a giveover names an evacuated node,
     *     or the placement was not stored
     */
    void place(GroupSpec group, List<String> nodes, String cause, boolean operator) throws RgmException {
        synchronized (lock) {
            ClusterMembership m = plane.membership();
            Optional<Coordinator> term = m.coordinator();
            if (!m.isCoordinator() || term.isEmpty()) {
                throw new RgmException("this node is no longer the coordinator; try again");
            }
            Set<String> live = plane.liveNodes();
            for (String n : nodes) {
                if (!live.contains(n)) {
                    throw new RgmException("node " + n + " is not a live cluster member; members: " + live);
                }
                if (group.nodelist().stream().noneMatch(n::equals)) {
                    throw new RgmException("node " + n + " is not in the Nodelist of group " + group.name() + " "
                            + group.nodelist());
                }
            }
            int most = group.scalable() ? group.maximumPrimaries() : 1;
            if (nodes.isEmpty() || nodes.size() > most) {
                throw new RgmException("group " + group.name() + " runs on " + (group.scalable() ? "1 to " + most : "exactly one")
                        + " node" + (most == 1 ? "" : "s") + "; " + nodes.size() + " given");
            }
            if (operator) {
                evacuated.keySet().removeAll(nodes);
            } else {
                Instant now = plane.clock.instant();
                for (String n : nodes) {
                    Instant until = evacuated.get(n);
                    if (until != null && until.isAfter(now)) {
                        throw new RgmException("node " + n + " is evacuated until " + until + "; a giveover does not "
                                + "place groups there");
                    }
                }
            }
            Optional<ClusterPlane.Versioned> old = plane.placement(group.name());
            List<String> ordered = group.nodelist().stream().filter(nodes::contains).toList();
            StoreOperation op = put(new ClusterPlane.Placed(group.name(), ordered, term.get().epoch(), m.localNode(),
                    plane.clock.millis(), "", cause), old.map(ClusterPlane.Versioned::version).orElse(StoreOperation.ABSENT));
            if (!commit(term.get().epoch(), List.of(op), cause)) {
                throw new RgmException("the placement of group " + group.name() + " could not be stored; try again");
            }
        }
    }

    /**
     * Evacuates a node: it is not eligible for any group for {@code hold}, and every group placed
     * on it moves to its other candidates (or nowhere).
     *
     * @param node the node
     * @param hold how long it stays ineligible
     * @throws RgmException if the decision was not stored
     */
    void evacuate(String node, Duration hold) throws RgmException {
        evacuated.put(node, plane.clock.instant().plus(hold));
        decideNow("evacuation of node " + node);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
