package io.vigil.events.recovery;

import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.HandlerRun;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recoveries on a small pool of threads, one resource at a time: two recoveries of the same
 * resource never overlap (the later waits for the earlier, in the order submitted), while those of
 * different resources run in parallel, as many as there are threads. So a recovery program that
 * runs long holds up only its own resource. The pool's queue holds at most one task per resource;
 * at most {@code maxWaiting} recoveries wait per resource, further ones are recorded as skipped.
 * A recovery that throws is logged and recorded in its alarm's record. {@link #submit} never
 * blocks.
 */
public final class RecoveryQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryQueue.class);

    private final Consumer<AlarmRecord> recovery;
    private final int maxWaiting;
    private final ThreadPoolExecutor pool;
    /** Per resource with a recovery running or scheduled, those waiting after it; guarded by itself. */
    private final Map<String, Deque<AlarmRecord>> byResource = new HashMap<>();

    /**
     * @param recovery runs one recovery, on a pool thread
     * @param threads recoveries of different resources that may run at once
     * @param maxWaiting recoveries that may wait per resource while one of it runs
     */
    public RecoveryQueue(Consumer<AlarmRecord> recovery, int threads, int maxWaiting) {
        if (threads < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("recovery queue settings out of range: threads " + threads
                    + ", waiting " + maxWaiting + "; expected at least 1 thread and 0 or more waiting");
        }
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.maxWaiting = maxWaiting;
        AtomicLong n = new AtomicLong();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-events-recovery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs a recovery once no other of the same resource runs.
     *
     * @param resource the resource it recovers
     * @param record the alarm
     * @return whether it was taken; when not (stopping, or too many waiting), that is logged and
     *         recorded in the alarm's record
     */
    public boolean submit(String resource, AlarmRecord record) {
        synchronized (byResource) {
            Deque<AlarmRecord> waiting = byResource.get(resource);
            if (waiting != null) {
                if (waiting.size() >= maxWaiting) {
                    skip(record, maxWaiting + " recoveries of " + resource + " already wait while one runs");
                    return false;
                }
                waiting.addLast(record);
                return true;
            }
            byResource.put(resource, new ArrayDeque<>());
        }
        return schedule(resource, record);
    }

    private boolean schedule(String resource, AlarmRecord record) {
        try {
            pool.execute(() -> run(resource, record));
            return true;
        } catch (RejectedExecutionException e) {
            int dropped;
            synchronized (byResource) {
                Deque<AlarmRecord> left = byResource.remove(resource);
                dropped = left == null ? 0 : left.size();
            }
            skip(record, "the events bundle is stopping" + (dropped > 0 ? " (" + dropped
                    + " more recoveries of " + resource + " not run)" : ""));
            return false;
        }
    }

    private void run(String resource, AlarmRecord record) {
        long t0 = System.nanoTime();
        try {
            recovery.accept(record);
        } catch (RuntimeException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            LOG.error("Recovery of {} for alarm {} ({}) failed: {}", resource, record.sequence(), record.alarm(),
                    e.toString(), e);
            record.add(new HandlerRun("recovery", "error", -1, ms, "recovery of " + resource + " failed: " + e));
        } finally {
            // Even after an Error (a recovery service whose bundle went away), the resource's next
            // recovery must run, or every later one would wait behind this one for ever.
            runNext(resource);
        }
    }

    private void runNext(String resource) {
        AlarmRecord next;
        synchronized (byResource) {
            Deque<AlarmRecord> waiting = byResource.get(resource);
            next = waiting == null ? null : waiting.pollFirst(); // null when closed meanwhile
            if (next == null) {
                byResource.remove(resource);
            }
        }
        if (next != null) {
            schedule(resource, next); // behind the other resources' recoveries already waiting for a thread
        }
    }

    private static void skip(AlarmRecord record, String why) {
        LOG.warn("Recovery for alarm {} ({}) not run: {}", record.sequence(), record.alarm(), why);
        record.add(new HandlerRun("recovery", "skipped", -1, 0, "recovery not run: " + why));
    }

    /** Stops: recoveries waiting are not run, those running are interrupted (their programs killed). */
    @Override
    public void close() {
        pool.shutdownNow();
        synchronized (byResource) {
            byResource.clear();
        }
    }
}
