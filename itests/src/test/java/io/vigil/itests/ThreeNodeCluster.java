package io.vigil.itests;

import static org.junit.Assert.assertEquals;

import io.vigil.itests.cluster.JournalType;
import io.vigil.itests.cluster.StoreView;
import io.vigil.itests.cluster.TcpForwarder;
import io.vigil.itests.cluster.ZkEnsemble;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Three Vigil agents (n1, n2, n3), each a process of its own copy of the built distribution, on a three-server
 * ZooKeeper ensemble in this JVM, with the session timeout given at launch. Each agent reaches each server through a
 * {@link TcpForwarder} of its own, so that the test can cut one agent off from ZooKeeper as a network partition
 * would. The {@link JournalType} is registered in the cluster; {@link #store} reads ZooKeeper directly. Each agent
 * also serves the watchdog-compatible socket ({@link #watchdog}), node ids n1=0, n2=1, n3=2.
 */
final class ThreeNodeCluster implements AutoCloseable {

    static final List<String> NODES = List.of("n1", "n2", "n3");
    /** The session timeout the failover benchmark measures with. */
    static final int SESSION_TIMEOUT_MS = 2000;
    /** The watchdog ids of the nodes, as pgpool.conf would number them. */
    static final String NODE_IDS = "n1=0,n2=1,n3=2";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final ZkEnsemble ensemble;
    final StoreView store;
    final JournalType type;
    private final Map<String, Distribution> agents = new LinkedHashMap<>();
    private final Map<String, List<TcpForwarder>> forwarders = new LinkedHashMap<>();
    private final int sessionTimeoutMs;

    private ThreeNodeCluster(ZkEnsemble ensemble, StoreView store, JournalType type, int sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.ensemble = ensemble;
        this.store = store;
        this.type = type;
    }

    /**
     * Starts the ensemble and the three agents, waits until all three are members, and registers the journal type.
     *
     * @param name a name for the work folder (under vigil.itest.work)
     * @param sessionTimeoutMs the agents' ZooKeeper session timeout
     */
    static ThreeNodeCluster launch(String name, int sessionTimeoutMs) throws Exception {
        Path work = Path.of(System.getProperty("vigil.itest.work", "target/e2e")).toAbsolutePath()
                .resolve(name + "-" + System.nanoTime());
        ZkEnsemble ensemble = new ZkEnsemble(work.resolve("zookeeper"));
        ensemble.start();
        ThreeNodeCluster cluster = null;
        try {
            cluster = new ThreeNodeCluster(ensemble, new StoreView(ensemble.connectString(), "/vigil"),
                    JournalType.create(work.resolve("journal-type")), sessionTimeoutMs);
            for (String node : NODES) {
                cluster.add(node);
            }
            for (String node : NODES) {
                cluster.start(node);
            }
            cluster.awaitMembers(NODES);
            cluster.ok("n1", "clrt", "register", cluster.type.rtr().toString());
            return cluster;
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            } else {
                ensemble.close();
            }
            throw e;
        }
    }

    private void add(String node) throws IOException {
        List<TcpForwarder> ways = ensemble.addresses().stream()
                .map(a -> new TcpForwarder(node + "->zk:" + a.getPort(), a)).toList();
        forwarders.put(node, ways);
        Distribution dist = Distribution.fresh("cluster-" + node);
        agents.put(node, dist);
        Files.writeString(dist.home.resolve("etc/io.vigil.cluster.cfg"), "mode = zookeeper\n"
                + "connect = " + ways.stream().map(f -> "127.0.0.1:" + f.port()).collect(Collectors.joining(","))
                + "\nsession.timeout.ms = " + sessionTimeoutMs + "\nnode.name = " + node
                + "\nnode.addresses = 127.0.0.1\n");
        Files.writeString(dist.home.resolve("etc/io.vigil.pgpool.server.cfg"), "nodeIds = " + NODE_IDS + "\n");
    }

    /** @return a client of a node's watchdog-compatible socket (data/pgpool/.s.PGPOOLWD_CMD.9000) */
    io.vigil.pgpool.ipc.WatchdogClient watchdog(String node) {
        return new io.vigil.pgpool.ipc.WatchdogClient(agent(node).data().resolve("pgpool/.s.PGPOOLWD_CMD.9000"),
                java.util.Optional.empty(), io.vigil.pgpool.codec.Dialect.PGPOOL, Duration.ofSeconds(10),
                io.vigil.pgpool.codec.WdCodec.DEFAULT_MAX_BYTES);
    }

    /** @return the agent of a node */
    Distribution agent(String node) {
        Distribution d = agents.get(node);
        if (d == null) {
            throw new IllegalArgumentException("no node " + node + "; expected one of " + NODES);
        }
        return d;
    }

    /** Runs bin/vigil on a node. */
    Distribution.Result vigil(String node, String... args) {
        return agent(node).vigil(args);
    }

    /** Runs bin/vigil on a node and fails the test unless it exits 0. */
    Distribution.Result ok(String node, String... args) {
        Distribution.Result r = vigil(node, args);
        assertEquals(node + ": bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    /**
     * Starts a node's agent and waits until its resource group manager answers: bin/vigil start
     * returns once the admin socket answers, and in zookeeper mode the RGM (and its commands)
     * come only once the node has reached the ensemble.
     */
    void start(String node) {
        ok(node, "start");
        Await.until(() -> node + "'s resource group manager answers (clrg list: " + vigil(node, "clrg", "list").output()
                + ")", TIMEOUT, () -> vigil(node, "clrg", "list").status() == 0);
    }

    /** Stops a node's agent the ordinary way. */
    void stop(String node) {
        ok(node, "stop");
    }

    /**
     * Kills a node's agent JVM with SIGKILL and waits until it is gone.
     *
     * @return the time (epoch ms) just before the signal
     */
    long kill(String node) throws IOException {
        long pid = agent(node).pid().orElseThrow(() -> new AssertionError(node + " has no pid file"));
        ProcessHandle jvm = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(node + " (pid " + pid
                + ") is not running"));
        long before = System.currentTimeMillis();
        jvm.destroyForcibly(); // SIGKILL on Linux
        Await.until(node + "'s JVM (pid " + pid + ") is gone", TIMEOUT, () -> !Distribution.running(pid));
        return before;
    }

    /** @return whether the node's agent JVM runs */
    boolean running(String node) throws IOException {
        return agent(node).pid().map(Distribution::running).orElse(false);
    }

    /** Cuts a node off from every ZooKeeper server (see {@link TcpForwarder#cut()}). */
    void cut(String node) {
        forwarders.get(node).forEach(TcpForwarder::cut);
    }

    /** Lets a cut-off node reach ZooKeeper again. */
    void restore(String node) {
        forwarders.get(node).forEach(TcpForwarder::restore);
    }

    /** @return whether some forwarder of the node is cut */
    boolean isCut(String node) {
        return forwarders.get(node).stream().anyMatch(TcpForwarder::isCut);
    }

    /** Waits until exactly these nodes are registered members. */
    void awaitMembers(List<String> nodes) {
        Await.until("the members are " + nodes + " (now " + store.members() + ")", TIMEOUT,
                () -> store.members().equals(nodes));
    }

    /**
     * Creates a failover group of journal resources, each depending on the one before, and brings it online.
     *
     * @param group the group's name; its resources are {@code <group>-r1 ...}
     * @param resources how many resources
     * @param nodelist the Nodelist, most preferred first
     * @return the resources' names, in dependency order
     */
    List<String> onlineGroup(String group, int resources, String... nodelist) {
        String via = nodelist[nodelist.length - 1];
        ok(via, "clrg", "create", "-p", "Nodelist=" + String.join(",", nodelist), group);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= resources; i++) {
            String r = group + "-r" + i;
            if (names.isEmpty()) {
                ok(via, "clrs", "create", "-g", group, "-t", JournalType.NAME, r);
            } else {
                ok(via, "clrs", "create", "-g", group, "-t", JournalType.NAME, "-p",
                        "Resource_dependencies=" + names.get(names.size() - 1), r);
            }
            names.add(r);
        }
        ok(via, "clrg", "online", group);
        awaitOnline(group, nodelist[0]);
        return List.copyOf(names);
    }

    /** Waits until exactly this node reports the group ONLINE in the store, and the placement names it alone. */
    void awaitOnline(String group, String node) {
        Await.until(() -> group + " is ONLINE on " + node + " alone (now on " + store.onlineOn(group) + ", placement "
                + store.placement(group).orElse(null) + ")", TIMEOUT,
                () -> store.onlineOn(group).equals(List.of(node))
                        && store.placement(group).map(p -> p.nodes().equals(List.of(node))).orElse(false));
    }

    /** @return the node that the coordinator's term names */
    String coordinator() {
        return store.coordinator().orElseThrow(() -> new AssertionError("no coordinator in " + store.members()));
    }

    /** @return what an operator would want to see when a cluster test failed: members, store, journal, logs */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("members: ").append(store.members()).append(", coordinator: ")
                    .append(store.coordinator().orElse("none")).append('\n');
            for (String key : store.keys()) {
                out.append("  ").append(key);
                if (key.startsWith(StoreView.PLACEMENT) || key.startsWith(StoreView.STATUS)) {
                    out.append(" = ").append(store.value(key).orElse(null));
                }
                out.append('\n');
            }
        } catch (RuntimeException e) {
            out.append("store unreadable: ").append(e).append('\n');
        }
        out.append("journal:\n");
        type.journal().forEach(l -> out.append("  ").append(l).append('\n'));
        for (Map.Entry<String, Distribution> a : agents.entrySet()) {
            out.append("--- ").append(a.getKey()).append(": ").append(a.getValue().data().resolve("log/vigil.log"))
                    .append(" (last 40 lines)\n");
            try {
                List<String> lines = a.getValue().log().lines()
                        .filter(l -> !l.contains("org.apache.zookeeper.ZooKeeper - Client environment:")).toList();
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("unreadable: ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** Stops the agents, the forwarders, the store view and the ensemble, in that order, whatever fails. */
    @Override
    public void close() throws IOException {
        List<RuntimeException> failures = new ArrayList<>();
        for (String node : agents.keySet()) {
            restore(node);
        }
        agents.values().parallelStream().forEach(a -> {
            try {
                a.close();
            } catch (RuntimeException | AssertionError e) {
                synchronized (failures) {
                    failures.add(new IllegalStateException("could not stop " + a.home, e));
                }
            }
        });
        forwarders.values().forEach(ways -> ways.forEach(TcpForwarder::close));
        store.close();
        ensemble.close();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
