package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.vigil.itests.cluster.JournalType;
import io.vigil.itests.cluster.StoreView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.rules.Timeout;
import org.junit.runner.Description;
import org.junit.runners.MethodSorters;

/**
 * The cluster end to end: a three-server ZooKeeper ensemble in this JVM and three agents (n1, n2, n3) as processes
 * of the built distribution, with a 4 s session timeout; groups of {@link JournalType} resources, whose methods
 * append {@code <node> start|stop <resource>} to one journal, so that the order of methods across nodes and their
 * number can be checked. Placement, switchover, an agent killed with SIGKILL, an agent cut off from ZooKeeper, a
 * ZooKeeper server stopped, everything restarted, and a node reported dead over the watchdog-compatible socket.
 *
 * <p>One cluster serves all tests; each test makes its own groups and leaves all three agents running and members.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ClusterIT {

    private static ThreeNodeCluster cluster;

    @Rule
    public final Timeout timeout = Timeout.seconds(150);

    @Rule
    public final TestWatcher diagnostics = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            if (cluster != null) {
                System.err.println("=== " + description.getMethodName() + " failed: " + e + "\n" + cluster.diagnostics());
            }
        }
    };

    @BeforeClass
    public static void startCluster() throws Exception {
        // 4 s, not the benchmark's 2 s: a ZooKeeper client waits up to 1 s before it tries the next server, and
        // a loaded machine must not turn a server stopped (test e) into a lost session
        cluster = ThreeNodeCluster.launch("cluster-it", 4000);
    }

    @AfterClass
    public static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Whatever a test did to them, all agents run, reach ZooKeeper and are members again. */
    @After
    public void allAgentsBack() throws IOException {
        for (String node : ThreeNodeCluster.NODES) {
            cluster.restore(node);
            if (!cluster.running(node)) {
                cluster.start(node);
            }
        }
        cluster.awaitMembers(ThreeNodeCluster.NODES);
    }

    private static List<String> journalSince(int mark) {
        List<String> all = cluster.type.journal();
        return all.subList(mark, all.size());
    }

    private static List<String> lines(String node, String method, List<String> resources) {
        return resources.stream().map(r -> node + " " + method + " " + r).toList();
    }

    private static List<String> reversed(List<String> list) {
        List<String> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Brings a one-resource group online on one node and waits for it: proof that the node runs, is a member with
     * its session up, and that the coordinator has handled everything that happened before.
     */
    private static void probe(String group, String node) {
        assertEquals(lines(node, "start", List.of(group + "-r1")),
                journalOf(() -> cluster.onlineGroup(group, 1, node)));
    }

    private static List<String> journalOf(Runnable action) {
        int mark = cluster.type.journal().size();
        action.run();
        return journalSince(mark);
    }

    @Test
    public void a_agentsJoinOneClusterAndShareItsConfiguration() {
        assertEquals(ThreeNodeCluster.NODES, cluster.store.members());
        assertTrue(ThreeNodeCluster.NODES.contains(cluster.coordinator()));
        // The type was registered on n1; the configuration lives in ZooKeeper, so n3 knows it.
        List<String> keys = cluster.store.keys();
        assertTrue(keys.toString(), keys.contains("rgm/types/" + JournalType.NAME.toLowerCase(java.util.Locale.ROOT)));
        String types = cluster.ok("n3", "clrt", "list").output();
        assertTrue("n3 lists the type registered on n1:\n" + types, types.contains(JournalType.NAME));
        for (String node : ThreeNodeCluster.NODES) {
            String nodes = cluster.ok(node, "cluster", "nodes").output();
            for (String member : ThreeNodeCluster.NODES) {
                assertTrue(node + " lists " + member + " UP:\n" + nodes,
                        nodes.lines().anyMatch(l -> l.matches(member + "\\s+UP\\s.*")));
            }
            assertTrue(nodes, nodes.lines().anyMatch(l -> l.matches(node + "\\s.*\\blocal\\b.*")));
            assertEquals(nodes, List.of(cluster.coordinator()), nodes.lines().filter(l -> l.contains("coordinator"))
                    .map(l -> l.split("\\s+")[0]).toList());
        }
        // A group created on n2 is seen on n1 with its properties.
        cluster.ok("n2", "clrg", "create", "-p", "Nodelist=n2,n1", "shared");
        String shown = cluster.ok("n1", "clrg", "show", "shared").output();
        assertTrue(shown, shown.contains("n2,n1"));
        cluster.ok("n1", "clrg", "delete", "shared");
    }

    @Test
    public void b_groupsGoOnlineOnTheirNodelistsFirstNodeAndSwitchOverInOrder() {
        List<String> ga = new ArrayList<>();
        List<String> gb = new ArrayList<>();
        List<String> started = journalOf(() -> {
            ga.addAll(cluster.onlineGroup("ga", 2, "n1", "n2", "n3"));
            gb.addAll(cluster.onlineGroup("gb", 2, "n2", "n3", "n1"));
        });
        assertEquals(concat(lines("n1", "start", ga), lines("n2", "start", gb)), started);
        String status = cluster.ok("n3", "clrg", "status").output();
        assertTrue(status, status.lines().anyMatch(l -> l.matches("ga\\s.*\\sn1=ONLINE\\b.*")));
        assertTrue(status, status.lines().anyMatch(l -> l.matches("gb\\s.*\\sn2=ONLINE\\b.*")));

        StoreView.Placement before = cluster.store.placement("ga").orElseThrow();
        List<String> switched = journalOf(() -> {
            cluster.ok("n3", "clrg", "switch", "-n", "n2", "ga");
            cluster.awaitOnline("ga", "n2");
        });
        // Offline on n1 (in reverse dependency order) strictly before online on n2.
        assertEquals(concat(lines("n1", "stop", reversed(ga)), lines("n2", "start", ga)), switched);
        assertEquals("OFFLINE", cluster.store.status("n1", "ga").orElseThrow().state());
        StoreView.Placement after = cluster.store.placement("ga").orElseThrow();
        assertTrue(before + " -> " + after, after.version() > before.version());
        status = cluster.ok("n1", "clrg", "status", "ga").output();
        assertTrue(status, status.lines().anyMatch(l -> l.matches("ga\\s.*\\sn2=ONLINE\\b.*")));
    }

    @Test
    public void c_theGroupsOfAKilledAgentComeUpOnTheNextNodeExactlyOnce() throws IOException {
        List<String> gk = cluster.onlineGroup("gk", 3, "n1", "n2", "n3");
        String coordinator = cluster.coordinator();
        int mark = cluster.type.journal().size();
        cluster.kill("n1");
        cluster.awaitOnline("gk", "n2");
        assertEquals("only n2 ran methods, each Start once (n1 was " + (coordinator.equals("n1") ? "" : "not ")
                + "the coordinator)", lines("n2", "start", gk), journalSince(mark));
        Await.until("another node coordinates", ThreeNodeCluster.TIMEOUT, () -> !cluster.coordinator().equals("n1"));
        StoreView.Placement placement = cluster.store.placement("gk").orElseThrow();
        assertTrue("the placement names why it moved: " + placement, placement.cause().contains("node n1 left")
                || placement.cause().contains("became the coordinator"));

        // n1 comes back: it joins, starts nothing of gk, and gk stays where it is.
        cluster.start("n1");
        cluster.awaitMembers(ThreeNodeCluster.NODES);
        probe("gk-probe", "n1");
        assertEquals(concat(lines("n2", "start", gk), lines("n1", "start", List.of("gk-probe-r1"))), journalSince(mark));
        assertEquals(List.of("n2"), cluster.store.placement("gk").orElseThrow().nodes());
        // n1's last report (ONLINE, before it was killed) would keep n2 from running gk: n1 replaces it.
        Await.until("n1 reports gk OFFLINE", ThreeNodeCluster.TIMEOUT,
                () -> cluster.store.status("n1", "gk").map(s -> s.state().equals("OFFLINE")).orElse(false));
        assertEquals(List.of("n2"), cluster.store.onlineOn("gk"));
    }

    @Test
    public void d_anAgentCutOffFromZooKeeperStopsItsResourcesBeforeAnotherNodeStartsThem() throws IOException {
        List<String> gc = cluster.onlineGroup("gc", 2, "n3", "n1", "n2");
        String coordinator = cluster.coordinator();
        long session = cluster.store.session("n3").orElseThrow();
        int mark = cluster.type.journal().size();
        cluster.cut("n3");
        // n3 cannot report any more: its last report (ONLINE) stays in the store; n1's is what counts.
        Await.until("gc is ONLINE on n1", ThreeNodeCluster.TIMEOUT,
                () -> cluster.store.status("n1", "gc").map(s -> s.state().equals("ONLINE")).orElse(false));
        assertEquals(List.of("n1"), cluster.store.placement("gc").orElseThrow().nodes());
        assertEquals("n3 stopped its resources itself before n1 started them (n3 was " + (coordinator.equals("n3")
                ? "" : "not ") + "the coordinator)", concat(lines("n3", "stop", reversed(gc)), lines("n1", "start", gc)),
                journalSince(mark));
        assertTrue("n3 runs on, cut off", cluster.running("n3"));
        assertEquals(List.of("n1", "n2"), cluster.store.members());

        // The partition heals: n3 joins again with a new session, says it holds gc no longer, and gc stays on n1.
        cluster.restore("n3");
        cluster.awaitMembers(ThreeNodeCluster.NODES);
        assertNotEquals(session, (long) cluster.store.session("n3").orElseThrow());
        Await.until("n3 reports gc OFFLINE", ThreeNodeCluster.TIMEOUT,
                () -> cluster.store.status("n3", "gc").map(s -> s.state().equals("OFFLINE")).orElse(false));
        probe("gc-probe", "n3");
        assertEquals(concat(concat(lines("n3", "stop", reversed(gc)), lines("n1", "start", gc)),
                lines("n3", "start", List.of("gc-probe-r1"))), journalSince(mark));
        assertEquals(List.of("n1"), cluster.store.placement("gc").orElseThrow().nodes());
    }

    @Test
    public void e_stoppingOneZooKeeperServerMovesNothing() throws Exception {
        cluster.onlineGroup("gz", 2, "n1", "n2", "n3");
        Map<String, Long> sessions = sessions();
        Map<String, StoreView.Placement> placements = placements();
        Map<String, List<String>> online = onlineEverywhere(placements.keySet());
        int journal = cluster.type.journal().size();

        // A follower, the one that serves the coordinator if a follower does, else the one serving most agents.
        long coordinatorSession = sessions.get(cluster.coordinator());
        int server = IntStream.rangeClosed(1, 3).boxed().filter(id -> !cluster.ensemble.isLeader(id))
                .max((a, b) -> Long.compare(weight(a, coordinatorSession, sessions), weight(b, coordinatorSession,
                        sessions))).orElseThrow();
        Set<Long> moved = new TreeSet<>(cluster.ensemble.sessionsOn(server));
        moved.retainAll(sessions.values());
        org.junit.Assume.assumeFalse("no follower serves an agent's session this time: stopping one would move nothing "
                + "and prove nothing", moved.isEmpty());
        cluster.ensemble.kill(server);
        try {
            Await.until("every agent's session is served by a running server (ZooKeeper server " + server
                    + " stopped; it served " + moved.size() + " of them)", ThreeNodeCluster.TIMEOUT, () -> {
                        Set<Long> served = new TreeSet<>();
                        IntStream.rangeClosed(1, 3).filter(id -> id != server)
                                .forEach(id -> served.addAll(cluster.ensemble.sessionsOn(id)));
                        return served.containsAll(sessions.values());
                    });
            assertEquals("the same sessions hold the members", sessions, sessions());
            assertEquals("no new placement", placements, placements());
            assertEquals("no method ran", List.of(), journalSince(journal));
            assertEquals(online, onlineEverywhere(placements.keySet()));
        } finally {
            cluster.ensemble.restart(server);
        }
        Await.until("ZooKeeper server " + server + " serves again", ThreeNodeCluster.TIMEOUT,
                () -> cluster.ensemble.serving(server));
    }

    private static long weight(int server, long coordinatorSession, Map<String, Long> sessions) {
        Set<Long> on = cluster.ensemble.sessionsOn(server);
        return (on.contains(coordinatorSession) ? 10 : 0) + sessions.values().stream().filter(on::contains).count();
    }

    private static Map<String, Long> sessions() {
        Map<String, Long> sessions = new LinkedHashMap<>();
        for (String node : cluster.store.members()) {
            sessions.put(node, cluster.store.session(node).orElseThrow());
        }
        return sessions;
    }

    private static Map<String, StoreView.Placement> placements() {
        Map<String, StoreView.Placement> placements = new LinkedHashMap<>();
        for (String key : cluster.store.keys()) {
            if (key.startsWith(StoreView.PLACEMENT)) {
                String group = key.substring(StoreView.PLACEMENT.length());
                cluster.store.placement(group).ifPresent(p -> placements.put(group, p));
            }
        }
        return placements;
    }

    private static Map<String, List<String>> onlineEverywhere(Set<String> groups) {
        return groups.stream().collect(Collectors.toMap(g -> g, cluster.store::onlineOn, (a, b) -> a,
                LinkedHashMap::new));
    }

    @Test
    public void f_afterEverythingRestartsConfigurationAndPlacementSurviveAndGroupsComeBackWherePlaced()
            throws Exception {
        List<String> gr = cluster.onlineGroup("gr", 2, "n2", "n3", "n1");
        Map<String, String> config = configuration();
        Map<String, List<String>> placed = placements().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().nodes(), (a, b) -> a, LinkedHashMap::new));
        Map<String, List<String>> online = onlineEverywhere(placed.keySet());
        online.values().removeIf(List::isEmpty);
        assertEquals(online.toString(), List.of("n2"), online.get("gr"));
        Map<String, List<String>> resources = new LinkedHashMap<>();
        for (String group : online.keySet()) {
            resources.put(group, resourcesOf(group));
        }
        assertEquals(gr, resources.get("gr"));

        // The ensemble goes first: every agent loses its session and stops what it runs, and nothing can move.
        int mark = cluster.type.journal().size();
        cluster.ensemble.stop();
        Set<String> stops = new TreeSet<>();
        online.forEach((group, nodes) -> nodes.forEach(n -> stops.addAll(lines(n, "stop", resources.get(group)))));
        Await.until("every agent stopped its resources, cut off from the stopped ensemble", ThreeNodeCluster.TIMEOUT,
                () -> new TreeSet<>(journalSince(mark)).equals(stops));
        ThreeNodeCluster.NODES.parallelStream().forEach(cluster::stop);
        assertEquals("each resource stopped once", stops.size(), journalSince(mark).size());

        int restart = cluster.type.journal().size();
        cluster.ensemble.start();
        // The agents' old sessions were kept by the ensemble; it expires them now that nobody holds them.
        Await.until("the old members' sessions expired", ThreeNodeCluster.TIMEOUT,
                () -> cluster.store.members().isEmpty());
        for (String node : ThreeNodeCluster.NODES) {
            cluster.start(node);
        }
        cluster.awaitMembers(ThreeNodeCluster.NODES);
        online.forEach((group, nodes) -> cluster.awaitOnline(group, nodes.get(0)));
        assertEquals(config, configuration());
        Map<String, List<String>> placedAfter = new LinkedHashMap<>();
        placed.keySet().forEach(g -> placedAfter.put(g, cluster.store.placement(g).map(StoreView.Placement::nodes)
                .orElse(List.of())));
        assertEquals(placed, placedAfter);
        Set<String> starts = new TreeSet<>();
        online.forEach((group, nodes) -> nodes.forEach(n -> starts.addAll(lines(n, "start", resources.get(group)))));
        List<String> after = journalSince(restart);
        assertEquals("each resource started once, where it was placed", starts, new TreeSet<>(after));
        assertEquals(after.toString(), starts.size(), after.size());
    }

    @Test
    public void g_aNodeReportedDeadOverTheWatchdogSocketLosesItsGroupsUntilReportedAlive() throws Exception {
        List<String> gw = cluster.onlineGroup("gw", 2, "n2", "n3", "n1");
        io.vigil.pgpool.ipc.WatchdogClient n1 = cluster.watchdog("n1");
        assertEquals("n1's socket lists the cluster, itself first", List.of("n1", "n2", "n3"),
                n1.nodes().nodes().stream().map(io.vigil.pgpool.codec.WatchdogNode::nodeName).toList());

        List<String> moved = journalOf(() -> {
            try {
                n1.reportStatus(1, io.vigil.pgpool.codec.Payloads.NODE_STATUS_DEAD, "pgpool on n2 does not answer");
            } catch (IOException | io.vigil.pgpool.ipc.WatchdogException e) {
                throw new AssertionError("NODE STATUS CHANGE to n1 failed: " + e, e);
            }
            cluster.awaitOnline("gw", "n3");
        });
        // every group on n2 moves (those of the earlier tests too); gw's own methods in order
        assertEquals("offline on n2 before online on n3: " + moved, concat(lines("n2", "stop", reversed(gw)),
                lines("n3", "start", gw)), moved.stream().filter(l -> gw.contains(l.substring(l.lastIndexOf(' ') + 1)))
                        .toList());
        assertTrue("nothing starts on n2: " + moved, moved.stream().noneMatch(l -> l.startsWith("n2 start")));
        String nodes = cluster.ok("n3", "cluster", "nodes").output();
        assertTrue(nodes, nodes.lines().anyMatch(l -> l.startsWith("n2 ")
                && l.contains("reported DEAD over the watchdog socket: pgpool on n2 does not answer (on n1 at ")));
        Await.until("n3's socket shows n2 LOST (the report came through n1's)", ThreeNodeCluster.TIMEOUT,
                () -> watchdogState("n3", "n2") == io.vigil.pgpool.codec.WdState.LOST);

        int mark = cluster.type.journal().size();
        n1.reportStatus(1, io.vigil.pgpool.codec.Payloads.NODE_STATUS_ALIVE, "");
        Await.until("n3's socket shows n2 a member again", ThreeNodeCluster.TIMEOUT,
                () -> watchdogState("n3", "n2") != io.vigil.pgpool.codec.WdState.LOST);
        String after = cluster.ok("n2", "cluster", "nodes", "-o", "json").output();
        for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(after)) {
            assertTrue(after, n.get("reportedDead").isNull());
        }
        probe("gw-probe", "n2");
        assertEquals("nothing moves back without Failback", lines("n2", "start", List.of("gw-probe-r1")),
                journalSince(mark));
        assertEquals(List.of("n3"), cluster.store.onlineOn("gw"));
    }

    /** @return the state a node's watchdog socket shows for a node, or -1 when it cannot be read */
    private static int watchdogState(String via, String node) {
        try {
            return cluster.watchdog(via).nodes().nodes().stream().filter(n -> n.nodeName().equals(node))
                    .mapToInt(io.vigil.pgpool.codec.WatchdogNode::state).findFirst().orElse(-1);
        } catch (IOException | io.vigil.pgpool.ipc.WatchdogException e) {
            return -1;
        }
    }

    /** @return the RGM's configuration in the store: types, groups, resources, as key -> JSON text */
    private static Map<String, String> configuration() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String key : cluster.store.keys()) {
            if (StoreView.CONFIGURATION.stream().anyMatch(key::startsWith)) {
                config.put(key, cluster.store.value(key).map(Object::toString).orElse(""));
            }
        }
        return config;
    }

    /** @return the group's resources, in dependency order as the tests create them (by name) */
    private static List<String> resourcesOf(String group) {
        return cluster.store.keys().stream().filter(k -> k.startsWith("rgm/resources/"))
                .map(k -> k.substring(k.lastIndexOf('/') + 1)).filter(r -> r.startsWith(group + "-r")).sorted()
                .toList();
    }
}
