package io.vigil.cluster.zk;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.ANY;
import static io.vigil.api.cluster.StoreOperation.delete;
import static io.vigil.api.cluster.StoreOperation.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.cluster.StoreConflictException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Membership, election, session loss and change events, against a real ZooKeeper server. */
class ZkMembershipTest {

    private ZkTestCluster zk;

    @BeforeEach
    void startServer() throws Exception {
        zk = new ZkTestCluster();
    }

    @AfterEach
    void stopServer() throws Exception {
        zk.close();
    }

    private static Predicate<Map<String, Object>> node(String name) {
        return p -> name.equals(p.get(ClusterEvents.NODE));
    }

    private static Predicate<Map<String, Object>> coordinator(String name) {
        return p -> name.equals(p.get(ClusterEvents.COORDINATOR_NODE));
    }

    private static List<String> names(List<ClusterNode> nodes) {
        return nodes.stream().map(ClusterNode::name).toList();
    }

    @Test
    void membersAppearWithTheirAddressesAndLeaveWhenTheirSessionCloses() throws Exception {
        Events events1 = new Events();
        ZkCluster node1 = zk.start("node-1", events1);
        events1.await(ClusterEvents.SESSION_CONNECTED);
        ZkCluster node2 = zk.start("node-2", new Events());

        Events.Posted joined = events1.await(ClusterEvents.NODE_JOINED, node("node-2"));
        assertArrayEquals(new String[] {"127.0.0.1"}, (String[]) joined.get(ClusterEvents.ADDRESSES));
        assertEquals(List.of("node-1", "node-2"), names(node1.membership().nodes()));
        ClusterNode seen = node1.membership().node("node-2").orElseThrow();
        assertEquals(List.of("127.0.0.1"), seen.addresses());
        assertEquals(NodeState.UP, seen.state());
        assertEquals(List.of("node-1", "node-2"), names(node2.membership().nodes()));

        node2.close();
        events1.await(ClusterEvents.NODE_LEFT, node("node-2"));
        assertEquals(List.of("node-1"), names(node1.membership().nodes()));
        assertTrue(node1.membership().node("node-2").isEmpty());
    }

    @Test
    void aNodeWhoseSessionExpiresLeavesAndJoinsAgainWithANewOne() throws Exception {
        Events events1 = new Events();
        ZkCluster node1 = zk.start("node-1", events1);
        Events events2 = new Events();
        ZkCluster node2 = zk.start("node-2", events2);
        events1.await(ClusterEvents.NODE_JOINED, node("node-2"));

        zk.expire(node2);

        events2.await(ClusterEvents.SESSION_LOST);
        events1.await(ClusterEvents.NODE_LEFT, node("node-2"));
        events2.await(ClusterEvents.SESSION_CONNECTED);
        events1.await(ClusterEvents.NODE_JOINED, node("node-2"));
        assertEquals(NodeState.UP, node2.membership().localState());
        assertEquals(List.of("node-1", "node-2"), names(node1.membership().nodes()));
    }

