package io.vigil.itests.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.QuorumConfigBuilder;
import org.apache.curator.test.TestingZooKeeperServer;

/**
 * A ZooKeeper ensemble of three servers in this JVM (Curator's {@link TestingZooKeeperServer}s) on loopback, with
 * fixed ports and data directories so that it can be {@linkplain #stop() stopped} and {@linkplain #start() started}
 * again with its data, and single servers {@linkplain #kill(int) killed} and {@linkplain #restart(int) restarted}.
 *
 * <p>The servers' membership lines ({@code server.N}, also published in {@code /zookeeper/config}) carry no client
 * address, unlike those of Curator's {@code TestingCluster}: Curator clients track that znode by default (its
 * ensemble tracker) and would replace their configured connect string by the addresses found there, so an agent
 * would go round the forwarders through which a test reaches the ensemble. Clients keep the string they were given.
 *
 * <p>The tick is 500 ms, so that the ensemble grants session timeouts from 500 ms (one tick, Curator's minimum
 * setting) to 10 s, and expires a session within a tick of its timeout. The followers' sync and init limits are kept
 * at 5 s and 10 s, as with the usual 2 s tick, so that a loaded machine does not break the quorum.
 */
public final class ZkEnsemble implements Closeable {

    /** The servers' tick, milliseconds. */
    public static final int TICK_MS = 500;

    static {
        // The servers answer the four-letter words that the tests ask (connections, mode), nothing else.
        System.setProperty("zookeeper.4lw.commands.whitelist", "cons,srvr");
    }

    private static final Pattern SESSION_ID = Pattern.compile("sid=0x([0-9a-f]+)");

    private final List<InstanceSpec> specs = new ArrayList<>();
    private final QuorumConfigBuilder config;
    private final List<TestingZooKeeperServer> servers = new ArrayList<>();

    /**
     * Chooses ports and creates the data directories; starts nothing.
     *
     * @param dataDir the parent of the servers' data directories (kept when the ensemble stops)
     */
    public ZkEnsemble(Path dataDir) {
        Map<String, Object> limits = Map.of("syncLimit", Integer.toString(5000 / TICK_MS),
                "initLimit", Integer.toString(10000 / TICK_MS));
        for (int id = 1; id <= 3; id++) {
            Path dir = dataDir.resolve("zk" + id);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
            specs.add(new InstanceSpec(dir.toFile(), -1, -1, -1, false, id, TICK_MS, -1, limits, "127.0.0.1"));
        }
        config = new QuorumConfigBuilder(specs) {
            @Override
            public Properties buildConfigProperties(int instanceIndex, int instancePort) throws Exception {
                Properties p = super.buildConfigProperties(instanceIndex, instancePort);
                for (String key : p.stringPropertyNames()) {
                    if (key.startsWith("server.")) {
                        p.setProperty(key, p.getProperty(key).replaceFirst(";.*", ""));
                    }
                }
                return p;
            }
        };
    }

    /** Starts the three servers (again, with their data, after {@link #stop()}). */
    public synchronized void start() throws Exception {
        if (!servers.isEmpty()) {
            throw new IllegalStateException("the ensemble runs already");
        }
        for (int i = 0; i < specs.size(); i++) {
            servers.add(new TestingZooKeeperServer(config, i));
        }
        for (TestingZooKeeperServer server : servers) {
            server.start();
        }
    }

    /** Stops the three servers; their data stays. */
    public synchronized void stop() throws IOException {
        IOException failure = null;
        for (TestingZooKeeperServer server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** @return the servers' client addresses, in server id order (1, 2, 3) */
    public List<InetSocketAddress> addresses() {
        return specs.stream().map(s -> new InetSocketAddress("127.0.0.1", s.getPort())).toList();
    }

    /** @return the connect string of the three servers, for clients in this JVM */
    public String connectString() {
        return String.join(",", specs.stream().map(s -> "127.0.0.1:" + s.getPort()).toList());
    }

    /**
     * Stops one server at once (its clients' connections break).
     *
     * @param id its server id, 1 to 3
     */
    public synchronized void kill(int id) {
        server(id).kill();
    }

    /**
     * Starts a killed server again, with its data.
     *
     * @param id its server id, 1 to 3
     */
    public synchronized void restart(int id) throws Exception {
        server(id).restart();
    }

    /**
     * @param id a server id, 1 to 3
     * @return the ids of the sessions connected to that server now (its answer to {@code cons}); empty when it is
     *     down
     */
    public Set<Long> sessionsOn(int id) {
        Set<Long> sessions = new TreeSet<>();
        Matcher m = SESSION_ID.matcher(ask(id, "cons"));
        while (m.find()) {
            sessions.add(Long.parseUnsignedLong(m.group(1), 16));
        }
        return sessions;
    }

    /**
     * @param id a server id, 1 to 3
     * @return whether that server is the quorum's leader now (its answer to {@code srvr})
     */
    public boolean isLeader(int id) {
        return ask(id, "srvr").contains("Mode: leader");
    }

    /**
     * @param id a server id, 1 to 3
     * @return whether that server serves clients now, as leader or follower
     */
    public boolean serving(int id) {
        String answer = ask(id, "srvr");
        return answer.contains("Mode: leader") || answer.contains("Mode: follower");
    }

    /** @return one of the four-letter words of ZooKeeper asked of a server, or "" when it does not answer */
    private String ask(int id, String word) {
        spec(id);
        try (Socket s = new Socket()) {
            s.connect(addresses().get(id - 1), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private TestingZooKeeperServer server(int id) {
        spec(id);
        if (servers.isEmpty()) {
            throw new IllegalStateException("the ensemble is stopped");
        }
        return servers.get(id - 1);
    }

    private InstanceSpec spec(int id) {
        if (id < 1 || id > specs.size()) {
            throw new IllegalArgumentException("server id " + id + ": expected 1 to " + specs.size());
        }
        return specs.get(id - 1);
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
