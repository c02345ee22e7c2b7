package io.vigil.monitor.engine;

import io.vigil.api.probe.ProbeResult;
import java.time.Duration;
import java.util.Objects;

/**
 * One run of a probe by the {@link ProbeRunner}: what it found and how long it took.
 *
 * @param result the probe's result, or the failure the runner scored for it
 * @param elapsed how long the run took, measured by the runner
 */
public record ProbeRun(ProbeResult result, Duration elapsed) {

    /** Checks that neither part is null. */
    public ProbeRun {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
