package io.vigil.rgm.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a method program's merged stdout and stderr, splits it into lines and hands each to the
 * caller's consumer as it comes, keeping the last few for the outcome.
 *
 * <p>Runs on its own daemon thread until end of file, i.e. until every process holding the write
 * end has closed it. After {@link #detach()} lines no longer reach the consumer but are logged at
 * DEBUG (they come from processes the method left running); the thread keeps draining so that
 * such a process never blocks on a full pipe nor dies of SIGPIPE.
 */
final class OutputPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    /** Longer lines are cut into pieces of this many bytes. */
    static final int MAX_LINE_BYTES = 8192;

    private final FileChannel in;
    private final String label;
    private final int keep;
    private final Object lock = new Object();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CountDownLatch eof = new CountDownLatch(1);
    private Consumer<String> sink;
    private boolean sinkFailed;

    OutputPump(FileChannel in, String label, int keep, Consumer<String> sink) {
        this.in = in;
        this.label = label;
        this.keep = keep;
        this.sink = sink;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (FileChannel ch = in) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        emit(line);
                    } else {
                        line.write(b);
                        if (line.size() >= MAX_LINE_BYTES) {
                            emit(line);
                        }
                    }
                }
                buf.clear();
            }
            if (line.size() > 0) {
                emit(line);
            }
        } catch (ClosedChannelException e) {
            LOG.debug("Output of {} no longer read: channel closed", label);
        } catch (IOException e) {
            LOG.warn("Cannot read the output of {}: {}", label, e.toString());
        } finally {
            eof.countDown();
        }
    }

    private void emit(ByteArrayOutputStream bytes) {
        byte[] raw = bytes.toByteArray();
        bytes.reset();
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\r') {
            len--;
        }
        String text = new String(raw, 0, len, StandardCharsets.UTF_8);
        synchronized (lock) {
            if (sink == null) {
                LOG.debug("{} (after the method returned): {}", label, text);
                return;
            }
            tail.addLast(text);
            if (tail.size() > keep) {
                tail.removeFirst();
            }
            try {
                sink.accept(text);
            } catch (RuntimeException e) {
                if (!sinkFailed) {
                    sinkFailed = true;
                    LOG.warn("The output consumer of {} failed; its lines are still kept", label, e);
                }
            }
        }
    }

    /**
     * Waits for end of file.
     *
     * @param max how long to wait at most
     * @return true if every writer closed its end in time
     */
    boolean awaitEof(Duration max) throws InterruptedException {
        return eof.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops handing lines to the consumer; when this returns, the consumer is not called again.
     *
     * @return the last lines seen, oldest first
     */
    List<String> detach() {
        synchronized (lock) {
            sink = null;
            return List.copyOf(tail);
        }
    }
}
