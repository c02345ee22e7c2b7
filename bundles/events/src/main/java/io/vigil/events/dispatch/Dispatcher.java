package io.vigil.events.dispatch;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import io.vigil.events.send.SendEventArgs;
import io.vigil.events.send.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches alarms: a bounded queue, one dispatching thread, and a bounded pool of workers that
 * run the handler programs.
 *
 * <p>{@link #send} never blocks and never drops: an alarm the queue cannot take is written to the
 * {@link Spool} and dispatched by {@link #drainSpool} once there is room again (so an overflowed
 * alarm may be dispatched after younger ones). Overflow is appended to spool segments of at most
 * half the queue's capacity, without forcing it to disk: it survives a crash of the agent but not a
 * power loss, like the queue; alarms spooled at {@link #close} are forced. A spooled file is queued
 * whole once the queue has room for all of it. For each alarm the dispatching thread hands it to
 * the in-process delivery (EventAdmin, asynchronous), to recovery, and queues one run per handler
 * program for the workers; each program runs under the handler timeout in a session of its own,
 * so a hanging one occupies one worker until it is killed and delays no other handler. Alarms
 * still queued when the dispatcher is closed are spooled.
 *
 * <p>Spooled alarms are dispatched exactly once when nothing crashes: a file is removed right
 * after its alarm is queued, by one thread at a time. A crash between the two dispatches it again
 * at the next start (at least once, never lost).
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int LOGGED_OUTPUT = 1000;

    /**
     * The dispatcher's settings.
     *
     * @param workers threads running handler programs
     * @param queueCapacity alarms waiting for dispatch before they are spooled
     * @param handlerTimeout how long one handler program may run
     * @param history how many recent alarms {@link #recent} keeps
     * @param agentUid the agent's uid, accepted as a program's owner besides root
     * @param environment the variables every program gets besides the alarm's (e.g. PATH)
     */
    public record Settings(int workers, int queueCapacity, Duration handlerTimeout, int history, long agentUid,
            Map<String, String> environment) {

        /** Checks the ranges. */
        public Settings {
            if (workers < 1 || queueCapacity < 1 || history < 0 || handlerTimeout.isNegative() || handlerTimeout.isZero()) {
                throw new IllegalArgumentException("dispatcher settings out of range: workers " + workers
                        + ", queue " + queueCapacity + ", history " + history + ", timeout " + handlerTimeout
                        + "; expected workers and queue at least 1, a positive timeout");
            }
            environment = Map.copyOf(environment);
        }
    }

    /**
     * Counters since start.
     *
     * @param accepted alarms handed to {@link #send}
     * @param queued alarms queued for dispatch (directly or from the spool)
     * @param spooled alarms written to the spool because the queue was full or closed
     * @param dispatched alarms the dispatching thread handed on
     * @param programRuns handler programs that ended (however), or were refused
     */
    public record Stats(long accepted, long queued, long spooled, long dispatched, long programRuns) {
    }

    private final Settings settings;
    private final HandlerDirectory directory;
    private final Spool spool;
    private final ProgramRunner runner;
    private final Function<AlarmRecord, HandlerRun> inProcess;
    private final Consumer<AlarmRecord> recovery;
    private final ZoneId zone;
    private final BlockingQueue<AlarmRecord> queue;
    private final ThreadPoolExecutor workers;
    private final Thread thread;
    private final Deque<AlarmRecord> history = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong programRuns = new AtomicLong();
    private final Object drainLock = new Object();
    private volatile boolean closed;

    /**
     * Starts the dispatching thread.
     *
     * @param settings the settings
     * @param directory where the handler programs are
     * @param spool where alarms wait when they cannot be queued
     * @param runner runs the programs
     * @param inProcess delivers an alarm to in-process handlers; returns what to record, or null
     * @param recovery takes each alarm for resource recovery; must not block
     * @param zone the zone of sendevent {@code -t} times in spooled alarms
     */
    public Dispatcher(Settings settings, HandlerDirectory directory, Spool spool, ProgramRunner runner,
            Function<AlarmRecord, HandlerRun> inProcess, Consumer<AlarmRecord> recovery, ZoneId zone) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.inProcess = Objects.requireNonNull(inProcess, "inProcess");
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.workers() * 16), daemon("vigil-events-handler"), (task, pool) -> {
                    try {
                        pool.getQueue().put(task); // the dispatching thread waits for a free slot
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.RejectedExecutionException("dispatcher closing", e);
                    }
                });
        this.thread = daemon("vigil-events-dispatch").newThread(this::loop);
        this.thread.start();
    }

    /**
     * Accepts an alarm: queues it, or spools it when the queue is full. Never blocks on handlers.
     *
     * @param alarm the alarm
     * @return its sequence number, or 0 when it was spooled (it gets one when dispatched)
     * @throws IllegalStateException if it could neither be queued nor spooled (the message says why)
     */
    public long send(Alarm alarm) {
        accepted.incrementAndGet();
        if (!closed) {
            AlarmRecord record = new AlarmRecord(sequence.incrementAndGet(), alarm, false);
            if (queue.offer(record)) {
                queued.incrementAndGet();
                return record.sequence();
            }
        }
        spool(alarm, closed); // after close, no segment is closed any more: one file each, forced
        return 0;
    }

    private void spool(Alarm alarm, boolean force) {
        try {
            if (force) {
                spool.write(SendEventArgs.argv(alarm), true);
            } else {
                spool.append(SendEventArgs.argv(alarm), Math.max(1, settings.queueCapacity() / 2));
            }
            spooled.incrementAndGet();
        } catch (IOException e) {
            throw new IllegalStateException("alarm " + alarm + " could neither be queued nor spooled to "
                    + spool.dir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Queues spooled alarms, oldest first, while the queue has room; each file is removed once its
     * alarm is queued. A file that is not a valid alarm is moved to {@code rejected/}.
     *
     * @return how many alarms were queued
     */
    public int drainSpool() {
        synchronized (drainLock) {
            int n = 0;
            List<Path> files;
            try {
                spool.closeSegment();
                files = spool.pending();
            } catch (IOException e) {
                LOG.error("Cannot read the alarm spool {}: {}", spool.dir(), e.getMessage());
                return 0;
            }
            for (Path file : files) {
                List<List<String>> alarms;
                try {
                    alarms = Spool.readAll(file);
                } catch (IOException e) {
                    rejectSpooled(file, e);
                    continue;
                }
                // A file is queued whole or not at all; a segment holds at most half the queue.
                if (closed || queue.remainingCapacity() < alarms.size()) {
                    break;
                }
                List<Alarm> valid = new ArrayList<>();
                for (List<String> argv : alarms) {
                    try {
                        valid.add(SendEventArgs.parse(argv, zone));
                    } catch (IllegalArgumentException e) {
                        if (alarms.size() == 1) {
                            rejectSpooled(file, e);
                            break;
                        }
                        LOG.error("Spooled alarm {} in {} is not valid and is left out: {}", argv, file.getFileName(),
                                e.getMessage());
                    }
                }
                if (valid.isEmpty() && alarms.size() == 1) {
                    continue;
                }
                for (Alarm alarm : valid) {
                    queue.add(new AlarmRecord(sequence.incrementAndGet(), alarm, true));
                    queued.incrementAndGet();
                    n++;
                }
                try {
                    spool.remove(file);
                } catch (IOException e) {
                    LOG.error("Spooled alarms {} are queued but cannot be removed ({}); they will be dispatched again",
                            file, e.getMessage());
                }
            }
            return n;
        }
    }

    private void rejectSpooled(Path file, Exception why) {
        try {
            Path moved = spool.reject(file);
            LOG.error("Spooled alarm {} is not valid and was moved to {}: {}", file.getFileName(), moved, why.getMessage());
        } catch (IOException e) {
            LOG.error("Spooled alarm {} is not valid ({}) and cannot be moved aside: {}", file, why.getMessage(),
                    e.getMessage());
        }
    }

    private void loop() {
        while (!closed) {
            AlarmRecord record;
            try {
                record = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                dispatch(record);
            } catch (RuntimeException e) {
                LOG.error("Dispatch of alarm {} failed: {}", record.alarm(), e.toString(), e);
            }
        }
    }

    private void dispatch(AlarmRecord record) {
        remember(record);
        HandlerRun delivered = inProcess.apply(record);
        if (delivered != null) {
            record.add(delivered);
        }
        recovery.accept(record);
        List<Path> handlers;
        try {
            handlers = directory.handlersFor(record.alarm());
        } catch (IOException e) {
            LOG.error("Cannot list the handlers of alarm {} under {}: {}", record.alarm(), directory.root(),
                    e.getMessage());
            handlers = List.of();
        }
        for (Path handler : handlers) {
            workers.execute(() -> runHandler(record, handler));
        }
        dispatched.incrementAndGet();
    }

    private void remember(AlarmRecord record) {
        synchronized (history) {
            history.addLast(record);
            while (history.size() > settings.history()) {
                history.removeFirst();
            }
        }
    }

    private void runHandler(AlarmRecord record, Path handler) {
        try {
            record.add(runProgram(record, handler, Map.of(), settings.handlerTimeout()));
        } finally {
            programRuns.incrementAndGet();
        }
    }

    /**
     * Runs one program for an alarm: checked first, then run with the alarm's option vector as
     * arguments and its fields in the environment; its output and status are logged.
     *
     * @param record the alarm
     * @param program the program
     * @param extraEnv variables besides the alarm's
     * @param timeout how long it may run
     * @return what it came to
     */
    public HandlerRun runProgram(AlarmRecord record, Path program, Map<String, String> extraEnv, Duration timeout) {
        Alarm alarm = record.alarm();
        var refusal = ProgramCheck.refusal(program, settings.agentUid());
        if (refusal.isPresent()) {
            LOG.warn("Handler refused for alarm {} ({}): {}", record.sequence(), alarm, refusal.get());
            return new HandlerRun(program.toString(), "refused", -1, 0, refusal.get());
        }
        Map<String, String> env = new LinkedHashMap<>(settings.environment());
        env.putAll(environment(record));
        env.putAll(extraEnv);
        try {
            ProgramRunner.Outcome o = runner.run(program, SendEventArgs.argv(alarm), env, timeout);
            String status = o.timedOut() ? "timeout" : o.exitCode() == 0 ? "ok" : "failed";
            String out = o.output().length() > LOGGED_OUTPUT ? "…" + o.output().substring(o.output().length()
                    - LOGGED_OUTPUT) : o.output();
            if (o.timedOut()) {
                LOG.warn("Handler {} for alarm {} ({}) timed out after {} s and was killed; output: {}", program,
                        record.sequence(), alarm, timeout.toSeconds(), out);
            } else if (o.exitCode() != 0) {
                LOG.warn("Handler {} for alarm {} ({}) exited with {} after {} ms; output: {}", program,
                        record.sequence(), alarm, o.exitCode(), o.duration().toMillis(), out);
            } else {
                LOG.info("Handler {} for alarm {} ({}) succeeded in {} ms{}", program, record.sequence(), alarm,
                        o.duration().toMillis(), out.isEmpty() ? "" : "; output: " + out);
            }
            return new HandlerRun(program.toString(), status, o.exitCode(), o.duration().toMillis(), out);
        } catch (IOException e) {
            LOG.error("Handler {} for alarm {} could not be started: {}", program, record.sequence(), e.getMessage());
            return new HandlerRun(program.toString(), "error", -1, 0, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HandlerRun(program.toString(), "error", -1, 0, "interrupted: the dispatcher is closing");
        }
    }

    /**
     * @param record an alarm
     * @return its fields as environment variables: {@code VIGIL_ALARM_CLASS}, ..., and each attribute
     */
    public static Map<String, String> environment(AlarmRecord record) {
        Map<String, String> env = new LinkedHashMap<>();
        Alarm a = record.alarm();
        env.put(variable(AlarmEvents.CLASS), a.alarmClass());
        env.put(variable(AlarmEvents.EVENT), a.event());
        env.put(variable(AlarmEvents.MONITOR), a.monitor());
        env.put(variable(AlarmEvents.INSTANCE), a.instance());
        env.put(variable(AlarmEvents.TIME), a.time().toString());
        env.put(variable(AlarmEvents.SEQUENCE), Long.toString(record.sequence()));
        a.attributes().forEach((k, v) -> env.put(variable(k), v));
        return env;
    }

    /** @return {@code VIGIL_ALARM_} and the name in upper case, {@code _} before each capital */
    static String variable(String field) {
        StringBuilder sb = new StringBuilder("VIGIL_ALARM_");
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_');
            }
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString();
    }

    /**
     * @param record an alarm
     * @return its EventAdmin event properties ({@link AlarmEvents})
     */
    public static Map<String, Object> eventProperties(AlarmRecord record) {
        Alarm a = record.alarm();
        Map<String, Object> p = new LinkedHashMap<>(a.attributes());
        p.put(AlarmEvents.CLASS, a.alarmClass());
        p.put(AlarmEvents.EVENT, a.event());
        p.put(AlarmEvents.MONITOR, a.monitor());
        p.put(AlarmEvents.INSTANCE, a.instance());
        p.put(AlarmEvents.TIME, a.time().toEpochMilli());
        p.put(AlarmEvents.SEQUENCE, record.sequence());
        return p;
    }

    /** @return the recent alarms, oldest first */
    public List<AlarmRecord> recent() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    /** @return the counters */
    public Stats stats() {
        return new Stats(accepted.get(), queued.get(), spooled.get(), dispatched.get(), programRuns.get());
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /** Stops dispatching; alarms still queued are spooled, handler programs running are killed. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (drainLock) {
            List<AlarmRecord> left = new ArrayList<>();
            queue.drainTo(left);
            for (AlarmRecord r : left) {
                try {
                    spool(r.alarm(), true);
                } catch (IllegalStateException e) {
                    LOG.error("Alarm {} lost at shutdown: {}", r.alarm(), e.getMessage());
                }
            }
            if (!left.isEmpty()) {
                LOG.info("{} alarms not yet dispatched were spooled for the next start", left.size());
            }
            try {
                spool.closeSegment();
            } catch (IOException e) {
                LOG.error("Cannot close the overflow segment in {}: {}", spool.dir(), e.getMessage());
            }
        }
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
