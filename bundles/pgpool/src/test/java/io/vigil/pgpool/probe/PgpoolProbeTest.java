package io.vigil.pgpool.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.ProbeResult;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PgpoolProbeTest {

    @Test
    void aPgpoolThatAnswersTheSslRequestIsHealthy() throws Exception {
        try (ServerSocket pgpool = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = pgpool.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] request = in.readNBytes(8);
                    if (request[7] == 0x2f) {
                        s.getOutputStream().write('N');
                    }
                    in.read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            ProbeResult r = PgpoolProbe.check("127.0.0.1", pgpool.getLocalPort(), Duration.ofSeconds(5));
            assertTrue(r.isHealthy(), r.message());
            t.join();
        }
    }

    @Test
    void aPgpoolThatAcceptsButNeverAnswersFails() throws Exception {
        // the kernel accepts into the backlog: nobody calls accept(), as with a stopped pgpool
        try (ServerSocket hung = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ProbeResult r = PgpoolProbe.check("127.0.0.1", hung.getLocalPort(), Duration.ofMillis(200));
            assertEquals(ProbeResult.COMPLETE_FAILURE, r.score());
            assertTrue(r.message().contains("did not answer within 200 ms"), r.message());
        }
    }

    @Test
    void aClosedPortFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(ProbeResult.COMPLETE_FAILURE, PgpoolProbe.check("127.0.0.1", port, Duration.ofSeconds(2)).score());
    }

    @Test
    void portListsAreParsedWithClearErrors() {
        assertEquals(9999, PgpoolProbe.firstTcpPort("53/udp, 9999/tcp,9000/tcp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgpoolProbe.firstTcpPort("x/tcp"));
        assertTrue(e.getMessage().contains("\"x/tcp\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PgpoolProbe.firstTcpPort("53/udp"));
        assertTrue(e.getMessage().contains("no tcp entry"), e.getMessage());
    }
}
