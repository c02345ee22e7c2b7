package io.vigil.events.dispatch;

import io.vigil.api.alarm.Alarm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An alarm the dispatcher accepted, with what its handlers did so far. Thread-safe. */
public final class AlarmRecord {

    private final long sequence;
    private final Alarm alarm;
    private final boolean fromSpool;
    private final String deferredHandler;
    private final List<HandlerRun> runs = new ArrayList<>();

    AlarmRecord(long sequence, Alarm alarm, boolean fromSpool) {
        this(sequence, alarm, fromSpool, null);
    }

    AlarmRecord(long sequence, Alarm alarm, boolean fromSpool, String deferredHandler) {
        this.sequence = sequence;
        this.alarm = alarm;
        this.fromSpool = fromSpool;
        this.deferredHandler = deferredHandler;
    }

    /** @return the agent's number for it */
    public long sequence() {
        return sequence;
    }

    /** @return the alarm */
    public Alarm alarm() {
        return alarm;
    }

    /** @return whether it came through the spool (agent down, or the queue full) */
    public boolean fromSpool() {
        return fromSpool;
    }

    /**
     * @return for a deferred handler run (its handler could not be queued when the alarm was
     *         dispatched), that handler relative to the events directory: only it runs, the alarm is
     *         not delivered to EventAdmin or recovery again; empty for an alarm
     */
    public Optional<String> deferredHandler() {
        return Optional.ofNullable(deferredHandler);
    }

    /** @param run a handler's part, appended */
    public synchronized void add(HandlerRun run) {
        runs.add(run);
    }

    /** @return the handlers' parts so far, in the order they ended */
    public synchronized List<HandlerRun> runs() {
        return List.copyOf(runs);
    }
}
