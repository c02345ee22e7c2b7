package io.vigil.rgm.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final Instant NOW = Instant.parse("2026-11-22T05:00:00Z");
    private static final List<String> ABC = List.of("a", "b", "c");

    private static GroupSpec failover(String name, List<String> nodelist) {
        return new GroupSpec(name, nodelist, false, 1, 1, false, Duration.ofHours(1), List.of(), true, true);
    }

    private static GroupSpec with(GroupSpec g, boolean failback, List<String> deps, boolean autoStart, boolean wanted) {
        return new GroupSpec(g.name(), g.nodelist(), g.scalable(), g.maximumPrimaries(), g.desiredPrimaries(), failback,
                g.pingpongInterval(), deps, autoStart, wanted);
    }

    private static Placement.Decision decide(List<GroupSpec> groups, Set<String> live, Map<String, List<String>> current,
            Map<String, Map<String, Instant>> failures) {
        return Placement.decide(new Placement.Input(groups, live, current, failures, NOW, false));
    }

    @Test
    void aFailoverGroupGoesToTheFirstLiveNodeOfItsNodelist() {
        GroupSpec rg = failover("rg", List.of("b", "a", "c"));
        assertEquals(List.of("b"), decide(List.of(rg), Set.of("a", "b", "c"), Map.of(), Map.of()).nodesOf("rg"));
        assertEquals(List.of("a"), decide(List.of(rg), Set.of("a", "c"), Map.of(), Map.of()).nodesOf("rg"));
        Placement.Decision none = decide(List.of(rg), Set.of("x"), Map.of(), Map.of());
        assertEquals(List.of(), none.nodesOf("rg"));
        assertEquals("no node of its Nodelist [b, a, c] is a live cluster member", none.reasons().get("rg"));
    }

    @Test
    void aGroupStaysWhereItRunsUnlessFailbackMovesItToAPreferredNode() {
        GroupSpec rg = failover("rg", ABC);
        Map<String, List<String>> onC = Map.of("rg", List.of("c"));
        assertEquals(List.of("c"), decide(List.of(rg), Set.of("a", "b", "c"), onC, Map.of()).nodesOf("rg"),
                "no needless move when a preferred node joins");
        GroupSpec back = with(rg, true, List.of(), true, true);
        assertEquals(List.of("a"), decide(List.of(back), Set.of("a", "b", "c"), onC, Map.of()).nodesOf("rg"),
                "Failback moves it to the most preferred node");
        assertEquals(List.of("a"), decide(List.of(rg), Set.of("a", "b"), onC, Map.of()).nodesOf("rg"),
                "its node left: the most preferred live node takes it");
    }

    @Test
    void pingpongIntervalKeepsAGroupAwayFromWhereItFailedRecently() {
        GroupSpec rg = failover("rg", ABC);
        Map<String, Map<String, Instant>> failedOnA = Map.of("rg", Map.of("a", NOW.minusSeconds(600)));
        Map<String, List<String>> onA = Map.of("rg", List.of("a"));
        Map<String, List<String>> nowhere = Map.of();
        assertEquals(List.of("b"), decide(List.of(rg), Set.of("a", "b", "c"), nowhere, failedOnA).nodesOf("rg"));
        assertEquals(List.of("a"), decide(List.of(rg), Set.of("a", "b", "c"), onA, failedOnA).nodesOf("rg"),
                "where it runs it stays: a giveover, not placement, moves it off a node where it fails");
        Map<String, Map<String, Instant>> longAgo = Map.of("rg", Map.of("a", NOW.minusSeconds(3601)));
        assertEquals(List.of("a"), decide(List.of(rg), Set.of("a", "b", "c"), nowhere, longAgo).nodesOf("rg"),
                "after Pingpong_interval the node is eligible again");
        GroupSpec mixed = failover("Web-RG", ABC);
        assertEquals(List.of("b"), decide(List.of(mixed), Set.of("a", "b", "c"), nowhere,
                Map.of("web-rg", Map.of("a", NOW.minusSeconds(600)))).nodesOf("Web-RG"),
                "failures are found whatever the case of the group's name (the cluster keys them in lower case)");
        Map<String, Map<String, Instant>> everywhere = Map.of("rg", Map.of("a", NOW, "b", NOW.minusSeconds(5)));
        Placement.Decision d = decide(List.of(rg), Set.of("a", "b"), nowhere, everywhere);
        assertEquals(List.of(), d.nodesOf("rg"));
        assertEquals("it failed on every live node of its Nodelist [a, b] within Pingpong_interval (3600 s)",
                d.reasons().get("rg"));
    }

    @Test
    void giveoverCandidatesAreTheEligibleNodesItDoesNotRunOnInNodelistOrder() {
        GroupSpec rg = failover("rg", List.of("c", "a", "b"));
        Placement.Input in = new Placement.Input(List.of(rg), Set.of("a", "b", "c"), Map.of("rg", List.of("c")),
                Map.of("rg", Map.of("b", NOW.minusSeconds(1))), NOW, false);
        assertEquals(List.of("a"), Placement.candidates(rg, in));
        Placement.Input alone = new Placement.Input(List.of(rg), Set.of("c"), Map.of("rg", List.of("c")), Map.of(),
                NOW, false);
        assertTrue(Placement.candidates(rg, alone).isEmpty(), "a cluster of one has no candidate");
    }

    private static Placement.Decision decideWithDead(List<GroupSpec> groups, Set<String> live,
            Map<String, List<String>> current, Map<String, String> dead) {
        return Placement.decide(new Placement.Input(groups, live, current, Map.of(), NOW, false, dead));
    }

    @Test
    void aNodeReportedDeadLosesItsGroupsUnlessNoOtherNodeCanTakeThem() {
        GroupSpec rg = failover("rg", ABC);
        Map<String, List<String>> onA = Map.of("rg", List.of("a"));
        Map<String, String> aDead = Map.of("a", "pgpool lifecheck: no answer on 9999");
        Placement.Decision moved = decideWithDead(List.of(rg), Set.of("a", "b", "c"), onA, aDead);
        assertEquals(List.of("b"), moved.nodesOf("rg"), "it moves to the next eligible node");
        assertFalse(moved.reasons().containsKey("rg"), moved.reasons().toString());
        assertEquals(List.of("b"), decideWithDead(List.of(rg), Set.of("a", "b", "c"), Map.of(), aDead).nodesOf("rg"),
                "a node reported dead is not chosen for a group that runs nowhere");

        Placement.Decision stays = decideWithDead(List.of(rg), Set.of("a", "b"), onA,
                Map.of("a", "pgpool lifecheck: no answer on 9999", "b", "operator"));
        assertEquals(List.of("a"), stays.nodesOf("rg"), "with no other node it stays where it runs");
        assertEquals("node a is reported dead (pgpool lifecheck: no answer on 9999), but no other node of its Nodelist "
                + "is eligible: it stays there", stays.reasons().get("rg"));

        Placement.Decision nowhere = decideWithDead(List.of(rg), Set.of("a", "b"), Map.of(),
                Map.of("a", "x", "b", "y"));
        assertEquals(List.of(), nowhere.nodesOf("rg"), "a report never starts a group on the reported node");
        assertEquals("the live nodes of its Nodelist [a, b] failed it within Pingpong_interval (3600 s) or are reported "
                + "dead (a, b)", nowhere.reasons().get("rg"));

        Placement.Input in = new Placement.Input(List.of(rg), Set.of("a", "b", "c"), onA, Map.of(), NOW, false,
                Map.of("b", "x"));
        assertEquals(List.of("c"), Placement.candidates(rg, in), "a giveover skips a node reported dead");

        GroupSpec web = new GroupSpec("web", ABC, true, 3, 2, false, Duration.ofHours(1), List.of(), true, true);
        assertEquals(List.of("b", "c"), decideWithDead(List.of(web), Set.of("a", "b", "c"),
                Map.of("web", List.of("a", "b")), aDead).nodesOf("web"), "a scalable group replaces the dead primary");
    }

    @Test
    void aScalableGroupRunsOnDesiredPrimariesNodesOrAsManyAsThereAre() {
        GroupSpec web = new GroupSpec("web", List.of("a", "b", "c", "d"), true, 3, 2, false, Duration.ofHours(1),
                List.of(), true, true);
        assertEquals(List.of("a", "b"), decide(List.of(web), Set.of("a", "b", "c", "d"), Map.of(), Map.of()).nodesOf("web"));
        assertEquals(List.of("b", "d"), decide(List.of(web), Set.of("a", "b", "c", "d"), Map.of("web", List.of("d", "b")),
                Map.of()).nodesOf("web"), "it stays where it runs, listed in Nodelist order");
        Placement.Decision few = decide(List.of(web), Set.of("c"), Map.of(), Map.of());
        assertEquals(List.of("c"), few.nodesOf("web"));
        assertEquals("only 1 of 2 wanted primaries are eligible", few.reasons().get("web"));
        assertThrows(IllegalArgumentException.class, () -> new GroupSpec("bad", ABC, true, 2, 3, false, Duration.ZERO,
                List.of(), true, true));
        assertThrows(IllegalArgumentException.class, () -> new GroupSpec("bad", ABC, false, 2, 1, false, Duration.ZERO,
                List.of(), true, true));
    }

    @Test
    void dependenciesComeFirstAndAGroupWaitsForThem() {
        GroupSpec db = failover("db", List.of("a"));
        GroupSpec app = with(failover("app", List.of("b", "a")), false, List.of("DB"), true, true);
        Placement.Decision both = decide(List.of(app, db), Set.of("a", "b"), Map.of(), Map.of());
        assertEquals(List.of("a"), both.nodesOf("db"));
        assertEquals(List.of("b"), both.nodesOf("app"), "a dependency online anywhere will do");
        Placement.Decision noDb = decide(List.of(app, db), Set.of("b"), Map.of(), Map.of());
        assertEquals(List.of(), noDb.nodesOf("app"));
        assertEquals("it depends on group DB, which is not online (RG_dependencies)", noDb.reasons().get("app"));

        GroupSpec x = with(failover("x", ABC), false, List.of("y"), true, true);
        GroupSpec y = with(failover("y", ABC), false, List.of("x"), true, true);
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
                () -> decide(List.of(x, y), Set.of("a"), Map.of(), Map.of()));
        assertEquals("RG_dependencies form a cycle: x -> y -> x", cycle.getMessage());
        GroupSpec orphan = with(failover("o", ABC), false, List.of("missing"), true, true);
        assertThrows(IllegalArgumentException.class, () -> decide(List.of(orphan), Set.of("a"), Map.of(), Map.of()));
    }

    @Test
    void unwantedGroupsRunNowhereAndANewClusterHonoursAutoStart() {
        GroupSpec off = with(failover("off", ABC), false, List.of(), true, false);
        GroupSpec manual = with(failover("manual", ABC), false, List.of(), false, true);
        Placement.Decision fresh = Placement.decide(new Placement.Input(List.of(off, manual), Set.of("a", "b"), Map.of(),
                Map.of(), NOW, true));
        assertEquals(List.of(), fresh.nodesOf("off"));
        assertFalse(fresh.reasons().containsKey("off"), "not wanted online: nothing to explain");
        assertEquals(List.of(), fresh.nodesOf("manual"));
        assertTrue(fresh.reasons().get("manual").contains("Auto_start_on_new_cluster"));
        Placement.Decision later = Placement.decide(new Placement.Input(List.of(manual), Set.of("a", "b"), Map.of(),
                Map.of(), NOW, false));
        assertEquals(List.of("a"), later.nodesOf("manual"), "once the cluster runs, normal placement applies");
    }
}
