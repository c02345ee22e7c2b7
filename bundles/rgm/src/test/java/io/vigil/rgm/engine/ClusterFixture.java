package io.vigil.rgm.engine;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.rgm.exec.ProcessRunner;
import io.vigil.rgm.exec.ProgramCheck;
import io.vigil.rgm.registry.TypeRegistry;
import io.vigil.testing.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.service.event.Event;

/**
 * Several RGMs in one JVM on one shared in-memory store, each with its own view of membership,
 * as cluster-zk would give them: store changes and membership changes reach every connected node
 * as {@link ClusterEvents}; a node can be cut off (its store calls fail, it hears nothing), lose
 * its session, or leave. The coordinator's term is an epoch that {@code commitFenced} checks.
 * Method programs append {@code <node> <method> <resource>} to one journal.
 */
final class ClusterFixture implements AutoCloseable {


    final Path dir;
    final Path journal;
    private final MemoryStore backing = new MemoryStore();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    private volatile String coordinator;
    private volatile long epoch = 1;
    /** Node fence calls, as argv. */
    final List<List<String>> fenceCalls = new CopyOnWriteArrayList<>();
    /** Whether the fence command succeeds. */
    volatile boolean fenceSucceeds = true;
    private final List<ExecutorService> workers = new ArrayList<>();
    private final Duration startGrace;

    /** One agent. */
    final class Node {
        final String name;
        volatile NodeState state = NodeState.UP;
        /** Whether it is a member in the others' view (its session lives on the ensemble). */
        volatile boolean member = true;
        /** When its session began (ClusterNode.since): a new value for every new session. */
        volatile long since = 1;
        final Path home;
        ResourceGroupManagerImpl rgm;

        Node(String name, Path home) {
            this.name = name;
            this.home = home;
        }

        void event(String topic, Map<String, Object> properties) {
            Map<String, Object> p = new HashMap<>(properties);
            p.putIfAbsent(ClusterEvents.NODE, name);
            p.put(ClusterEvents.TIME, System.currentTimeMillis());
            rgm.handleEvent(new Event(topic, p));
        }
    }

    ClusterFixture(Path dir, String... names) throws Exception {
        this(dir, Duration.ZERO, names);
    }

    /** @param startGrace each coordinator's start grace (ResourceGroupManagerImpl.Config.start_grace_seconds) */
    ClusterFixture(Path dir, Duration startGrace, String... names) throws Exception {
        this.dir = dir;
        this.startGrace = startGrace;
        this.journal = dir.resolve("journal");
        // Each node's VIGIL_HOME ends in its name; a file fail.<node>.<method> makes the method fail there.
        ScriptTypes.write(dir, m -> "d='" + dir + "'\nn=$(basename \"$VIGIL_HOME\")\n"
                + "r=; while [ $# -gt 0 ]; do [ \"$1\" = -R ] && r=$2; shift; done\n"
                + "echo \"$n " + m + " $r\" >> \"$d/journal\"\n"
                + "if [ -f \"$d/fail.$n." + m + "\" ]; then echo \"told to fail on $n\"; exit 3; fi\n"
                + "exit 0\n",
                "{ PROPERTY = Start_timeout; MIN = 1; DEFAULT = 5; }\n"
                + "{ PROPERTY = Stop_timeout; MIN = 1; DEFAULT = 5; }\n"
                + "{ PROPERTY = Failover_mode; DEFAULT = SOFT; TUNABLE = ANYTIME; }\n"
                + "{ PROPERTY = Level; EXTENSION; INT; MIN = 1; MAX = 10; DEFAULT = 5; TUNABLE = ANYTIME; }\n");
        coordinator = names[0];
        for (String n : names) {
            nodes.put(n, new Node(n, Files.createDirectories(dir.resolve(n))));
        }
        for (Node n : nodes.values()) {
            n.rgm = newManager(n);
            n.rgm.load();
            n.rgm.bootAll();
        }
        nodes.get(names[0]).rgm.registerType(dir.resolve("TEST.app.rtr"));
    }

    private ResourceGroupManagerImpl newManager(Node n) {
        TypeRegistry registry = new TypeRegistry(0);
        ExecutorService w = Executors.newCachedThreadPool();
        workers.add(w);
        Runners runners = new Runners(w, new JavaMethodRunner(w, Clock.systemUTC()),
                new ScriptMethodRunner(new ProcessRunner(Duration.ofSeconds(10)), ProgramCheck.currentUid(), Duration.ofMillis(300),
                        Optional.of(n.home)));
        ClusterStore view = view(n);
        ClusterPlane plane = new ClusterPlane(view, membership(n), true, Clock.systemUTC());
        return new ResourceGroupManagerImpl(registry, new ConfigRepository(view), new SchemaRules(n.name), runners,
                Optional.empty(), argv -> {
                    fenceCalls.add(argv);
                    return fenceSucceeds ? CallResult.OK : CallResult.failed("fence told to fail");
                }, (g, r) -> Supervision.Running.NOTHING, plane, Optional.of(List.of("fence-node")), Duration.ofSeconds(60),
                startGrace);
    }

    Node node(String name) {
        return nodes.get(name);
    }

    ResourceGroupManagerImpl rgm(String name) {
        return nodes.get(name).rgm;
    }

