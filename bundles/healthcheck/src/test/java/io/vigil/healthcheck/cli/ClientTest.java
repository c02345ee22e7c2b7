package io.vigil.healthcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.core.AdminState;
import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.core.Protocol;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.server.Responder;
import io.vigil.testing.MutableClock;
import io.vigil.healthcheck.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClientTest {

    private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.of(Health.up("ok"), AdminState.READY, 100));
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2024-01-01T23:59:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Responder responder() throws IOException {
        return new Responder("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Protocol.GGHEALTHCHECK,
                Duration.ofSeconds(30), 10, answer::get, new Peers.RecordingLog());
    }

    /**
     * Runs the client on a clock of its own; only its socket timeout (clTimeout, 20 s: used only on
     * a failure, a local answer comes at once) is real time.
     */
    private int run(int port, String repeat) throws InterruptedException {
        Settings s = Settings.of("c", Map.of("mode", "C", "port", Integer.toString(port), "repeat", repeat,
                "interval", "10", "clSleep", "3", "clTimeout", "20"));
        return new Client(s, new PrintStream(out, true, StandardCharsets.UTF_8), clock, d -> {
            pauses.add(d);
            clock.advance(d);
        }).run();
    }

    @Test
    void exitsZeroWhenTheLastAnswerWasUp() throws Exception {
        try (Responder r = responder()) {
            assertEquals(Client.UP, run(r.address().getPort(), "2"));
        }
        assertEquals("2024-01-01T23:59:00Z GGHealthCheck server = UP\n2024-01-01T23:59:10Z GGHealthCheck server = UP\n",
                out.toString(StandardCharsets.UTF_8));
        // the checks start interval (10 s) apart: the check itself took no clock time; no pause after the last
        assertEquals(List.of(Duration.ofSeconds(10)), pauses);
    }

    @Test
    void exitsOneWhenTheLastAnswerWasDown() throws Exception {
        answer.set(Answer.of(Health.down("x"), AdminState.READY, 100));
        try (Responder r = responder()) {
            assertEquals(Client.DOWN, run(r.address().getPort(), "1"));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("GGHealthCheck server = DOWN\n"));
    }

    @Test
    void exitsTwoWhenThereWasNoAnswer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertEquals(Client.NO_ANSWER, run(port, "1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("2024-01-01T23:59:00Z no answer: "),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void understandsAgentLines() {
        assertTrue(Client.isUp("100% ready up\n"));
        assertTrue(Client.isUp("75% drain up\n"));
        assertFalse(Client.isUp("100% ready down #group rg1 is OFFLINE\n"));
        assertFalse(Client.isUp("0% maint up\n"));
        assertFalse(Client.isUp(""));
        assertTrue(Client.isUp("anything server = UP"));
        assertFalse(Client.isUp("up server = DOWN"));
    }
}
