package io.vigil.itests;

import static org.junit.Assert.assertEquals;

import io.vigil.itests.cluster.StoreView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Benchmark, not part of the normal run (failsafe runs {@code *IT} classes only): how long a group of trivial
 * resources takes to come up elsewhere after its node's agent is killed with SIGKILL, at a 2 s session timeout, and
 * how long a planned switchover takes. Prints its figures; asserts only that every failover and switchover
 * happened.
 *
 * <pre>
 * mvn -B -o verify -pl itests -Dit.test=ClusterFailoverBenchmark [-Dcluster.bench.runs=5]
 * itests/bench/cluster-bench.sh [-n RUNS]
 * </pre>
 *
 * <p>Three agents (n1, n2, n3) on a three-server ensemble, as in {@link ClusterIT}; one failover group of three
 * {@code TEST.journal} resources (each Start and Stop one {@code echo >>}), Nodelist n1, n2, n3. Each run first
 * switches the group to the node to be killed (odd runs: the coordinator, even runs: another node), timing the
 * switchover, then kills that node's agent and times the failover; the agent is started again before the next run.
 *
 * <p>Times come from the cluster store, read from ZooKeeper by this JVM: {@code placement/<group>} "decided" (when
 * the coordinator wrote the decision) and {@code status/<node>/<group>} "time" (when a node reached a state), both
 * stamped by the agents on this machine's clock, plus two stamps of this JVM: just before SIGKILL, and when its
 * watch saw the killed node's member znode disappear (the ensemble expired the session: what the coordinator
 * reacts to). Failover = detection (kill -> member gone) + decision (-> placement decided) + methods (-> ONLINE on
 * the new node). Switchover = command (clrg switch issued, including the bin/vigil client JVM, -> placement
 * decided) + stop (-> OFFLINE on the old node) + start (-> ONLINE on the new node).
 */
public class ClusterFailoverBenchmark {

    private static final String GROUP = "bench";
    private static final int RESOURCES = 3;
    private static ThreeNodeCluster cluster;

    /** One failover, epoch milliseconds. */
    record Failover(String node, boolean coordinator, long killed, long left, long decided, long online, String to) {
    }

    /** One switchover, epoch milliseconds. */
    record Switchover(String from, String to, long issued, long decided, long offline, long online) {
    }

    @BeforeClass
    public static void startCluster() throws Exception {
        cluster = ThreeNodeCluster.launch("cluster-bench", ThreeNodeCluster.SESSION_TIMEOUT_MS);
    }

