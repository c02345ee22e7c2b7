package io.vigil.api.pmf;

/**
 * Told when a supervised tree has died: the fault monitor counts such a death as a complete
 * failure. Called on a PMF thread; must not block.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface PmfListener {

    /**
     * @param tag the tag whose tree died (its last watched process exited)
     * @param restartsInWindow restarts made within the current window, this one included when
     *        {@code restarting}
     * @param restarting whether the PMF restarts it (false: budget exhausted and given up)
     */
    void treeDied(String tag, int restartsInWindow, boolean restarting);
}
