package io.vigil.pmf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tag's retry budget: the restarts made within a sliding window ({@code pmfadm -n}, {@code -t}).
 * A restart counts while it is less than {@code period} old; with a zero period it counts
 * forever. At most {@value #KEPT} restarts are remembered, which only matters for display when
 * retries are unlimited. Not thread-safe: guarded by its tag.
 */
final class Budget {

    static final int KEPT = 10_000;

    private final Deque<Instant> restarts = new ArrayDeque<>();

    /**
     * @param now the time
     * @param period the window; zero for no window
     * @return the restarts within the window
     */
    int count(Instant now, Duration period) {
        if (!period.isZero()) {
            Instant horizon = now.minus(period);
            while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(horizon)) {
                restarts.removeFirst();
            }
        }
        return restarts.size();
    }

    /**
     * @param now the time
     * @param retries restarts allowed within the window; -1 for unlimited
     * @param period the window; zero for no window
     * @return whether one more restart is allowed
     */
    boolean allows(Instant now, int retries, Duration period) {
        return retries < 0 || count(now, period) < retries;
    }

    /** @param now the time of a restart */
    void record(Instant now) {
        if (restarts.size() == KEPT) {
            restarts.removeFirst();
        }
        restarts.addLast(now);
    }
}
