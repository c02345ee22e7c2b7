package io.vigil.pgpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VigilNodesTest {

    final List<String> alarms = new ArrayList<>();
    final List<NodeList> changes = new ArrayList<>();
    final VigilNodes nodes = new VigilNodes("node-a", "host-a", 9000, 9999, true,
            (event, instance, attrs) -> alarms.add(event + " " + instance + " " + attrs.get("message")), changes::add);

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
}
