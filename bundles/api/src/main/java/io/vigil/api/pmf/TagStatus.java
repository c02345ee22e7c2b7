package io.vigil.api.pmf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A tag's state ({@code pmfadm -l}).
 *
 * @param spec what is supervised
 * @param pids the processes of the watched tree now
 * @param restartsInWindow restarts within the current retry window
 * @param started when the current tree was started
 * @param state whether it runs, is being restarted, or was given up
 */
public record TagStatus(ProcessSpec spec, List<Long> pids, int restartsInWindow, Instant started, State state) {

    /** A tag's state. */
    public enum State {
        /** The tree runs. */
        RUNNING,
        /** The tree died and is being restarted. */
        RESTARTING,
        /** The budget is exhausted (and the action program, if any, gave up): no more restarts. */
        GAVE_UP
    }

    /** Checks for nulls and copies the list. */
    public TagStatus {
        Objects.requireNonNull(spec, "spec");
        pids = List.copyOf(pids);
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(state, "state");
    }

    /** @return the tag */
    public String tag() {
        return spec.tag();
    }
}
