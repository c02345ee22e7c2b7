package io.vigil.cluster.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay to one server that can be cut like a network partition: from {@link #cut()} on, bytes are
 * dropped both ways while every connection stays open, so neither side hears anything and neither side is told.
 * {@link #heal()} ends the partition the way a real one ends for a client that gave up on its connection: the cut
 * connections are reset, and new ones relay again.
 */
final class TcpProxy implements AutoCloseable {

    /** One relayed connection, both sockets, and whether its bytes are dropped. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean cut;

        Link(Socket client, Socket server, boolean cut) {
            this.client = client;
            this.server = server;
            this.cut = cut;
        }

        void close() throws IOException {
            try {
                client.close();
            } finally {
                server.close();
            }
        }
    }

    private final ServerSocket listener;
    private final int target;
    /** The connections relayed now. Guarded by this. */
    private final List<Link> links = new ArrayList<>();
    /** Whether new connections are cut. Guarded by this. */
    private boolean cut;

    /** @param target the server's port on the loopback address */
    TcpProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::accept, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** @return host:port to connect to instead of the server */
    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Drops everything from now on, on every connection, keeping them open. */
    synchronized void cut() {
        cut = true;
        links.forEach(l -> l.cut = true);
    }

    /** Resets the connections there are (all of them cut) and relays new ones again. */
    void heal() throws IOException {
        List<Link> old;
        synchronized (this) {
            cut = false;
            old = new ArrayList<>(links);
            links.clear();
        }
        for (Link l : old) {
            l.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Link link;
                synchronized (this) {
                    link = new Link(client, server, cut);
                    links.add(link);
                }
                relay(link, client, server);
                relay(link, server, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void relay(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!link.cut) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed: the relay ends with it
            }
        }, "tcp-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        List<Link> all;
        synchronized (this) {
            all = new ArrayList<>(links);
            links.clear();
        }
        for (Link l : all) {
            l.close();
        }
    }
}
