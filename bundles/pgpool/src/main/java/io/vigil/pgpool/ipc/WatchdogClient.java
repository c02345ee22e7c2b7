package io.vigil.pgpool.ipc;

import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.JsonFields;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.pgpool.codec.Result;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.codec.WdType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A client of one watchdog IPC socket: one command per connection, each packet written whole,
 * every read bounded by a timeout. It never sends REGISTER FOR NOTIFICATIONS, nor JSON holding an
 * empty object or array: each of these breaks a real watchdog.
 */
public final class WatchdogClient implements WatchdogIpc {

    private final Path socket;
    private final Optional<AuthKey> key;
    private final Dialect dialect;
    private final Duration timeout;
    private final int maxBytes;

    /**
     * @param socket the IPC socket
     * @param key the {@code wd_authkey}, when the watchdog has one
     * @param dialect the result bytes it speaks
     * @param timeout the limit for connecting and for each read
     * @param maxBytes the largest reply data accepted
     */
    public WatchdogClient(Path socket, Optional<AuthKey> key, Dialect dialect, Duration timeout, int maxBytes) {
        this.socket = socket;
        this.key = key;
        this.dialect = dialect;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** @return the socket's path */
    public Path socket() {
        return socket;
    }

    /**
     * Sends one request and reads the reply: the first packet, or nothing when the watchdog closes
     * the connection without one (NODE STATUS CHANGE accepted).
     *
     * @param request the request
     * @return the reply, or empty
     * @throws IOException if the socket fails, times out or the reply is malformed
     * @throws IllegalArgumentException if the request would break a real watchdog
     */
    public Optional<WdPacket> exchange(WdPacket request) throws IOException {
        if (request.type() == WdType.REGISTER_FOR_NOTIFICATIONS) {
            throw new IllegalArgumentException("REGISTER FOR NOTIFICATIONS ('0') is never sent: it wedges a real "
                    + "watchdog; poll GET NODES LIST instead");
        }
        if (request.data().length == 0 || JsonFields.hasEmptyContainer(request.text())) {
            throw new IllegalArgumentException(request + " has no data, invalid JSON or an empty object or array, "
                    + "which crashes a real watchdog; expected a JSON object with members");
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.connect(AFUNIXSocketAddress.of(socket), millis);
            s.setSoTimeout(millis);
            WdCodec.write(s.getOutputStream(), request);
            return WdCodec.read(s.getInputStream(), maxBytes);
        }
    }

    @Override
    public NodeList nodes() throws IOException, WatchdogException {
        WdPacket reply = exchange(WdPacket.request(WdType.GET_NODES_LIST, Payloads.getNodesList(-1, keyValue())))
                .orElseThrow(() -> new IOException("watchdog at " + socket + " closed the connection without "
                        + "answering GET NODES LIST"));
        Result r = checkedResult(reply, "GET NODES LIST");
        if (r != Result.OK && r != Result.NODES_LIST_DATA) {
            throw new WatchdogException("watchdog at " + socket + " answered GET NODES LIST with " + r);
        }
        try {
            return NodeList.parse(reply.text());
        } catch (IllegalArgumentException e) {
            throw new IOException("watchdog at " + socket + " sent a nodes list that cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void reportStatus(int nodeId, int status, String message) throws IOException, WatchdogException {
        Optional<WdPacket> reply = exchange(WdPacket.request(WdType.NODE_STATUS_CHANGE,
                Payloads.nodeStatusChange(keyValue(), nodeId, status, message)));
        if (reply.isPresent()) {
            Result r = checkedResult(reply.get(), "NODE STATUS CHANGE");
            if (r != Result.OK) {
                throw new WatchdogException("watchdog at " + socket + " answered NODE STATUS CHANGE with " + r);
            }
        }
    }

    private Result checkedResult(WdPacket reply, String command) throws WatchdogException, IOException {
        Result r = dialect.result(reply.type()).orElseThrow(() -> new IOException("watchdog at " + socket
                + " answered " + command + " with type " + WdType.describe(reply.type()) + ", unknown in dialect "
                + dialect.name().toLowerCase(java.util.Locale.ROOT) + "; is the dialect right?"));
        if (r == Result.BAD) {
            throw new WatchdogException("watchdog at " + socket + " rejected " + command + ": " + reason(reply));
        }
        return r;
    }

    private static String reason(WdPacket bad) {
        if (bad.data().length == 0) {
            return "no reason given (RESULT BAD without data: the request was malformed or named an unknown node)";
        }
        try {
            String m = JsonFields.parse(bad.text()).text("MESSAGE").orElse(bad.text());
            return m.startsWith("authentication failed")
                    ? m + " (the configured authentication key does not match the watchdog's wd_authkey, or none is configured)"
                    : m;
        } catch (IllegalArgumentException e) {
            return bad.text();
        }
    }

    private Optional<String> keyValue() {
        return key.map(AuthKey::reveal);
    }
}
