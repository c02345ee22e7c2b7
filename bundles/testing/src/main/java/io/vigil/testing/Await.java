package io.vigil.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for a condition that other threads (or processes) make true: the wait ends as
 * soon as it holds, and its bound is ample for a loaded machine, spent only when the test fails.
 * Polling a condition, not timing anything.
 */
public final class Await {

    /** How long a wait for something that should happen may take by default. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Await() {
    }

    /**
     * Waits until a condition holds, at most {@link #PATIENCE}.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError naming {@code what} when it does not hold in time
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, condition);
    }

    /**
     * Waits until a condition holds, at most {@code max}.
     *
     * @param what what is awaited, for the failure message
     * @param max how long at most
     * @param condition the condition
     * @throws AssertionError naming {@code what} when it does not hold in time
     */
    public static void until(String what, Duration max, BooleanSupplier condition) {
        if (!within(max, condition)) {
            throw new AssertionError("timed out after " + max + " waiting for " + what);
        }
    }

    /**
     * Waits until a condition holds, at most {@code max}.
     *
     * @param max how long at most
     * @param condition the condition
     * @return whether it held in time
     */
    public static boolean within(Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }
}
