package io.vigil.monitor.probe;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code tcp} probe: connects to each {@code tcp} port of the resource's {@code Port_list}
 * and disconnects again, like the DSDL's {@code scds_simple_probe}.
 *
 * <p>The host is the extension property {@code Probe_host} when the resource has one, else
 * {@code 127.0.0.1}. Each connect may use 95% of the time left. Scores: connect failure 100,
 * disconnect failure 50, no time left 50; with several ports the worst score wins and the message
 * lists every port. A {@code Port_list} without a {@code tcp} entry, or with a malformed entry,
 * scores 100: the probe cannot check anything.
 */
@Component(service = Probe.class, property = Probe.NAME + "=" + TcpProbe.NAME)
public final class TcpProbe implements Probe {

    /** The probe's name. */
    public static final String NAME = "tcp";

    /** Score of a failed disconnect, and of a connect for which no time is left. */
    static final int PARTIAL_FAILURE = 50;

    @Override
    public ProbeResult probe(ProbeContext context) {
        String host = Probes.host(context.properties());
        List<Integer> ports;
        try {
            ports = Probes.tcpPorts(context.properties());
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, e.getMessage());
        }
        if (ports.isEmpty()) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, Probes.PORT_LIST + " of "
                    + context.resourceName() + " has no tcp entry; expected at least one such as 7100/tcp");
        }
        int worst = ProbeResult.HEALTHY;
        List<String> messages = new ArrayList<>(ports.size());
        for (int port : ports) {
            ProbeResult r = check(host, port, context.timeLeft());
            worst = Math.max(worst, r.score());
            messages.add(r.message());
        }
        return new ProbeResult(worst, String.join("; ", messages));
    }

    /**
     * Connects to one port using 95% of the time left, then disconnects.
     *
     * @param host a host name or address
     * @param port the port
     * @param timeLeft the time left before {@code Probe_timeout}
     * @return 0, or 100 when the connect failed, or 50 when the disconnect failed or no time was left
     */
    public static ProbeResult check(String host, int port, Duration timeLeft) {
        return check(host, port, timeLeft, Socket::new);
    }

    /** {@link #check(String, int, Duration)} with the sockets made by {@code sockets}, for tests. */
    static ProbeResult check(String host, int port, Duration timeLeft, java.util.function.Supplier<Socket> sockets) {
        String target = Probes.hostPort(host, port);
        Optional<Duration> budget = Probes.budget(timeLeft);
        if (budget.isEmpty()) {
            return ProbeResult.failure(PARTIAL_FAILURE, "no time left to connect to " + target);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "connect to " + target
                    + " failed: host name not resolved");
        }
        Socket socket = sockets.get();
        try {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, budget.get().toMillis()));
        } catch (IOException e) {
            closeQuietly(socket);
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, connectFailure(target, budget.get(), e));
        }
        try {
            socket.close();
        } catch (IOException e) {
            return ProbeResult.failure(PARTIAL_FAILURE, "connected to " + target + " but the disconnect failed: "
                    + Probes.describe(e));
        }
        return new ProbeResult(ProbeResult.HEALTHY, "connected to " + target + " and disconnected");
    }

    private static String connectFailure(String target, Duration budget, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "connect to " + target + " timed out after " + Probes.millis(budget);
        }
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused")) {
            return "connect to " + target + " refused";
        }
        return "connect to " + target + " failed: " + Probes.describe(e);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the connect failed already; that is what is reported
        }
    }
}
