package io.vigil.itests.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback from an ephemeral port to one target (here: one agent's way to one ZooKeeper server),
 * which the test can {@linkplain #cut() cut} as a network partition would: from then on it accepts no connection
 * and forwards no byte and no close in either direction, but closes nothing either, so that both ends see silence,
 * not a reset. {@link #restore()} lets everything held back through, in order.
 *
 * <p>Each accepted connection gets its own connection to the target, made when it is accepted (a refused or
 * failed one closes the accepted connection, as a stopped server would), and two threads that copy bytes.
 */
public final class TcpForwarder implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean cut;
    private volatile boolean closed;

    /**
     * Listens on an ephemeral loopback port and starts accepting.
     *
     * @param name a name for its threads, e.g. {@code n1->zk2}
     * @param target where connections go
     * @throws UncheckedIOException when no port can be bound
     */
    public TcpForwarder(String name, InetSocketAddress target) {
        this.name = name;
        this.target = target;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("forwarder " + name + " cannot listen on loopback", e);
        }
        thread("accept", this::acceptLoop);
    }

    /** @return the local port that clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** Stops accepting and forwarding, without closing anything. */
    public void cut() {
        synchronized (gate) {
            cut = true;
        }
    }

    /** Accepts and forwards again, beginning with whatever was held back. */
    public void restore() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    /** @return whether it is cut */
    public boolean isCut() {
        synchronized (gate) {
            return cut;
        }
    }

    /** Blocks while cut. */
    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) {
                gate.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                awaitOpen();
                Socket client = server.accept();
                awaitOpen();
                sockets.add(client);
                Socket upstream = new Socket();
                sockets.add(upstream);
                try {
                    upstream.connect(target, CONNECT_TIMEOUT_MS);
                } catch (IOException e) {
                    // The server is down: the client sees its connection closed, as it would have been refused.
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                thread("up", () -> pump(client, upstream));
                thread("down", () -> pump(upstream, client));
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("forwarder " + name + " cannot accept", e);
                }
            }
        }
    }

    /** Copies from one socket to the other until end of stream or an error, then closes both (never while cut). */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = read(in, buffer)) > 0) {
                awaitOpen();
                out.write(buffer, 0, n);
                out.flush();
            }
            awaitOpen();
        } catch (IOException e) {
            // One side went away (reset, or closed by the other pump): both are closed below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static int read(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketException e) {
            return -1;
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that failed: nothing left to release.
        }
    }

    private void thread(String role, Runnable body) {
        Thread t = new Thread(body, "forwarder " + name + " " + role);
        t.setDaemon(true);
        t.start();
    }

    /** Closes the listening socket and every connection, and ends its threads. */
    @Override
    public void close() {
        closed = true;
        restore();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("forwarder " + name + " cannot close its port", e);
        } finally {
            sockets.forEach(this::closeQuietly);
        }
    }

    @Override
    public String toString() {
        return "forwarder " + name + " 127.0.0.1:" + port() + " -> " + target + (isCut() ? " (cut)" : "");
    }
}
