package io.vigil.rgm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.testing.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three RGMs sharing one store, as three agents on ZooKeeper: placement by the coordinator,
 * switchover (offline before online), failover when a node leaves (after its fence), self-fencing
 * on a lost session, giveover with Monitor_check on the candidates, evacuation, and changes made on
 * one node reaching the node where the group runs.
 */
class ClusterRgmTest {

    @TempDir
    Path dir;

    private ClusterFixture cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterFixture(dir, "n1", "n2", "n3");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /** Creates group rg (Nodelist n1,n2,n3 unless given) with resource r1 on node n1, seen by every node. */
    private void createGroup(String nodelist) throws RgmException {
        cluster.rgm("n1").createGroup("rg", Map.of("Nodelist", nodelist));
        cluster.rgm("n1").createResource("r1", "rg", "TEST.app", Map.of(), false);
        for (String n : List.of("n2", "n3")) {
            await(n + " to know r1", () -> cluster.rgm(n).resource("r1").isPresent());
        }
    }

    private GroupLocation location(String node) {
        return cluster.rgm(node).location("rg").orElseThrow();
    }

    /** @return whether, as a viewer sees it, rg runs on one node and has finished starting there */
    private boolean onlineOnlyOn(String viewer, String node) {
        GroupLocation l = location(viewer);
        return l.onlineOn().equals(List.of(node)) && l.states().get(node) == GroupState.ONLINE;
    }

    private List<String> starts() throws Exception {
        return cluster.journal().stream().filter(l -> l.contains(" start ")).toList();
    }

    private int indexOf(String line) throws Exception {
        return cluster.journal().indexOf(line);
    }

    @Test
    void theCoordinatorPlacesAGroupOnTheFirstLiveNodeOfItsNodelistWhereverOnlineIsAsked() throws Exception {
        createGroup("n2,n1,n3");
        cluster.rgm("n3").online("rg");
        GroupLocation l = location("n3");
        assertEquals(List.of("n2"), l.placedOn());
        assertEquals(List.of("n2"), l.onlineOn());
        assertEquals(List.of("n2 start r1"), starts());
        assertEquals(GroupState.ONLINE, cluster.rgm("n2").group("rg").orElseThrow().state());
        assertEquals(GroupState.OFFLINE, cluster.rgm("n1").group("rg").orElseThrow().state());
        assertTrue(l.placementVersion() > 0);
        await("n1 to see n2's report", () -> onlineOnlyOn("n1", "n2"));
    }

    @Test
    void aSwitchTakesTheGroupOfflineOnTheOldNodeBeforeItStartsOnTheNewOne() throws Exception {
        createGroup("n1,n2,n3");
        cluster.rgm("n1").online("rg");
        assertEquals(List.of("n1"), location("n1").onlineOn());

        GroupLocation moved = cluster.rgm("n3").switchover("rg", "n2");
        assertEquals(List.of("n2"), moved.placedOn());
        assertEquals(List.of("n2"), moved.onlineOn());
        int stopped = indexOf("n1 stop r1");
        int started = indexOf("n2 start r1");
        assertTrue(stopped >= 0 && started > stopped, "offline on n1 before online on n2: " + cluster.journal());
        assertEquals(GroupState.OFFLINE, cluster.rgm("n1").group("rg").orElseThrow().state());

        RgmException notMember = assertThrows(RgmException.class, () -> cluster.rgm("n1").switchover("rg", "n9"));
        assertTrue(notMember.getMessage().contains("node n9 is not a live cluster member"), notMember.getMessage());
        cluster.rgm("n1").offline("rg");
        RgmException notWanted = assertThrows(RgmException.class, () -> cluster.rgm("n1").switchover("rg", "n1"));
        assertTrue(notWanted.getMessage().contains("not wanted online"), notWanted.getMessage());
    }

    @Test
    void whenANodeLeavesItsGroupsStartOnTheNextNodeOnlyOnceItsFenceSucceeded() throws Exception {
        createGroup("n2,n3,n1");
        cluster.rgm("n2").online("rg");
        assertEquals(List.of("n2 start r1"), starts());

        cluster.fenceSucceeds = false;
        cluster.suspend("n2");
        cluster.lose("n2");
        await("n2 to stop its resources (self-fencing)", () -> cluster.journal().contains("n2 stop r1"));
        cluster.expire("n2");
        await("the coordinator to try the fence", () -> !cluster.fenceCalls.isEmpty());
        assertEquals(List.of("fence-node", "n2"), cluster.fenceCalls.get(0));
        await("the placement to say why it waits", () -> location("n1").reason().contains("its fence has not succeeded"));
        assertEquals(List.of("n2 start r1"), starts(), "nothing starts while the fence fails");

        cluster.fenceSucceeds = true;
        await("rg online on n3", () -> onlineOnlyOn("n1", "n3"));
        assertEquals(List.of("n2 start r1", "n3 start r1"), starts());
    }

