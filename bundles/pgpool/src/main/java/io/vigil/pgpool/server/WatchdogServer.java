package io.vigil.pgpool.server;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.codec.WdProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a watchdog IPC socket: owner-only (0600), every peer's credentials checked (the agent's
 * user and root only), one command per connection, each read bounded by a timeout so that a
 * half-sent packet only ever holds its own connection. REGISTER FOR NOTIFICATIONS keeps its
 * connection, and {@link #nodesChanged(NodeList)} delivers the new list to each such connection.
 */
public final class WatchdogServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogServer.class);

    /**
     * The server's limits.
     *
     * @param workers connections served at once
     * @param queue connections waiting beyond those; more are closed at once
     * @param readTimeout the limit for each read of a request
     * @param maxBytes the largest request data accepted
     * @param maxSubscribers connections kept for notifications
     */
    public record Limits(int workers, int queue, Duration readTimeout, int maxBytes, int maxSubscribers) {
    }

    private final Path socketPath;
    private final RequestHandler handler;
    private final long agentUid;
    private final Limits limits;
    private final AFUNIXServerSocket server;
    private final ExecutorService workers;
    private final ExecutorService notifier;
    private final Thread acceptor;
    private final Set<AFUNIXSocket> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closing;

    /**
     * Binds the socket and starts accepting.
     *
     * @param socketPath where the socket appears
     * @param handler answers requests
     * @param agentUid the uid allowed besides root
     * @param limits the limits
     * @throws IOException if the socket cannot be created, or something already answers there
     */
    public WatchdogServer(Path socketPath, RequestHandler handler, long agentUid, Limits limits) throws IOException {
        this.socketPath = socketPath.toAbsolutePath();
        this.handler = handler;
        this.agentUid = agentUid;
        this.limits = limits;
        Files.createDirectories(this.socketPath.getParent());
        refuseIfAnswered(this.socketPath);
        this.server = bindOwnerOnly(this.socketPath);
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(limits.queue()), daemon("vigil-pgpool-wd-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        this.notifier = Executors.newSingleThreadExecutor(daemon("vigil-pgpool-wd-notifier"));
        this.acceptor = new Thread(this::acceptLoop, "vigil-pgpool-wd-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
        LOG.info("Watchdog-compatible IPC socket listening on {}", this.socketPath);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** @return the socket's path */
    public Path socketPath() {
        return socketPath;
    }

    /** @return connections closed unserved because every worker and queue place was taken */
    public long refusedConnections() {
        return refused.get();
    }

    /** @return connections kept for notifications */
    public int subscriberCount() {
        return subscribers.size();
    }

    private static void refuseIfAnswered(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (AFUNIXSocket probe = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
            throw new IOException("something already answers on " + path + "; stop it first or choose another port");
        } catch (SocketException stale) {
            LOG.info("Removing stale watchdog socket {}", path);
            Files.deleteIfExists(path);
        }
    }

    private static AFUNIXServerSocket bindOwnerOnly(Path target) throws IOException {
        // As the admin socket: bound in place and restricted at once (the agent runs under umask
        // 077, so it is never wider in between), and every peer's credentials are checked anyway.
        AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
        try {
            s.bind(AFUNIXSocketAddress.of(target), 64);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void acceptLoop() {
        while (!closing) {
            AFUNIXSocket conn;
            try {
                conn = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.error("Watchdog socket {} failed to accept: {}", socketPath, e.getMessage());
                }
                return;
            }
            try {
                workers.execute(() -> serve(conn));
            } catch (RejectedExecutionException e) {
                if (refused.getAndIncrement() % 1000 == 0) {
                    LOG.warn("Watchdog socket {} busy: connection closed unserved ({} so far)", socketPath, refused.get());
                }
                closeQuietly(conn);
            }
        }
    }

    private void serve(AFUNIXSocket conn) {
        boolean keep = false;
        try {
            AFUNIXSocketCredentials peer = conn.getPeerCredentials();
            Optional<String> refusal = PeerCheck.refusal(peer == null ? -1 : peer.getUid(), agentUid);
            if (refusal.isPresent()) {
                LOG.warn("Watchdog socket connection refused (pid {}): {}", peer == null ? -1 : peer.getPid(),
                        refusal.get());
                send(conn, handler.bad("permission denied: " + refusal.get()).reply().orElseThrow());
                return;
            }
            Optional<WdPacket> request;
            try {
                request = WdCodec.read(new DeadlineInput(conn, limits.readTimeout()), limits.maxBytes());
            } catch (WdProtocolException e) {
                LOG.debug("Watchdog socket request rejected: {}", e.getMessage());
                send(conn, handler.bad(e.getMessage()).reply().orElseThrow());
                return;
            } catch (SocketTimeoutException e) {
                LOG.debug("Watchdog socket request incomplete after {}: connection closed", limits.readTimeout());
                return;
            }
            if (request.isEmpty()) {
                return;
            }
            RequestHandler.Outcome outcome = handler.handle(request.get());
            if (outcome.subscribe()) {
                if (subscribers.size() >= limits.maxSubscribers()) {
                    send(conn, handler.bad("too many notification subscribers (" + limits.maxSubscribers() + ")")
                            .reply().orElseThrow());
                    return;
                }
                subscribers.add(conn);
                keep = true;
                return;
            }
            if (outcome.reply().isPresent()) {
                send(conn, outcome.reply().get());
            }
            discardRest(conn);
        } catch (IOException e) {
            LOG.debug("Watchdog socket connection ended early: {}", e.getMessage());
        } finally {
            if (!keep) {
                closeQuietly(conn);
            }
        }
    }

    private void send(AFUNIXSocket conn, WdPacket packet) throws IOException {
        WdCodec.write(conn.getOutputStream(), packet);
        discardRest(conn);
    }

    /**
     * Ends the server's side, then reads what the client sent beyond its one command (boundedly),
     * so that closing does not reset the connection before the client has read the reply.
     */
    private void discardRest(AFUNIXSocket conn) throws IOException {
        if (conn.isOutputShutdown()) {
            return;
        }
        conn.shutdownOutput();
        conn.setSoTimeout((int) Math.max(1, limits.readTimeout().toMillis()));
        byte[] discard = new byte[4096];
        InputStream in = conn.getInputStream();
        try {
            for (long total = 0; total <= limits.maxBytes(); ) {
                int n = in.read(discard);
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("Watchdog socket client neither closed nor stopped sending: connection closed");
        }
    }

    /**
     * Delivers the node list to every connection registered for notifications, asynchronously;
     * connections that fail are dropped.
     *
     * @param list the new list
     */
    public void nodesChanged(NodeList list) {
        if (subscribers.isEmpty() || closing) {
            return;
        }
        WdPacket packet = handler.nodesPacket(list);
        notifier.execute(() -> {
            for (AFUNIXSocket s : subscribers) {
                try {
                    WdCodec.write(s.getOutputStream(), packet);
                } catch (IOException e) {
                    LOG.debug("Notification subscriber gone: {}", e.getMessage());
                    subscribers.remove(s);
                    closeQuietly(s);
                }
            }
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            server.close();
        } finally {
            workers.shutdownNow();
            notifier.shutdownNow();
            subscribers.forEach(WatchdogServer::closeQuietly);
            subscribers.clear();
            Files.deleteIfExists(socketPath);
        }
    }
}
