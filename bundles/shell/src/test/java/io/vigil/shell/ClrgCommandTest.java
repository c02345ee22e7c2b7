package io.vigil.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClrgCommandTest {

    private final FakeRgm rgm = new FakeRgm("n1", "n2", "n3");
    private final ClrgCommand clrg = new ClrgCommand(rgm);

    @Test
    void switchMovesTheGroupsOneAfterTheOtherInTheOrderGiven() throws RgmException {
        rgm.add("rg1", "n1").add("rg2", "n1").add("rg3", "n3");
        String out = clrg.clrg("switch", "-n", "n2", "rg3", "rg1");
        assertEquals(List.of("switchover rg3 n2", "switchover rg1 n2"), rgm.calls);
        assertEquals("Resource group rg3 switched to n2: ONLINE on n2\n"
                + "Resource group rg1 switched to n2: ONLINE on n2\n", out);
        assertEquals(List.of("n1"), rgm.locations.get("rg2").placedOn());
    }

    @Test
    void switchStopsAtTheFirstRefusalAndSaysWhatWasAndWasNotSwitched() {
        rgm.add("rg1", "n1").add("rg2", "n1").add("rg3", "n1");
        rgm.refusals.put("rg2", "n2 is not in the Nodelist of rg2 (n1,n3)");
        RgmException e = assertThrows(RgmException.class, () -> clrg.clrg("switch", "-n", "n2", "rg1", "rg2", "rg3"));
        assertEquals("resource group rg2 was not switched to n2: n2 is not in the Nodelist of rg2 (n1,n3); "
                + "switched before it: rg1; not attempted: rg3", e.getMessage());
        assertEquals(List.of("switchover rg1 n2", "switchover rg2 n2"), rgm.calls);
        assertEquals(List.of("n1"), rgm.locations.get("rg3").placedOn());
    }

    @Test
    void aRefusedSingleSwitchIsOneLineNamingGroupAndNode() {
        rgm.add("rg1", "n1");
        RgmException e = assertThrows(RgmException.class, () -> clrg.clrg("switch", "-n", "n9", "rg1"));
        assertEquals("resource group rg1 was not switched to n9: node n9 is not a live member of the cluster; "
                + "members: [n1, n2, n3]", e.getMessage());
    }

    @Test
    void switchWithoutNodeOrGroupSaysWhatIsExpectedAndMovesNothing() {
        rgm.add("rg1", "n1");
        assertEquals("the node to switch to (-n) is required; usage: clrg switch -n <node> <group>...",
                assertThrows(UsageException.class, () -> clrg.clrg("switch", "rg1")).getMessage());
        assertEquals("at least one group name is required; usage: clrg switch -n <node> <group>...",
                assertThrows(UsageException.class, () -> clrg.clrg("switch", "-n", "n2")).getMessage());
        assertEquals("option -n needs a value; usage: clrg switch -n <node> <group>...",
                assertThrows(UsageException.class, () -> clrg.clrg("switch", "rg1", "-n")).getMessage());
        assertEquals("resource group RG1 is given twice; usage: clrg switch -n <node> <group>...",
                assertThrows(UsageException.class, () -> clrg.clrg("switch", "-n", "n2", "rg1", "RG1")).getMessage());
        assertEquals(List.of(), rgm.calls);
    }

    @Test
    void evacuateMovesEveryGroupPlacedOnTheNode() throws RgmException {
        rgm.add("rg1", "n2").add("rg2", "n3").add("rg3", "n2");
        String out = clrg.clrg("evacuate", "-n", "n2");
        assertEquals(List.of("evacuate n2"), rgm.calls);
        assertEquals("Resource group rg1 evacuated from n2: ONLINE on n1\n"
                + "Resource group rg3 evacuated from n2: ONLINE on n1\n", out);
        assertEquals(List.of("n3"), rgm.locations.get("rg2").placedOn());
    }

    @Test
    void evacuateSaysWhenAGroupHasNowhereToGoOrNothingWasThere() throws RgmException {
        FakeRgm alone = new FakeRgm("n1").add("rg1", "n1");
        ClrgCommand c = new ClrgCommand(alone);
        assertEquals("Resource group rg1 evacuated from n1: placed nowhere (no other node of its Nodelist is a member)\n",
                c.clrg("evacuate", "-n", "n1"));
        assertEquals("No resource group was placed on n1\n", c.clrg("evacuate", "-n", "n1"));
    }

    @Test
    void evacuateRefusalsAndUsage() {
        assertEquals("node n9 is not a live member of the cluster; members: [n1, n2, n3]",
                assertThrows(RgmException.class, () -> clrg.clrg("evacuate", "-n", "n9")).getMessage());
        assertEquals("the node to evacuate (-n) is required; usage: clrg evacuate -n <node>",
                assertThrows(UsageException.class, () -> clrg.clrg("evacuate")).getMessage());
        assertEquals("clrg evacuate takes no group (it moves every group placed on the node), got [rg1]; "
                + "usage: clrg evacuate -n <node>",
                assertThrows(UsageException.class, () -> clrg.clrg("evacuate", "-n", "n1", "rg1")).getMessage());
        assertEquals(List.of("evacuate n9"), rgm.calls);
    }

    @Test
    void usageNamesTheNewSubcommands() {
        String message = assertThrows(UsageException.class, () -> clrg.clrg("move")).getMessage();
        assertTrue(message.contains("switch -n <node> <group>... | evacuate -n <node>"), message);
    }

    @Test
    void statusShowsWhereEachGroupIsPlacedAndWhatThoseNodesReportInANodeColumn() throws RgmException {
        rgm.add("db", "n1").add("idle").add("web", "n2", "n3");
        // db is being moved: placed on n2, which has not started it yet; n1 still has it online
        rgm.locations.put("db", new GroupLocation("db", List.of("n2"),
                Map.of("n1", GroupState.ONLINE, "n2", GroupState.OFFLINE, "n3", GroupState.OFFLINE), 4, ""));
        assertEquals("""
                GROUP  STATE    NODE                    WANTED   RESOURCES  MESSAGE
                db     ONLINE   n2=OFFLINE (n1=ONLINE)  online   db-rs
                idle   OFFLINE  -                       offline  idle-rs
                web    ONLINE   n2=ONLINE,n3=ONLINE     online   web-rs
                """, clrg.clrg("status"));
        assertEquals(clrg.clrg("status"), clrg.clrg("list"));
    }

    @Test
    void theNodeColumnShowsAPlacementNotYetReportedAndANodeLeftInStopFailed() {
        assertEquals("n2", ClrgCommand.node(new GroupLocation("g", List.of("n2"), Map.of("n1", GroupState.OFFLINE), 3, "")));
        assertEquals("(n1=ERROR_STOP_FAILED)", ClrgCommand.node(new GroupLocation("g", List.of(),
                Map.of("n1", GroupState.ERROR_STOP_FAILED, "n2", GroupState.OFFLINE, "n3", GroupState.UNMANAGED), 3,
                "n1 holds it in ERROR_STOP_FAILED")));
        assertEquals("n3=PENDING_ONLINE (n1=PENDING_OFFLINE,n2=ONLINE)", ClrgCommand.node(new GroupLocation("g",
                List.of("n3"), Map.of("n2", GroupState.ONLINE, "n1", GroupState.PENDING_OFFLINE,
                        "n3", GroupState.PENDING_ONLINE), 3, "")));
        assertEquals("-", ClrgCommand.node(null));
    }

    @Test
    void aGroupThatFailedToStartWhereItIsPlacedShowsItsReportAndWhy() throws RgmException {
        rgm.add("rg1", "n1");
        rgm.locations.put("rg1", new GroupLocation("rg1", List.of("n1"), Map.of("n1", GroupState.OFFLINE), 2,
                "Start failed on n1"));
        assertEquals("""
                GROUP  STATE   NODE        WANTED  RESOURCES  MESSAGE
                rg1    ONLINE  n1=OFFLINE  online  rg1-rs     Start failed on n1
                """, clrg.clrg("status", "rg1"));
    }

    @Test
    void statusOfOneGroupKeepsTheColumnsTheIntegrationTestsMatch() throws RgmException {
        rgm.add("rg1", "n1").add("rg2", "n2");
        String out = clrg.clrg("status", "rg1");
        // ResourceGroupIT waits for this
        assertTrue(out.matches("(?s).*\\nrg1 +ONLINE .*"), out);
        assertFalse(out.contains("rg2"), out);
        assertEquals("GROUP  STATE   NODE       WANTED  RESOURCES  MESSAGE", out.lines().findFirst().orElseThrow());
    }

    @Test
    void onANodeWhereTheGroupIsOfflineItsLineStillSaysWhereItIsOnline() throws RgmException {
        rgm.add("rg1", "n1");
        rgm.groups.put("rg1", new GroupInfo("rg1", PropertyValues.of(Map.of()), GroupState.OFFLINE, true, List.of(), ""));
        String out = clrg.clrg("status");
        // as ClusterIT looks for it on n3
        assertTrue(out.lines().anyMatch(l -> l.matches("rg1\\b.*\\bn1\\b.*") && l.contains("ONLINE")), out);
        assertTrue(out.endsWith("\nrg1    OFFLINE  n1=ONLINE  online\n"), out);
    }

    @Test
    void statusJsonCarriesTheLocation() throws Exception {
        rgm.add("rg1", "n2");
        JsonNode g = new ObjectMapper().readTree(clrg.clrg("status", "-o", "json")).get(0);
        assertEquals("rg1", g.get("name").asText());
        JsonNode l = g.get("location");
        assertEquals("[\"n2\"]", l.get("placedOn").toString());
        assertEquals("[\"n2\"]", l.get("onlineOn").toString());
        assertEquals("{\"n1\":\"OFFLINE\",\"n2\":\"ONLINE\",\"n3\":\"OFFLINE\"}", l.get("states").toString());
        assertEquals(1, l.get("placementVersion").asLong());
        assertEquals("", l.get("reason").asText());
    }
}
