package io.vigil.monitor.engine;

import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.monitor.history.Decision;
import io.vigil.monitor.history.FailureHistory;
import io.vigil.monitor.history.ProbeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault monitors of the agent's resources (issue #4).
 *
 * <p>Per monitored resource there is a <em>run</em> (one {@link #start} until the next
 * {@link #stop}): a task scheduled every {@code Thorough_probe_interval} that runs the named probe
 * through a {@link ProbeRunner} under {@code Probe_timeout}, and a PMF listener on the tag prefix
 * {@code <group>,<resource>,} whose deaths of {@code .svc} tags count as complete failures. Every
 * result is handed to the resource's own serial action queue (on a shared worker pool, never on the
 * probe's scheduler thread, the PMF's thread or the caller of {@link #stop}), which records it in the
 * resource's {@link FailureHistory} and acts on the decision:
 * <ul>
 * <li>RESTART: Status DEGRADED with the reason, then {@link ResourceGroupManager#restartResource};
 *     when the resource ends ONLINE or ONLINE_NOT_MONITORED the history is told the restart
 *     succeeded, otherwise (or when the RGM refuses) that it failed, and that decision is acted on.</li>
 * <li>GIVEOVER: {@link ResourceGroupManager#giveover} relocates the group to another node. When the
 *     RGM refuses (on a cluster of one: there is no other node), Status FAULTED with the RGM's
 *     message, which says why, and {@link FailureHistory#giveoverRefused()}, so that restarts
 *     continue within the limits.</li>
 * <li>FAULTED: Status FAULTED with the reason. LOG: a log line only.</li>
 * <li>A healthy probe (score 0) while the resource's Status is DEGRADED, UNKNOWN or FAULTED sets
 *     Status OK with an empty message: the service answers again, and the probe records keep why it
 *     was not OK. Status is read from the RGM only after the monitor itself set a non-OK status or at
 *     the first healthy probe of a run, not at every probe.</li>
 * </ul>
 * Results of a run that was stopped meanwhile are discarded, unrecorded.
 *
 * <p>{@link #stop} only marks the run stopped, cancels its schedule (interrupting a probe being
 * waited for) and removes its PMF listener; it never waits. The resource's history is kept by
 * name, so a {@link #start} after a {@link #stop} (Monitor_start after Monitor_stop, as in a
 * restart) keeps the restart count; it is forgotten when the monitor was not started again within
 * {@code Retry_interval}, when the RGM no longer knows the resource, or when the retry properties
 * changed.
 */
@Component(service = FaultMonitors.class, immediate = true)
public final class FaultMonitorService implements FaultMonitors {

    private static final Logger LOG = LoggerFactory.getLogger(FaultMonitorService.class);

    /** Extension property: how long one probe may run, in seconds. */
    static final String PROBE_TIMEOUT = "Probe_timeout";
    /** Standard property: the time between two probes, in seconds. */
    static final String PROBE_INTERVAL = "Thorough_probe_interval";
    /** {@code Probe_timeout} when the resource has none. */
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** {@code Thorough_probe_interval} when the resource has none, as in the RGM's schema. */
    static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(60);

    private final ResourceGroupManager rgm;
    private final ProcessMonitor pmf;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final ProbeRunner runner = new ProbeRunner();
    private final boolean ownsExecutors;

    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    /** Monitored resources by name; guarded by {@code this}. */
    private final Map<String, Entry> entries = new java.util.HashMap<>();

    /** Told after each action (test hook): the resource's name and the action. */
    volatile Consumer<String> afterAction = s -> { };

    /**
     * The service as DS activates it: system clock, its own scheduler and worker threads.
     *
     * @param rgm the RGM, for restarts and statuses
     * @param pmf the PMF, for process deaths
     */
    @Activate
    public FaultMonitorService(@Reference ResourceGroupManager rgm, @Reference ProcessMonitor pmf) {
        this(rgm, pmf, Clock.systemUTC(),
                Executors.newScheduledThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()),
                        daemonThreads("vigil-fm-probe")),
                Executors.newCachedThreadPool(daemonThreads("vigil-fm-action")), true);
    }

    /**
     * A service on given time and threads, for tests.
     *
     * @param rgm the RGM
     * @param pmf the PMF
     * @param clock where the failure histories' time comes from
     * @param scheduler runs the periodic probe tasks (which wait for their probe)
     * @param workers runs the actions
     */
    FaultMonitorService(ResourceGroupManager rgm, ProcessMonitor pmf, Clock clock,
            ScheduledExecutorService scheduler, Executor workers) {
        this(rgm, pmf, clock, scheduler, workers, false);
    }

    private FaultMonitorService(ResourceGroupManager rgm, ProcessMonitor pmf, Clock clock,
            ScheduledExecutorService scheduler, Executor workers, boolean ownsExecutors) {
        this.rgm = Objects.requireNonNull(rgm, "rgm");
        this.pmf = Objects.requireNonNull(pmf, "pmf");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.ownsExecutors = ownsExecutors;
    }

    /**
     * Adds a probe service.
     *
     * @param probe the probe
     * @param properties its service properties, with {@value Probe#NAME}
     */
    @Reference(service = Probe.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProbe")
    void addProbe(Probe probe, Map<String, Object> properties) {
        Object name = properties.get(Probe.NAME);
        if (name == null || name.toString().isBlank()) {
            LOG.warn("Ignoring probe service {} without the {} property", probe.getClass().getName(), Probe.NAME);
            return;
        }
        Probe previous = probes.put(name.toString(), probe);
        if (previous != null && previous != probe) {
            LOG.warn("Probe {} registered twice; the later service ({}) wins", name, probe.getClass().getName());
        }
    }

    /**
     * Removes a probe service. Monitors using it skip their probes until one of that name returns.
     *
     * @param probe the probe
     * @param properties its service properties
     */
    void removeProbe(Probe probe, Map<String, Object> properties) {
        Object name = properties.get(Probe.NAME);
        if (name != null) {
            probes.remove(name.toString(), probe);
        }
    }

    /** Stops every monitor and the threads. */
    @Deactivate
    void deactivate() {
        List<String> names;
        synchronized (this) {
            names = List.copyOf(entries.keySet());
        }
        names.forEach(this::stop);
        runner.close();
        if (ownsExecutors) {
            scheduler.shutdownNow();
            ((ExecutorService) workers).shutdownNow();
        }
    }

    @Override
    public void start(String resource, String probe) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(probe, "probe");
        if (!probes.containsKey(probe)) {
            throw new IllegalArgumentException("no probe named \"" + probe + "\" is registered; known probes: "
                    + new TreeSet<>(probes.keySet()));
        }
        ResourceInfo info = rgm.resource(resource).orElseThrow(() -> new IllegalArgumentException(
                "resource " + resource + " is unknown to the RGM"));
        PropertyValues props = info.properties();
        FailureHistory.Policy policy = FailureHistory.Policy.of(props);
        Duration interval = seconds(props, PROBE_INTERVAL, DEFAULT_PROBE_INTERVAL);
        Duration timeout = seconds(props, PROBE_TIMEOUT, DEFAULT_PROBE_TIMEOUT);

        synchronized (this) {
            purgeStale();
            Entry entry = entries.get(resource);
            if (entry == null || !entry.history.policy().equals(policy)) {
                entry = new Entry(resource, new FailureHistory(policy, clock));
                entries.put(resource, entry);
            }
            entry.stopRun();
            Run run = new Run(entry, info.group(), probe, props, timeout, interval);
            entry.run = run;
            entry.stoppedAt = null;
            String prefix = info.group() + "," + resource + ",";
            run.pmfHandle = pmf.addListener(prefix, (tag, restarts, restarting) -> {
                if (tag.endsWith(".svc") && run.active) {
                    run.submit(() -> act(run, run.entry.history.processDied(tag
                            + (restarting ? " (PMF restarts it: " + restarts + " within its window)"
                                    : " (PMF gave up)"))));
                }
            });
            scheduleNext(run, interval);
            LOG.info("Fault monitor of {} started: probe {} every {} s under Probe_timeout {} s", resource, probe,
                    interval.toSeconds(), timeout.toSeconds());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>While it waits, a PMF listener on {@code <group>,<resource>,} counts the restarts of the
     * resource's {@code .svc} trees, as DSDL's {@code scds_svc_wait} counts process deaths: the
     * wait fails, with a message saying so, once they exceed the resource's {@code Retry_count}
     * (default 2), or at once when the PMF gives a tree up. A death ends the pause between two
     * probes early; a probe under way is abandoned for such a failure.
     */
    @Override
    public ServiceWait awaitService(String resource, String probeName, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Probe probe = probes.get(Objects.requireNonNull(probeName, "probe"));
        if (probe == null) {
            throw new IllegalArgumentException("no probe named \"" + probeName + "\" is registered; known probes: "
                    + new TreeSet<>(probes.keySet()));
        }
        ResourceInfo info = rgm.resource(resource).orElseThrow(() -> new IllegalArgumentException(
                "resource " + resource + " is unknown to the RGM"));
        PropertyValues props = info.properties();
        Duration probeTimeout = seconds(props, PROBE_TIMEOUT, DEFAULT_PROBE_TIMEOUT);
        int retryCount = FailureHistory.Policy.of(props).retryCount();
        String prefix = info.group() + "," + resource + ",";
        long deadline = System.nanoTime() + timeout.toNanos();

        // completed with the reason when the PMF's restarts end the wait; a death alone only wakes it
        CompletableFuture<String> pmfFailure = new CompletableFuture<>();
        java.util.concurrent.Semaphore deaths = new java.util.concurrent.Semaphore(0);
        AtomicInteger restarts = new AtomicInteger();
        AutoCloseable listening = pmf.addListener(prefix, (tag, inWindow, restarting) -> {
            if (!tag.endsWith(".svc")) {
                return;
            }
            if (!restarting) {
                pmfFailure.complete("the PMF gave up on " + tag + " after " + inWindow + " restarts within its window");
            } else {
                int n = restarts.incrementAndGet();
                if (n > retryCount) {
                    pmfFailure.complete("the PMF restarted " + tag + " while waiting for the service to answer: "
                            + n + " restarts, more than Retry_count " + retryCount);
                }
            }
            deaths.release();
        });
        try {
            pmf.list().stream()
                    .filter(t -> t.tag().startsWith(prefix) && t.tag().endsWith(".svc")
                            && t.state() == io.vigil.api.pmf.TagStatus.State.GAVE_UP)
                    .findFirst()
                    .ifPresent(t -> pmfFailure.complete("the PMF gave up on " + t.tag() + " after "
                            + t.restartsInWindow() + " restarts within its window"));
            String last = "no probe ran within " + timeout.toMillis() + " ms";
            while (true) {
                if (pmfFailure.isDone()) {
                    return new ServiceWait(false, pmfFailure.join());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new ServiceWait(false, last);
                }
                Duration budget = Duration.ofNanos(Math.min(left, probeTimeout.toNanos()));
                CompletableFuture<ProbeRun> run =
                        runner.start(probeName, probe, resource, info.group(), props, budget);
                ProbeRun result;
                try {
                    CompletableFuture.anyOf(run, pmfFailure).get();
                    if (pmfFailure.isDone()) {
                        run.cancel(true);
                        continue;
                    }
                    result = run.join();
                } catch (InterruptedException e) {
                    run.cancel(true);
                    throw e;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("probe " + probeName + " of " + resource + " failed to run", e);
                }
                if (result.result().isHealthy()) {
                    if (pmfFailure.isDone()) {
                        continue; // it answers, but the PMF's restarts already decided
                    }
                    return new ServiceWait(true, result.result().message());
                }
                last = result.result().message();
                long pause = Math.min(serviceWaitPause.toNanos(), deadline - System.nanoTime());
                if (pause > 0 && deaths.tryAcquire(pause, TimeUnit.NANOSECONDS)) {
                    deaths.drainPermits(); // a death: probe the restarted service at once
                }
            }
        } finally {
            try {
                listening.close();
            } catch (Exception e) {
                LOG.debug("Removing the service-wait PMF listener of {} failed", resource, e);
            }
        }
    }

    /** The pause between two probes of {@link #awaitService}; tests shorten it. */
    volatile Duration serviceWaitPause = Duration.ofSeconds(1);

    @Override
    public void stop(String resource) {
        synchronized (this) {
            Entry entry = entries.get(resource);
            if (entry == null || entry.run == null) {
                return;
            }
            entry.stopRun();
            entry.stoppedAt = clock.instant();
        }
        LOG.info("Fault monitor of {} stopped", resource);
    }

    @Override
    public synchronized boolean isRunning(String resource) {
        Entry entry = entries.get(resource);
        return entry != null && entry.run != null;
    }

    @Override
    public List<ProbeRecordView> history(String resource) {
        Entry entry;
        synchronized (this) {
            purgeStale();
            entry = entries.get(resource);
        }
        if (entry == null) {
            return List.of();
        }
        return entry.history.records().stream().map(FaultMonitorService::view).toList();
    }

    /** @return the failure history kept for a resource, for tests */
    synchronized Optional<FailureHistory> failureHistory(String resource) {
        return Optional.ofNullable(entries.get(resource)).map(e -> e.history);
    }

    private static ProbeRecordView view(ProbeRecord r) {
        return new ProbeRecordView(r.time(), r.duration(), r.score(), r.message());
    }

    /** Forgets stopped entries whose Retry_interval has passed. Caller holds {@code this}. */
    private void purgeStale() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.run == null && e.stoppedAt != null
                && e.stoppedAt.plus(e.history.policy().retryInterval()).isBefore(now));
    }

    /**
     * Schedules a run's next probe {@code delay} from now. Probes of one run never overlap: the next
     * is scheduled when the last has ended (Thorough_probe_interval is the time between them).
     */
    private void scheduleNext(Run run, Duration delay) {
        if (!run.active) {
            return;
        }
        try {
            ScheduledFuture<?> next = scheduler.schedule(() -> tick(run), delay.toNanos(), TimeUnit.NANOSECONDS);
            run.schedule = next;
            if (!run.active) {
                next.cancel(false);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("Fault monitor of {} not rescheduled: the service is stopping", run.entry.name);
        }
    }

    /**
     * One probe of a run: started on a probe worker, never waited for on the scheduler's thread,
     * so a few scheduler threads keep thousands of monitors going and a probe that hangs until its
     * timeout delays no other.
     */
    private void tick(Run run) {
        if (!run.active) {
            return;
        }
        Probe probe = probes.get(run.probeName);
        if (probe == null) {
            LOG.warn("Probe {} of {} is not registered now; skipping this probe", run.probeName, run.entry.name);
            scheduleNext(run, run.interval);
            return;
        }
        CompletableFuture<ProbeRun> pending;
        try {
            pending = runner.start(run.probeName, probe, run.entry.name, run.group, run.properties, run.timeout);
        } catch (RejectedExecutionException e) {
            return;
        }
        run.probe = pending;
        if (!run.active) {
            pending.cancel(true);
            return;
        }
        pending.thenAccept(result -> {
            if (!run.active) {
                return;
            }
            scheduleNext(run, run.interval);
            ProbeResult r = result.result();
            run.submit(() -> {
                Decision d = run.entry.history.record(r.score(), result.elapsed(), r.message());
                if (r.isHealthy()) {
                    healthy(run);
                } else {
                    act(run, d);
                }
            });
        });
    }

    /** A healthy probe: Status back to OK when the monitor (or a start) left it otherwise. */
    private void healthy(Run run) {
        String name = run.entry.name;
        if (!run.checkStatus) {
            afterAction.accept(name + " NOTHING");
            return;
        }
        run.checkStatus = false;
        try {
            Optional<ResourceInfo> info = rgm.resource(name);
            if (info.isPresent() && switch (info.get().status()) {
                case DEGRADED, UNKNOWN, FAULTED -> true;
                default -> false;
            }) {
                rgm.setStatus(name, ResourceStatus.OK, "");
                LOG.info("{} answers its probe again: Status OK", name);
            }
        } catch (RgmException | RuntimeException e) {
            LOG.warn("Could not set Status OK on {}: {}", name, e.getMessage());
        }
        afterAction.accept(name + " OK");
    }

    /** Acts on a decision, on the run's action queue. */
    private void act(Run run, Decision decision) {
        if (!run.active) {
            return;
        }
        String name = run.entry.name;
        FailureHistory history = run.entry.history;
        Decision d = decision;
        try {
            switch (d.action()) {
                case NOTHING -> LOG.debug("{}: {}", name, d.reason());
                case LOG -> LOG.warn("Fault monitor of {}: {}", name, d.reason());
                case RESTART -> {
                    LOG.warn("Fault monitor of {} restarts it: {}", name, d.reason());
                    setStatus(run, ResourceStatus.DEGRADED, "restarting: " + d.reason());
                    Decision after = restart(name, history);
                    if (after != null) {
                        actOnFailure(run, after);
                    }
                }
                case GIVEOVER, FAULTED -> actOnFailure(run, d);
                default -> throw new IllegalStateException("unexpected action " + d.action());
            }
        } catch (RgmException | RuntimeException e) {
            LOG.warn("Fault monitor of {} could not act on {} ({}): {}", name, d.action(), d.reason(),
                    e.getMessage(), e);
        } finally {
            afterAction.accept(name + " " + d.action());
        }
    }

    /**
     * Restarts a resource through the RGM and tells the history how it went.
     *
     * @return null when the restart succeeded, else the history's decision for a failed restart
     */
    private Decision restart(String name, FailureHistory history) {
        String why;
        try {
            ResourceInfo after = rgm.restartResource(name);
            ResourceState state = after.state();
            if (state == ResourceState.ONLINE || state == ResourceState.ONLINE_NOT_MONITORED) {
                history.restartSucceeded();
                LOG.info("Fault monitor restarted {}: {}", name, state);
                return null;
            }
            why = "the resource is " + state + " after the restart";
        } catch (RgmException | RuntimeException e) {
            why = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        }
        LOG.warn("Fault monitor could not restart {}: {}", name, why);
        return history.restartFailed(why);
    }

    /** GIVEOVER (asked of the RGM; FAULTED when it refuses) or FAULTED. */
    private void actOnFailure(Run run, Decision d) throws RgmException {
        String name = run.entry.name;
        switch (d.action()) {
            case GIVEOVER -> {
                try {
                    rgm.giveover(run.group, name + ": " + d.reason());
                    LOG.warn("Fault monitor of {}: group {} given over ({})", name, run.group, d.reason());
                } catch (RgmException refused) {
                    LOG.error("Fault monitor of {}: {}", name, refused.getMessage());
                    setStatus(run, ResourceStatus.FAULTED, refused.getMessage());
                    run.entry.history.giveoverRefused();
                }
            }
            case FAULTED -> {
                LOG.error("Fault monitor of {}: {}", name, d.reason());
                setStatus(run, ResourceStatus.FAULTED, d.reason());
            }
            default -> throw new IllegalStateException("not a failure action: " + d.action());
        }
    }

    private void setStatus(Run run, ResourceStatus status, String message) throws RgmException {
        run.checkStatus = true;
        rgm.setStatus(run.entry.name, status, message);
    }

    private static void closeQuietly(Run run) {
        AutoCloseable handle = run.pmfHandle;
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.debug("Removing the PMF listener of {} failed", run.entry.name, e);
            }
        }
    }

    private static Duration seconds(PropertyValues props, String name, Duration absent) {
        if (!props.has(name)) {
            return absent;
        }
        int s = props.getInt(name);
        if (s < 1) {
            throw new IllegalArgumentException("property " + name + " = " + s + " is not valid; expected 1 s or more");
        }
        return Duration.ofSeconds(s);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What is kept of a resource across runs: its failure history and its action queue. */
    private final class Entry {
        final String name;
        final FailureHistory history;
        /** The current run; null when stopped. Guarded by the service. */
        Run run;
        /** When the last run stopped; null while one runs. Guarded by the service. */
        Instant stoppedAt;

        private final Deque<Runnable> queue = new ArrayDeque<>();
        private boolean draining;

        Entry(String name, FailureHistory history) {
            this.name = name;
            this.history = history;
        }

        /** Queues an action; a resource's actions run one at a time, across runs, in order, on the worker pool. */
        void submit(Runnable action) {
            synchronized (queue) {
                queue.addLast(action);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException e) {
                synchronized (queue) {
                    queue.clear();
                    draining = false;
                }
            }
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (queue) {
                    next = queue.pollFirst();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.warn("Fault monitor action of {} failed", name, e);
                }
            }
        }

        /** Marks the run stopped and cancels its schedule; never waits. Caller holds the service. */
        void stopRun() {
            Run r = run;
            if (r != null) {
                r.active = false;
                ScheduledFuture<?> s = r.schedule;
                if (s != null) {
                    s.cancel(false);
                }
                CompletableFuture<ProbeRun> p = r.probe;
                if (p != null) {
                    p.cancel(true);
                }
                closeQuietly(r);
                run = null;
            }
        }
    }

    /** One run of a monitor, from a start to the next stop, with its serial action queue. */
    private final class Run {
        final Entry entry;
        final String group;
        final String probeName;
        final PropertyValues properties;
        final Duration timeout;
        final Duration interval;
        volatile boolean active = true;
        /** The probe under way, if any. */
        volatile CompletableFuture<ProbeRun> probe;
        /** Whether a healthy probe should look at the Status; only touched on the action queue. */
        boolean checkStatus = true;
        volatile ScheduledFuture<?> schedule;
        volatile AutoCloseable pmfHandle;

        Run(Entry entry, String group, String probeName, PropertyValues properties, Duration timeout,
                Duration interval) {
            this.interval = interval;
            this.entry = entry;
            this.group = group;
            this.probeName = probeName;
            this.properties = properties;
            this.timeout = timeout;
        }

        /** Queues an action on the resource's action queue. */
        void submit(Runnable action) {
            entry.submit(action);
        }
    }
}