    /** @return the journal's lines */
    List<String> journal() {
        try {
            return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void failOn(String node, String method) throws IOException {
        Files.writeString(dir.resolve("fail." + node + "." + method), "");
    }

    // ------------------------------------------------------------------ the cluster's events

    /** @return whether a request to a node is stored and not yet taken (answered or dropped) */
    boolean requestPendingFor(String node) {
        return !backing.list(Requests.REQUESTS + node + "/").isEmpty();
    }

    /** The node's connection drops: it hears nothing and its store calls fail; its session lives on. */
    void suspend(String name) {
        Node n = node(name);
        n.state = NodeState.SUSPENDED;
        n.event(ClusterEvents.SESSION_SUSPENDED, Map.of());
    }

    /** The node considers its session lost (it stops everything). */
    void lose(String name) {
        Node n = node(name);
        n.state = NodeState.DOWN;
        n.event(ClusterEvents.SESSION_LOST, Map.of());
    }

    /** The ensemble expires the node's session: the others see it leave, and a new coordinator if it was one. */
    void expire(String name) {
        Node gone = node(name);
        gone.member = false;
        if (gone.state == NodeState.UP) {
            gone.state = NodeState.DOWN;
        }
        for (Node n : connected()) {
            n.event(ClusterEvents.NODE_LEFT, Map.of(ClusterEvents.NODE, name));
        }
        if (name.equals(coordinator)) {
            elect(connected().get(0).name);
        }
    }

    /** The node reconnects with a new session and joins again. */
    void rejoin(String name) {
        Node back = node(name);
        back.state = NodeState.UP;
        back.member = true;
        back.since++;
        for (Node n : connected()) {
            if (n != back) {
                n.event(ClusterEvents.NODE_JOINED, Map.of(ClusterEvents.NODE, name));
            }
        }
        back.event(ClusterEvents.SESSION_CONNECTED, Map.of());
    }

    /** A new term begins with this coordinator. */
    synchronized void elect(String name) {
        coordinator = name;
        epoch++;
        for (Node n : connected()) {
            n.event(ClusterEvents.COORDINATOR, Map.of(ClusterEvents.COORDINATOR_NODE, name, ClusterEvents.EPOCH, epoch,
                    ClusterEvents.LOCAL, n.name.equals(name)));
        }
    }

    private List<Node> connected() {
        return nodes.values().stream().filter(n -> n.state == NodeState.UP).toList();
    }

    // ------------------------------------------------------------------ a node's services

    private ClusterMembership membership(Node self) {
        return new ClusterMembership() {
            @Override
            public String localNode() {
                return self.name;
            }

            @Override
            public NodeState localState() {
                return self.state;
            }

            @Override
            public List<ClusterNode> nodes() {
                List<ClusterNode> out = new ArrayList<>();
                for (Node n : ClusterFixture.this.nodes.values()) {
                    if (n == self) {
                        out.add(new ClusterNode(n.name, List.of(), self.state, n.since));
                    } else if (n.member && self.state == NodeState.UP) {
                        out.add(new ClusterNode(n.name, List.of(), NodeState.UP, n.since));
                    }
                }
                return out;
            }

            @Override
            public Optional<ClusterNode> node(String name) {
                return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
            }

            @Override
            public Optional<Coordinator> coordinator() {
                return self.state == NodeState.UP ? Optional.of(new Coordinator(coordinator, epoch)) : Optional.empty();
            }

            @Override
            public boolean isCoordinator() {
                return self.state == NodeState.UP && self.name.equals(coordinator);
            }
        };
    }

    private ClusterStore view(Node self) {
        return new ClusterStore() {
            @Override
            public String nodeName() {
                return self.name;
            }

            private void reachable() {
                if (self.state != NodeState.UP) {
                    throw new UncheckedIOException(new IOException("node " + self.name + " is cut off from the ensemble"));
                }
            }

            @Override
            public Optional<StoreEntry> get(String key) {
                reachable();
                return backing.get(key);
            }

            @Override
            public List<StoreEntry> list(String prefix) {
                reachable();
                return backing.list(prefix);
            }

            @Override
            public List<StoreEntry> commit(List<StoreOperation> operations) throws StoreConflictException, IOException {
                if (self.state != NodeState.UP) {
                    throw new IOException("node " + self.name + " is cut off from the ensemble; nothing was committed");
                }
                List<StoreEntry> written = backing.commit(operations);
                publish(operations);
                return written;
            }

            @Override
            public List<StoreEntry> commitFenced(long term, List<StoreOperation> operations)
                    throws StoreConflictException, IOException {
                synchronized (ClusterFixture.this) {
                    if (!self.name.equals(coordinator) || term != epoch) {
                        throw new StoreConflictException(EPOCH_KEY, "epoch " + term + " is over (now " + epoch + ")");
                    }
                    return commit(operations);
                }
            }

            @Override
            public long revision() {
                return backing.revision();
            }
        };
    }

    private void publish(List<StoreOperation> operations) {
        for (StoreOperation op : operations) {
            long version = backing.get(op.key()).map(StoreEntry::version).orElse(0L);
            Map<String, Object> p = Map.of(ClusterEvents.KEY, op.key(), ClusterEvents.VERSION, version,
                    ClusterEvents.CHANGE, version == 0 ? ClusterEvents.DELETED
                            : version == 1 ? ClusterEvents.CREATED : ClusterEvents.UPDATED);
            for (Node n : connected()) {
                n.event(ClusterEvents.STORE_CHANGED, p);
            }
        }
    }

    @Override
    public void close() {
        for (Node n : nodes.values()) {
            if (n.rgm != null) {
                n.rgm.close();
            }
        }
        workers.forEach(ExecutorService::shutdownNow);
    }
}
