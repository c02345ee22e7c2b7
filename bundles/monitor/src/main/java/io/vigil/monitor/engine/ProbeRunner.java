package io.vigil.monitor.engine;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe under {@code Probe_timeout} on a worker thread and never lets it fail the caller:
 * a probe that overruns its timeout scores 100 with a message saying it overran (its worker is
 * interrupted), one that throws scores 100 with the exception's message, one that returns nothing
 * scores 100 too. The elapsed time is measured on the monotonic clock.
 *
 * <p>Workers come from a cached pool of daemon threads, one per probe running at the time; a
 * probe that ignores the interrupt keeps its worker until it returns. Instances are thread-safe;
 * {@link #close()} interrupts the probes still running.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);

    private final ExecutorService workers;
    /** Ends the probes started by {@link #start} that overrun; one thread, it only completes futures. */
    private final ScheduledExecutorService deadlines;

    /** A runner with its own pool of worker threads. */
    public ProbeRunner() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "vigil-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newCachedThreadPool(threads);
        java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vigil-probe-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
    }

    /**
     * Runs a probe once and waits for it, at most {@code timeout}.
     *
     * @param probeName the probe's name, for messages (e.g. {@code tcp})
     * @param probe the probe
     * @param resourceName the resource probed
     * @param resourceGroupName its group
     * @param properties its properties
     * @param timeout its {@code Probe_timeout}; positive
     * @return the result and the elapsed time
     * @throws InterruptedException when the calling thread was interrupted (the probe's worker is
     *     interrupted too)
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
     */
    public ProbeRun run(String probeName, Probe probe, String resourceName, String resourceGroupName,
            PropertyValues properties, Duration timeout) throws InterruptedException {
        Started started = begin(probeName, probe, resourceName, resourceGroupName, properties, timeout);
        try {
            return started.finish(started.run.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            started.run.cancel(true);
            return started.overran();
        } catch (ExecutionException e) {
            return started.failed(e.getCause());
        } catch (CancellationException e) {
            return started.cancelled();
        } catch (InterruptedException e) {
            started.run.cancel(true);
            throw e;
        }
    }

    /**
     * Starts a probe and returns at once: the future completes with its result when it returns, or
     * with the overrun result when {@code timeout} passes first (its worker is then interrupted). The
     * caller's thread never waits, so a few threads can keep thousands of probes going.
     *
     * @param probeName the probe's name, for messages
     * @param probe the probe
     * @param resourceName the resource probed
     * @param resourceGroupName its group
     * @param properties its properties
     * @param timeout its {@code Probe_timeout}; positive
     * @return the result and the elapsed time, never completed exceptionally; cancelling it
     *     interrupts the probe
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
     */
    public CompletableFuture<ProbeRun> start(String probeName, Probe probe, String resourceName,
            String resourceGroupName, PropertyValues properties, Duration timeout) {
        CompletableFuture<ProbeRun> out = new CompletableFuture<>();
        Started started = begin(probeName, probe, resourceName, resourceGroupName, properties, timeout, out);
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            if (out.complete(started.overran())) {
                started.run.cancel(true); // after completing: the interrupted probe's own ending is then ignored
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        out.whenComplete((r, e) -> {
            deadline.cancel(false);
            if (out.isCancelled()) {
                started.run.cancel(true);
            }
        });
        return out;
    }

    private Started begin(String probeName, Probe probe, String resourceName, String resourceGroupName,
            PropertyValues properties, Duration timeout) {
        return begin(probeName, probe, resourceName, resourceGroupName, properties, timeout, null);
    }

    private Started begin(String probeName, Probe probe, String resourceName, String resourceGroupName,
            PropertyValues properties, Duration timeout, CompletableFuture<ProbeRun> sink) {
        Objects.requireNonNull(probe, "probe");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout " + timeout + " is not positive");
        }
        long start = System.nanoTime();
        Context context = new Context(resourceName, resourceGroupName, properties, start + timeout.toNanos());
        Started started = new Started(probeName, resourceName, timeout, start);
        started.run = workers.submit(() -> {
            ProbeResult result;
            try {
                result = probe.probe(context);
            } catch (Exception | Error e) {
                if (sink != null) {
                    sink.complete(started.failed(e));
                    return null;
                }
                throw e;
            }
            if (sink != null) {
                sink.complete(started.finish(result));
            }
            return result;
        });
        return started;
    }

    /** A probe on its way: turns how it ended into a {@link ProbeRun}. */
    private static final class Started {
        final String probeName;
        final String resourceName;
        final Duration timeout;
        final long start;
        volatile Future<ProbeResult> run;

        Started(String probeName, String resourceName, Duration timeout, long start) {
            this.probeName = probeName;
            this.resourceName = resourceName;
            this.timeout = timeout;
            this.start = start;
        }

        ProbeRun finish(ProbeResult result) {
            return done(result != null ? result : ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName
                    + " of " + resourceName + " returned no result"));
        }

        ProbeRun overran() {
            LOG.debug("Probe {} of {} overran its timeout of {} ms; interrupted it", probeName, resourceName,
                    timeout.toMillis());
            return done(ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " overran its timeout (Probe_timeout) of " + timeout.toMillis() + " ms"));
        }

        ProbeRun failed(Throwable cause) {
            LOG.debug("Probe {} of {} failed", probeName, resourceName, cause);
            return done(ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " failed: " + describe(cause)));
        }

        ProbeRun cancelled() {
            return done(ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " was cancelled"));
        }

        private ProbeRun done(ProbeResult result) {
            return new ProbeRun(result, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Interrupts the probes still running and lets no more run. */
    @Override
    public void close() {
        workers.shutdownNow();
        deadlines.shutdownNow();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    }

    /** The context of one run: its time left counts down to the run's deadline (a {@link System#nanoTime()}). */
    private record Context(String resourceName, String resourceGroupName, PropertyValues properties, long deadline)
            implements ProbeContext {

        Context {
            Objects.requireNonNull(resourceName, "resourceName");
            Objects.requireNonNull(resourceGroupName, "resourceGroupName");
            Objects.requireNonNull(properties, "properties");
        }

        @Override
        public Duration timeLeft() {
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }
    }
}
