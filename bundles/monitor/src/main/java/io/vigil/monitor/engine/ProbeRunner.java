package io.vigil.monitor.engine;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** A runner with its own pool of worker threads. */
    public ProbeRunner() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "vigil-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newCachedThreadPool(threads);
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
        Objects.requireNonNull(probe, "probe");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout " + timeout + " is not positive");
        }
        long start = System.nanoTime();
        Context context = new Context(resourceName, resourceGroupName, properties, start + timeout.toNanos());
        Future<ProbeResult> run = workers.submit(() -> probe.probe(context));
        ProbeResult result;
        try {
            result = run.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (result == null) {
                result = ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of "
                        + resourceName + " returned no result");
            }
        } catch (TimeoutException e) {
            run.cancel(true);
            LOG.debug("Probe {} of {} overran its timeout of {} ms; interrupted it", probeName, resourceName,
                    timeout.toMillis());
            result = ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " overran its timeout (Probe_timeout) of " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.debug("Probe {} of {} failed", probeName, resourceName, cause);
            result = ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " failed: " + describe(cause));
        } catch (CancellationException e) {
            result = ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " of " + resourceName
                    + " was cancelled");
        } catch (InterruptedException e) {
            run.cancel(true);
            throw e;
        }
        return new ProbeRun(result, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Interrupts the probes still running and lets no more run. */
    @Override
    public void close() {
        workers.shutdownNow();
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
