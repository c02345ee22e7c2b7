package io.vigil.api.probe;

import java.util.Objects;

/**
 * The outcome of one probe run: a failure score and a message for the operator.
 *
 * <p>Scores follow the DSDL's {@code scds_fm_action}: {@value #HEALTHY} healthy, 1..99 a partial
 * failure, {@value #COMPLETE_FAILURE} a complete failure, {@value #IMMEDIATE_FAILOVER} fail the
 * group over at once (ignored, and counted as a complete failure, under Failover_mode
 * RESTART_ONLY or LOG_ONLY).
 *
 * @param score the failure score
 * @param message what was found; empty allowed
 */
public record ProbeResult(int score, String message) {

    /** No failure. */
    public static final int HEALTHY = 0;
    /** A complete failure: on its own enough to restart the resource. */
    public static final int COMPLETE_FAILURE = 100;
    /** Fail the resource's group over now, without trying a restart. */
    public static final int IMMEDIATE_FAILOVER = 201;

    /**
     * Checks the score.
     *
     * @throws IllegalArgumentException if the score is outside 0..100 and not 201
     */
    public ProbeResult {
        if (!(score >= HEALTHY && score <= COMPLETE_FAILURE) && score != IMMEDIATE_FAILOVER) {
            throw new IllegalArgumentException(
                    "probe score " + score + " is out of range; expected 0..100, or 201 to fail over now");
        }
        Objects.requireNonNull(message, "message");
    }

    /** @return a healthy result with an empty message */
    public static ProbeResult healthy() {
        return new ProbeResult(HEALTHY, "");
    }

    /**
     * @param score 1..100, or 201
     * @param message what failed
     * @return a failure result
     * @throws IllegalArgumentException if the score is 0 or out of range
     */
    public static ProbeResult failure(int score, String message) {
        if (score == HEALTHY) {
            throw new IllegalArgumentException("a failure needs a score above 0");
        }
        return new ProbeResult(score, message);
    }

    /** @return whether the score is 0 */
    public boolean isHealthy() {
        return score == HEALTHY;
    }
}
