package io.vigil.healthcheck.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.testing.FakeRgm;
import io.vigil.testing.FakeMembership;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The sources that follow the cluster: fencing, {@code *cluster} and {@code *rg:<group>@cluster}. */
class ClusterSourcesTest {

    private static final List<String> OK_DEGRADED = List.of("OK", "DEGRADED");
    private static final Health SUSPENDED = Health.down("cluster session suspended");
    private static final Health LOST = Health.down("cluster session lost");

    private final List<Health> changes = new CopyOnWriteArrayList<>();
    private final FakeMembership membership = new FakeMembership("node-a").others("node-b", "node-c")
            .coordinator("node-b");
    private final Map<String, GroupLocation> locations = new ConcurrentHashMap<>();
    private final ResourceGroupManager rgm = FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK,
            locations);

    /** Sets this node's state and delivers the cluster's event for it, at {@code time}. */
    private void session(AgentSource s, NodeState state, String topic, long time) {
        membership.state(state);
        s.onEvent(topic, Map.of(ClusterEvents.NODE, "node-a", ClusterEvents.TIME, time));
    }

    @Test
    void aGroupOfThisNodeIsDownAtOnceWhileThisNodeIsSuspendedOrLost() {
        Fenced s = new Fenced(new RgmStatus("*rg:rg1", OK_DEGRADED));
        s.start(changes::add);
        s.services(rgm, membership);
        assertEquals(Health.up("group rg1 is ONLINE"), s.current());

        session(s, NodeState.SUSPENDED, ClusterEvents.SESSION_SUSPENDED, 5000);
        assertEquals(SUSPENDED, s.current());
        assertEquals(Instant.ofEpochMilli(5000), s.changedAt(), "the time of the cluster's event");
        session(s, NodeState.DOWN, ClusterEvents.SESSION_LOST, 6000);
        assertEquals(LOST, s.current());
        assertEquals(Instant.ofEpochMilli(5000), s.changedAt(), "still DOWN since the suspension");

        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "PENDING_OFFLINE"));
        assertEquals(LOST, s.current(), "the group's own events change nothing while fenced");
        session(s, NodeState.UP, ClusterEvents.SESSION_CONNECTED, 7000);
        assertEquals(Health.down("group rg1 is PENDING_OFFLINE"), s.current(), "then the group's latest state");
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "ONLINE"));
        assertEquals(List.of(Health.up("group rg1 is ONLINE"), SUSPENDED, LOST, Health.down("group rg1 is PENDING_OFFLINE"),
                Health.up("group rg1 is ONLINE")), changes);
        assertEquals("group rg1", s.describe());
    }

    @Test
    void withoutAMembershipNothingIsFenced() {
        Fenced s = new Fenced(new AgentStatus("the Vigil agent"));
        s.start(changes::add);
        membership.state(NodeState.DOWN);
        s.services(null, null);
        s.onEvent(ClusterEvents.SESSION_LOST, Map.of());
        assertEquals(Health.up("the Vigil agent is running"), s.current());
        s.services(null, membership);
        assertEquals(LOST, s.current());
        s.services(null, null);
        assertEquals(List.of(LOST, Health.up("the Vigil agent is running")), changes, "the membership left: unfenced");
    }

    @Test
    void theClusterSourceIsUpWhileThisNodeIsAnUpMember() {
        ClusterStatus s = new ClusterStatus();
        s.start(changes::add);
        assertEquals(Health.down("the cluster membership is not available"), s.current());
        s.services(null, membership);
        assertEquals(Health.up("node-a is UP in a cluster of 3, coordinator node-b"), s.current());
        session(s, NodeState.SUSPENDED, ClusterEvents.SESSION_SUSPENDED, 1);
        assertEquals(SUSPENDED, s.current());
        session(s, NodeState.DOWN, ClusterEvents.SESSION_LOST, 2);
        assertEquals(LOST, s.current());
        membership.coordinator(null);
        session(s, NodeState.UP, ClusterEvents.SESSION_CONNECTED, 3);
        assertEquals(Health.up("node-a is UP in a cluster of 3, coordinator not elected yet"), s.current());
        membership.others("node-b").coordinator("node-a");
        s.onEvent(ClusterEvents.NODE_LEFT, Map.of(ClusterEvents.NODE, "node-c"));
        assertEquals(Health.up("node-a is UP in a cluster of 2, coordinator node-a"), s.current());
        s.onEvent(RgmEvents.GROUP_STATE, Map.of());
        assertEquals(5, changes.size(), "every change reported once; RGM events read nothing");
        assertEquals(Instant.ofEpochMilli(3), s.changedAt());
    }

    @Test
    void aGroupOnAnyNodeFollowsItsLocationAndTheMembers() {
        GroupClusterStatus s = new GroupClusterStatus("rg1");
        s.start(changes::add);
        assertEquals(Health.down("the resource group manager is not running"), s.current());
        locations.put("rg1", FakeRgm.location("rg1", "node-b", "ONLINE", "node-a", "OFFLINE"));
        s.services(rgm, membership);
        assertEquals(Health.up("group rg1 is ONLINE on node-b"), s.current());

        locations.put("rg1", FakeRgm.location("rg1", "node-b", "PENDING_OFFLINE", "node-a", "PENDING_ONLINE"));
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg2", RgmEvents.STATE, "ONLINE"));
        assertEquals(Health.up("group rg1 is ONLINE on node-b"), s.current(), "other groups' news is not read");
        s.onEvent(RgmEvents.GROUP_LOCATION, Map.of(RgmEvents.GROUP, "rg1", RgmEvents.TIME, 9L));
        assertEquals(Health.down("group rg1 is ONLINE on no live node: node-a PENDING_ONLINE, node-b PENDING_OFFLINE"),
                s.current());
        assertEquals(Instant.ofEpochMilli(9), s.changedAt());

        locations.put("rg1", FakeRgm.location("rg1", "node-a", "ONLINE", "node-c", "ONLINE"));
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "ONLINE"));
        assertEquals(Health.up("group rg1 is ONLINE on node-a, node-c"), s.current(), "scalable: every node");
        locations.put("rg1", FakeRgm.location("rg1", "node-c", "ONLINE"));
        s.onEvent(RgmEvents.GROUP_LOCATION, FakeRgm.event(RgmEvents.GROUP, "rg1"));
        assertEquals(Health.up("group rg1 is ONLINE on node-c"), s.current(), "any group event naming it is read");

        locations.put("rg1", FakeRgm.location("rg1", "node-c", "ONLINE"));
        membership.others("node-b");
        s.onEvent(ClusterEvents.NODE_LEFT, Map.of(ClusterEvents.NODE, "node-c"));
        assertEquals(Health.down("group rg1 is ONLINE on no live node: node-c ONLINE (not a live member)"), s.current(),
                "a node that left counts no more, even before the RGM has noticed");

        locations.remove("rg1");
        s.onEvent(ClusterEvents.COORDINATOR, Map.of());
        assertEquals(Health.down("group rg1 does not exist"), s.current());
        s.services(null, membership);
        assertEquals(Health.down("the resource group manager is not running"), s.current());
        assertEquals(7, changes.size());
    }

    @Test
    void aLocationThatCannotBeReadIsDownWithTheReason() {
        ResourceGroupManager failing = (ResourceGroupManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResourceGroupManager.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("the cluster store is not reachable");
                });
        GroupClusterStatus s = new GroupClusterStatus("rg1");
        s.services(failing, membership);
        assertEquals(Health.down("the location of group rg1 cannot be read: the cluster store is not reachable"),
                s.current());
    }
}
