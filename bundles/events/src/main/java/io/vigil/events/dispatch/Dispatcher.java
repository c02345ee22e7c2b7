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
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
 * power loss, like the queue; alarms spooled at {@link #close} are forced. Every spooled alarm
 * keeps the time it was raised. For each alarm the dispatching thread hands it to the in-process
 * delivery (EventAdmin, asynchronous), to recovery, and queues one run per handler program for the
 * workers; each program runs under the handler timeout in a session of its own, so a hanging one
 * occupies one worker until it is killed and delays no other handler.
 *
 * <p>The dispatching thread never waits for a worker: a handler run the workers' queue cannot take
 * (all workers busy, their queue full, e.g. with hanging handlers) is recorded as {@code deferred}
 * and spooled as a run of that one handler, which {@link #drainSpool} queues again later; so
 * EventAdmin delivery and recovery never wait for handler programs. Alarms still queued and handler
 * runs still waiting for a worker when the dispatcher is closed are spooled for the next start.
 *
 * <p>Spooled alarms are dispatched exactly once when nothing crashes: a drain queues the alarms of
 * a file while the queue takes them, then removes the file, or rewrites it with the alarms not
 * queued, by one thread at a time. A crash between the two dispatches them again at the next start
 * (at least once, never lost).
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
     * @param deferred handler runs spooled because no worker could take them
     */
    public record Stats(long accepted, long queued, long spooled, long dispatched, long programRuns, long deferred) {
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
    private final AtomicLong deferred = new AtomicLong();
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
        // Full: execute() throws (AbortPolicy) and the run is deferred; the caller never waits.
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.workers() * 16), daemon("vigil-events-handler"));
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
        try {
            // after close, no segment is closed any more: one file each, forced
            spool(entry(alarm, Optional.empty()), closed);
        } catch (IOException e) {
            throw new IllegalStateException("alarm " + alarm + " could neither be queued nor spooled to "
                    + spool.dir() + ": " + e.getMessage(), e);
        }
        spooled.incrementAndGet();
        return 0;
    }

    private static Spool.Entry entry(Alarm alarm, Optional<String> handler) {
        return new Spool.Entry(SendEventArgs.argv(alarm), Optional.of(alarm.time()), handler);
    }

    private void spool(Spool.Entry entry, boolean force) throws IOException {
        if (force) {
            spool.write(entry, true);
        } else {
            spool.append(entry, Math.max(1, settings.queueCapacity() / 2));
        }
    }

    /**
     * Queues spooled alarms, oldest first, while the queue takes them; a file is removed once all
     * its alarms are queued, or rewritten with those the queue did not take, and the drain stops
     * there until the next call. A file that is not a valid alarm is moved to {@code rejected/}.
     * Safe against concurrent {@link #send}s filling the queue: nothing is queued twice.
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
                if (closed || queue.remainingCapacity() == 0) {
                    break; // nothing would be taken: do not read and parse the file for nothing
                }
                List<Spool.Entry> entries;
                try {
                    entries = Spool.readEntries(file);
                } catch (IOException e) {
                    rejectSpooled(file, e);
                    continue;
                }
                List<Spool.Entry> valid = new ArrayList<>();
                List<Alarm> alarms = new ArrayList<>();
                boolean rejected = false;
                for (Spool.Entry entry : entries) {
                    try {
                        alarms.add(SendEventArgs.parse(entry.argv(), zone, entry.raised()));
                        valid.add(entry);
                    } catch (IllegalArgumentException e) {
                        if (entries.size() == 1) {
                            rejectSpooled(file, e);
                            rejected = true;
                            break;
                        }
                        LOG.error("Spooled alarm {} in {} is not valid and is left out: {}", entry.argv(),
                                file.getFileName(), e.getMessage());
                    }
                }
                if (rejected) {
                    continue;
                }
                int taken = 0;
                // A deferred handler run waits in the spool while the workers are still full: queued
                // now it would only be deferred (and recorded, and spooled) again.
                while (taken < alarms.size() && !closed
                        && (valid.get(taken).handler().isEmpty() || workers.getQueue().remainingCapacity() > 0)
                        && queue.offer(new AlarmRecord(sequence.incrementAndGet(),
                        alarms.get(taken), true, valid.get(taken).handler().orElse(null)))) {
                    taken++;
                }
                queued.addAndGet(taken);
                n += taken;
                if (taken == alarms.size()) {
                    try {
                        spool.remove(file);
                    } catch (IOException e) {
                        LOG.error("Spooled alarms {} are queued but cannot be removed ({}); they will be dispatched "
                                + "again", file, e.getMessage());
                    }
                    continue;
                }
                if (taken > 0) {
                    try {
                        spool.rewrite(file, valid.subList(taken, valid.size()));
                    } catch (IOException e) {
                        LOG.error("{} of the {} alarms spooled in {} are queued, but it cannot be rewritten "
                                + "without them ({}); they will be dispatched again", taken, alarms.size(), file,
                                e.getMessage());
                    }
                }
                break; // the queue is full: the rest waits for the next drain
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
        Optional<String> only = record.deferredHandler();
        if (only.isEmpty()) {
            HandlerRun delivered = inProcess.apply(record);
            if (delivered != null) {
                record.add(delivered);
            }
            recovery.accept(record);
        }
        List<Path> handlers;
        try {
            handlers = directory.handlersFor(record.alarm());
        } catch (IOException e) {
            LOG.error("Cannot list the handlers of alarm {} under {}: {}", record.alarm(), directory.root(),
                    e.getMessage());
            handlers = List.of();
        }
        if (only.isPresent()) {
            handlers = handlers.stream().filter(h -> relative(h).equals(only.get())).toList();
            if (handlers.isEmpty()) {
                String why = only.get() + " is no longer a handler of " + record.alarm().alarmClass() + "/"
                        + record.alarm().event() + " in " + directory.root() + "; its deferred run is dropped";
                LOG.warn("Alarm {} ({}): {}", record.sequence(), record.alarm(), why);
                record.add(new HandlerRun(only.get(), "skipped", -1, 0, why));
            }
        }
        for (Path handler : handlers) {
            submit(record, handler);
        }
        dispatched.incrementAndGet();
    }

    private String relative(Path handler) {
        return directory.root().relativize(handler).toString();
    }

    /** Hands a run to the workers, or defers it when they cannot take it; never waits. */
    private void submit(AlarmRecord record, Path handler) {
        try {
            workers.execute(new HandlerTask(record, handler));
        } catch (RejectedExecutionException e) {
            defer(record, handler, workers.isShutdown() ? "the dispatcher is closing"
                    : "all " + settings.workers() + " workers are busy and " + workers.getQueue().size()
                            + " runs wait for them");
        }
    }

    /**
     * Spools a handler run no worker can take, to be run later; forced when closing.
     *
     * @return whether it was spooled
     */
    private boolean defer(AlarmRecord record, Path handler, String why) {
        try {
            spool(entry(record.alarm(), Optional.of(relative(handler))), closed);
        } catch (IOException e) {
            LOG.error("Handler {} for alarm {} ({}) is not run: {}, and it cannot be spooled to {}: {}", handler,
                    record.sequence(), record.alarm(), why, spool.dir(), e.getMessage());
            record.add(new HandlerRun(handler.toString(), "lost", -1, 0,
                    why + "; cannot be spooled: " + e.getMessage()));
            return false;
        }
        deferred.incrementAndGet();
        LOG.warn("Handler {} for alarm {} ({}) deferred: {}; spooled to run later", handler, record.sequence(),
                record.alarm(), why);
        record.add(new HandlerRun(handler.toString(), "deferred", -1, 0, why + "; spooled to run later"));
        return true;
    }

    /** One handler run, as queued for the workers (so that those left at close can be spooled). */
    private final class HandlerTask implements Runnable {
        private final AlarmRecord record;
        private final Path handler;

        HandlerTask(AlarmRecord record, Path handler) {
            this.record = record;
            this.handler = handler;
        }

        @Override
        public void run() {
            runHandler(record, handler);
        }
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
        return new Stats(accepted.get(), queued.get(), spooled.get(), dispatched.get(), programRuns.get(),
                deferred.get());
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /**
     * Stops dispatching: alarms still queued and handler runs still waiting for a worker are spooled
     * (forced) for the next start, handler programs running are killed.
     */
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
                    spool(entry(r.alarm(), r.deferredHandler()), true);
                    spooled.incrementAndGet();
                } catch (IOException e) {
                    LOG.error("Alarm {} lost at shutdown: it cannot be spooled to {}: {}", r.alarm(), spool.dir(),
                            e.getMessage());
                }
            }
            if (!left.isEmpty()) {
                LOG.info("{} alarms not yet dispatched were spooled for the next start", left.size());
            }
            List<Runnable> waiting = workers.shutdownNow(); // running programs are interrupted, so killed
            int kept = 0;
            for (Runnable task : waiting) {
                if (task instanceof HandlerTask t && defer(t.record, t.handler, "the dispatcher is closing")) {
                    kept++;
                }
            }
            if (!waiting.isEmpty()) {
                LOG.warn("{} handler runs were still waiting for a worker at shutdown: {} spooled to run at the next "
                        + "start, {} lost", waiting.size(), kept, waiting.size() - kept);
            }
            try {
                spool.closeSegment();
            } catch (IOException e) {
                LOG.error("Cannot close the overflow segment in {}: {}", spool.dir(), e.getMessage());
            }
        }
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
