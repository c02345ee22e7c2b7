package io.vigil.cluster.zk;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.NodeState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/**
 * A three-server ensemble: a node whose ZooKeeper server stops moves to another server within its session, loses
 * nothing and keeps its coordinator term.
 */
class ZkEnsembleTest {

    /** Ticks of 500 ms: sessions of up to 10 s are granted. */
    private static final int TICK_MS = 500;
    /**
     * 10 s: the node considers its session lost some 0.73 x 10 = 7.3 s after its server stops, and the ZooKeeper
     * client waits a random 0-1 s before it connects to the next server, which then revalidates the session with
     * the leader: ample even on a loaded machine. The test waits for the reconnection, not for this.
     */
    private static final int SESSION_TIMEOUT_MS = 10_000;

    @Test
    void aStoppedServerMovesNothing() throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1));
        }
        try (TestingCluster ensemble = new TestingCluster(specs)) {
            ensemble.start();
            // Connected to followers only, so that the stop leaves a leader and a quorum at once.
            List<InstanceSpec> followers = new ArrayList<>();
            for (InstanceSpec s : specs) {
                if (servingMode(s).equals("follower")) {
                    followers.add(s);
                }
            }
            assertEquals(2, followers.size(), "two followers in a quorum of three");
            String connect = followers.stream().map(InstanceSpec::getConnectString).collect(Collectors.joining(","));
            Events events = new Events();
            try (ZkCluster node = new ZkCluster(new ZkSettings(connect, SESSION_TIMEOUT_MS, "node-1",
                    List.of(), "/vigil"), events, Clock.systemUTC())) {
                CountDownLatch ready = new CountDownLatch(1);
                node.start(ready::countDown);
                assertTrue(ready.await(Events.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "node ready");
                long epoch = (Long) events.await(ClusterEvents.COORDINATOR,
                        p -> Boolean.TRUE.equals(p.get(ClusterEvents.LOCAL))).get(ClusterEvents.EPOCH);

                InstanceSpec server = ensemble.findConnectionInstance(
                        node.client().getZookeeperClient().getZooKeeper());
                assertTrue(ensemble.killServer(server), "server " + server.getConnectString() + " stopped");

                events.await(ClusterEvents.SESSION_SUSPENDED);
                events.await(ClusterEvents.SESSION_RECONNECTED);
                assertFalse(events.topicsSeen().contains(ClusterEvents.SESSION_LOST));
                events.await(ClusterEvents.COORDINATOR, p -> Boolean.TRUE.equals(p.get(ClusterEvents.LOCAL)));
                assertEquals(NodeState.UP, node.membership().localState());
                assertEquals(epoch, node.membership().coordinator().orElseThrow().epoch(), "the same term goes on");
                node.store().commitFenced(epoch, List.of(put("after/stop", new byte[] {1}, ABSENT)));
                assertEquals(1, node.store().get("after/stop").orElseThrow().version());
            }
        }
    }

    /**
     * Waits until a server serves (the ensemble has elected its leader), the way the project's tests wait for
     * another process: by asking again every 20 ms.
     *
     * @return the server's mode, leader or follower
     */
    private static String servingMode(InstanceSpec server) throws IOException {
        long deadline = System.nanoTime() + Events.TIMEOUT.toNanos();
        while (true) {
            try {
                return mode(server);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** @return the server's mode (leader, follower, standalone) from its four-letter command srvr */
    private static String mode(InstanceSpec server) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).strip();
                }
            }
            throw new IOException("server " + server.getConnectString() + " answered srvr without a mode: " + reply);
        }
    }
}
