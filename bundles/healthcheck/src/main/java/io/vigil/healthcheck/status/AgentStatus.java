package io.vigil.healthcheck.status;

import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code *agent}: UP for as long as the responder's process runs (in the agent, DOWN while this
 * node is cut off from the cluster: see {@link Fenced}).
 */
public final class AgentStatus implements StatusSource {

    /** The value of {@code command} that selects this source. */
    public static final String COMMAND = "*agent";

    private final Health health;
    private final Instant since = Instant.now();

    /** @param what what runs, e.g. "the Vigil agent" */
    public AgentStatus(String what) {
        this.health = Health.up(what + " is running");
    }

    @Override
    public Health current() {
        return health;
    }

    @Override
    public Instant changedAt() {
        return since;
    }

    @Override
    public void start(Consumer<Health> changes) {
        // never changes
    }

    @Override
    public String describe() {
        return COMMAND;
    }

    @Override
    public void close() {
        // nothing runs
    }
}
