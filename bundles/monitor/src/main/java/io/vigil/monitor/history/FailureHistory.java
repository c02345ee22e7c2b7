package io.vigil.monitor.history;

import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import io.vigil.monitor.history.Decision.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The failure history of one resource's fault monitor: the arithmetic of the DSDL's
 * {@code scds_fm_action} (spec §6.1).
 *
 * <ul>
 * <li>Each probe score is added to a sliding window of {@code Retry_interval}; entries older than
 *     that are forgotten (an entry exactly {@code Retry_interval} old still counts).</li>
 * <li>When the sum reaches 100: {@link Action#RESTART}. A successful restart
 *     ({@link #restartSucceeded()}) purges the scores; the restart itself is counted in the same
 *     window. When one more restart would make the restarts within {@code Retry_interval} exceed
 *     {@code Retry_count}: {@link Action#GIVEOVER} instead (with {@code Retry_count} 2, the third
 *     time the sum reaches 100 within the window).</li>
 * <li>A score of 201 gives over at once, without a restart, unless {@code Failover_mode} is
 *     RESTART_ONLY or LOG_ONLY, where it counts as 100.</li>
 * <li>A process death reported by the PMF ({@link #processDied}) counts as 100.</li>
 * <li>When the RGM refuses a giveover (no other node; {@link #giveoverRefused()}), the scores are
 *     purged and restarts continue within the limits: the next sum of 100 restarts again as soon
 *     as fewer than {@code Retry_count} restarts remain in the window, and asks for a giveover
 *     again while none may; for one {@code Retry_interval} after the refusal a 201 counts as 100,
 *     so that it, too, restarts rather than asking again for what was just refused.</li>
 * <li>RESTART_ONLY: a giveover is not permitted, so where it would be asked for, the decision is
 *     {@link Action#FAULTED} and the scores are purged, exactly as if it had been refused; restarts
 *     resume when an earlier one leaves the window.</li>
 * <li>LOG_ONLY: where a restart or giveover would be asked for, the decision is
 *     {@link Action#LOG} and the scores are purged, so the next log line needs a new sum of 100.
 *     No restart is counted.</li>
 * </ul>
 * A healthy score (0) never triggers anything. NONE, SOFT and HARD behave alike here; they differ
 * only for failing methods, which the RGM handles.
 *
 * <p>Besides the window, the last probe results (time, duration, score, message) are kept for the
 * operator. Time comes from the injected clock. Instances are thread-safe: the probe thread and the
 * PMF's notification thread may report at the same time.
 */
public final class FailureHistory {

    /** How many probe records are kept unless told otherwise. */
    public static final int DEFAULT_RECORDS_KEPT = 20;

    private static final int THRESHOLD = ProbeResult.COMPLETE_FAILURE;

    /**
     * The properties that drive the history.
     *
     * @param retryCount {@code Retry_count}: restarts allowed within the window; 0 or more
     * @param retryInterval {@code Retry_interval}: the window; positive
     * @param failoverMode {@code Failover_mode}
     */
    public record Policy(int retryCount, Duration retryInterval, FailoverMode failoverMode) {

        /** Default of {@code Retry_count} when a resource has no value, as in the RGM's schema. */
        public static final int DEFAULT_RETRY_COUNT = 2;
        /** Default of {@code Retry_interval}, as in the RGM's schema. */
        public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(300);

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the count is negative or the interval not positive
         */
        public Policy {
            Objects.requireNonNull(retryInterval, "retryInterval");
            Objects.requireNonNull(failoverMode, "failoverMode");
            if (retryCount < 0) {
                throw new IllegalArgumentException("Retry_count " + retryCount + " is negative; expected 0 or more");
            }
            if (retryInterval.isNegative() || retryInterval.isZero()) {
                throw new IllegalArgumentException("Retry_interval " + retryInterval + " is not positive");
            }
        }

        /**
         * Reads {@code Retry_count}, {@code Retry_interval} (seconds) and {@code Failover_mode};
         * absent ones take the RGM's defaults (2, 300 s, NONE).
         *
         * @param properties a resource's properties
         * @return the policy
         * @throws IllegalArgumentException if a value is malformed or out of range
         */
        public static Policy of(PropertyValues properties) {
            int count = properties.has("Retry_count") ? properties.getInt("Retry_count") : DEFAULT_RETRY_COUNT;
            Duration interval = properties.has("Retry_interval")
                    ? Duration.ofSeconds(properties.getInt("Retry_interval")) : DEFAULT_RETRY_INTERVAL;
            FailoverMode mode = properties.find(FailoverMode.PROPERTY).map(FailoverMode::parse)
                    .orElse(FailoverMode.NONE);
            return new Policy(count, interval, mode);
        }
    }

    private record Failure(Instant time, int score) {
    }

    private final Policy policy;
    private final int recordsKept;
    private final Clock clock;

    /** Scores within the window, oldest first. */
    private final Deque<Failure> failures = new ArrayDeque<>();
    /** Times of the restarts within the window, oldest first. */
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private final Deque<ProbeRecord> records = new ArrayDeque<>();
    /** When the RGM last refused a giveover; null if never. */
    private Instant giveoverRefusedAt;

    /**
     * A history keeping {@value #DEFAULT_RECORDS_KEPT} probe records.
     *
     * @param policy the resource's retry properties
     * @param clock where time comes from
     */
    public FailureHistory(Policy policy, Clock clock) {
        this(policy, DEFAULT_RECORDS_KEPT, clock);
    }

    /**
     * A history.
     *
     * @param policy the resource's retry properties
     * @param recordsKept how many of the last probe records to keep; 0 or more
     * @param clock where time comes from
     */
    public FailureHistory(Policy policy, int recordsKept, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (recordsKept < 0) {
            throw new IllegalArgumentException("records kept " + recordsKept + " is negative");
        }
        this.recordsKept = recordsKept;
    }

    /** @return the retry properties this history applies */
    public Policy policy() {
        return policy;
    }

    /**
     * Adds one probe result and decides what to do.
     *
     * @param score the failure score: 0..100, or 201
     * @param elapsed how long the probe ran
     * @param message what the probe found
     * @return what to do, and why
     * @throws IllegalArgumentException if the score is out of range or the duration negative
     */
    public synchronized Decision record(int score, Duration elapsed, String message) {
        new ProbeResult(score, message); // checks the score
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("probe duration " + elapsed + " is negative");
        }
        Instant now = clock.instant();
        keep(new ProbeRecord(now, elapsed, score, message));
        forget(now);
        if (score == ProbeResult.HEALTHY) {
            return new Decision(Action.NOTHING, "healthy");
        }
        int counted = score;
        String why = "";
        if (score == ProbeResult.IMMEDIATE_FAILOVER) {
            if (!policy.failoverMode().allowsGiveover()) {
                why = " (201 counts as 100 under Failover_mode " + policy.failoverMode() + ")";
            } else if (giveoverRefusedAt != null) {
                why = " (201 counts as 100: a giveover was refused at " + giveoverRefusedAt + ")";
            } else {
                return new Decision(Action.GIVEOVER, "probe asks to fail over now (201): " + message);
            }
            counted = THRESHOLD;
        }
        failures.addLast(new Failure(now, counted));
        return decide(now, why + last(message));
    }

    /**
     * Records the death of the resource's process tree, as reported by the PMF: a complete failure.
     *
     * @param message what died, e.g. the PMF tag
     * @return what to do, and why
     */
    public Decision processDied(String message) {
        return record(ProbeResult.COMPLETE_FAILURE, Duration.ZERO, "process tree died: " + message);
    }

    /** The restart asked for succeeded: the scores are purged (the restart stays counted). */
    public synchronized void restartSucceeded() {
        failures.clear();
    }

    /**
     * The restart asked for failed (Stop or Start failed): give over if permitted.
     *
     * @param message why it failed
     * @return {@link Action#GIVEOVER}, or under RESTART_ONLY and LOG_ONLY {@link Action#FAULTED}
     *     with the scores purged
     */
    public synchronized Decision restartFailed(String message) {
        if (policy.failoverMode().allowsGiveover()) {
            return new Decision(Action.GIVEOVER, "restart failed: " + message);
        }
        failures.clear();
        return new Decision(Action.FAULTED, "restart failed: " + message + "; Failover_mode "
                + policy.failoverMode() + " permits no giveover");
    }

    /**
     * The RGM refused the giveover asked for (for instance, there is no other node): the scores are
     * purged and restarts continue within the limits (see the class description). Setting Status
     * FAULTED is the caller's job.
     */
    public synchronized void giveoverRefused() {
        failures.clear();
        giveoverRefusedAt = clock.instant();
    }

    /** @return the sum of the scores within the window */
    public synchronized int failureSum() {
        forget(clock.instant());
        return sum();
    }

    /** @return how many restarts were asked for within the window */
    public synchronized int restartsInWindow() {
        forget(clock.instant());
        return restarts.size();
    }

    /** @return the last probe records, oldest first; an immutable copy */
    public synchronized List<ProbeRecord> records() {
        return List.copyOf(records);
    }

    private Decision decide(Instant now, String detail) {
        int sum = sum();
        String state = "failure sum " + sum + " within Retry_interval " + seconds(policy.retryInterval());
        if (sum < THRESHOLD) {
            return new Decision(Action.NOTHING, state + " is below " + THRESHOLD + detail);
        }
        state += " reached " + THRESHOLD;
        FailoverMode mode = policy.failoverMode();
        if (mode == FailoverMode.LOG_ONLY) {
            failures.clear();
            return new Decision(Action.LOG, state + "; Failover_mode LOG_ONLY: logged only" + detail);
        }
        if (restarts.size() >= policy.retryCount()) {
            String spent = state + ", and " + restarts.size() + " restarts within Retry_interval already use up "
                    + "Retry_count " + policy.retryCount();
            if (mode.allowsGiveover()) {
                return new Decision(Action.GIVEOVER, spent + ": give over" + detail);
            }
            failures.clear();
            return new Decision(Action.FAULTED, spent + "; Failover_mode " + mode + " permits no giveover, so "
                    + "nothing more is done until a restart leaves the window" + detail);
        }
        restarts.addLast(now);
        return new Decision(Action.RESTART, state + ": restart " + restarts.size() + " of Retry_count "
                + policy.retryCount() + detail);
    }

    private void forget(Instant now) {
        Instant oldest = now.minus(policy.retryInterval());
        while (!failures.isEmpty() && failures.peekFirst().time().isBefore(oldest)) {
            failures.removeFirst();
        }
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(oldest)) {
            restarts.removeFirst();
        }
        if (giveoverRefusedAt != null && giveoverRefusedAt.isBefore(oldest)) {
            giveoverRefusedAt = null;
        }
    }

    private int sum() {
        int sum = 0;
        for (Failure f : failures) {
            sum += f.score();
        }
        return sum;
    }

    private void keep(ProbeRecord r) {
        if (recordsKept == 0) {
            return;
        }
        if (records.size() == recordsKept) {
            records.removeFirst();
        }
        records.addLast(r);
    }

    private static String last(String message) {
        return message.isEmpty() ? "" : " (last: " + message + ")";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
