package io.vigil.shell.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin Unix socket: accepts connections, checks each peer's credentials, runs the
 * one command line each sends and answers with its output and exit status.
 *
 * <p>The socket file is owner-only (0600), and only the agent's user and root may use it.
 */
final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Path socketPath;
    private final CommandRunner runner;
    private final long agentUid;
    private final AFUNIXServerSocket server;
    private final ExecutorService workers;
    private final Thread acceptor;
    private volatile boolean closing;

    /**
     * Binds the socket and starts accepting.
     *
     * @param socketPath where the socket appears
     * @param runner runs the commands
     * @param agentUid the uid allowed besides root
     * @param workerThreads how many commands may run at once
     * @throws IOException if the socket cannot be created, or another agent already answers there
     */
    AdminServer(Path socketPath, CommandRunner runner, long agentUid, int workerThreads) throws IOException {
        this.socketPath = socketPath.toAbsolutePath();
        this.runner = runner;
        this.agentUid = agentUid;
        Files.createDirectories(this.socketPath.getParent());
        refuseIfAnotherAgentAnswers(this.socketPath);
        this.server = bindOwnerOnly(this.socketPath);
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "vigil-admin-worker");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.acceptor = new Thread(this::acceptLoop, "vigil-admin-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
        LOG.info("Admin socket listening on {}", this.socketPath);
    }

    /** @return the socket's path */
    Path socketPath() {
        return socketPath;
    }

    private static void refuseIfAnotherAgentAnswers(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (AFUNIXSocket probe = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
            throw new IOException("another agent already answers on " + path + "; stop it first");
        } catch (SocketException stale) {
            LOG.info("Removing stale admin socket {}", path);
            Files.deleteIfExists(path);
        }
    }

    private static AFUNIXServerSocket bindOwnerOnly(Path target) throws IOException {
        // junixsocket watches the bound path (a renamed socket stops accepting), so the socket is
        // bound in place and restricted at once; bin/vigil runs the agent under umask 077, so it
        // is never wider than owner-only in between, and every peer's credentials are checked.
        AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
        try {
            s.bind(AFUNIXSocketAddress.of(target), 16);
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
                    LOG.error("Admin socket {} failed to accept: {}", socketPath, e.getMessage());
                }
                return;
            }
            try {
                workers.execute(() -> serve(conn));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("Admin socket busy: too many commands queued; connection closed");
                closeQuietly(conn);
            }
        }
    }

    private void serve(AFUNIXSocket conn) {
        try (conn; InputStream in = conn.getInputStream(); OutputStream out = conn.getOutputStream()) {
            AFUNIXSocketCredentials peer = conn.getPeerCredentials();
            long uid = peer == null ? -1 : peer.getUid();
            var refusal = PeerPolicy.refusal(uid, agentUid);
            if (refusal.isPresent()) {
                LOG.warn("Admin connection refused (pid {}): {}", peer == null ? -1 : peer.getPid(), refusal.get());
                AdminProtocol.writeResponse(out, new AdminProtocol.Response(
                        "vigil: permission denied: " + refusal.get() + "\n", AdminProtocol.REFUSED));
                // Closing with the peer's request unread would reset the connection before it reads
                // the refusal: end our side, then discard what it sent, briefly and boundedly.
                conn.shutdownOutput();
                conn.setSoTimeout(1_000);
                byte[] discard = new byte[4096];
                long total = 0;
                try {
                    for (int n; total < AdminProtocol.MAX_REQUEST && (n = in.read(discard)) > 0; ) {
                        total += n;
                    }
                } catch (java.net.SocketTimeoutException ignored) {
                    // the peer neither wrote nor closed: close anyway
                }
                return;
            }
            conn.setSoTimeout(10_000);
            String line;
            try {
                line = AdminProtocol.readRequest(in);
            } catch (IOException bad) {
                LOG.warn("Admin request rejected: {}", bad.getMessage());
                AdminProtocol.writeResponse(out, new AdminProtocol.Response(
                        "vigil: " + bad.getMessage() + "\n", AdminProtocol.USAGE));
                return;
            }
            conn.setSoTimeout(0);
            AdminProtocol.writeResponse(out, runner.run(line));
        } catch (IOException e) {
            LOG.debug("Admin connection ended early: {}", e.getMessage());
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
        try {
            server.close();
        } finally {
            workers.shutdownNow();
            Files.deleteIfExists(socketPath);
        }
    }
}
