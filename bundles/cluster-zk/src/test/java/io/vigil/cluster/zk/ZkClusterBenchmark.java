package io.vigil.cluster.zk;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.put;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.StoreEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Prints what the cluster layer costs on one local ZooKeeper server (ticks of 100 ms) at a 2 s session timeout:
 * commit and snapshot latencies, the timeline of a node cut off from the ensemble (its SUSPENDED and LOST, the
 * others seeing it leave), the coordinator's handover when it leaves cleanly, and a node's timeline when the
 * ensemble goes away. Asserts nothing about
 * timing. Not part of the normal run:
 * {@code mvn -pl bundles/cluster-zk test -Dzk.excludedGroups=none -Dtest=ZkClusterBenchmark}.
 */
@Tag("benchmark")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZkClusterBenchmark {

    private static final int SESSION_TIMEOUT_MS = 2000;
    private static final int COMMITS = 500;

    @Test
    void figures() throws Exception {
        try (TestingServer server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1), true)) {
            List<ZkCluster> nodes = new ArrayList<>();
            try {
                Events events1 = new Events();
                ZkCluster node1 = start(server, "node-1", events1, nodes);
                events1.await(ClusterEvents.COORDINATOR, p -> Boolean.TRUE.equals(p.get(ClusterEvents.LOCAL)));

                long[] commit = new long[COMMITS];
                for (int i = 0; i < COMMITS; i++) {
                    long t0 = System.nanoTime();
                    node1.store().commit(List.of(put("bench/k" + i, new byte[64], ABSENT)));
                    commit[i] = System.nanoTime() - t0;
                }
                print("commit of one key (CAS, one multi-operation)", commit);
                long[] list = new long[50];
                for (int i = 0; i < list.length; i++) {
                    long t0 = System.nanoTime();
                    List<StoreEntry> all = node1.store().list("bench/");
                    list[i] = System.nanoTime() - t0;
                    if (all.size() != COMMITS) {
                        throw new AssertionError("listed " + all.size() + " keys, expected " + COMMITS);
                    }
                }
                print("snapshot of " + COMMITS + " keys (list)", list);

                Events events3 = new Events();
                try (TcpProxy link = new TcpProxy(server.getPort())) {
                    ZkCluster node3 = new ZkCluster(new ZkSettings(link.connectString(), SESSION_TIMEOUT_MS, "node-3",
                            List.of(), "/vigil"), events3, Clock.systemUTC());
                    nodes.add(node3);
                    node3.start(() -> { });
                    events1.await(ClusterEvents.NODE_JOINED, p -> "node-3".equals(p.get(ClusterEvents.NODE)));
                    long cut = Clock.systemUTC().millis();
                    link.cut();
                    long suspended = time(events3.await(ClusterEvents.SESSION_SUSPENDED));
                    long lost = time(events3.await(ClusterEvents.SESSION_LOST));
                    long left = time(events1.await(ClusterEvents.NODE_LEFT,
                            p -> "node-3".equals(p.get(ClusterEvents.NODE))));
                    System.out.printf("node cut off -> it is SUSPENDED %d ms, LOST %d ms; the others see it leave "
                            + "%d ms (margin %d ms; session timeout %d ms)%n", suspended - cut, lost - cut,
                            left - cut, left - lost, SESSION_TIMEOUT_MS);
                }
                Events events2 = new Events();
                ZkCluster node2 = start(server, "node-2", events2, nodes);
                events1.await(ClusterEvents.NODE_JOINED, p -> "node-2".equals(p.get(ClusterEvents.NODE)));

                long leave = System.nanoTime();
                node1.close();
                events2.await(ClusterEvents.COORDINATOR, p -> Boolean.TRUE.equals(p.get(ClusterEvents.LOCAL)));
                System.out.printf("coordinator leaves cleanly -> next one's term begins: %d ms%n",
                        ms(System.nanoTime() - leave));

                long stop = System.nanoTime();
                server.stop();
                events2.await(ClusterEvents.SESSION_SUSPENDED);
                long suspended = System.nanoTime();
                events2.await(ClusterEvents.SESSION_LOST);
                long lost = System.nanoTime();
                System.out.printf("ensemble gone -> SUSPENDED %d ms -> LOST %d ms later (session timeout %d ms)%n",
                        ms(suspended - stop), ms(lost - suspended), SESSION_TIMEOUT_MS);
            } finally {
                for (ZkCluster n : nodes) {
                    n.close();
                }
            }
        }
    }

    private static ZkCluster start(TestingServer server, String name, Events events, List<ZkCluster> nodes)
            throws Exception {
        ZkCluster node = new ZkCluster(new ZkSettings(server.getConnectString(), SESSION_TIMEOUT_MS, name, List.of(),
                "/vigil"), events, Clock.systemUTC());
        nodes.add(node);
        CountDownLatch ready = new CountDownLatch(1);
        node.start(ready::countDown);
        if (!ready.await(Events.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + name + " not ready");
        }
        return node;
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d runs)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    /** @return when the event was posted, epoch milliseconds */
    private static long time(Events.Posted event) {
        return (Long) event.get(ClusterEvents.TIME);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