    @Test
    void aNodeCutOffHoldsWhileSuspendedAndStopsEverythingOnceItsSessionIsLost() throws Exception {
        createGroup("n1,n2,n3");
        cluster.rgm("n1").online("rg");
        cluster.suspend("n1");
        assertEquals(GroupState.ONLINE, cluster.rgm("n1").group("rg").orElseThrow().state(),
                "a suspended node neither starts nor stops");
        cluster.lose("n1");
        await("n1 to stop rg", () -> cluster.rgm("n1").group("rg").orElseThrow().state() == GroupState.OFFLINE);
        assertTrue(cluster.rgm("n1").group("rg").orElseThrow().message().contains("self-fencing"));
        cluster.expire("n1");
        await("rg online on n2", () -> onlineOnlyOn("n2", "n2"));
        assertEquals(List.of("n1 start r1", "n2 start r1"), starts());

        cluster.rejoin("n1");
        await("n1 to see rg on n2", () -> onlineOnlyOn("n1", "n2"));
        assertEquals(List.of("n1 start r1", "n2 start r1"), starts(), "rejoining moves nothing without Failback");
    }

    @Test
    void aLocationEventIsPostedOnceTheNewLocationCanBeRead() throws Exception {
        createGroup("n2,n1,n3");
        List<String> seenWhenPosted = new java.util.concurrent.CopyOnWriteArrayList<>();
        cluster.rgm("n1").notifier = (topic, properties) -> {
            if (topic.equals(io.vigil.api.rgm.RgmEvents.GROUP_LOCATION)) {
                seenWhenPosted.add(String.valueOf(location("n1").states().get("n2")));
            }
        };
        cluster.rgm("n3").online("rg");
        await("n1 to be told of rg ONLINE on n2", () -> seenWhenPosted.contains("ONLINE"));
    }

    @Test
    void theStartGraceNeverHoldsAGroupOfANodeThatWasSeenAndLeft() throws Exception {
        cluster.close();
        cluster = new ClusterFixture(dir.resolve("grace"), java.time.Duration.ofMinutes(10), "n1", "n2", "n3");
        createGroup("n1,n2,n3");
        cluster.rgm("n1").online("rg");
        // n1 coordinates and runs rg; n2, which has just started (well within its grace), takes over.
        cluster.suspend("n1");
        cluster.lose("n1");
        cluster.expire("n1");
        await("rg online on n2", () -> onlineOnlyOn("n2", "n2"));
        assertEquals("", location("n2").reason());
    }

    @Test
    void aGiveoverGoesToTheFirstCandidateWhoseMonitorCheckPasses() throws Exception {
        createGroup("n1,n2,n3");
        cluster.rgm("n1").online("rg");
        cluster.failOn("n2", "monitor_check");
        cluster.rgm("n1").giveover("rg", "probe failed");
        await("rg online on n3", () -> onlineOnlyOn("n1", "n3"));
        List<String> j = cluster.journal();
        assertTrue(j.indexOf("n2 monitor_check r1") >= 0 && j.indexOf("n3 monitor_check r1") > j.indexOf("n2 monitor_check r1"),
                "Monitor_check in Nodelist order: " + j);
        assertTrue(j.indexOf("n1 stop r1") >= 0 && j.indexOf("n1 stop r1") < j.indexOf("n3 start r1"), j.toString());

        cluster.failOn("n1", "monitor_check");
        RgmException refused = assertThrows(RgmException.class, () -> cluster.rgm("n3").giveover("rg", "again"));
        assertTrue(refused.getMessage().contains("no candidate could take it"), refused.getMessage());
        assertTrue(refused.getMessage().contains("n2: Monitor_check of r1 failed"), refused.getMessage());
        assertEquals(List.of("n3"), location("n3").onlineOn(), "a refused giveover leaves the group where it is");
    }

