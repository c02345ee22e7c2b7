package io.vigil.pgpool.lifecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.ProbeResult;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.ipc.WatchdogIpc;
import io.vigil.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecheck's decisions with a fake watchdog, fake probes and an injected clock. */
class ExternalLifecheckTest {

    record Sent(int nodeId, int status, String message) {
    }

    record Raised(String event, String instance) {
    }

    static WatchdogNode node(int id, int state) {
        return new WatchdogNode(id, state, 0, "MEMBER", "127.0.0.1:" + (11000 + 10 * id) + " Linux vm", "127.0.0.1",
                WdState.name(state), "Not_Set", 11002 + 10 * id, 11000 + 10 * id, 3 - id, Optional.empty());
    }

    static NodeList cluster(String leader, int quorum) {
        return new NodeList(2, 2, 2, quorum, 2, 0, leader, "127.0.0.1", 3,
                List.of(node(0, WdState.LEADER), node(1, WdState.STANDBY), node(2, WdState.STANDBY)));
    }

    final MutableClock clock = new MutableClock();
    final List<Sent> sent = new ArrayList<>();
    final List<Raised> alarms = new ArrayList<>();
    final Map<Integer, Boolean> healthy = new HashMap<>(Map.of(0, true, 1, true, 2, true));
    final List<List<Integer>> probed = new ArrayList<>();
    NodeList watchdogView = cluster("127.0.0.1:11000 Linux vm", 1);
    String rejectWith;
    String refuseListWith;
    final List<String> alarmMessages = new ArrayList<>();
    boolean probeAvailable = true;

    final WatchdogIpc ipc = new WatchdogIpc() {
        @Override
        public NodeList nodes() throws WatchdogException {
            if (refuseListWith != null) {
                throw new WatchdogException(refuseListWith);
            }
            return watchdogView;
        }

        @Override
        public void reportStatus(int nodeId, int status, String message) throws WatchdogException {
            if (rejectWith != null) {
                throw new WatchdogException(rejectWith);
            }
            sent.add(new Sent(nodeId, status, message));
        }
    };

    final NodeProber prober = nodes -> {
        probed.add(nodes.stream().map(WatchdogNode::id).toList());
        if (!probeAvailable) {
            return Optional.empty();
        }
        Map<Integer, ProbeResult> r = new HashMap<>();
        for (WatchdogNode n : nodes) {
            r.put(n.id(), healthy.get(n.id()) ? new ProbeResult(0, "ok")
                    : ProbeResult.failure(100, "connect to 127.0.0.1:" + n.pgpoolPort() + " refused"));
        }
        return Optional.of(r);
    };

    ExternalLifecheck lifecheck(boolean allowLocalDead) {
        return new ExternalLifecheck(ipc, prober, (event, instance, attrs) -> {
            alarms.add(new Raised(event, instance));
            alarmMessages.add(attrs.get("message"));
        }, clock, new ExternalLifecheck.Settings(3, Duration.ofSeconds(10), 2, allowLocalDead));
    }

