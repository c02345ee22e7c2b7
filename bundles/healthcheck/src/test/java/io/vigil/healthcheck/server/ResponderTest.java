package io.vigil.healthcheck.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.core.AdminState;
import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.core.HealthLog;
import io.vigil.healthcheck.core.Protocol;
import io.vigil.healthcheck.testing.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponderTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.of(Health.up("ok"), AdminState.READY, 100));
    private final Peers.RecordingLog log = new Peers.RecordingLog();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private InetSocketAddress start(Protocol protocol, Duration timeout, int maxConnections) throws IOException {
        Responder r = new Responder("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), protocol, timeout,
                maxConnections, answer::get, log);
        closeLater.add(r);
        return r.address();
    }

    private Socket open(InetSocketAddress address) throws IOException {
        Socket s = Peers.connect(address);
        closeLater.add(s);
        return s;
    }

    @Test
    void echoesTheLineAndAppendsTheStatus() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 100);
        assertEquals("hello\nserver = UP", Peers.exchange(a, "hello\n"));
        answer.set(Answer.of(Health.down("broken"), AdminState.READY, 100));
        assertEquals("hello\r\nserver = DOWN", Peers.exchange(a, "hello\r\n"));
        assertEquals(List.of("hello\n", "hello\r\n"), log.answers);
    }

    @Test
    void readsNoMoreThan128Bytes() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 100);
        String longLine = "x".repeat(100) + "y".repeat(100);
        String reply = Peers.exchange(a, longLine);
        assertEquals(longLine.substring(0, 128) + "server = UP", reply);
        assertEquals(128 + Answer.UP.length(), reply.length());
    }

    @Test
    void answersAtTheClientsHalfClose() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 100);
        try (Socket s = open(a)) {
            s.getOutputStream().write("no newline".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals("no newlineserver = UP", Peers.readAll(s));
        }
        try (Socket s = open(a)) {
            s.shutdownOutput();
            assertEquals("server = UP", Peers.readAll(s));
        }
    }

    @Test
    void answersWhatArrivedWhenTheTimeoutEnds() throws Exception {
        // The timeout runs from the accept. For "partial" to be there before it ends however slow the
        // test thread is, the responder thread is held in its answer to a first client until
        // "partial" has been sent: only then can it accept the second connection.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        Supplier<Answer> held = () -> {
            if (holding.getCount() > 0) {
                holding.countDown();
                try {
                    if (!sent.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never sent its partial line");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer.get();
        };
        Responder r = new Responder("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Protocol.GGHEALTHCHECK, Duration.ofSeconds(2), 100, held, log);
        closeLater.add(r);
        Socket first = open(r.address());
        first.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(holding.await(LONG.toSeconds(), TimeUnit.SECONDS), "the first client was never answered");
        // connected while the responder thread is held: it waits in the backlog, unaccepted
        Socket s = open(r.address());
        s.getOutputStream().write("partial".getBytes(StandardCharsets.US_ASCII));
        sent.countDown();
        // (first is answered at its newline, or at its own timeout if the test thread was slower)
        String firstReply = Peers.readAll(first);
        assertTrue(firstReply.endsWith("server = UP"), firstReply);
        // the client neither ends the line nor half-closes: the responder answers at svTimeout and closes
        assertEquals("partialserver = UP", Peers.readAll(s));
        assertEquals("partial", log.answers.get(1), "received, as logged: " + log.answers);
    }

    @Test
    void bytesAreEchoedUnchanged() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 100);
        String binary = "\u0000\u00ff\u0080ab\n";
        assertEquals(binary + "server = UP", Peers.exchange(a, binary));
    }

    @Test
    void agentProtocolAnswersAtOnceWithOneLine() throws IOException {
        InetSocketAddress a = start(Protocol.HAPROXY_AGENT, LONG, 100);
        try (Socket s = open(a)) {
            assertEquals("100% ready up\n", Peers.readAll(s));
        }
        answer.set(Answer.of(Health.down("group rg1 is OFFLINE"), AdminState.DRAIN, 75));
        assertEquals("75% drain down #group rg1 is OFFLINE\n", Peers.exchange(a, "agent-send text\n"));
    }

    @Test
    void idleClientsDoNotDelayOthers() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 10_000);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            idle.add(open(a));
        }
        // a slow client that sent half a line
        idle.get(0).getOutputStream().write("slo".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 20; i++) {
            assertEquals("check " + i + "\nserver = UP", Peers.exchange(a, "check " + i + "\n"));
        }
        // none of the idle ones was answered or closed meanwhile: each still completes its own exchange
        Socket slow = idle.get(0);
        slow.getOutputStream().write("w\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("slow\nserver = UP", Peers.readAll(slow));
        Socket last = idle.get(idle.size() - 1);
        last.getOutputStream().write("last\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("last\nserver = UP", Peers.readAll(last));
    }

    @Test
    void theConnectionLimitHoldsFurtherClientsInTheBacklog() throws IOException {
        InetSocketAddress a = start(Protocol.GGHEALTHCHECK, LONG, 2);
        Socket first = open(a);
        Socket second = open(a);
        Socket third = open(a);
        third.getOutputStream().write("third\n".getBytes(StandardCharsets.US_ASCII));
        // the first two hold both slots; once one is answered and closed the third is accepted and answered
        first.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("first\nserver = UP", Peers.readAll(first));
        assertEquals("third\nserver = UP", Peers.readAll(third));
        second.getOutputStream().write("second\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("second\nserver = UP", Peers.readAll(second));
        assertEquals(List.of("first\n", "third\n", "second\n"), log.answers);
    }

    @Test
    void ipv6LoopbackWorks() throws IOException {
        Responder r = new Responder("v6", new InetSocketAddress(InetAddress.getByName("::1"), 0), Protocol.GGHEALTHCHECK,
                LONG, 10, answer::get, log);
        closeLater.add(r);
        assertTrue(r.address().getAddress() instanceof java.net.Inet6Address);
        assertEquals("six\nserver = UP", Peers.exchange(r.address(), "six\n"));
    }

    /** A log that fails at everything it is asked to write out, as DailyLog did on a full disk. */
    private static final class ThrowingLog implements HealthLog {
        final List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void changed(String responder, Answer before, Answer after) {
        }

        @Override
        public boolean logsAnswers() {
            return true;
        }

        @Override
        public void answered(String responder, java.net.SocketAddress peer, String received, Answer answer) {
            answers.add(received);
        }

        @Override
        public void problem(String responder, String message) {
            throw new java.io.UncheckedIOException(new IOException("No space left on device"));
        }

        @Override
        public void flush() {
            throw new java.io.UncheckedIOException(new IOException("No space left on device"));
        }
    }

    @Test
    void closeCompletesEvenWhenTheLogThrows() throws IOException {
        ThrowingLog failing = new ThrowingLog();
        Responder r = new Responder("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Protocol.GGHEALTHCHECK, LONG, 10, answer::get, failing);
        // answered; then flushing the log throws, and so does reporting that, and the final flush
        assertEquals("x\nserver = UP", Peers.exchange(r.address(), "x\n"));
        assertTimeoutPreemptively(Duration.ofSeconds(20), r::close, "close() waited for ever for the responder thread");
        assertEquals(List.of("x\n"), failing.answers);
    }
}
