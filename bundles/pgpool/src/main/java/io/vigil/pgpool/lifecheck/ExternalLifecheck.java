package io.vigil.pgpool.lifecheck;

import io.vigil.api.probe.ProbeResult;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.ipc.WatchdogIpc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external lifecheck's decisions, one {@link #poll()} per interval: read the watchdog's nodes,
 * probe the remote ones, update each node's {@link LivenessHistory}, and send NODE STATUS CHANGE
 * only when a verdict changes. The local node (the first of the list) is never reported DEAD, as
 * that shuts its pgpool down, unless {@link Settings#allowLocalDead()}. A watchdog that refuses
 * GET NODES LIST (e.g. a wrong key) raises {@code lifecheck_refused} once, until it lists its nodes
 * again. Not thread-safe: one thread polls.
 */
public final class ExternalLifecheck {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalLifecheck.class);

    /**
     * The decision parameters.
     *
     * @param failuresToDead failed probes within {@code window} that make a node dead
     * @param window how far back failures count
     * @param successesToAlive healthy probes in a row that make a dead node alive
     * @param allowLocalDead whether the local node is probed and may be reported DEAD
     */
    public record Settings(int failuresToDead, Duration window, int successesToAlive, boolean allowLocalDead) {
    }

    /**
     * What the lifecheck knows of one node.
     *
     * @param node the node as the watchdog last listed it
     * @param alive the lifecheck's verdict
     * @param recentFailures failed probes within the window
     * @param lastProbe the last probe's message, empty before the first
     * @param reported what the watchdog was last told: {@code DEAD}, {@code ALIVE} or {@code -}
     */
    public record NodeView(WatchdogNode node, boolean alive, int recentFailures, String lastProbe, String reported) {
    }

    private final WatchdogIpc ipc;
    private final NodeProber prober;
    private final AlarmSink alarms;
    private final Clock clock;
    private final Settings settings;
    private final Map<Integer, LivenessHistory> histories = new HashMap<>();
    private final Map<Integer, Boolean> reported = new HashMap<>();
    private final Map<Integer, Boolean> rejected = new HashMap<>();
    private final Map<Integer, String> lastProbe = new ConcurrentHashMap<>();
    private volatile NodeList last;
    private Instant refusedSince;
    private volatile Map<Integer, NodeView> views = Map.of();

    /**
     * @param ipc the watchdog
     * @param prober probes nodes
     * @param alarms receives alarms
     * @param clock the time of each probe
     * @param settings the decision parameters
     */
    public ExternalLifecheck(WatchdogIpc ipc, NodeProber prober, AlarmSink alarms, Clock clock, Settings settings) {
        this.ipc = ipc;
        this.prober = prober;
        this.alarms = alarms;
        this.clock = clock;
        this.settings = settings;
        // checks the settings now rather than at the first probe
        new LivenessHistory(settings.failuresToDead(), settings.window(), settings.successesToAlive());
    }

    /**
     * One round.
     *
     * @return the watchdog's nodes as read at the start of the round
     * @throws IOException if the watchdog cannot be reached
     * @throws WatchdogException if it refused GET NODES LIST
     */
    public NodeList poll() throws IOException, WatchdogException {
        NodeList list;
        try {
            list = ipc.nodes();
        } catch (WatchdogException e) {
            refused(e);
            throw e;
        }
        if (refusedSince != null) {
            LOG.info("The watchdog lists its nodes again, after refusing since {}", refusedSince);
            refusedSince = null;
        }
        compareCluster(last, list);
        last = list;
        List<WatchdogNode> targets = new ArrayList<>(list.remotes());
        if (settings.allowLocalDead()) {
            list.local().ifPresent(l -> targets.add(0, l));
        }
        Optional<Map<Integer, ProbeResult>> results = prober.probe(targets);
        Instant now = clock.instant();
        if (results.isPresent()) {
            for (WatchdogNode n : targets) {
                ProbeResult r = results.get().getOrDefault(n.id(),
                        ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "no probe result"));
                lastProbe.put(n.id(), r.message());
                LivenessHistory h = histories.computeIfAbsent(n.id(), id -> new LivenessHistory(
                        settings.failuresToDead(), settings.window(), settings.successesToAlive()));
                boolean alive = h.record(now, r.isHealthy());
                if (alive != reported.getOrDefault(n.id(), true)) {
                    report(n, alive, r, h);
                }
            }
        }
        Map<Integer, NodeView> v = new LinkedHashMap<>();
        for (WatchdogNode n : list.nodes()) {
            LivenessHistory h = histories.get(n.id());
            Boolean told = reported.get(n.id());
            v.put(n.id(), new NodeView(n, h == null || h.alive(), h == null ? 0 : h.recentFailures(),
                    lastProbe.getOrDefault(n.id(), ""), told == null ? "-" : told ? "ALIVE" : "DEAD"));
        }
        views = v;
        return list;
    }

    private void report(WatchdogNode n, boolean alive, ProbeResult r, LivenessHistory h) {
        String why = alive
                ? "Vigil external lifecheck: node " + n.id() + " answers again (" + r.message() + ")"
                : "Vigil external lifecheck: node " + n.id() + " failed " + h.recentFailures() + " probes within "
                        + settings.window().toMillis() + " ms, last: " + r.message();
        Map<String, String> attrs = Map.of("message", why, "host", n.hostName(), "pgpool_port",
                String.valueOf(n.pgpoolPort()));
        try {
            ipc.reportStatus(n.id(), alive ? Payloads.NODE_STATUS_ALIVE : Payloads.NODE_STATUS_DEAD, why);
            reported.put(n.id(), alive);
            rejected.remove(n.id());
            LOG.info("Reported node {} ({}:{}) {} to the watchdog: {}", n.id(), n.hostName(), n.pgpoolPort(),
                    alive ? "ALIVE" : "DEAD", why);
            alarms.raise(alive ? "node_alive" : "node_dead", instance(n), attrs);
        } catch (WatchdogException e) {
            if (!Objects.equals(rejected.put(n.id(), alive), alive)) {
                LOG.error("The watchdog rejected the report of node {} as {}: {}", n.id(), alive ? "ALIVE" : "DEAD",
                        e.getMessage());
                alarms.raise("report_rejected", instance(n), Map.of("message", e.getMessage(), "status",
                        alive ? "ALIVE" : "DEAD"));
            }
        } catch (IOException e) {
            LOG.warn("Could not report node {} as {} (retried next round): {}", n.id(), alive ? "ALIVE" : "DEAD",
                    e.getMessage());
        }
    }

    private void refused(WatchdogException e) {
        if (refusedSince != null) {
            return;
        }
        refusedSince = clock.instant();
        alarms.raise("lifecheck_refused", "watchdog", Map.of("message", "the watchdog refused GET NODES LIST, so no "
                + "node is judged until it lists them: " + e.getMessage()));
    }

    private void compareCluster(NodeList before, NodeList now) {
        if (before == null) {
            return;
        }
        if (!before.leaderNodeName().equals(now.leaderNodeName())) {
            alarms.raise("leader_changed", "cluster", Map.of("message", "leader " + before.leaderNodeName() + " -> "
                    + now.leaderNodeName(), "leader", now.leaderNodeName()));
        }
        boolean lostBefore = before.quorumStatus() == NodeList.QUORUM_LOST;
        boolean lostNow = now.quorumStatus() == NodeList.QUORUM_LOST;
        if (lostNow && !lostBefore) {
            alarms.raise("quorum_lost", "cluster", Map.of("message", "the watchdog's quorum is lost (QuorumStatus -1)"));
        } else if (lostBefore && !lostNow) {
            alarms.raise("quorum_restored", "cluster", Map.of("message", "the watchdog's quorum is back (QuorumStatus "
                    + now.quorumStatus() + ")"));
        }
    }

    private static String instance(WatchdogNode n) {
        return "node" + n.id();
    }

    /** @return the nodes as last polled, empty before the first poll */
    public Optional<NodeList> lastNodes() {
        return Optional.ofNullable(last);
    }

    /** @return what the lifecheck knows of each node of the last poll, in list order */
    public Map<Integer, NodeView> views() {
        return views;
    }
}
