package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.vigil.api.probe.Probe;
import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.ipc.SocketPaths;
import io.vigil.pgpool.ipc.WatchdogClient;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.lifecheck.ExternalLifecheck;
import io.vigil.pgpool.lifecheck.ServiceProber;
import io.vigil.pgpool.probe.PgpoolProbe;
import io.vigil.pgpool.server.RequestHandler;
import io.vigil.pgpool.server.VigilNodes;
import io.vigil.pgpool.server.WatchdogServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Vigil's pgpool bundle against a real Pgpool-II watchdog: a cluster of two pgpool instances on
 * loopback with {@code wd_lifecheck_method = 'external'} and {@code wd_authkey} set (no PostgreSQL:
 * {@code backend_clustering_mode = 'raw'}, see ../shared/spec/pgpool-watchdog.md section 10). The
 * external lifecheck lists the nodes, reports a SIGSTOPped pgpool DEAD (the watchdog shows it LOST)
 * and ALIVE after SIGCONT; a wrong key is reported clearly; pgpool's own {@code wd_cli}, pointed at
 * Vigil's compatible server, prints Vigil's node. Skipped when pgpool2 is not installed, unless
 * {@code CI=true}.
 */
public class PgpoolInteropIT {

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String KEY = "vigil-it-" + Long.toHexString(System.nanoTime());

    private static Path work;
    private static Path wdCli;
    private static Path ipcDir;
    private static final List<Node> NODES = new ArrayList<>();

    /** One pgpool instance of the cluster. */
    private record Node(int id, Path dir, int pgpoolPort, int pcpPort, int wdPort, Process process) {
        Path socket() {
            return SocketPaths.of(ipcDir.toString(), wdPort);
        }

