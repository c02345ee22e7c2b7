package io.vigil.monitor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.api.probe.ProbeResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpProbeTest {

    /** The time left of the probes that should answer: ample, as only a hung probe waits for it all. */
    private static final Duration TIME = Duration.ofSeconds(20);

    private final HttpProbe probe = new HttpProbe();
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> answer(ex, 200, "<html>font server status: ready</html>"));
        server.createContext("/broken", ex -> answer(ex, 500, "internal error"));
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/elsewhere");
            answer(ex, 302, "");
        });
        server.createContext("/big", ex -> answer(ex, 200, "x".repeat(HttpProbe.BODY_LIMIT) + "READY"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private ProbeResult probe(String... properties) throws InterruptedException {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < properties.length; i += 2) {
            map.put(properties[i], properties[i + 1]);
        }
        return probe.probe(FixedContext.of(TIME, map));
    }

    @Test
    void status200IsHealthy() throws Exception {
        ProbeResult r = probe("Probe_url", base + "/");
        assertEquals(0, r.score(), r.message());
        assertEquals("GET " + base + "/ answered 200", r.message());
    }

    @Test
    void theUrlDefaultsToTheFirstTcpPortOfPortList() throws Exception {
        ProbeResult r = probe("Port_list", "53/udp," + server.getAddress().getPort() + "/tcp,1/tcp");
        assertEquals(0, r.score(), r.message());
        assertEquals("GET " + base + "/ answered 200", r.message());
    }

    @Test
    void status500IsACompleteFailure() throws Exception {
        ProbeResult r = probe("Probe_url", base + "/broken");
        assertEquals(100, r.score());
        assertEquals("GET " + base + "/broken answered 500; expected 200-399", r.message());
    }

    @Test
    void theExpectedStatusIsConfigurable() throws Exception {
        assertEquals(0, probe("Probe_url", base + "/broken", "Probe_http_status", "200, 500-503").score());
        assertEquals(0, probe("Probe_url", base + "/moved").score(), "redirects are not followed; 302 is in range");
        ProbeResult r = probe("Probe_url", base + "/moved", "Probe_http_status", "200");
        assertEquals(100, r.score());
        assertEquals("GET " + base + "/moved answered 302; expected 200", r.message());
        ProbeResult bad = probe("Probe_url", base + "/", "Probe_http_status", "2xx");
        assertEquals(100, bad.score());
        assertTrue(bad.message().startsWith("Probe_http_status = \"2xx\" is not valid"), bad.message());
    }

    @Test
    void theBodyMustMatchWhenAsked() throws Exception {
        ProbeResult ok = probe("Probe_url", base + "/", "Probe_http_body", "status: (ready|busy)");
        assertEquals(0, ok.score(), ok.message());
        assertTrue(ok.message().endsWith("with a body matching /status: (ready|busy)/"), ok.message());
        ProbeResult no = probe("Probe_url", base + "/", "Probe_http_body", "status: down");
        assertEquals(100, no.score());
        assertEquals("GET " + base + "/ answered 200 but the body does not match /status: down/", no.message());
        ProbeResult bad = probe("Probe_url", base + "/", "Probe_http_body", "(unclosed");
        assertEquals(100, bad.score());
        assertTrue(bad.message().startsWith("Probe_http_body = \"(unclosed\" is not a valid regular expression"),
                bad.message());
    }

    @Test
    void onlyTheFirstMegabyteOfTheBodyIsRead() throws Exception {
        assertEquals(0, probe("Probe_url", base + "/big", "Probe_http_body", "^x+").score());
        ProbeResult r = probe("Probe_url", base + "/big", "Probe_http_body", "READY");
        assertEquals(100, r.score(), r.message());
    }

    @Test
    void aClosedPortIsACompleteFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult r = probe("Port_list", port + "/tcp");
        assertEquals(100, r.score());
        assertEquals("GET http://127.0.0.1:" + port + "/: connect failed (refused or unreachable)", r.message());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            ProbeResult r = probe.probe(FixedContext.of(Duration.ofMillis(500),
                    Map.of("Port_list", silent.getLocalPort() + "/tcp")));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(100, r.score());
            assertEquals("GET http://127.0.0.1:" + silent.getLocalPort() + "/ timed out after 475 ms", r.message());
            assertTrue(millis >= 450, millis + " ms: the probe gave up before its budget of 475 ms");
            // generous, for a loaded machine: only a probe that ignores its budget takes so long
            assertTrue(millis < 475 + 10_000, millis + " ms: the probe overran its budget of 475 ms by more than 10 s");
        }
    }

    @Test
    void badPropertiesFailClearly() throws Exception {
        ProbeResult none = probe();
        assertEquals(100, none.score());
        assertTrue(none.message().startsWith("web has neither Probe_url nor a tcp entry in Port_list"),
                none.message());
        ProbeResult ftp = probe("Probe_url", "ftp://127.0.0.1/");
        assertEquals(100, ftp.score());
        assertTrue(ftp.message().startsWith("Probe_url = \"ftp://127.0.0.1/\" is not valid"), ftp.message());
        assertEquals(50, probe.probe(FixedContext.of(Duration.ZERO, Map.of("Probe_url", base + "/"))).score());
    }
}
