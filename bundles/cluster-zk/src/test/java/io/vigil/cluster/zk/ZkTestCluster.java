package io.vigil.cluster.zk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A ZooKeeper server in this JVM (ticks of 100 ms, so sessions of 200 ms to 2 s are granted) and the nodes started
 * against it; closes them all.
 */
final class ZkTestCluster implements AutoCloseable {

    /** The session timeout of the test nodes: short, so that expiry is seen quickly. */
    static final int SESSION_TIMEOUT_MS = 1000;

    final TestingServer server;
    private final List<ZkCluster> nodes = new ArrayList<>();

    ZkTestCluster() throws Exception {
        this.server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1), true);
    }

    /**
     * Starts a node and waits until it is ready (connected, registered, its view loaded).
     *
     * @param name its name
     * @param events where its events go
     * @return the node
     */
    ZkCluster start(String name, Events events) throws Exception {
        ZkCluster node = new ZkCluster(settings(name), events, Clock.systemUTC());
        nodes.add(node);
        CountDownLatch ready = new CountDownLatch(1);
        node.start(ready::countDown);
        if (!ready.await(Events.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + name + " was not ready within " + Events.TIMEOUT);
        }
        return node;
    }

    ZkSettings settings(String name) {
        return new ZkSettings(server.getConnectString(), SESSION_TIMEOUT_MS, name, List.of("127.0.0.1"), "/vigil");
    }

    @Override
    public void close() throws Exception {
        for (ZkCluster n : nodes) {
            n.close();
        }
        server.close();
    }
}