    @Test
    void aNodeCutOffConsidersItselfLostBeforeTheOthersSeeItsSessionExpire() throws Exception {
        // Its own server, with ticks of 500 ms, so that a session of 10 s is granted: the margin between the cut-off
        // node's LOST (0.9 of the timeout after it sent the last question the ensemble answered) and its expiry (the
        // whole timeout after the ensemble last heard it) is then 1 s at the least, more than this JVM's threads
        // stall on a loaded machine. (Both sides run in this JVM: the order cannot be had without real time.)
        int timeout = 10_000;
        try (TestingServer server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
                TcpProxy link = new TcpProxy(server.getPort())) {
            AtomicLong order = new AtomicLong();
            Events events1 = new Events();
            Events events2 = new Events();
            long[] lost = new long[1];
            long[] left = new long[1];
            try (ZkCluster node1 = new ZkCluster(new ZkSettings(server.getConnectString(), timeout, "node-1",
                            List.of(), "/vigil"), (topic, p) -> {
                        if (topic.equals(ClusterEvents.NODE_LEFT)) {
                            left[0] = order.incrementAndGet();
                        }
                        events1.post(topic, p);
                    }, Clock.systemUTC());
                    ZkCluster node2 = new ZkCluster(new ZkSettings(link.connectString(), timeout, "node-2",
                            List.of(), "/vigil"), (topic, p) -> {
                        if (topic.equals(ClusterEvents.SESSION_LOST)) {
                            lost[0] = order.incrementAndGet();
                        }
                        events2.post(topic, p);
                    }, Clock.systemUTC())) {
                // node-2 only once node-1's view is loaded: a member already there when it loads joins no event
                java.util.concurrent.CountDownLatch ready1 = new java.util.concurrent.CountDownLatch(1);
                node1.start(ready1::countDown);
                assertTrue(ready1.await(Events.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                        "node-1 ready");
                node2.start(() -> { });
                events1.await(ClusterEvents.NODE_JOINED, node("node-2"));
                events2.await(ClusterEvents.SESSION_CONNECTED);

                link.cut();
                events2.await(ClusterEvents.SESSION_SUSPENDED);
                events2.await(ClusterEvents.SESSION_LOST);
                events1.await(ClusterEvents.NODE_LEFT, node("node-2"));
                assertTrue(lost[0] > 0 && lost[0] < left[0], "node-2 posted LOST (" + lost[0]
                        + ") before node-1 saw its session expire (" + left[0] + ")");
                assertEquals(NodeState.DOWN, node2.membership().localState());
                assertEquals(List.of("node-1"), names(node1.membership().nodes()));

                // When the partition ends, it joins again with a new session (and then leaves at once when closed,
                // rather than waiting a session timeout for an ensemble it cannot reach).
                link.heal();
                events2.await(ClusterEvents.SESSION_CONNECTED);
                events1.await(ClusterEvents.NODE_JOINED, node("node-2"));
                assertEquals(NodeState.UP, node2.membership().localState());
            }
        }
    }

    @Test
    void theCoordinatorRoleHandsOverWithAGreaterEpochWhenTheCoordinatorGoes() throws Exception {
        Events events1 = new Events();
        ZkCluster node1 = zk.start("node-1", events1);
        Events.Posted first = events1.await(ClusterEvents.COORDINATOR, coordinator("node-1"));
        assertEquals(Boolean.TRUE, first.get(ClusterEvents.LOCAL));
        long epoch1 = (Long) first.get(ClusterEvents.EPOCH);
        assertTrue(node1.membership().isCoordinator());

        Events events2 = new Events();
        ZkCluster node2 = zk.start("node-2", events2);
        Events.Posted seenBy2 = events2.await(ClusterEvents.COORDINATOR, coordinator("node-1"));
        assertEquals(Boolean.FALSE, seenBy2.get(ClusterEvents.LOCAL));
        assertEquals(new Coordinator("node-1", epoch1), node2.membership().coordinator().orElseThrow());
        assertFalse(node2.membership().isCoordinator());

        node1.store().commitFenced(epoch1, List.of(put("placement/rg", "node-1".getBytes(), ABSENT)));
        ClusterStore store2 = node2.store();
        StoreConflictException notCoordinator = assertThrows(StoreConflictException.class,
                () -> store2.commitFenced(epoch1, List.of(put("placement/rg", "node-2".getBytes(), 1))));
        assertEquals("coordinator epoch " + epoch1 + " is not a term of this node (node-2) now: the coordinator's "
                + "term is " + epoch1 + "; nothing was committed", notCoordinator.getMessage());

        node1.close();
        Events.Posted handed = events2.await(ClusterEvents.COORDINATOR, coordinator("node-2"));
        long epoch2 = (Long) handed.get(ClusterEvents.EPOCH);
        assertTrue(epoch2 > epoch1, "epoch " + epoch2 + " after " + epoch1);
        assertEquals(Boolean.TRUE, handed.get(ClusterEvents.LOCAL));
        assertTrue(node2.membership().isCoordinator());

        assertThrows(StoreConflictException.class,
                () -> store2.commitFenced(epoch1, List.of(put("placement/rg", "node-3".getBytes(), 1))));
        store2.commitFenced(epoch2, List.of(put("placement/rg", "node-2".getBytes(), 1)));
        assertEquals(2, store2.get("placement/rg").orElseThrow().version());
    }

    @Test
    void aCoordinatorWhoseTermWasOverriddenCannotCommit() throws Exception {
        Events events = new Events();
        ZkCluster node1 = zk.start("node-1", events);
        long epoch = (Long) events.await(ClusterEvents.COORDINATOR, coordinator("node-1")).get(ClusterEvents.EPOCH);

        // Another term begins behind this node's back, as when it is cut off while a new coordinator is elected.
        node1.client().setData().forPath("/vigil/epoch", "node-9\n1".getBytes());

        StoreConflictException stale = assertThrows(StoreConflictException.class, () -> node1.store()
                .commitFenced(epoch, List.of(put("placement/rg", "node-1".getBytes(), ABSENT))));
        assertEquals(ClusterStore.EPOCH_KEY, stale.key());
        assertEquals("coordinator epoch " + epoch + " is over (the coordinator's term is now " + (epoch + 1)
                + "); nothing was committed", stale.getMessage());
        assertTrue(node1.store().get("placement/rg").isEmpty());
    }

    @Test
    void losingTheEnsembleSuspendsThenLosesTheSessionThenReconnects() throws Exception {
        Events events = new Events();
        ZkCluster node1 = zk.start("node-1", events);
        events.await(ClusterEvents.COORDINATOR, coordinator("node-1"));
        org.apache.zookeeper.ZooKeeper first = node1.client().getZookeeperClient().getZooKeeper();
        long session = first.getSessionId();
        byte[] password = first.getSessionPasswd();

        zk.server.stop();
        Events.Posted suspended = events.await(ClusterEvents.SESSION_SUSPENDED);
        long timeout = (Long) suspended.get(ClusterEvents.SESSION_TIMEOUT);
        assertEquals(ZkTestCluster.SESSION_TIMEOUT_MS, timeout);
        long deadline = (Long) suspended.get(ClusterEvents.DEADLINE);
        long time = (Long) suspended.get(ClusterEvents.TIME);
        assertTrue(deadline >= time && deadline < time + timeout, "deadline " + deadline + " within the timeout "
                + timeout + " after " + time);
        Events.Posted noCoordinator = events.await(ClusterEvents.COORDINATOR, coordinator(""));
        assertEquals(Boolean.FALSE, noCoordinator.get(ClusterEvents.LOCAL));

        events.await(ClusterEvents.SESSION_LOST, node("node-1"));
        assertEquals(NodeState.DOWN, node1.membership().localState());
        assertEquals(NodeState.DOWN, node1.membership().node("node-1").orElseThrow().state());
        assertTrue(node1.membership().coordinator().isEmpty());
        assertFalse(node1.membership().isCoordinator());

        zk.server.restart();
        events.await(ClusterEvents.SESSION_CONNECTED);
        if (node1.client().getZookeeperClient().getZooKeeper().getSessionId() != session) {
            // A new session: the restarted server would keep the old one, and with it the old registration and
            // latch znode ahead of the new ones, for a session timeout. End it now.
            zk.endOnServer(session, password);
        }
        events.await(ClusterEvents.COORDINATOR, p -> Boolean.TRUE.equals(p.get(ClusterEvents.LOCAL)));
        assertEquals(NodeState.UP, node1.membership().localState());
        assertTrue(node1.membership().isCoordinator());
        List<String> order = events.topicsSeen().stream().filter(t -> t.startsWith("vigil/cluster/session/")).toList();
        assertEquals(List.of(ClusterEvents.SESSION_CONNECTED, ClusterEvents.SESSION_SUSPENDED,
                ClusterEvents.SESSION_LOST, ClusterEvents.SESSION_CONNECTED), order);
    }

    @Test
    void storeChangesArePostedOnEveryNode() throws Exception {
        Events events1 = new Events();
        zk.start("node-1", events1);
        ZkCluster node2 = zk.start("node-2", new Events());

        node2.store().commit(List.of(put("groups/web-rg", "{}".getBytes(), ABSENT)));
        Events.Posted created = events1.await(ClusterEvents.STORE_CHANGED);
        assertEquals(Map.of(ClusterEvents.KEY, "groups/web-rg", ClusterEvents.CHANGE, ClusterEvents.CREATED,
                ClusterEvents.VERSION, 1L, ClusterEvents.NODE, "node-1"), without(created, ClusterEvents.TIME));

        node2.store().commit(List.of(put("groups/web-rg", "{\"a\":1}".getBytes(), 1)));
        Events.Posted updated = events1.await(ClusterEvents.STORE_CHANGED);
        assertEquals(ClusterEvents.UPDATED, updated.get(ClusterEvents.CHANGE));
        assertEquals(2L, updated.get(ClusterEvents.VERSION));

        node2.store().commit(List.of(delete("groups/web-rg", ANY)));
        Events.Posted deleted = events1.await(ClusterEvents.STORE_CHANGED);
        assertEquals(ClusterEvents.DELETED, deleted.get(ClusterEvents.CHANGE));
        assertEquals(0L, deleted.get(ClusterEvents.VERSION));
    }

    private static Map<String, Object> without(Events.Posted p, String name) {
        Map<String, Object> copy = new java.util.HashMap<>(p.properties());
        copy.remove(name);
        return copy;
    }
}
