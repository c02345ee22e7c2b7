package io.vigil.healthcheck.status;

import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where a responder's health comes from. A source keeps its latest finding in memory and reports
 * every change; it never does its work on a client's request.
 */
public interface StatusSource extends AutoCloseable {

    /** @return the latest finding */
    Health current();

    /**
     * Starts checking and reporting.
     *
     * @param changes called with each new finding that differs from the previous one
     */
    void start(Consumer<Health> changes);

    /**
     * @return when the source last turned UP or DOWN: for {@code *rg:}/{@code *rs:} the time of the RGM
     *         event that turned it, else when the source found it (a new reason alone changes nothing)
     */
    Instant changedAt();

    /** @return what is checked, e.g. {@code command /usr/bin/check} or {@code group rg1} */
    String describe();

    /** Stops checking; kills a running check. */
    @Override
    void close();
}
