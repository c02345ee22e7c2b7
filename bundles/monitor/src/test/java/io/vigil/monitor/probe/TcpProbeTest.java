package io.vigil.monitor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpProbeTest {

    /** The time left of the probes that should answer: ample, as only a hung probe waits for it all. */
    private static final Duration TIME = Duration.ofSeconds(20);

    private final TcpProbe probe = new TcpProbe();
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        // never accept()ed: the kernel completes connections anyway, and they are never answered
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private ProbeResult probe(String portList) {
        return probe.probe(FixedContext.of(TIME, Map.of("Port_list", portList)));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anOpenPortIsHealthyEvenWhenNothingAnswers() {
        ProbeResult r = probe(listener.getLocalPort() + "/tcp");
        assertEquals(0, r.score(), r.message());
        assertEquals("connected to 127.0.0.1:" + listener.getLocalPort() + " and disconnected", r.message());
    }

    @Test
    void aClosedPortIsACompleteFailure() throws IOException {
        int port = closedPort();
        ProbeResult r = probe(port + "/tcp");
        assertEquals(100, r.score());
        assertEquals("connect to 127.0.0.1:" + port + " refused", r.message());
    }

    @Test
    void everyTcpPortIsProbedAndTheWorstWins() throws IOException {
        int closed = closedPort();
        ProbeResult r = probe(listener.getLocalPort() + "/tcp," + closed + "/udp," + closed + "/TCP");
        assertEquals(100, r.score());
        assertTrue(r.message().startsWith("connected to 127.0.0.1:" + listener.getLocalPort()), r.message());
        assertTrue(r.message().endsWith("; connect to 127.0.0.1:" + closed + " refused"), r.message());
    }

    @Test
    void udpEntriesAreNotProbed() throws IOException {
        ProbeResult r = probe(listener.getLocalPort() + "/tcp," + closedPort() + "/udp");
        assertEquals(0, r.score(), r.message());
    }

    @Test
    void probeHostIsUsedWhenGiven() throws IOException {
        int port = closedPort();
        ProbeResult r = probe.probe(FixedContext.of(TIME, Map.of("Port_list", port + "/tcp",
                "Probe_host", "no-such-host.invalid")));
        assertEquals(100, r.score());
        assertEquals("connect to no-such-host.invalid:" + port + " failed: host name not resolved", r.message());
    }

    @Test
    void aConnectThatIsNeverAnsweredTimesOutWithinItsShare() throws IOException {
        // A listener whose accept queue is full: Linux drops further SYNs, so a connect gets no
        // answer at all (no refusal) and can only time out. Loopback only.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, full.getLocalPort());
            boolean queueFull = false;
            for (int i = 0; i < 32 && !queueFull; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(address, 200);
                } catch (SocketTimeoutException e) {
                    queueFull = true;
                }
            }
            assertTrue(queueFull, "the accept queue of a listener with backlog 1 never filled");

            long start = System.nanoTime();
            ProbeResult r = probe.probe(FixedContext.of(Duration.ofMillis(500),
                    Map.of("Port_list", full.getLocalPort() + "/tcp")));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(100, r.score(), r.message());
            assertEquals("connect to " + loopback.getHostAddress() + ":" + full.getLocalPort()
                    + " timed out after 475 ms", r.message());
            assertTrue(millis >= 475, millis + " ms: the probe gave up before its budget of 475 ms");
            // generous, for a loaded machine: only a probe that ignores its budget takes so long
            assertTrue(millis < 475 + 10_000, millis + " ms: the probe overran its budget of 475 ms by more than 10 s");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void aFailedDisconnectIsAPartialFailure() {
        Socket failingClose = new Socket() {
            @Override
            public synchronized void close() throws IOException {
                super.close();
                throw new IOException("reset by the test");
            }
        };
        ProbeResult r = TcpProbe.check("127.0.0.1", listener.getLocalPort(), TIME, () -> failingClose);
        assertEquals(50, r.score());
        assertEquals("connected to 127.0.0.1:" + listener.getLocalPort() + " but the disconnect failed: "
                + "reset by the test", r.message());
        assertTrue(failingClose.isClosed());
    }

    @Test
    void noTimeLeftIsAPartialFailure() {
        ProbeResult r = probe.probe(FixedContext.of(Duration.ZERO, Map.of("Port_list",
                listener.getLocalPort() + "/tcp")));
        assertEquals(50, r.score());
        assertEquals("no time left to connect to 127.0.0.1:" + listener.getLocalPort(), r.message());
    }

    @Test
    void aPortListWithoutTcpOrWithBadEntriesFailsClearly() {
        ProbeResult none = probe("53/udp");
        assertEquals(100, none.score());
        assertEquals("Port_list of web has no tcp entry; expected at least one such as 7100/tcp", none.message());
        ProbeResult bad = probe("http/tcp");
        assertEquals(100, bad.score());
        assertTrue(bad.message().startsWith("Port_list entry \"http/tcp\" is not valid"), bad.message());
        assertEquals(100, probe.probe(FixedContext.of(TIME, Map.of())).score());
    }

    @Test
    void portListParsing() {
        assertEquals(List.of(7100, 8080), Probes.tcpPorts(PropertyValues.of(Map.of("port_list",
                "7100/tcp, 9/udp ,8080/Tcp"))));
        for (String bad : List.of("7100", "7100/", "/tcp", "0/tcp", "65536/tcp", "-1/tcp")) {
            assertThrows(IllegalArgumentException.class,
                    () -> Probes.tcpPorts(PropertyValues.of(Map.of("Port_list", bad))), bad);
        }
        assertEquals("[::1]:80", Probes.hostPort("::1", 80));
    }
}
