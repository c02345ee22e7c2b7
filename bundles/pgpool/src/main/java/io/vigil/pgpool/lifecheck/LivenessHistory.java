package io.vigil.pgpool.lifecheck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One node's probe history and the verdict drawn from it. A node starts alive; it is dead once
 * {@code failuresToDead} probes within {@code window} have failed and the latest one failed too,
 * so that one lost packet does not declare it dead; a dead node is alive again after
 * {@code successesToAlive} healthy probes in a row.
 */
public final class LivenessHistory {

    private final int failuresToDead;
    private final Duration window;
    private final int successesToAlive;
    private final Deque<Instant> failures = new ArrayDeque<>();
    private int successesInRow;
    private boolean alive = true;

    /**
     * @param failuresToDead failed probes within the window that make a node dead, at least 1
     * @param window how far back failures count
     * @param successesToAlive healthy probes in a row that make a dead node alive, at least 1
     * @throws IllegalArgumentException if a count is below 1 or the window not positive
     */
    public LivenessHistory(int failuresToDead, Duration window, int successesToAlive) {
        if (failuresToDead < 1 || successesToAlive < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("failure history " + failuresToDead + " failures in " + window + ", "
                    + successesToAlive + " successes is not valid; expected counts of at least 1 and a positive window");
        }
        this.failuresToDead = failuresToDead;
        this.window = window;
        this.successesToAlive = successesToAlive;
    }

    /**
     * Records one probe.
     *
     * @param at when it ran
     * @param healthy whether it succeeded
     * @return the verdict after it: true alive, false dead
     */
    public boolean record(Instant at, boolean healthy) {
        Instant horizon = at.minus(window);
        while (!failures.isEmpty() && !failures.peekFirst().isAfter(horizon)) {
            failures.removeFirst();
        }
        if (healthy) {
            successesInRow++;
            if (!alive && successesInRow >= successesToAlive) {
                alive = true;
                failures.clear();
            }
        } else {
            successesInRow = 0;
            failures.addLast(at);
            if (alive && failures.size() >= failuresToDead) {
                alive = false;
            }
        }
        return alive;
    }

    /** @return the verdict: true alive, false dead */
    public boolean alive() {
        return alive;
    }

    /** @return failed probes within the window at the last record */
    public int recentFailures() {
        return failures.size();
    }
}
