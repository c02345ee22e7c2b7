package io.vigil.monitor.history;

import java.util.Objects;

/**
 * What the fault monitor does after a failure was recorded, and why, in words for the operator
 * (the resource's {@code Status_msg} and the log).
 *
 * @param action what to do
 * @param reason why, e.g. {@code failure sum 100 within Retry_interval 300 s reached 100: restart
 *     1 of Retry_count 2 (last: connect to 127.0.0.1:7100 refused)}
 */
public record Decision(Action action, String reason) {

    /** What the fault monitor does. */
    public enum Action {
        /** Nothing: healthy, or the failure sum is below 100. */
        NOTHING,
        /**
         * Restart the resource (Stop, Start; Status DEGRADED), then report
         * {@link FailureHistory#restartSucceeded()} or {@link FailureHistory#restartFailed}.
         */
        RESTART,
        /**
         * Ask the RGM to give the group over to another node; when it refuses (no other node),
         * report {@link FailureHistory#giveoverRefused()} and set Status FAULTED.
         */
        GIVEOVER,
        /** Failover_mode LOG_ONLY: log the failure, nothing else. */
        LOG,
        /**
         * Failover_mode RESTART_ONLY (or LOG_ONLY) and the restart budget is spent, or a restart
         * failed: giveover is not permitted, so nothing more may be done for now. Set Status
         * FAULTED with the reason.
         */
        FAULTED
    }

    /** Checks that neither part is null. */
    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }
}
