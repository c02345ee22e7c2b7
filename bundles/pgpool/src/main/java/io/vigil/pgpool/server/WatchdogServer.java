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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * half-sent packet only ever holds its own connection. A failing accept (e.g. out of file
 * descriptors) is logged and retried after a bounded backoff until the server is closed.
 * REGISTER FOR NOTIFICATIONS keeps its connection, and {@link #nodesChanged(NodeList)} delivers the
 * new list to each such connection: each subscriber has its own reader, which drops it as soon as
 * it closes, and its own sender, whose write is bounded by the read timeout, so that a subscriber
 * that stops reading is dropped without delaying the others.
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

    /** Accepts one connection: the server socket's own accept, replaced in tests to inject failures. */
    @FunctionalInterface
    interface Acceptor {
        AFUNIXSocket accept(AFUNIXServerSocket server) throws IOException;
    }

    /** The first wait after a failed accept; it doubles with each further failure. */
    static final Duration ACCEPT_BACKOFF_MIN = Duration.ofMillis(10);
    /** The longest wait after a failed accept. */
    static final Duration ACCEPT_BACKOFF_MAX = Duration.ofSeconds(1);
    /** Notifications a subscriber may have pending; one more and it is dropped as not keeping up. */
    static final int SUBSCRIBER_BACKLOG = 16;
    /** How long {@link #close()} waits for the acceptor thread to end. */
    private static final Duration ACCEPTOR_JOIN = Duration.ofSeconds(2);

    private final Path socketPath;
    private final RequestHandler handler;
    private final long agentUid;
    private final Limits limits;
    private final AFUNIXServerSocket server;
    private final Acceptor accept;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Thread acceptor;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
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
        this(socketPath, handler, agentUid, limits, AFUNIXServerSocket::accept, ACCEPT_BACKOFF_MIN, ACCEPT_BACKOFF_MAX);
    }

    /**
     * As {@link #WatchdogServer(Path, RequestHandler, long, Limits)}, with the accept and its
     * backoff given (for tests).
     */
    WatchdogServer(Path socketPath, RequestHandler handler, long agentUid, Limits limits, Acceptor accept,
            Duration backoffMin, Duration backoffMax) throws IOException {
        this.socketPath = socketPath.toAbsolutePath();
        this.handler = handler;
        this.agentUid = agentUid;
        this.limits = limits;
        this.accept = accept;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        Files.createDirectories(this.socketPath.getParent());
        refuseIfAnswered(this.socketPath);
        this.server = bindOwnerOnly(this.socketPath);
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(limits.queue()), daemon("vigil-pgpool-wd-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("vigil-pgpool-wd-notify-timer"));
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

    /** @return whether the acceptor thread still runs, for tests */
    boolean accepting() {
        return acceptor.isAlive();
    }

    /**
     * @param failures accept failures in a row, this one included
     * @param previous the wait before this one, nanoseconds
     * @return the wait before the next try, nanoseconds: the minimum, then doubled up to the maximum
     */
    static long backoff(long failures, long previous, Duration min, Duration max) {
        return failures == 1 ? min.toNanos() : Math.min(max.toNanos(), previous * 2);
    }

    private void acceptLoop() {
        long failures = 0;
        long backoff = 0;
        while (!closing) {
            AFUNIXSocket conn;
            try {
                conn = accept.accept(server);
            } catch (IOException | RuntimeException e) {
                if (closing) {
                    return;
                }
                failures++;
                backoff = backoff(failures, backoff, backoffMin, backoffMax);
                if (failures == 1) {
                    LOG.error("Watchdog socket {} failed to accept: {}; retrying, waiting up to {} ms between tries",
                            socketPath, e.toString(), backoffMax.toMillis());
                } else {
                    LOG.debug("Watchdog socket {} failed to accept ({} in a row): {}", socketPath, failures, e.toString());
                }
                try {
                    if (closed.await(backoff, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            if (failures > 0) {
                LOG.info("Watchdog socket {} accepts again after {} failed accepts", socketPath, failures);
                failures = 0;
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
            RequestHandler.Outcome outcome;
            try {
                outcome = handler.handle(request.get());
            } catch (RuntimeException e) {
                LOG.error("Watchdog socket request of type '{}' failed", (char) request.get().type(), e);
                send(conn, handler.bad("internal error: " + e).reply().orElseThrow());
                return;
            }
            if (outcome.subscribe()) {
                keep = subscribe(conn);
                return;
            }
            if (outcome.reply().isPresent()) {
                send(conn, outcome.reply().get());
            }
            discardRest(conn);
        } catch (IOException e) {
            LOG.debug("Watchdog socket connection ended early: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Watchdog socket connection failed", e);
        } finally {
            if (!keep) {
                closeQuietly(conn);
            }
        }
    }

    /** @return whether the connection was kept as a subscriber; if not, it was answered '6' */
    private boolean subscribe(AFUNIXSocket conn) throws IOException {
        Subscriber s;
        synchronized (subscribers) {
            if (subscribers.size() >= limits.maxSubscribers()) {
                s = null;
            } else {
                s = new Subscriber(conn);
                subscribers.add(s);
            }
        }
        if (s == null) {
            send(conn, handler.bad("too many notification subscribers (" + limits.maxSubscribers() + ")")
                    .reply().orElseThrow());
            return false;
        }
        if (closing) {
            s.drop(null);
            return true;
        }
        s.start();
        return true;
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
     * Delivers the node list to every connection registered for notifications, asynchronously and
     * without waiting for any of them; a subscriber that fails, does not take a notification within
     * the read timeout, or falls {@value #SUBSCRIBER_BACKLOG} notifications behind is dropped.
     *
     * @param list the new list
     */
    public void nodesChanged(NodeList list) {
        if (subscribers.isEmpty() || closing) {
            return;
        }
        WdPacket packet = handler.nodesPacket(list);
        for (Subscriber s : subscribers) {
            s.offer(packet);
        }
    }

    /**
     * A connection kept by REGISTER FOR NOTIFICATIONS: a reader that notices its end at once (the
     * client sends nothing more; whatever it sends is discarded), and a sender that writes its
     * notifications in order, each within the read timeout.
     */
    private final class Subscriber {
        private final AFUNIXSocket conn;
        private final ThreadPoolExecutor sender;
        private final Thread reader;
        private final AtomicBoolean dropped = new AtomicBoolean();

        Subscriber(AFUNIXSocket conn) {
            this.conn = conn;
            this.sender = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(SUBSCRIBER_BACKLOG),
                    daemon("vigil-pgpool-wd-notifier"), new ThreadPoolExecutor.AbortPolicy());
            this.sender.allowCoreThreadTimeOut(true);
            this.reader = new Thread(this::readUntilClosed, "vigil-pgpool-wd-subscriber");
            this.reader.setDaemon(true);
        }

        void start() {
            reader.start();
        }

        private void readUntilClosed() {
            try {
                conn.setSoTimeout(0);
                InputStream in = conn.getInputStream();
                byte[] discard = new byte[512];
                while (in.read(discard) >= 0) {
                    // nothing is expected after REGISTER: discarded
                }
                drop("closed its connection");
            } catch (IOException e) {
                drop("gone: " + e.getMessage());
            }
        }

        void offer(WdPacket packet) {
            try {
                sender.execute(() -> deliver(packet));
            } catch (RejectedExecutionException e) {
                if (!sender.isShutdown()) {
                    LOG.warn("Notification subscriber dropped: {} notifications pending, it does not keep up",
                            SUBSCRIBER_BACKLOG);
                }
                drop(null);
            }
        }

        private void deliver(WdPacket packet) {
            if (dropped.get()) {
                return;
            }
            long limit = Math.max(1, limits.readTimeout().toMillis());
            ScheduledFuture<?> guard;
            try {
                guard = timer.schedule(() -> {
                    if (!dropped.get()) {
                        LOG.warn("Notification subscriber dropped: it did not take its notification within {} ms",
                                limit);
                    }
                    drop(null);
                }, limit, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                drop(null);
                return;
            }
            try {
                WdCodec.write(conn.getOutputStream(), packet);
            } catch (IOException e) {
                drop("gone: " + e.getMessage());
            } finally {
                guard.cancel(false);
            }
        }

        /** @param why logged at debug when given; idempotent */
        void drop(String why) {
            if (!dropped.compareAndSet(false, true)) {
                return;
            }
            subscribers.remove(this);
            if (why != null) {
                LOG.debug("Notification subscriber dropped: {}", why);
            }
            closeQuietly(conn);
            sender.shutdownNow();
        }
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
        closed.countDown();
        try {
            server.close();
        } finally {
            workers.shutdownNow();
            timer.shutdownNow();
            subscribers.forEach(s -> s.drop(null));
            subscribers.clear();
            try {
                acceptor.join(ACCEPTOR_JOIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(socketPath);
        }
    }
}
