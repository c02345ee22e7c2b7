package io.vigil.healthcheck.status;

import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A source whose finding is kept in memory and replaced by its subclass as news arrives; each
 * change is reported at once, in order (under the lock, so two quick changes never arrive swapped).
 */
abstract class CachedStatus implements StatusSource {

    private Health current;
    private Instant changedAt;
    private Consumer<Health> changes = h -> { };

    /** @param initial the finding before any news */
    CachedStatus(Health initial) {
        this.current = initial;
        this.changedAt = Instant.now();
    }

    /**
     * Replaces the finding; reports it if it differs.
     *
     * @param after the new finding
     * @param when when it happened: {@link #changedAt()} if it turned UP or DOWN
     */
    protected final synchronized void set(Health after, Instant when) {
        if (after.equals(current)) {
            return;
        }
        if (after.up() != current.up()) {
            changedAt = when;
        }
        current = after;
        changes.accept(after);
    }

    /**
     * @param properties an event's properties
     * @return its {@code time} (RGM and cluster events carry one), else now
     */
    static Instant eventTime(Map<String, ?> properties) {
        return properties.get("time") instanceof Long t ? Instant.ofEpochMilli(t) : Instant.now();
    }

    @Override
    public final synchronized Health current() {
        return current;
    }

    @Override
    public final synchronized Instant changedAt() {
        return changedAt;
    }

    @Override
    public synchronized void start(Consumer<Health> changes) {
        this.changes = changes;
    }
}
