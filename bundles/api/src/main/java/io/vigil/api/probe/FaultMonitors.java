package io.vigil.api.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Runs resources' fault monitors inside the agent: a resource type's {@code Monitor_start} calls
 * {@link #start}, its {@code Monitor_stop} calls {@link #stop}. Provided by the monitor bundle as a
 * service.
 *
 * <p>A running monitor probes its resource every {@code Thorough_probe_interval} seconds with a
 * named {@link Probe} service under {@code Probe_timeout}, adds each score to the resource's
 * failure history over {@code Retry_interval}, and counts every death of the resource's
 * {@code .svc} process trees reported by the PMF as a complete failure. When the failure sum
 * reaches 100 it restarts the resource through the RGM (Status DEGRADED); when restarts exceed
 * {@code Retry_count}, or a probe scores 201, it asks the RGM for a giveover (relocation to another
 * node of the cluster); a refused giveover (on a cluster of one, or when no candidate passes
 * Monitor_check) leaves Status FAULTED with a message saying so, and restarts continue within the
 * limits.
 *
 * <p>A resource's failure history survives a {@link #stop} followed by a {@link #start} (as during
 * a restart, which runs Monitor_stop and Monitor_start), so restarts stay counted.
 */
@org.osgi.annotation.versioning.ProviderType
public interface FaultMonitors {

    /**
     * One probe result as kept for the operator ({@code clrs status -v}).
     *
     * @param time when the result was recorded (the end of the probe)
     * @param duration how long the probe ran; zero for a process death reported by the PMF
     * @param score its failure score: 0..100, or 201
     * @param message what the probe found
     */
    record ProbeRecordView(Instant time, Duration duration, int score, String message) {

        /** Checks that no part is null. */
        public ProbeRecordView {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Starts (or, when it already runs, restarts with the resource's current properties) the fault
     * monitor of a resource: probes it every {@code Thorough_probe_interval} seconds with the named
     * probe under {@code Probe_timeout} (an extension property; 30 s when absent) and watches its
     * {@code <group>,<resource>,*.svc} PMF tags. The resource's failure history is kept from an
     * earlier run when it was stopped within {@code Retry_interval} and its retry properties are
     * unchanged.
     *
     * @param resource the resource's name
     * @param probe the name of a registered {@link Probe} service ({@value Probe#NAME})
     * @throws IllegalArgumentException if no probe of that name is registered (the message names the
     *     known ones), the resource is unknown, or one of its monitor properties is invalid
     */
    void start(String resource, String probe);

    /**
     * The outcome of {@link #awaitService}.
     *
     * @param healthy whether the service answered its probe with score 0 in time
     * @param message what was seen last: the probe's message, the deadline, or the PMF giving up
     */
    record ServiceWait(boolean healthy, String message) {

        /** Checks that the message is not null. */
        public ServiceWait {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Waits for a resource's service to answer, as a Start method does after launching it under the
     * PMF (DSDL's {@code svc_wait}): probes it with the named probe until one probe scores 0, the
     * timeout runs out, the PMF gave up on a {@code <group>,<resource>,*.svc} tree, or the PMF
     * restarted those trees more than {@code Retry_count} times during the wait. Each probe runs
     * under the smaller of {@code Probe_timeout} and the time left; probes are spaced about one
     * second apart. Runs on the caller's thread.
     *
     * @param resource the resource's name
     * @param probe the name of a registered {@link Probe} service
     * @param timeout how long to wait at most, usually the Start method's time left
     * @return whether it answered, and what was seen last
     * @throws IllegalArgumentException if the probe or the resource is unknown
     * @throws InterruptedException if interrupted while waiting
     */
    ServiceWait awaitService(String resource, String probe, Duration timeout) throws InterruptedException;

    /**
     * Stops a resource's fault monitor: no further probe is started, and results or actions still
     * under way for it are discarded. Returns at once: it never waits for a running probe or
     * action, so it may be called from the RGM while it runs the resource's {@code Monitor_stop}
     * (even one caused by the monitor's own restart). Does nothing when the monitor does not run.
     *
     * @param resource the resource's name
     */
    void stop(String resource);

    /**
     * @param resource a resource's name
     * @return whether its fault monitor runs (started and not stopped since)
     */
    boolean isRunning(String resource);

    /**
     * The last probe results of a resource, including process deaths reported by the PMF, kept
     * while its monitor runs and for {@code Retry_interval} after it stopped.
     *
     * @param resource a resource's name
     * @return its probe records, oldest first; empty when none are kept
     */
    List<ProbeRecordView> history(String resource);
}
