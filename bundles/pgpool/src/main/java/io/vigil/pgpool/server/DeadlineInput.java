package io.vigil.pgpool.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A connection's input with one deadline for a whole request, so that a client trickling a byte
 * now and then cannot hold a worker longer than the read timeout (the socket's own timeout bounds
 * each read only).
 */
final class DeadlineInput extends InputStream {

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final long deadline;
    private final Duration limit;

    DeadlineInput(AFUNIXSocket socket, Duration limit) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.limit = limit;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    private void arm() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("request not complete within " + limit.toMillis() + " ms");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }
}
