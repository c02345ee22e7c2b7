package io.vigil.cluster.zk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A ZooKeeper server in this JVM (ticks of {@value #TICK_MS} ms, so sessions of 0.5 s to 5 s are granted) and the
 * nodes started against it; closes them all.
 */
final class ZkTestCluster implements AutoCloseable {

    /** The server's tick: ZooKeeper grants sessions of 2 to 20 ticks. */
    static final int TICK_MS = 250;

    /**
     * The session timeout of the test nodes. Not short: the ZooKeeper client gives up on a connection that was
     * silent for two thirds of it, so a stall of the server or the client in this JVM (a loaded machine, a
     * collection) longer than that would suspend a session, or lose it, in a test that expects neither. Tests of
     * expiry expire the session (or stop the server) rather than wait for it to time out.
     */
    static final int SESSION_TIMEOUT_MS = 20 * TICK_MS;

    final TestingServer server;
    private final List<ZkCluster> nodes = new ArrayList<>();

    ZkTestCluster() throws Exception {
        this.server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1), true);
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

    /**
     * Expires a node's session now, as the ensemble does when the session times out, on both sides: the node is
     * told at once (ZooKeeper's injected expiration), and the server ends the session, deleting its ephemeral
     * znodes, instead of a session timeout later.
     *
     * @param node the node
     */
    void expire(ZkCluster node) throws Exception {
        ZooKeeper client = node.client().getZookeeperClient().getZooKeeper();
        long session = client.getSessionId();
        byte[] password = client.getSessionPasswd();
        client.getTestable().injectSessionExpiration();
        endOnServer(session, password);
    }

    /**
     * Ends a session on the server now (if it has not ended yet), as the server would a session timeout after it
     * last heard the session: attaches to it from another client, which then closes it.
     *
     * @param session the session's id
     * @param password its password
     */
    void endOnServer(long session, byte[] password) throws Exception {
        CountDownLatch attached = new CountDownLatch(1);
        ZooKeeper other = new ZooKeeper(server.getConnectString(), SESSION_TIMEOUT_MS, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected
                    || event.getState() == Watcher.Event.KeeperState.Expired) {
                attached.countDown();
            }
        }, session, password);
        try {
            if (!attached.await(Events.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("could not attach to session 0x" + Long.toHexString(session) + " within "
                        + Events.TIMEOUT);
            }
        } finally {
            other.close();
        }
    }

    @Override
    public void close() throws Exception {
        for (ZkCluster n : nodes) {
            n.close();
        }
        server.close();
    }
}
