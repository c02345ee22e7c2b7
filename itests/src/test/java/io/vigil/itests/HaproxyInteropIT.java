package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * A real HAProxy (Debian's haproxy) on loopback in front of a test backend, checking it through
 * Vigil's responders: {@code option tcp-check} with {@code tcp-check send}/{@code expect string
 * "server = UP"} against a gghealthcheck responder, and {@code agent-check} against a haproxy-agent
 * responder; both answer from resource group rg1. The server's state and weight are read from
 * HAProxy's stats socket. Skipped when haproxy is not installed, except with {@code CI=true}.
 */
public class HaproxyInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String HAPROXY = "/usr/sbin/haproxy";

    private Distribution dist;
    private Process haproxy;
    private ServerSocket backend;
    private Path stats;

    @Before
    public void setUp() throws Exception {
        if (!Files.isExecutable(Path.of(HAPROXY))) {
            String why = HAPROXY + " is not installed (apt-get install haproxy)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: a missing peer is a failure)");
            }
            Assume.assumeTrue(why, false);
        }
        dist = Distribution.fresh("haproxy");
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!backend.isClosed()) {
                try (Socket s = backend.accept()) {
                    s.getOutputStream().write("backend\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @After
    public void tearDown() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
        if (backend != null) {
            backend.close();
        }
        if (dist != null) {
            dist.close();
            assertTrue("no JVM is left behind", dist.jvms().isEmpty());
        }
    }

    private Distribution.Result ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals("bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    private void startHaproxy(int ggPort, int agentPort) throws IOException {
        stats = dist.home.resolve("haproxy.sock");
        String template;
        try (var in = HaproxyInteropIT.class.getResourceAsStream("/healthcheck/haproxy.cfg")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path cfg = Files.writeString(dist.home.resolve("haproxy.cfg"), template
                .replace("@STATS@", stats.toString())
                .replace("@FRONTEND@", Integer.toString(HealthcheckIT.freePort()))
                .replace("@BACKEND@", Integer.toString(backend.getLocalPort()))
                .replace("@GGPORT@", Integer.toString(ggPort))
                .replace("@AGENTPORT@", Integer.toString(agentPort)));
        haproxy = new ProcessBuilder(HAPROXY, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dist.home.resolve("haproxy.out").toFile()).start();
        Await.until("HAProxy's stats socket exists", TIMEOUT, () -> Files.exists(stats));
    }

    /** The rows of {@code show stat}, by backend/server, each a map from column to value. */
    private Map<String, Map<String, String>> showStat() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(stats));
            ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            String csv = new String(readAll(ch), StandardCharsets.US_ASCII);
            List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
            List<String> header = Arrays.asList(lines.get(0).substring(2).split(",", -1));
            return lines.stream().skip(1).map(l -> l.split(",", -1))
                    .collect(Collectors.toMap(f -> f[0] + "/" + f[1], f -> {
                        Map<String, String> row = new java.util.HashMap<>();
                        for (int i = 0; i < Math.min(f.length, header.size()); i++) {
                            row.put(header.get(i), f[i]);
                        }
                        return row;
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (ch.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    private String server(String id, String column) {
        return showStat().getOrDefault(id, Map.of()).getOrDefault(column, "");
    }

    /** Waits until the column of a server starts with {@code expected}: HAProxy adds "(agent)" to states the agent set. */
    private void awaitServer(String id, String column, String expected) {
        String[] last = {""};
        try {
            Await.until(id + " " + column + " is " + expected, TIMEOUT, () -> {
                last[0] = server(id, column);
                return last[0].equals(expected) || last[0].startsWith(expected + " ");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last: " + last[0] + ")", e);
        }
    }

    @Test
    public void haproxyFollowsTheGroupThroughTcpCheckAndAgentCheck() throws Exception {
        int ggPort = HealthcheckIT.freePort();
        int agentPort = HealthcheckIT.freePort();
        ok("start");
        Files.writeString(dist.home.resolve("etc/io.vigil.healthcheck-web.cfg"),
                "port = " + ggPort + "\ncommand = *rg:rg1\n");
        Files.writeString(dist.home.resolve("etc/io.vigil.healthcheck-agent.cfg"),
                "port = " + agentPort + "\nprotocol = haproxy-agent\ncommand = *rg:rg1\n");
        Await.until("both responders run", TIMEOUT, () -> {
            String list = dist.vigil("hc", "list").output();
            return list.contains("web ") && list.contains("agent ");
        });
        ok("clrg", "create", "rg1");
        ok("clrg", "online", "rg1");
        startHaproxy(ggPort, agentPort);

        awaitServer("tcpcheck/app", "status", "UP");
        awaitServer("agent/app", "status", "UP");
        assertEquals("100", server("agent/app", "weight"));

        // the group goes offline: the tcp-check server goes DOWN within two check intervals
        long offline = System.nanoTime();
        ok("clrg", "offline", "rg1");
        awaitServer("tcpcheck/app", "status", "DOWN");
        System.out.printf("HAProxy saw the group offline after %d ms (inter 200 ms, fall 2)%n",
                (System.nanoTime() - offline) / 1_000_000);
        awaitServer("agent/app", "status", "DOWN");
        ok("clrg", "online", "rg1");
        awaitServer("tcpcheck/app", "status", "UP");
        awaitServer("agent/app", "status", "UP");

        // drain and weight reach HAProxy through agent-check, without touching the service
        ok("hc", "weight", "agent", "60");
        awaitServer("agent/app", "weight", "60");
        ok("hc", "drain", "agent");
        awaitServer("agent/app", "status", "DRAIN");
        ok("hc", "ready", "agent");
        awaitServer("agent/app", "status", "UP");
        assertEquals("60", server("agent/app", "weight"));
        ok("hc", "maint", "agent");
        awaitServer("agent/app", "status", "MAINT");
        ok("hc", "ready", "agent");
        awaitServer("agent/app", "status", "UP");
        // the tcp-check side was never disturbed by the agent's state
        assertEquals("UP", server("tcpcheck/app", "status"));
    }
}
