package io.vigil.healthcheck.server;

import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.HealthLog;
import io.vigil.healthcheck.core.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The listening side of one responder: a single thread and a selector serve every connection, so
 * thousands of idle or slow clients cost a little memory each and never delay an answer to another.
 *
 * <p>GGHealthCheck's protocol: read at most {@value #MAX_RECEIVED} bytes, until a newline, the
 * client's half-close or {@code timeout} after the connection was accepted; send them back with the
 * current {@link Answer}'s suffix appended; close. HAProxy's agent protocol: send the agent line at
 * once; close. A connection whose answer is not fully sent within another {@code timeout} is closed.
 * Where input may be left unread (the agent protocol, a request longer than the buffer) the answer
 * is followed by a FIN and input is discarded until the peer closes, at most another
 * {@code timeout}, so that no reset destroys the answer.
 * At {@code maxConnections} open connections no more are accepted until one closes (they wait in
 * the listen backlog). The answer is read from {@code answers} when a connection is answered; it is
 * never computed here.
 */
public final class Responder implements AutoCloseable {

    /** The longest string GGHealthCheck reads. */
    public static final int MAX_RECEIVED = 128;

    private static final int BACKLOG = 4096;

    private final String name;
    private final Protocol protocol;
    private final long timeoutNanos;
    private final int maxConnections;
    private final Supplier<Answer> answers;
    private final HealthLog log;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey acceptKey;
    private final InetSocketAddress bound;
    private final Deadlines reading = new Deadlines();
    private final Deadlines writing = new Deadlines();
    /** Answered, output shut down, input discarded until the peer closes (or the timeout). */
    private final Deadlines lingering = new Deadlines();
    private final ByteBuffer drain = ByteBuffer.allocate(4096);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private int open;
    private volatile long answered;

