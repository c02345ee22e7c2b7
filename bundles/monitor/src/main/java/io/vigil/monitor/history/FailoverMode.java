package io.vigil.monitor.history;

import java.util.Locale;

/**
 * The values of the standard property {@code Failover_mode} (spec §2.2), as far as a fault
 * monitor is concerned: NONE, SOFT and HARD differ only in how the RGM handles failing methods;
 * for the monitor they all allow restarts and giveovers.
 */
public enum FailoverMode {
    /** Restart, then give over (the default). */
    NONE,
    /** As NONE for the monitor. */
    SOFT,
    /** As NONE for the monitor. */
    HARD,
    /** Restarts only: no giveover, and a score of 201 counts as a complete failure. */
    RESTART_ONLY,
    /** Log only: neither restart nor giveover, and a score of 201 counts as a complete failure. */
    LOG_ONLY;

    /** The property's name. */
    public static final String PROPERTY = "Failover_mode";

    /** @return whether the monitor may ask the RGM to give the group over */
    public boolean allowsGiveover() {
        return this == NONE || this == SOFT || this == HARD;
    }

    /**
     * @param text a value of {@code Failover_mode}, in any case
     * @return the mode
     * @throws IllegalArgumentException if the text names no mode
     */
    public static FailoverMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTY + " = \"" + text
                    + "\" is not valid; expected NONE, SOFT, HARD, RESTART_ONLY or LOG_ONLY", e);
        }
    }
}