    @Test
    void aStartFailureUnderSoftFailoverModeGivesTheGroupOver() throws Exception {
        createGroup("n1,n2,n3");
        cluster.failOn("n1", "start");
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        cluster.rgm("n1").notifier = (topic, p) -> {
            if (topic.equals(RgmEvents.GROUP_GIVEOVER)) {
                reasons.add(p.get(RgmEvents.OUTCOME) + ": " + p.get(RgmEvents.REASON));
            }
        };
        cluster.rgm("n1").online("rg");
        await("rg online on n2", () -> onlineOnlyOn("n1", "n2"));
        assertEquals(List.of("n1 start r1", "n2 start r1"), starts());
        await("the giveover posted", () -> !reasons.isEmpty());
        assertTrue(reasons.get(0).startsWith("relocated: Start failed") && reasons.get(0).contains(
                "on node n1; Failover_mode SOFT relocates group rg") && !reasons.get(0).contains("no other node"),
                reasons.toString());
    }

    @Test
    void evacuatingANodeMovesItsGroupsAway() throws Exception {
        createGroup("n1,n2,n3");
        cluster.rgm("n2").online("rg");
        List<GroupLocation> moved = cluster.rgm("n3").evacuate("n1");
        assertEquals(1, moved.size());
        assertEquals(List.of("n2"), moved.get(0).onlineOn());
        List<String> j = cluster.journal();
        assertTrue(j.indexOf("n1 stop r1") >= 0 && j.indexOf("n1 stop r1") < j.indexOf("n2 start r1"), j.toString());
        RgmException unknown = assertThrows(RgmException.class, () -> cluster.rgm("n3").evacuate("n9"));
        assertTrue(unknown.getMessage().contains("node n9 is not a cluster member"), unknown.getMessage());

        // a giveover from n2 tries n1 first (its Monitor_check passes), but n1 is still evacuated
        int mark = cluster.journal().size();
        cluster.rgm("n2").giveover("rg", "probe failed");
        await("rg online on n3", () -> onlineOnlyOn("n2", "n3"));
        List<String> after = cluster.journal().subList(mark, cluster.journal().size());
        assertTrue(after.contains("n1 monitor_check r1"), after.toString());
        assertFalse(after.stream().anyMatch(l -> l.startsWith("n1 start")), "nothing started on n1: " + after);
    }

    @Test
    void aNodeReportedDeadLosesItsGroupsUntilItIsReportedAlive() throws Exception {
        createGroup("n1,n2,n3");
        cluster.rgm("n1").online("rg");
        List<String> reportEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        cluster.rgm("n2").notifier = (topic, p) -> {
            if (topic.equals(RgmEvents.NODE_REPORT)) {
                reportEvents.add(String.valueOf(p.get(RgmEvents.NODE)));
            }
        };
        cluster.rgm("n3").reportNode("n1", false, "pgpool lifecheck: n1:9999 refused the connection");
        await("rg online on n2", () -> onlineOnlyOn("n3", "n2"));
        await("n2 to post the report", () -> reportEvents.contains("n1"));
        List<String> j = cluster.journal();
        assertTrue(j.indexOf("n1 stop r1") >= 0 && j.indexOf("n1 stop r1") < j.indexOf("n2 start r1"), j.toString());
        NodeReport report = cluster.rgm("n2").nodeReports().get(0);
        assertEquals(List.of("n1"), cluster.rgm("n2").nodeReports().stream().map(NodeReport::node).toList());
        assertEquals("pgpool lifecheck: n1:9999 refused the connection", report.reason());
        assertEquals("n3", report.reportedOn());

        cluster.rgm("n1").reportNode("n2", false, "operator");
        await("rg online on n3", () -> onlineOnlyOn("n1", "n3"));
        cluster.rgm("n1").reportNode("n3", false, "operator");
        await("the placement to say why rg stays", () -> location("n1").reason().contains("it stays there"));
        assertEquals(List.of("n3"), location("n1").placedOn(), "with every node reported dead, rg stays where it runs");
        assertTrue(onlineOnlyOn("n1", "n3"));

        RgmException unknown = assertThrows(RgmException.class, () -> cluster.rgm("n1").reportNode("n9", false, "x"));
        assertEquals("node n9 is not a cluster member; members: [n1, n2, n3]", unknown.getMessage());

        for (String n : List.of("n3", "n2", "n1")) { // n3 first: with n1 alive first, rg would move there
            cluster.rgm("n2").reportNode(n, true, "recovered");
        }
        await("every report withdrawn", () -> cluster.rgm("n1").nodeReports().isEmpty());
        await("the placement to drop its reason", () -> location("n1").reason().isEmpty());
        assertEquals(List.of("n3"), location("n1").placedOn(), "reported alive, no group moves back without Failback");

        cluster.rgm("n3").reportNode("n2", false, "lifecheck");
        await("n1 to see the report", () -> !cluster.rgm("n1").nodeReports().isEmpty());
        cluster.suspend("n2");
        cluster.lose("n2");
        cluster.expire("n2");
        cluster.rejoin("n2");
        await("the report about n2's old session to be gone", () -> cluster.rgm("n1").nodeReports().isEmpty()
                && cluster.rgm("n3").nodeReports().isEmpty());
        // n1 reported dead and n3 (where rg runs) evacuated: only n2 is left, and only if its old report is gone
        cluster.rgm("n3").reportNode("n1", false, "lifecheck");
        List<GroupLocation> moved = cluster.rgm("n1").evacuate("n3");
        assertEquals(List.of("n2"), moved.get(0).onlineOn(), "a node that rejoined starts with a clean record");
    }

