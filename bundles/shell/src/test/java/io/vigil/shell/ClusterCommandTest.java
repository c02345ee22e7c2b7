package io.vigil.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmException;
import java.time.Instant;
import io.vigil.testing.FakeMembership;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCommandTest {

    private static final long T1 = Instant.parse("2026-11-22T07:30:00.250Z").toEpochMilli();
    private static final long T2 = Instant.parse("2026-11-22T07:31:05Z").toEpochMilli();

    private final FakeMembership members = new FakeMembership("node-2").coordinator("node-1", 7).members(
            new ClusterNode("node-1", List.of("192.0.2.11", "node-1.example"), NodeState.UP, T1),
            new ClusterNode("node-2", List.of("192.0.2.12"), NodeState.UP, T2),
            new ClusterNode("node-3", List.of(), NodeState.UP, T2));
    private final FakeRgm rgm = new FakeRgm("node-1", "node-2", "node-3");
    private final ClusterCommand cluster = new ClusterCommand(members, rgm);

    @Test
    void statusShowsThisNodeTheCoordinatorTheMembersAndWhereEachGroupRuns() throws Exception {
        rgm.add("db", "node-1").add("idle").add("web", "node-2", "node-3");
        rgm.locations.put("db", new GroupLocation("db", List.of("node-3"),
                Map.of("node-1", GroupState.PENDING_OFFLINE, "node-3", GroupState.OFFLINE), 9, ""));
        rgm.locations.put("idle", new GroupLocation("idle", List.of(), Map.of(), 0,
                "fence command failed for node-4"));
        assertEquals("""
                Node:         node-2
                State:        UP
                Coordinator:  node-1 (epoch 7)
                Members:      3
                Groups:
                  GROUP  PLACED ON      REPORTS                                       REASON
                  db     node-3         node-1=PENDING_OFFLINE, node-3=OFFLINE
                  idle   -              -                                             fence command failed for node-4
                  web    node-2,node-3  node-1=OFFLINE, node-2=ONLINE, node-3=ONLINE
                """, cluster.cluster("status"));
    }

    @Test
    void statusOnAClusterOfOneSaysThisNodeCoordinates() throws Exception {
        FakeMembership one = new FakeMembership("solo").members(
                new ClusterNode("solo", List.of(), NodeState.UP, T1));
        FakeRgm local = new FakeRgm("solo").add("rg1", "solo");
        assertEquals("""
                Node:         solo
                State:        UP
                Coordinator:  solo (epoch 1, this node)
                Members:      1
                Groups:
                  GROUP  PLACED ON  REPORTS      REASON
                  rg1    solo       solo=ONLINE
                """, new ClusterCommand(one, local).cluster("status"));
    }

    @Test
    void withoutCoordinatorTheStatusSaysWhy() throws Exception {
        members.coordinator(null);
        assertTrue(cluster.cluster("status").contains("\nCoordinator:  none (election in progress)\n"));
        members.state(NodeState.SUSPENDED);
        String out = cluster.cluster("status");
        assertTrue(out.contains("\nState:        SUSPENDED\nCoordinator:  unknown (this node is SUSPENDED)\n"), out);
    }

    @Test
    void statusWithoutRgmOrGroupsSaysSo() throws Exception {
        assertTrue(cluster.cluster("status").endsWith("\nMembers:      3\nGroups:       none\n"));
        String out = new ClusterCommand(members, null).cluster("status");
        assertTrue(out.endsWith("\nMembers:      3\nGroups:       unavailable (rgm not active)\n"), out);
    }

    @Test
    void nodesListsEveryMemberWithItsStateSinceAddressesAndRole() throws Exception {
        assertEquals("""
                NODE    STATE  SINCE                 ADDRESSES                  ROLE         REPORTED DEAD
                node-1  UP     2026-11-22T07:30:00Z  192.0.2.11,node-1.example  coordinator
                node-2  UP     2026-11-22T07:31:05Z  192.0.2.12                 local
                node-3  UP     2026-11-22T07:31:05Z  -
                """, cluster.cluster("nodes"));
        members.coordinator("node-2", 8);
        assertTrue(cluster.cluster("nodes").contains("\nnode-2  UP     2026-11-22T07:31:05Z  192.0.2.12                 "
                + "coordinator,local\n"));
    }

    @Test
    void reportTellsTheRgmAndNodesShowsTheReport() throws Exception {
        assertEquals("Node node-3 reported dead (pgpool unreachable): its groups move to their other nodes\n",
                cluster.cluster("report", "node-3", "dead", "-m", "pgpool unreachable"));
        assertEquals(List.of("report node-3 dead pgpool unreachable"), rgm.calls);
        assertTrue(cluster.cluster("nodes").contains("\nnode-3  UP     2026-11-22T07:31:05Z  -                                       "
                + "pgpool unreachable (on node-1 at 2027-01-15T08:00:00Z)\n"), cluster.cluster("nodes"));
        JsonNode nodes = new ObjectMapper().readTree(cluster.cluster("nodes", "-o", "json"));
        assertEquals("pgpool unreachable", nodes.get(2).get("reportedDead").get("reason").asText());
        assertTrue(nodes.get(0).get("reportedDead").isNull());

        assertEquals("Node node-3 reported alive: it may be chosen for groups again\n",
                cluster.cluster("report", "node-3", "alive"));
        assertEquals("report node-3 alive reported alive by an operator", rgm.calls.get(1));
        assertTrue(rgm.reports.isEmpty());

        UsageException word = assertThrows(UsageException.class, () -> cluster.cluster("report", "node-3", "down"));
        assertEquals("cluster report: 'down' is neither dead nor alive; usage: " + ClusterCommand.REPORT_USAGE,
                word.getMessage());
        UsageException missing = assertThrows(UsageException.class, () -> cluster.cluster("report", "node-3"));
        assertTrue(missing.getMessage().startsWith("cluster report takes a node and dead or alive, got [node-3]"),
                missing.getMessage());
        RgmException unknown = assertThrows(RgmException.class, () -> cluster.cluster("report", "node-9", "dead"));
        assertTrue(unknown.getMessage().startsWith("node node-9 is not a cluster member"), unknown.getMessage());
        IllegalStateException noRgm = assertThrows(IllegalStateException.class,
                () -> new ClusterCommand(members, null).cluster("report", "node-3", "dead"));
        assertTrue(noRgm.getMessage().startsWith("the resource group manager is not active"), noRgm.getMessage());
    }

    @Test
    void jsonForScripts() throws Exception {
        rgm.add("rg1", "node-1");
        ObjectMapper json = new ObjectMapper();
        JsonNode status = json.readTree(cluster.cluster("status", "-o", "json"));
        assertEquals("node-2", status.get("node").asText());
        assertEquals("UP", status.get("state").asText());
        assertEquals("node-1", status.get("coordinator").get("node").asText());
        assertEquals(7, status.get("coordinator").get("epoch").asLong());
        assertEquals(3, status.get("members").asInt());
        assertEquals("[\"node-1\"]", status.get("groups").get(0).get("placedOn").toString());

        members.coordinator(null);
        assertTrue(json.readTree(cluster.cluster("status", "-o", "json")).get("coordinator").isNull());
        assertTrue(json.readTree(new ClusterCommand(members, null).cluster("status", "-o", "json")).get("groups").isNull());

        JsonNode nodes = json.readTree(cluster.cluster("nodes", "-o", "json"));
        assertEquals(3, nodes.size());
        JsonNode first = nodes.get(0);
        assertEquals("node-1", first.get("name").asText());
        assertEquals("2026-11-22T07:30:00.250Z", first.get("since").asText());
        assertEquals("[\"192.0.2.11\",\"node-1.example\"]", first.get("addresses").toString());
        assertEquals(false, first.get("coordinator").asBoolean());
        assertEquals(false, first.get("local").asBoolean());
        assertEquals(true, nodes.get(1).get("local").asBoolean());
    }

    @Test
    void withoutMembershipTheCommandSaysWhy() throws Exception {
        ClusterCommand none = new ClusterCommand(null, rgm);
        String message = assertThrows(IllegalStateException.class, () -> none.cluster("nodes")).getMessage();
        assertTrue(message.startsWith("no cluster membership is available: "), message);
        assertThrows(IllegalStateException.class, () -> none.cluster("status"));
    }

    @Test
    void badCommandLinesNameWhatIsExpected() throws Exception {
        assertEquals("cluster needs a subcommand; usage: cluster status [-o json] | cluster nodes [-o json] | "
                + "cluster report <node> dead|alive [-m <reason>]",
                assertThrows(UsageException.class, () -> cluster.cluster()).getMessage());
        assertEquals("unknown cluster subcommand 'show'; usage: cluster status [-o json] | cluster nodes [-o json] | "
                + "cluster report <node> dead|alive [-m <reason>]",
                assertThrows(UsageException.class, () -> cluster.cluster("show")).getMessage());
        assertEquals("unexpected operand node-1; usage: cluster nodes [-o json]",
                assertThrows(UsageException.class, () -> cluster.cluster("nodes", "node-1")).getMessage());
        assertEquals("output format yaml is not known; expected -o json or -o table; usage: cluster status [-o json]",
                assertThrows(UsageException.class, () -> cluster.cluster("status", "-o", "yaml")).getMessage());
    }
}
