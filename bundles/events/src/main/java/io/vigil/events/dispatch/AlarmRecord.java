package io.vigil.events.dispatch;

import io.vigil.api.alarm.Alarm;
import java.util.ArrayList;
import java.util.List;

/** An alarm the dispatcher accepted, with what its handlers did so far. Thread-safe. */
public final class AlarmRecord {

    private final long sequence;
    private final Alarm alarm;
    private final boolean fromSpool;
    private final List<HandlerRun> runs = new ArrayList<>();

    AlarmRecord(long sequence, Alarm alarm, boolean fromSpool) {
        this.sequence = sequence;
        this.alarm = alarm;
        this.fromSpool = fromSpool;
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

    /** @param run a handler's part, appended */
    public synchronized void add(HandlerRun run) {
        runs.add(run);
    }

    /** @return the handlers' parts so far, in the order they ended */
    public synchronized List<HandlerRun> runs() {
        return List.copyOf(runs);
    }
}