    @Test
    void aRequestToANodeThatLeavesFailsAtOnceNotAtItsTimeout() throws Exception {
        cluster.rgm("n1").createGroup("rg", Map.of("Nodelist", "n1,n2"));
        cluster.suspend("n2"); // n2 hears nothing: it will not answer its Validate
        java.util.concurrent.CompletableFuture<Void> create = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                cluster.rgm("n1").createResource("r1", "rg", "TEST.app", Map.of(), false);
            } catch (RgmException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await("n1 to ask n2", () -> cluster.requestPendingFor("n2"));
        cluster.expire("n2");
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> create.get(30, TimeUnit.SECONDS)); // Validate_timeout is 3600 s by default
        assertTrue(e.getCause().getMessage().contains("node n2 left the cluster before it answered"),
                e.getCause().getMessage());
        assertTrue(cluster.rgm("n1").resource("r1").isEmpty(), "nothing stored");
    }

    @Test
    void validateRunsOnEveryInitNodeAndARefusalAnywhereStoresNothing() throws Exception {
        cluster.rgm("n1").createGroup("rg", Map.of("Nodelist", "n1,n2"));
        cluster.failOn("n2", "validate");
        RgmException refused = assertThrows(RgmException.class,
                () -> cluster.rgm("n1").createResource("r1", "rg", "TEST.app", Map.of(), false));
        assertTrue(refused.getMessage().contains("on node n2 refused its creation: exit 3: told to fail on n2"),
                refused.getMessage());
        assertTrue(cluster.rgm("n1").resource("r1").isEmpty(), "nothing stored");
        assertTrue(cluster.journal().contains("n2 validate r1"), "n2 is an Init_node: " + cluster.journal());
        assertFalse(cluster.journal().contains("n3 validate r1"), "n3 is not in the Nodelist: not an Init_node");

        java.nio.file.Files.delete(dir.resolve("fail.n2.validate"));
        cluster.rgm("n1").createResource("r1", "rg", "TEST.app", Map.of(), false);
        await("n2 to know r1", () -> cluster.rgm("n2").resource("r1").isPresent());
        cluster.failOn("n2", "validate");
        RgmException vetoed = assertThrows(RgmException.class,
                () -> cluster.rgm("n1").setResource("r1", Map.of("Level", "9")));
        assertTrue(vetoed.getMessage().contains("on node n2 vetoed the change of [Level]"), vetoed.getMessage());
        assertEquals("5", cluster.rgm("n1").resource("r1").orElseThrow().properties().getString("Level"));
        assertEquals("5", cluster.rgm("n2").resource("r1").orElseThrow().properties().getString("Level"));
    }

    @Test
    void aChangeMadeOnOneNodeRunsUpdateWhereTheResourceIsOnline() throws Exception {
        createGroup("n2,n1,n3");
        cluster.rgm("n1").online("rg");
        cluster.rgm("n3").setResource("r1", Map.of("Level", "7"));
        await("Update on n2", () -> cluster.journal().contains("n2 update r1"));
        assertFalse(cluster.journal().contains("n3 update r1"), "Update runs only where the resource is online");
        await("n2 to hold the new value", () -> cluster.rgm("n2").resource("r1").orElseThrow().properties()
                .getString("Level").equals("7"));
    }
}
