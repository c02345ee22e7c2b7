package io.vigil.types.xfnts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import io.vigil.monitor.probe.CommandProbe;
import io.vigil.monitor.probe.TcpProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xfnts probe, composed of the agent's real {@code tcp} and {@code command} probes, against
 * real processes: the stand-in font server answering, stopped, gone, and a listener that never
 * answers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XfntsProbeTest {

    /**
     * Probe_timeout of the cases that end by themselves (a connect, a cold python3 or sh start and
     * an answer): generous, as it is only used up when something is wrong.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Probe_timeout of the hung cases, which use all of it: short, as only its end is tested. */
    private static final Duration HUNG_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path tmp;

    private StandIns standIns;
    private final XfntsProbe probe = new XfntsProbe(new TcpProbe(), new CommandProbe());

    @BeforeEach
    void install() throws Exception {
        standIns = StandIns.install(tmp);
    }

    /** A probe context whose time runs out {@code timeout} after it was made. */
    record Context(PropertyValues properties, long deadline) implements ProbeContext {

        static Context of(Map<String, String> properties, Duration timeout) {
            return new Context(PropertyValues.of(properties), System.nanoTime() + timeout.toNanos());
        }

        @Override
        public String resourceName() {
            return "xfs1";
        }

        @Override
        public String resourceGroupName() {
            return "xfs-rg";
        }

        @Override
        public Duration timeLeft() {
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }
    }

    private ProbeResult probe(Map<String, String> properties) throws Exception {
        return probe.probe(Context.of(properties, TIMEOUT));
    }

    /** Probes a server that accepts connections but never answers, with {@link #HUNG_TIMEOUT}. */
    private ProbeResult probeHung(int port) throws Exception {
        return probe.probe(Context.of(standIns.properties(port), HUNG_TIMEOUT));
    }

    /** Probes a running stand-in server with another check command. */
    private ProbeResult probe(StandIns.Server server, String checkCommand) throws Exception {
        Map<String, String> p = standIns.properties(server.port);
        p.put(XfsSettings.CHECK_COMMAND, checkCommand);
        return probe(p);
    }

    @Test
    void anAnsweringServerIsHealthy() throws Exception {
        try (StandIns.Server server = standIns.start()) {
            ProbeResult r = probe(standIns.properties(server.port));
            assertEquals(ProbeResult.HEALTHY, r.score(), r.message());
            assertTrue(r.message().startsWith("connected to 127.0.0.1:" + server.port + " and disconnected; "),
                    r.message());
            assertTrue(r.message().contains("xfs stand-in: ok"), "the check command's answer is shown: " + r.message());
        }
    }

    @Test
    void aClosedPortIsACompleteFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult r = probe(standIns.properties(port));
        assertEquals(ProbeResult.COMPLETE_FAILURE, r.score());
        assertEquals("connect to 127.0.0.1:" + port + " refused", r.message());
    }

    @Test
    void aStoppedServerStillAcceptsConnectionsButFailsTheCheckByItsTimeout() throws Exception {
        try (StandIns.Server server = standIns.start()) {
            server.signal("STOP");
            ProbeResult r = probeHung(server.port);
            assertEquals(ProbeResult.COMPLETE_FAILURE, r.score(), r.message());
            assertTrue(r.message().startsWith("font server check failed: " + standIns.xfsinfo + " -server 127.0.0.1:"
                    + server.port + " timed out after "), r.message());

            server.signal("CONT");
            assertEquals(ProbeResult.HEALTHY, probe(standIns.properties(server.port)).score(), "continued, it answers");
        }
    }

    @Test
    void aListenerThatAcceptsButNeverAnswersFailsTheCheck() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            ProbeResult r = probeHung(silent.getLocalPort());
            assertEquals(ProbeResult.COMPLETE_FAILURE, r.score(), r.message());
            assertTrue(r.message().contains(" timed out after "), r.message());
        }
    }

    @Test
    void aFailingCheckCommandIsACompleteFailureNamingItsExit() throws Exception {
        Path check = standIns.script("no-fonts", "echo \"no catalogue at $2\"; exit 3");
        try (StandIns.Server server = standIns.start()) {
            ProbeResult r = probe(server, check + " -server %host:%port");
            assertEquals(ProbeResult.COMPLETE_FAILURE, r.score());
            assertEquals("font server check failed: " + check + " -server 127.0.0.1:" + server.port
                    + " exited 3: no catalogue at 127.0.0.1:" + server.port, r.message());
        }
    }

    @Test
    void theCheckCommandGetsItsWordsWithThePlaceholdersReplaced() throws Exception {
        Path check = standIns.script("args", "[ \"$1\" = \"127.0.0.1:$3\" ] && [ \"$2\" = \"100%\" ] && [ $# -eq 3 ]");
        try (StandIns.Server server = standIns.start()) {
            ProbeResult r = probe(server, check + "  %host:%port\t100%% %port");
            assertEquals(ProbeResult.HEALTHY, r.score(), r.message());
        }
        assertEquals("'a b' 'it'\\''s' '$HOME;'", XfntsProbe.commandLine(List.of("a b", "it's", "$HOME;")));
    }

    @Test
    void noTimeLeftAfterTheConnectIsAPartialFailureAndTheCheckDoesNotRun() throws Exception {
        AtomicReference<Duration> left = new AtomicReference<>(TIMEOUT);
        Probe slowConnect = context -> {
            left.set(Duration.ZERO);
            return new ProbeResult(ProbeResult.HEALTHY, "connected");
        };
        Probe mustNotRun = context -> {
            throw new AssertionError("the check ran with no time left");
        };
        ProbeContext context = new ProbeContext() {
            @Override public String resourceName() { return "xfs1"; }
            @Override public String resourceGroupName() { return "xfs-rg"; }
            @Override public PropertyValues properties() { return PropertyValues.of(standIns.properties(7100)); }
            @Override public Duration timeLeft() { return left.get(); }
        };
        ProbeResult r = new XfntsProbe(slowConnect, mustNotRun).probe(context);
        assertEquals(XfntsProbe.PARTIAL_FAILURE, r.score());
        assertEquals("probe timed out: connected, but no time is left to check the server", r.message());
    }

    @Test
    void theTcpProbeIsAskedForTheOnePortAndTheProbeHost() throws Exception {
        AtomicReference<PropertyValues> seen = new AtomicReference<>();
        Probe tcp = context -> {
            seen.set(context.properties());
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "refused");
        };
        Map<String, String> p = standIns.properties(7200);
        p.put(XfsSettings.PROBE_HOST, " ");
        assertEquals(new ProbeResult(100, "refused"),
                new XfntsProbe(tcp, tcp).probe(Context.of(p, TIMEOUT)));
        assertEquals("7200/tcp", seen.get().getString(XfsSettings.PORT_LIST));
        assertEquals("127.0.0.1", seen.get().getString(XfsSettings.PROBE_HOST), "a blank Probe_host is the loopback");
    }

    @Test
    void invalidPropertiesAreACompleteFailureSayingWhy() throws Exception {
        Map<String, String> p = standIns.properties(7100);
        p.put(XfsSettings.PORT_LIST, "7100/udp");
        ProbeResult r = probe(p);
        assertEquals(ProbeResult.COMPLETE_FAILURE, r.score());
        assertEquals("Port_list entry \"7100/udp\" is not valid; expected one entry port/tcp with a port in 1..65535,"
                + " e.g. 7100/tcp", r.message());
    }
}