    /**
     * Binds and starts serving.
     *
     * @param name the responder's name, for the thread and the log
     * @param address where to listen
     * @param protocol how to answer
     * @param timeout the send/receive timeout
     * @param maxConnections how many connections may be open at once
     * @param answers the current answer
     * @param log where answers and problems go
     * @throws IOException if the address cannot be bound
     */
    public Responder(String name, InetSocketAddress address, Protocol protocol, Duration timeout, int maxConnections,
            Supplier<Answer> answers, HealthLog log) throws IOException {
        this.name = name;
        this.protocol = protocol;
        this.timeoutNanos = timeout.toNanos();
        this.maxConnections = maxConnections;
        this.answers = answers;
        this.log = log;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, BACKLOG);
            server.configureBlocking(false);
            acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
            bound = (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            server.close();
            selector.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        this.thread = new Thread(this::run, "healthcheck-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the bound address (with the actual port when 0 was asked for); still known once closed */
    public InetSocketAddress address() {
        return bound;
    }

    /** @return how many connections were answered since the start */
    public long answered() {
        return answered;
    }

    private void run() {
        try {
            while (!closing) {
                long now = System.nanoTime();
                expire(now);
                Connection next = earliest(earliest(reading.first(), writing.first()), lingering.first());
                long wait = next == null ? 0 : Math.max(1, (next.deadline - now + 999_999) / 1_000_000);
                int ready = selector.select(this::handle, wait);
                if (ready == 0 || reading.first() == null) {
                    log.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                log.problem(name, "the responder stopped: " + e);
            }
        } finally {
            // whatever the log does, close() must not wait for ever
            try {
                closeAll();
            } finally {
                stopped.countDown();
            }
        }
    }

    private static Connection earliest(Connection a, Connection b) {
        return a == null ? b : b == null || a.deadline - b.deadline <= 0 ? a : b;
    }

    private void handle(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        Connection c = (Connection) key.attachment();
        if (!key.isValid()) {
            return;
        }
        if (c.phase == Phase.READING && key.isReadable()) {
            read(c);
        } else if (c.phase == Phase.WRITING && key.isWritable()) {
            write(c);
        } else if (c.phase == Phase.LINGERING && key.isReadable()) {
            if (discardUnread(c)) {
                close(c);
            }
        }
    }

    private void accept() {
        while (open < maxConnections) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                log.problem(name, "accept failed: " + e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            open++;
            Connection c = new Connection(ch);
            try {
                ch.configureBlocking(false);
                if (protocol == Protocol.HAPROXY_AGENT) {
                    // HAProxy may send an agent-send string, which is never read: drain it before closing
                    c.unreadPossible = true;
                    Answer a = answers.get();
                    respond(c, a, ByteBuffer.wrap(a.agentLine()), "");
                } else {
                    c.in = ByteBuffer.allocate(MAX_RECEIVED);
                    c.phase = Phase.READING;
                    c.deadline = System.nanoTime() + timeoutNanos;
                    // the request has usually arrived by the time the connection is accepted: then it is
                    // answered at once, and the connection never costs a selector registration
                    read(c);
                    if (c.phase == Phase.READING) {
                        c.key = ch.register(selector, SelectionKey.OP_READ, c);
                        reading.add(c);
                    }
                }
            } catch (IOException e) {
                close(c);
            }
        }
        acceptKey.interestOps(0);
    }

    private void read(Connection c) {
        ByteBuffer in = c.in;
        int from = in.position();
        int n;
        try {
            n = c.channel.read(in);
        } catch (IOException e) {
            close(c);
            return;
        }
        boolean complete = n < 0 || !in.hasRemaining();
        for (int i = from; !complete && i < in.position(); i++) {
            complete = in.get(i) == '\n';
        }
        if (complete) {
            // a full buffer may leave more input behind; a newline or the client's EOF leaves none
            c.unreadPossible = n >= 0 && !in.hasRemaining();
            try {
                answerReceived(c);
            } catch (IOException e) {
                close(c);
            }
        }
    }

    private void answerReceived(Connection c) throws IOException {
        Answer a = answers.get();
        byte[] reply = a.reply(c.in.array(), c.in.position());
        respond(c, a, ByteBuffer.wrap(reply), log.logsAnswers()
                ? new String(c.in.array(), 0, c.in.position(), StandardCharsets.ISO_8859_1) : "");
        c.in = null;
    }

    private void respond(Connection c, Answer a, ByteBuffer out, String received) throws IOException {
        answered++;
        if (log.logsAnswers()) {
            log.answered(name, c.channel.socket().getRemoteSocketAddress(), received, a);
        }
        c.out = out;
        reading.remove(c);
        c.phase = Phase.WRITING;
        c.deadline = System.nanoTime() + timeoutNanos;
        write(c);
        if (c.phase == Phase.WRITING) {
            if (c.key == null) {
                c.key = c.channel.register(selector, SelectionKey.OP_WRITE, c);
            } else {
                c.key.interestOps(SelectionKey.OP_WRITE);
            }
            writing.add(c);
        }
    }

    private void write(Connection c) {
        try {
            c.channel.write(c.out);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (!c.out.hasRemaining()) {
            if (c.unreadPossible) {
                linger(c);
            } else {
                close(c);
            }
        }
    }

    /**
     * Closing with unread input resets the connection, and a reset can destroy the answer in
     * flight; input may also still be on its way (HAProxy's agent-send arrives whenever it does).
     * So the answer is followed by a FIN and the connection is kept, its input discarded, until the
     * peer closes its side or the timeout passes.
     */
    private void linger(Connection c) {
        if (discardUnread(c)) {
            close(c);
            return;
        }
        try {
            c.channel.shutdownOutput();
            c.phase = Phase.LINGERING;
            c.deadline = System.nanoTime() + timeoutNanos;
            if (c.key == null) {
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            } else {
                c.key.interestOps(SelectionKey.OP_READ);
            }
            writing.remove(c);
            lingering.add(c);
        } catch (IOException e) {
            close(c);
        }
    }

    /** @return whether the peer has closed its side (or is gone): nothing more will arrive */
    private boolean discardUnread(Connection c) {
        try {
            int n;
            do {
                drain.clear();
                n = c.channel.read(drain);
            } while (n > 0);
            return n < 0;
        } catch (IOException e) {
            return true; // the peer is gone already; closing is all that is left
        }
    }

    private void expire(long now) {
        for (Connection c = reading.first(); c != null && c.deadline - now <= 0; c = reading.first()) {
            c.unreadPossible = true;
            try {
                answerReceived(c);
            } catch (IOException e) {
                close(c);
            }
        }
        for (Connection c = writing.first(); c != null && c.deadline - now <= 0; c = writing.first()) {
            close(c);
        }
        for (Connection c = lingering.first(); c != null && c.deadline - now <= 0; c = lingering.first()) {
            close(c);
        }
    }

    private void close(Connection c) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        reading.remove(c);
        writing.remove(c);
        lingering.remove(c);
        c.phase = Phase.CLOSED;
        c.in = null;
        c.out = null;
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // nothing is left to release
        }
        if (open-- == maxConnections && acceptKey.isValid()) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void closeAll() {
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Connection c) {
                close(c);
            }
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            log.problem(name, "closing the listening socket failed: " + e.getMessage());
        }
        log.flush();
    }

    /** Stops listening, closes every connection and waits for the thread to end. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum Phase { NEW, READING, WRITING, LINGERING, CLOSED }

    /**
     * Connections in the order of their deadlines, which is the order they were added in (every
     * connection of a list gets the same timeout); removal in constant time when one is done early.
     */
    private static final class Deadlines {
        private Connection head;
        private Connection tail;

        Connection first() {
            return head;
        }

        void add(Connection c) {
            c.list = this;
            c.prev = tail;
            if (tail == null) {
                head = c;
            } else {
                tail.next = c;
            }
            tail = c;
        }

        void remove(Connection c) {
            if (c.list != this) {
                return;
            }
            if (c.prev == null) {
                head = c.next;
            } else {
                c.prev.next = c.next;
            }
            if (c.next == null) {
                tail = c.prev;
            } else {
                c.next.prev = c.prev;
            }
            c.list = null;
            c.prev = null;
            c.next = null;
        }
    }

    private static final class Connection {
        final SocketChannel channel;
        Deadlines list;
        Connection prev;
        Connection next;
        SelectionKey key;
        ByteBuffer in;
        ByteBuffer out;
        boolean unreadPossible;
        Phase phase = Phase.NEW;
        long deadline;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }
}