    void rounds(ExternalLifecheck l, int n) throws IOException, WatchdogException {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            l.poll();
        }
    }

    @Test
    void healthyNodesAreNeverReported() throws Exception {
        rounds(lifecheck(false), 5);
        assertTrue(sent.isEmpty());
        assertTrue(alarms.isEmpty());
    }

    @Test
    void oneFailedProbeIsNoDeadButTheHistoryDecidesAndAliveFollowsRecovery() throws Exception {
        ExternalLifecheck l = lifecheck(false);
        healthy.put(2, false);
        rounds(l, 2);
        assertTrue(sent.isEmpty(), "two failures are not enough");
        rounds(l, 1);
        assertEquals(1, sent.size());
        assertEquals(2, sent.get(0).nodeId());
        assertEquals(Payloads.NODE_STATUS_DEAD, sent.get(0).status());
        assertTrue(sent.get(0).message().contains("failed 3 probes") && sent.get(0).message().contains("refused"),
                sent.get(0).message());
        assertEquals(List.of(new Raised("node_dead", "node2")), alarms);
        rounds(l, 3);
        assertEquals(1, sent.size(), "DEAD is sent once, on the change");
        assertEquals("DEAD", l.views().get(2).reported());
        healthy.put(2, true);
        rounds(l, 1);
        assertEquals(1, sent.size(), "one success is not enough");
        rounds(l, 1);
        assertEquals(new Sent(2, Payloads.NODE_STATUS_ALIVE, sent.get(1).message()), sent.get(1));
        assertTrue(sent.get(1).message().contains("answers again"));
        assertEquals(new Raised("node_alive", "node2"), alarms.get(1));
        rounds(l, 3);
        assertEquals(2, sent.size());
    }

    @Test
    void theLocalNodeIsNeitherProbedNorReportedUnlessAllowed() throws Exception {
        healthy.put(0, false);
        ExternalLifecheck l = lifecheck(false);
        rounds(l, 5);
        assertTrue(sent.isEmpty());
        assertTrue(probed.stream().allMatch(ids -> ids.equals(List.of(1, 2))), probed.toString());

        ExternalLifecheck allowed = lifecheck(true);
        rounds(allowed, 3);
        assertEquals(List.of(0), sent.stream().map(Sent::nodeId).toList());
    }

    @Test
    void aRejectedReportIsLoggedAndRaisedOnceAndRetried() throws Exception {
        ExternalLifecheck l = lifecheck(false);
        healthy.put(1, false);
        rejectWith = "watchdog rejected NODE STATUS CHANGE: authentication failed: invalid KEY";
        rounds(l, 5);
        assertEquals(List.of(new Raised("report_rejected", "node1")), alarms);
        rejectWith = null;
        rounds(l, 1);
        assertEquals(1, sent.size(), "sent once the watchdog accepts it");
        assertEquals(new Raised("node_dead", "node1"), alarms.get(1));
    }

    @Test
    void aRefusedNodesListRaisesOneAlarmPerEpisode() throws Exception {
        ExternalLifecheck l = lifecheck(false);
        rounds(l, 1);
        refuseListWith = "watchdog at /run/.s.PGPOOLWD_CMD.9000 rejected GET NODES LIST: authentication failed: invalid KEY";
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            WatchdogException e = assertThrows(WatchdogException.class, l::poll, "the refusal still reaches the caller");
            assertEquals(refuseListWith, e.getMessage());
        }
        assertEquals(List.of(new Raised("lifecheck_refused", "watchdog")), alarms, "raised once, not on every poll");
        assertTrue(alarmMessages.get(0).contains("authentication failed: invalid KEY"), alarmMessages.get(0));
        refuseListWith = null;
        rounds(l, 3);
        assertEquals(1, alarms.size(), "nothing raised when the watchdog answers again");
        refuseListWith = "watchdog at /run/.s.PGPOOLWD_CMD.9000 rejected GET NODES LIST: authentication failed: invalid KEY";
        clock.advance(Duration.ofSeconds(1));
        assertThrows(WatchdogException.class, l::poll);
        assertEquals(List.of(new Raised("lifecheck_refused", "watchdog"), new Raised("lifecheck_refused", "watchdog")),
                alarms, "a new episode raises it again");
        assertTrue(sent.isEmpty());
    }

    @Test
    void leaderAndQuorumChangesRaiseAlarms() throws Exception {
        ExternalLifecheck l = lifecheck(false);
        rounds(l, 1);
        watchdogView = cluster("127.0.0.1:11010 Linux vm", -1);
        rounds(l, 1);
        watchdogView = cluster("127.0.0.1:11010 Linux vm", 1);
        rounds(l, 1);
        assertEquals(List.of(new Raised("leader_changed", "cluster"), new Raised("quorum_lost", "cluster"),
                new Raised("quorum_restored", "cluster")), alarms);
    }

    @Test
    void withoutTheProbeNoVerdictIsDrawn() throws Exception {
        probeAvailable = false;
        healthy.put(1, false);
        ExternalLifecheck l = lifecheck(false);
        rounds(l, 5);
        assertTrue(sent.isEmpty());
        assertTrue(l.views().get(1).alive());
        assertFalse(l.lastNodes().isEmpty());
    }
}