        Path conf() {
            return dir.resolve("pgpool.conf");
        }

        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            pids.add(process.pid());
            process.descendants().forEach(p -> pids.add(p.pid()));
            return pids;
        }
    }

    @BeforeClass
    public static void startCluster() throws Exception {
        Optional<Path> pgpool = program("pgpool");
        wdCli = program("wd_cli").orElse(null);
        boolean ci = "true".equals(System.getenv("CI"));
        if (pgpool.isEmpty() || wdCli == null) {
            String why = "pgpool2 is not installed (pgpool and wd_cli on the PATH or in /usr/sbin); install it with "
                    + "apt-get install -y pgpool2 to run PgpoolInteropIT";
            if (ci) {
                fail(why + " (CI=true: a missing peer is a failure)");
            }
            Assume.assumeTrue(why, false);
        }
        work = Files.createTempDirectory(Path.of("/tmp"), "vigil-pgpool-it");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        ipcDir = Files.createDirectory(work.resolve("ipc"));
        int[][] ports = new int[2][];
        for (int i = 0; i < 2; i++) {
            ports[i] = new int[] {freePort(), freePort(), freePort()};
        }
        String template = resource("/pgpool/pgpool.conf.template");
        for (int i = 0; i < 2; i++) {
            StringBuilder others = new StringBuilder();
            for (int j = 0; j < 2; j++) {
                others.append("hostname").append(j).append(" = '127.0.0.1'\n")
                        .append("wd_port").append(j).append(" = ").append(ports[j][2]).append('\n')
                        .append("pgpool_port").append(j).append(" = ").append(ports[j][0]).append('\n');
            }
            Path dir = Files.createDirectories(work.resolve("node" + i));
            Files.createDirectories(dir.resolve("run"));
            Files.createDirectories(dir.resolve("log"));
            Files.writeString(dir.resolve("pgpool.conf"), template
                    .replace("@PGPOOL_PORT@", String.valueOf(ports[i][0]))
                    .replace("@PCP_PORT@", String.valueOf(ports[i][1]))
                    .replace("@NODE_DIR@", dir.toString())
                    .replace("@BACKEND_PORT@", String.valueOf(freePort()))
                    .replace("@IPC_DIR@", ipcDir.toString())
                    .replace("@AUTH_KEY@", KEY)
                    .replace("@PRIORITY@", String.valueOf(3 - i))
                    .replace("@NODES@", others.toString()));
            Files.writeString(dir.resolve("pgpool_node_id"), i + "\n");
            Files.writeString(dir.resolve("pcp.conf"), "vigil:0123456789abcdef0123456789abcdef\n");
            Process p = new ProcessBuilder(pgpool.get().toString(), "-n", "-D", "-f", dir.resolve("pgpool.conf").toString(),
                    "-F", dir.resolve("pcp.conf").toString(), "-a", "/etc/pgpool2/pool_hba.conf")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log/pgpool.log").toFile()).start();
            NODES.add(new Node(i, dir, ports[i][0], ports[i][1], ports[i][2], p));
        }
        WatchdogClient node0 = client(NODES.get(0), Optional.of(KEY));
        try {
            Await.until("the watchdog cluster has formed (node0 LEADER, node1 STANDBY in node0's view; logs under "
                    + work + ")", FORM_TIMEOUT, () -> {
                        NodeList l = nodesOrNull(node0);
                        return l != null && l.nodes().size() == 2 && l.nodes().get(0).state() == WdState.LEADER
                                && l.nodes().get(1).state() == WdState.STANDBY;
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nnode0 log tail:\n" + tail(NODES.get(0).dir().resolve("log/pgpool.log")), e);
        }
    }

    @AfterClass
    public static void stopCluster() throws Exception {
        for (Node n : NODES) {
            signal("CONT", n.pids());
            signal("INT", List.of(n.process().pid()));
        }
        for (Node n : NODES) {
            if (!n.process().waitFor(20, TimeUnit.SECONDS)) {
                signal("KILL", n.pids());
            }
        }
        NODES.clear();
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Optional<Path> program(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/sbin");
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PgpoolInteropIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(String.valueOf(p)));
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static WatchdogClient client(Node n, Optional<String> key) {
        return new WatchdogClient(n.socket(), key.map(k -> AuthKey.load(k, "").orElseThrow()), Dialect.PGPOOL,
                Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES);
    }

    private static NodeList nodesOrNull(WatchdogClient c) {
        try {
            return c.nodes();
        } catch (IOException | WatchdogException e) {
            return null;
        }
    }

    private static int stateOf(NodeList l, int id) {
        return l.nodes().stream().filter(n -> n.id() == id).findFirst().orElseThrow().state();
    }

    private static String wdCli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(wdCli.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("wd_cli did not finish", p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    public void theBridgeListsTheWatchdogsNodesWithTheKeyFromAFile() throws Exception {
        Path keyFile = work.resolve("wd_authkey");
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        WatchdogClient c = new WatchdogClient(NODES.get(0).socket(), AuthKey.load("", keyFile.toString()),
                Dialect.PGPOOL, Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES);
        NodeList l = c.nodes();
        assertEquals(2, l.nodeCount());
        assertEquals(List.of(0, 1), l.nodes().stream().map(WatchdogNode::id).collect(Collectors.toList()));
        assertEquals(NODES.get(0).pgpoolPort(), l.local().orElseThrow().pgpoolPort());
        assertEquals(NODES.get(1).wdPort(), l.remotes().get(0).wdPort());
        assertEquals("127.0.0.1:" + NODES.get(0).pgpoolPort(), l.leaderNodeName().split(" ")[0]);
    }

    @Test
    public void aWrongKeyIsReportedClearly() {
        try {
            client(NODES.get(0), Optional.of("not-" + KEY)).nodes();
            fail("a wrong key was accepted");
        } catch (WatchdogException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("authentication failed: invalid KEY")
                    && e.getMessage().contains("wd_authkey") && !e.getMessage().contains(KEY));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void aStoppedPgpoolIsReportedDeadAndAliveWhenItResumes() throws Exception {
        Node local = NODES.get(0);
        Node remote = NODES.get(1);
        WatchdogClient watchdog = client(local, Optional.of(KEY));
        List<String> alarms = new CopyOnWriteArrayList<>();
        ExecutorService probeThreads = Executors.newCachedThreadPool();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        Probe pgpoolProbe = new PgpoolProbe();
        ExternalLifecheck lifecheck = new ExternalLifecheck(watchdog,
                new ServiceProber(name -> name.equals(PgpoolProbe.NAME) ? pgpoolProbe : null, PgpoolProbe.NAME,
                        ServiceProber.Target.PGPOOL_PORT, Duration.ofSeconds(2), probeThreads),
                (event, instance, attrs) -> alarms.add(event + " " + instance + ": " + attrs.get("message")),
                Clock.systemUTC(), new ExternalLifecheck.Settings(2, Duration.ofSeconds(5), 2, false));
        poller.scheduleAtFixedRate(() -> {
            try {
                lifecheck.poll();
            } catch (IOException | WatchdogException e) {
                alarms.add("poll failed: " + e.getMessage());
            }
        }, 0, 300, TimeUnit.MILLISECONDS);
        try {
            Await.until("a first round judged node1 alive", TIMEOUT,
                    () -> lifecheck.views().containsKey(1) && !lifecheck.views().get(1).lastProbe().isEmpty());
            assertTrue(lifecheck.views().get(1).lastProbe(), lifecheck.views().get(1).alive());

            signal("STOP", remote.pids());
            Await.until("node_dead raised for node1 (alarms " + alarms + ")", TIMEOUT,
                    () -> alarms.stream().anyMatch(a -> a.startsWith("node_dead node1")));
            NodeList view = watchdog.nodes();
            assertEquals("node0's watchdog shows node1 LOST", WdState.LOST, stateOf(view, 1));
            assertEquals(WdState.LEADER, stateOf(view, 0));
            String cli = wdCli("-i", "-a", "-f", local.conf().toString(), "-k", KEY, "-v");
            assertTrue(cli, cli.contains("LOST"));

            signal("CONT", remote.pids());
            Await.until("node_alive raised for node1 (alarms " + alarms + ")", TIMEOUT,
                    () -> alarms.stream().anyMatch(a -> a.startsWith("node_alive node1")));
            int state = Await.value("node1 no longer LOST in node0's view", TIMEOUT,
                    () -> Optional.ofNullable(nodesOrNull(watchdog)).map(l -> stateOf(l, 1)).orElse(WdState.LOST),
                    s -> s != WdState.LOST);
            assertNotEquals(WdState.LOST, state);
            assertTrue(alarms.toString(), alarms.stream().noneMatch(a -> a.startsWith("poll failed")
                    || a.startsWith("report_rejected") || a.contains("node0")));
        } finally {
            signal("CONT", remote.pids());
            poller.shutdownNow();
            probeThreads.shutdownNow();
        }
    }

    @Test
    public void theDistributionRunsTheBridgeAndTheServerFromEtcConfigurations() throws Exception {
        Path keyFile = work.resolve("dist-authkey");
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path serverDir = Files.createDirectory(work.resolve("dist-wd"));
        int serverPort = freePort();
        try (Distribution dist = Distribution.fresh("pgpool")) {
            Path etc = dist.home.resolve("etc");
            Files.writeString(etc.resolve("io.vigil.pgpool.bridge.cfg"), "socketDir = " + ipcDir + "\n"
                    + "wdPort = " + NODES.get(0).wdPort() + "\nauthKeyFile = " + keyFile + "\nprobeName = pgpool\n"
                    + "pollIntervalMs = 500\nprobeTimeoutMs = 300\n");
            Files.writeString(etc.resolve("io.vigil.pgpool.server.cfg"), "socketDir = " + serverDir + "\n"
                    + "port = " + serverPort + "\nauthKey = " + KEY + "\n");
            Distribution.Result started = dist.vigil("start");
            assertEquals(started.output(), 0, started.status());
            Await.until("the bridge starts with the agent, before any wd command", TIMEOUT, () -> {
                try {
                    return dist.log().contains("Pgpool external lifecheck of " + NODES.get(0).socket());
                } catch (IOException e) {
                    return false;
                }
            });
            String nodes = Await.value("bin/vigil wd nodes shows both nodes judged", TIMEOUT,
                    () -> dist.vigil("wd", "nodes").output(),
                    out -> out.matches("(?s).*\\n0 +127\\.0\\.0\\.1 .*LEADER .*local.*\\n1 +127\\.0\\.0\\.1 .*STANDBY +MEMBER +alive.*"));
            assertTrue(nodes, nodes.contains(String.valueOf(NODES.get(1).pgpoolPort())));
            String status = dist.vigil("wd", "status").output();
            assertTrue(status, status.contains("quorum:    exists") && status.contains("probe:     pgpool\n")
                    && status.contains("error:     none") && !status.contains(KEY));
            assertTrue(dist.log(), !dist.log().contains(KEY));

            Path conf = serverDir.resolve("pgpool.conf");
            Files.writeString(conf, "use_watchdog = on\nwd_ipc_socket_dir = '" + serverDir + "'\nwd_authkey = '" + KEY
                    + "'\nhostname0 = '127.0.0.1'\nwd_port0 = " + serverPort + "\npgpool_port0 = 15999\n"
                    + "hostname1 = '127.0.0.1'\nwd_port1 = " + freePort() + "\npgpool_port1 = 15998\n");
            Files.writeString(serverDir.resolve("pgpool_node_id"), "0\n");
            String out = Await.value("wd_cli reaches the distribution's compatible server", TIMEOUT,
                    () -> {
                        try {
                            return wdCli("-i", "-a", "-f", conf.toString(), "-v");
                        } catch (IOException | InterruptedException e) {
                            return e.toString();
                        }
                    }, o -> o.contains("LEADER"));
            assertTrue(out, out.contains("Total Watchdog nodes configured for lifecheck:    1"));
        }
    }

    @Test
    public void wdCliPrintsVigilsNodesFromTheCompatibleServer() throws Exception {
        Path dir = Files.createDirectory(work.resolve("vigil-wd"));
        int port = freePort();
        List<String> raised = new CopyOnWriteArrayList<>();
        VigilNodes nodes = new VigilNodes("vigil-it-node", "127.0.0.1", port, 15999, false,
                (event, instance, attrs) -> raised.add(event + " " + instance), list -> { });
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        try (WatchdogServer server = new WatchdogServer(SocketPaths.of(dir.toString(), port),
                new RequestHandler(Dialect.PGPOOL, AuthKey.load(KEY, ""), nodes), uid,
                new WatchdogServer.Limits(4, 16, Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES, 4))) {
            Path conf = dir.resolve("pgpool.conf");
            Files.writeString(conf, "use_watchdog = on\nwd_ipc_socket_dir = '" + dir + "'\nwd_authkey = '" + KEY + "'\n"
                    + "hostname0 = '127.0.0.1'\nwd_port0 = " + port + "\npgpool_port0 = 15999\n"
                    + "hostname1 = '127.0.0.1'\nwd_port1 = " + freePort() + "\npgpool_port1 = 15998\n");
            Files.writeString(dir.resolve("pgpool_node_id"), "0\n");
            String out = wdCli("-i", "-a", "-f", conf.toString(), "-v");
            assertTrue(out, out.contains("vigil-it-node"));
            assertTrue(out, out.contains("LEADER"));

            String inform = wdCli("-I", "DEAD", "-n", "0", "-m", "wd_cli test", "-f", conf.toString());
            Await.until("wd_cli's DEAD report reached Vigil (" + inform + ")", TIMEOUT,
                    () -> raised.contains("node_dead vigil-it-node"));
            assertEquals(WdState.LOST, nodes.nodeList().nodes().get(0).state());
            String after = wdCli("-i", "-a", "-f", conf.toString(), "-v");
            assertTrue(after, after.contains("LOST"));
        }
    }
}