    @AfterClass
    public static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    public void failoverAndSwitchover() throws Exception {
        int runs = Integer.getInteger("cluster.bench.runs", 5);
        cluster.onlineGroup(GROUP, RESOURCES, "n1", "n2", "n3");
        List<Failover> failovers = new ArrayList<>();
        List<Switchover> switchovers = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String coordinator = cluster.coordinator();
            String victim = run % 2 == 1 ? coordinator
                    : ThreeNodeCluster.NODES.stream().filter(n -> !n.equals(coordinator)).findFirst().orElseThrow();
            String host = cluster.store.onlineOn(GROUP).get(0);
            if (!host.equals(victim)) {
                switchovers.add(switchover(host, victim));
            }
            Failover f = failover(victim, victim.equals(coordinator));
            failovers.add(f);
            System.out.printf(Locale.ROOT, "run %d: kill -9 %s%s -> ONLINE on %s in %d ms (detection %d, decision %d,"
                    + " methods %d)%n", run, f.node(), f.coordinator() ? " (coordinator)" : "", f.to(),
                    f.online() - f.killed(), f.left() - f.killed(), f.decided() - f.left(), f.online() - f.decided());
            cluster.start(victim);
            cluster.awaitMembers(ThreeNodeCluster.NODES);
        }
        report(runs, failovers, switchovers);
    }

    private static Switchover switchover(String from, String to) {
        long issued = System.currentTimeMillis();
        cluster.ok("n1".equals(to) ? "n2" : "n1", "clrg", "switch", "-n", to, GROUP);
        cluster.awaitOnline(GROUP, to);
        StoreView.Placement p = cluster.store.placement(GROUP).orElseThrow();
        long offline = cluster.store.status(from, GROUP).orElseThrow().time();
        long online = cluster.store.status(to, GROUP).orElseThrow().time();
        Switchover s = new Switchover(from, to, issued, p.decided(), offline, online);
        System.out.printf(Locale.ROOT, "switchover %s -> %s: ONLINE after %d ms (command %d, stop %d, start %d)%n",
                from, to, online - issued, p.decided() - issued, offline - p.decided(), online - offline);
        return s;
    }

    private static Failover failover(String victim, boolean wasCoordinator) throws Exception {
        long killed = cluster.kill(victim);
        List<String> others = ThreeNodeCluster.NODES.stream().filter(n -> !n.equals(victim)).toList();
        String to = Await.value(GROUP + " ONLINE on another node than " + victim, ThreeNodeCluster.TIMEOUT,
                () -> others.stream().filter(n -> cluster.store.status(n, GROUP)
                        .map(s -> s.state().equals("ONLINE") && s.time() >= killed).orElse(false)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        StoreView.Placement p = cluster.store.placement(GROUP).orElseThrow();
        assertEquals(List.of(to), p.nodes());
        long left = cluster.store.leftAt(victim).filter(t -> t >= killed)
                .orElseThrow(() -> new AssertionError("the watch did not see " + victim + " leave"));
        return new Failover(victim, wasCoordinator, killed, left, p.decided(),
                cluster.store.status(to, GROUP).orElseThrow().time(), to);
    }

    private static void report(int runs, List<Failover> failovers, List<Switchover> switchovers) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Cluster failover benchmark: %d runs, group of %d trivial resources, session "
                + "timeout %d ms, ZooKeeper tick %d ms, %d CPUs%n", runs, RESOURCES, ThreeNodeCluster.SESSION_TIMEOUT_MS,
                io.vigil.itests.cluster.ZkEnsemble.TICK_MS, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-58s %5s %8s %8s%n", "(ms)", "n", "median", "max");
        row("failover: kill -9 -> ONLINE elsewhere (goal <= 3500)", failovers, f -> f.online() - f.killed());
        row("  detection: kill -> member znode gone (session expired)", failovers, f -> f.left() - f.killed());
        row("  decision: -> placement decided by the coordinator", failovers, f -> f.decided() - f.left());
        row("  methods: -> ONLINE reported by the new node", failovers, f -> f.online() - f.decided());
        List<Failover> ofCoordinator = failovers.stream().filter(Failover::coordinator).toList();
        List<Failover> ofOther = failovers.stream().filter(f -> !f.coordinator()).toList();
        row("failover when the coordinator was killed", ofCoordinator, f -> f.online() - f.killed());
        row("  of which decision", ofCoordinator, f -> f.decided() - f.left());
        row("failover when another node was killed", ofOther, f -> f.online() - f.killed());
        row("  of which decision", ofOther, f -> f.decided() - f.left());
        row("switchover: clrg switch issued -> ONLINE (goal <= 500 + methods)", switchovers,
                s -> s.online() - s.issued());
        row("  command: -> placement decided (incl. bin/vigil's JVM)", switchovers, s -> s.decided() - s.issued());
        row("  stop: -> OFFLINE on the old node (Stop methods)", switchovers, s -> s.offline() - s.decided());
        row("  start: -> ONLINE on the new node (Start methods)", switchovers, s -> s.online() - s.offline());
        row("  decided -> ONLINE (without the client JVM)", switchovers, s -> s.online() - s.decided());
        System.out.println("Times: agents' store stamps (placement decided, status time) and this JVM's clock (kill,"
                + " member gone); one machine, one clock.");
    }

    private static <T> void row(String label, List<T> items, ToLongFunction<T> value) {
        long[] v = items.stream().mapToLong(value).sorted().toArray();
        if (v.length == 0) {
            System.out.printf(Locale.ROOT, "%-58s %5d %8s %8s%n", label, 0, "-", "-");
            return;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
        System.out.printf(Locale.ROOT, "%-58s %5d %8.0f %8d%n", label, v.length, median, v[v.length - 1]);
    }
}
