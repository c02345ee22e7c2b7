package io.vigil.monitor.history;

import java.time.Duration;

/**
 * Failure scores scaled to a resource's probe rate, as the HA-SAM agent computes them (spec §6.1):
 * {@code partial = ceil(100 / (Retry_interval / Thorough_probe_interval))} (integer division
 * inside), the smallest score that still restarts the resource when every probe within the window
 * fails; {@code serious = max(partial, ceil(100 / 3))}, a restart after at most three failures;
 * {@code complete = 100}.
 *
 * @param partial the weight of a minor failure
 * @param serious the weight of a serious failure
 * @param complete the weight of a complete failure: 100
 */
public record FailureWeights(int partial, int serious, int complete) {

    /**
     * @param retryInterval the resource's {@code Retry_interval}
     * @param probeInterval its {@code Thorough_probe_interval}
     * @return the weights; when no two probes fit in the window, every weight is 100 (HA-SAM
     *     would divide by zero)
     * @throws IllegalArgumentException if an interval is shorter than a second
     */
    public static FailureWeights of(Duration retryInterval, Duration probeInterval) {
        long window = retryInterval.toSeconds();
        long every = probeInterval.toSeconds();
        if (window < 1 || every < 1) {
            throw new IllegalArgumentException("Retry_interval " + retryInterval + " and Thorough_probe_interval "
                    + probeInterval + " must both be at least 1 s");
        }
        long probes = window / every;
        int complete = 100;
        int partial = probes == 0 ? complete : (int) ceilDiv(complete, probes);
        return new FailureWeights(partial, Math.max(partial, (int) ceilDiv(complete, 3)), complete);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
