package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.api.cluster.NodeState;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.testing.FakeMembership;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VigilNodesTest {

    final List<String> alarms = new ArrayList<>();
    final List<NodeList> changes = new ArrayList<>();
    final VigilNodes nodes = new VigilNodes("node-a", "host-a", 9000, 9999, true,
            (event, instance, attrs) -> alarms.add(event + " " + instance + " " + attrs.get("message")), changes::add);

    /** node-b's view of node-a, node-b (this node) and node-c, node-c coordinating. */
    final FakeMembership three = new FakeMembership("node-b").others("node-a", "node-c").coordinator("node-c", 7);

    VigilNodes clusterNodes(String hostName, String ids) {
        return new VigilNodes(ClusterSnapshot.of(three), hostName, 9000, 9999, false, NodeIds.parse(ids),
                (event, instance, attrs) -> alarms.add(event + " " + instance), changes::add);
    }

    static String states(NodeList l) {
        return l.nodes().stream().map(n -> n.id() + ":" + n.nodeName() + "=" + n.stateName()).toList().toString();
    }

    @Test
    void thisNodeIsTheLeaderWithItsQuorum() {
        NodeList l = nodes.nodeList();
        assertEquals(1, l.nodeCount());
        assertEquals("node-a", l.leaderNodeName());
        assertEquals(1, l.quorumStatus());
        assertEquals(WdState.LEADER, l.local().orElseThrow().state());
        assertEquals("host-a", l.local().orElseThrow().hostName());
        assertEquals(Optional.of(1), l.local().orElseThrow().lifecheckStarted());
        assertSame(l, nodes.nodeList(), "unchanged lists are the same instance, so their JSON is cached");
    }

    @Test
    void reportsRaiseAlarmsAndChangeTheListOnlyOnAChange() {
        nodes.statusReported(0, false, "lifecheck says so");
        assertEquals(WdState.LOST, nodes.nodeList().local().orElseThrow().state());
        assertEquals(NodeList.NO_LEADER, nodes.nodeList().leaderNodeName());
        nodes.statusReported(0, false, "");
        nodes.statusReported(0, true, "");
        assertEquals(List.of("node_dead node-a reported DEAD over the watchdog socket: lifecheck says so",
                "node_dead node-a reported DEAD over the watchdog socket",
                "node_alive node-a reported ALIVE over the watchdog socket"), alarms);
        assertEquals(2, changes.size());
        assertEquals(WdState.LEADER, changes.get(1).local().orElseThrow().state());
    }

    @Test
    void theCoordinatorIsTheLeaderAndTheOtherMembersStandbysThisNodeFirst() {
        NodeList l = clusterNodes("", "").nodeList();
        assertEquals("[0:node-b=STANDBY, 1:node-a=STANDBY, 2:node-c=LEADER]", states(l));
        assertEquals(List.of(2, 2, 2, 1, 2, 0, 3), List.of(l.remoteNodeCount(), l.memberRemoteNodeCount(),
                l.nodesRequireForQuorum(), l.quorumStatus(), l.aliveNodeCount(), l.escalated(), l.nodeCount()),
                "counters as a real watchdog of three nodes shows them");
        assertEquals("node-c", l.leaderNodeName());
        assertEquals("10.0.0.3", l.leaderHostName(), "a node's first announced address");
        assertEquals("10.0.0.1", l.local().orElseThrow().hostName());
        WatchdogNode c = l.nodes().get(2);
        assertEquals(List.of(9000, 9999, 0, "MEMBER", "Not_Set"),
                List.of(c.wdPort(), c.pgpoolPort(), c.membership(), c.membershipString(), c.delegateIp()));
        assertEquals(Optional.empty(), c.lifecheckStarted());
        assertEquals("host-b", clusterNodes("host-b", "").nodeList().local().orElseThrow().hostName(),
                "the configured host name for this node");
    }

    @Test
    void configuredIdsAreKeptAndOthersGetTheSmallestFree() {
        NodeList l = clusterNodes("", "node-c=0, node-b=3").nodeList();
        assertEquals("[3:node-b=STANDBY, 0:node-c=LEADER, 1:node-a=STANDBY]", states(l));
    }

    @Test
    void membershipChangesRebuildTheListOnlyWhenItChanges() {
        VigilNodes n = clusterNodes("", "");
        NodeList before = n.nodeList();
        n.clusterChanged(ClusterSnapshot.of(three));
        assertSame(before, n.nodeList(), "an event that changes nothing keeps the list (and its cached JSON)");
        assertEquals(List.of(), changes);

        n.clusterChanged(ClusterSnapshot.of(three.coordinator(null, 0)));
        assertEquals("[0:node-b=PARTICIPATING IN ELECTION, 1:node-a=PARTICIPATING IN ELECTION, "
                + "2:node-c=PARTICIPATING IN ELECTION]", states(n.nodeList()));
        assertEquals(List.of(NodeList.NO_LEADER, -2, 0), List.of(n.nodeList().leaderNodeName(),
                n.nodeList().quorumStatus(), n.nodeList().aliveNodeCount()));

        n.clusterChanged(ClusterSnapshot.of(three.coordinator("node-b", 8).others("node-a")));
        assertEquals("[0:node-b=LEADER, 1:node-a=STANDBY]", states(n.nodeList()));
        assertEquals(List.of(1, 2, 1), List.of(n.nodeList().remoteNodeCount(), n.nodeList().nodesRequireForQuorum(),
                n.nodeList().aliveNodeCount()));

        n.clusterChanged(ClusterSnapshot.of(three.others("node-a", "node-c")));
        assertEquals("[0:node-b=LEADER, 1:node-a=STANDBY, 2:node-c=STANDBY]", states(n.nodeList()),
                "a node that joins again keeps its id");
        assertEquals(3, changes.size());
        assertSame(n.nodeList(), changes.get(2));
    }

    @Test
    void aSuspendedOrLostNodeShowsNoLeader() {
        VigilNodes n = clusterNodes("", "");
        n.clusterChanged(ClusterSnapshot.of(three.state(NodeState.SUSPENDED)));
        assertEquals("[0:node-b=IN NETWORK TROUBLE, 1:node-a=STANDBY, 2:node-c=STANDBY]", states(n.nodeList()));
        assertEquals(List.of(NodeList.NO_LEADER, NodeList.NO_LEADER, -2, 0), List.of(n.nodeList().leaderNodeName(),
                n.nodeList().leaderHostName(), n.nodeList().quorumStatus(), n.nodeList().aliveNodeCount()));
        n.clusterChanged(ClusterSnapshot.of(three.state(NodeState.DOWN)));
        assertEquals(WdState.LOST, n.nodeList().local().orElseThrow().state());
        n.clusterChanged(ClusterSnapshot.of(three.state(NodeState.UP)));
        assertEquals("[0:node-b=STANDBY, 1:node-a=STANDBY, 2:node-c=LEADER]", states(n.nodeList()));
    }

    @Test
    void aReportedDeadMemberIsLostUntilAliveOrUntilItLeaves() {
        VigilNodes n = clusterNodes("", "");
        n.statusReported(2, false, "lifecheck");
        assertEquals("[0:node-b=STANDBY, 1:node-a=STANDBY, 2:node-c=LOST]", states(n.nodeList()));
        assertEquals(List.of(NodeList.NO_LEADER, -2), List.of(n.nodeList().leaderNodeName(), n.nodeList().quorumStatus()),
                "the leader reported DEAD: no leader");
        n.statusReported(1, false, "");
        n.statusReported(2, true, "");
        assertEquals("[0:node-b=STANDBY, 1:node-a=LOST, 2:node-c=LEADER]", states(n.nodeList()));
        assertEquals(List.of("node_dead node-c", "node_dead node-a", "node_alive node-c"), alarms);

        n.clusterChanged(ClusterSnapshot.of(three.others("node-c")));
        n.clusterChanged(ClusterSnapshot.of(three.others("node-a", "node-c")));
        assertEquals("[0:node-b=STANDBY, 1:node-a=STANDBY, 2:node-c=LEADER]", states(n.nodeList()),
                "a node that left and joined again starts afresh");
        n.statusReported(5, false, "");
        assertEquals(3, alarms.size(), "a node that is not a member changes nothing");
    }
}
