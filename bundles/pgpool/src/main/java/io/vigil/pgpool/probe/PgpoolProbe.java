package io.vigil.pgpool.probe;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code pgpool} probe: sends a PostgreSQL SSLRequest to the first {@code tcp} port of
 * {@code Port_list} on {@code Probe_host} (default {@code 127.0.0.1}) and expects the one-byte
 * answer {@code 'N'} or {@code 'S'}, which only a running pgpool child process gives. A stopped
 * (SIGSTOP) or wedged pgpool still accepts the connection (the kernel does), so the {@code tcp}
 * probe cannot tell it from a healthy one; this probe can. No PostgreSQL backend is involved.
 */
@Component(service = Probe.class, property = Probe.NAME + "=" + PgpoolProbe.NAME)
public final class PgpoolProbe implements Probe {

    /** The probe's name. */
    public static final String NAME = "pgpool";

    /** SSLRequest: length 8, code 80877103. */
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};

    @Override
    public ProbeResult probe(ProbeContext context) {
        String host = context.properties().find("Probe_host").filter(h -> !h.isBlank()).orElse("127.0.0.1");
        int port;
        try {
            port = firstTcpPort(context.properties().find("Port_list").orElse(""));
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, e.getMessage());
        }
        return check(host, port, context.timeLeft());
    }

    /**
     * @param portList a {@code Port_list} such as {@code 9999/tcp,9000/tcp}
     * @return its first tcp port
     * @throws IllegalArgumentException naming the entry that is malformed, or when there is no tcp entry
     */
    static int firstTcpPort(String portList) {
        for (String entry : portList.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split("/", 2);
            if (parts.length == 2 && parts[1].trim().equalsIgnoreCase("tcp")) {
                try {
                    int p = Integer.parseInt(parts[0].trim());
                    if (p >= 1 && p <= 65535) {
                        return p;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below with the entry
                }
                throw new IllegalArgumentException("Port_list entry \"" + e + "\" is not valid; expected <1..65535>/tcp");
            }
        }
        throw new IllegalArgumentException("Port_list \"" + portList + "\" has no tcp entry; expected one such as 9999/tcp");
    }

    /**
     * @param host the pgpool's host
     * @param port its port
     * @param timeLeft the time for connecting and the answer
     * @return healthy on 'N' or 'S', otherwise a complete failure saying what happened
     */
    public static ProbeResult check(String host, int port, Duration timeLeft) {
        String target = host + ":" + port;
        long millis = timeLeft.toMillis();
        if (millis < 1) {
            return ProbeResult.failure(50, "no time left to probe pgpool at " + target);
        }
        long deadline = System.nanoTime() + timeLeft.toNanos();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, millis));
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            s.getOutputStream().write(SSL_REQUEST);
            InputStream in = s.getInputStream();
            int answer = in.read();
            if (answer == 'N' || answer == 'S') {
                return new ProbeResult(ProbeResult.HEALTHY, "pgpool at " + target + " answered");
            }
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "pgpool at " + target + " answered an SSLRequest "
                    + (answer < 0 ? "by closing the connection" : "with byte " + answer) + "; expected 'N' or 'S'");
        } catch (SocketTimeoutException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "pgpool at " + target + " did not answer within "
                    + millis + " ms");
        } catch (IOException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "pgpool at " + target + ": " + e.getMessage());
        }
    }
}
