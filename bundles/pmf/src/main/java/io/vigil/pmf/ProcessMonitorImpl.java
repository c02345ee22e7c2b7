package io.vigil.pmf;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.PmfListener;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import io.vigil.api.pmf.TagStatus.State;
import io.vigil.api.command.ProcStat;
import java.io.File;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process monitor facility.
 *
 * <p>Each tree runs under its own shim, {@code vigil-pmf-run} ({@link Shim}, {@link Tree}),
 * which reports the tree's end on a Unix socket; one daemon thread per tag reads that socket and,
 * on the end, decides at once, on that thread: restart within the budget, else run the action
 * program, else give up. Listeners are told after the restart has been launched, or after the tag
 * was given up. A given-up tag is removed, as {@code pmfadm} removes it (when the action program
 * exits non-zero, or there is none and the budget is exhausted): {@link #status} is then empty, so
 * {@code pmfadm -q} exits non-zero, and its record is deleted; {@link #list} still shows it as
 * GAVE_UP until a tag of that name is started or stopped.
 *
 * <p>Trees outlive this component: deactivation only stops watching them, and a new instance on
 * the same state directory adopts every tree whose shim still answers, and treats every other
 * tag as a tree that died (what is left of it is killed, then it is restarted within a fresh
 * budget); a record left by an earlier agent that says its tag was given up is deleted. Only
 * {@link #stop} stops a tree. Tag records are written by one background thread, so
 * that a restart never waits for the disk; {@link #start}, {@link #modify} and {@link #stop}
 * return once theirs is on disk.
 *
 * <p>Child monitor levels: at 0 a tree is over when the launched program has died, and what it
 * left running is no longer the tag's (its old shim keeps reaping it); at -1 a tree is over when
 * its last descendant has died. A level above 0 is treated as -1: the shim cannot tell fork
 * depths apart once orphans are re-parented to it. A tree's processes ({@link ProcTable}) are the
 * shim's descendants and its session's members; {@link #signal} and {@link #stop} reach all of
 * them, the shim excepted, which ends by itself with its tree.
 */
@Component(service = ProcessMonitor.class, immediate = true, configurationPid = ProcessMonitorImpl.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProcessMonitorImpl.Config.class)
public final class ProcessMonitorImpl implements ProcessMonitor, AutoCloseable {

    /** Configuration PID. */
    public static final String PID = "io.vigil.pmf";

    /** Framework property naming the agent's data directory; the PMF defaults to pmf/ in it. */
    public static final String DATA_DIR_PROPERTY = "vigil.data";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMonitorImpl.class);

    /** How long SIGKILL may take to empty a tree before stop gives up on it. */
    static final Duration KILL_BOUND = Duration.ofSeconds(5);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    private static final long SUPERVISOR_STACK = 256 * 1024;
    private static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    @ObjectClassDefinition(name = "Vigil process monitor facility",
            description = "Supervises process trees under tags and restarts a tree when all of its processes have "
                    + "died, within each tag's retry budget (Sun Cluster's PMF, pmfadm). Trees keep running while "
                    + "the agent restarts; the restarted agent adopts them.")
    public @interface Config {
        @AttributeDefinition(name = "State directory",
                description = "Directory of the PMF's state, created owner-only (0700): the shim (bin/), one record "
                        + "per tag (tags/), the trees' notify sockets (sock/) and each tag's output (log/). Empty: "
                        + "pmf/ in the agent's data directory (framework property vigil.data, else data/). Its path "
                        + "must be short enough for Unix sockets (about 60 bytes).")
        String state_dir() default "";

        @AttributeDefinition(name = "Action timeout",
                description = "Seconds an action program (pmfadm -a) may run before it is killed; a killed action "
                        + "counts as giving up.", min = "1")
        int action_timeout() default 60;
    }

    private final TagStore store;
    private final Path shim;
    private final Clock clock;
    private final Duration actionTimeout;
    private final Map<String, Tag> tags = new ConcurrentHashMap<>();
    /**
     * Tags given up (no longer supervised, so {@link #status} is empty) that {@link #list} still
     * shows, as GAVE_UP, until a tag of that name is started or stopped: a Start that waits for its
     * service (svc_wait) sees a give-up that came before it looked, and so does an operator.
     */
    private final Map<String, Tag> givenUp = new ConcurrentHashMap<>();
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService writer;
    private volatile boolean closed;

    /** A tag: its spec, its current tree and its budget. Guarded by itself. */
    private static final class Tag {
        final String name;
        ProcessSpec spec;
        State state = State.RESTARTING;
        Tree tree;
        Instant started;
        final Budget budget = new Budget();
        boolean stopping;
        Thread supervisor;

        Tag(ProcessSpec spec, Instant created) {
            this.name = spec.tag();
            this.spec = spec;
            this.started = created;
        }
    }

    private record Registration(String prefix, PmfListener listener) {
    }

    /**
     * Activates the PMF: opens its state directory, installs the shim and adopts the trees found.
     *
     * @param context the bundle context, for the data directory
     * @param config the configuration
     * @throws IOException if the state directory cannot be used or the shim cannot be installed
     */
    @Activate
    public ProcessMonitorImpl(BundleContext context, Config config) throws IOException {
        this(stateDirectory(config.state_dir(), context.getProperty(DATA_DIR_PROPERTY)), Clock.systemUTC(),
                Duration.ofSeconds(Math.max(1, config.action_timeout())));
    }

    /**
     * A PMF on a state directory.
     *
     * @param stateDir the state directory
     * @param clock the clock of retry windows and start times
     * @param actionTimeout how long an action program may run
     * @throws IOException if the state directory cannot be used or the shim cannot be installed
     */
    ProcessMonitorImpl(Path stateDir, Clock clock, Duration actionTimeout) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actionTimeout = Objects.requireNonNull(actionTimeout, "actionTimeout");
        this.store = TagStore.open(stateDir);
        try {
            this.shim = Shim.install(store.bin());
            this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "vigil-pmf-writer"));
            adoptAll();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("Process monitor on {}: {} tags", store.directory(), tags.size());
    }

    static Path stateDirectory(String configured, String dataDirectory) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        return Path.of(dataDirectory == null || dataDirectory.isBlank() ? "data" : dataDirectory, "pmf");
    }

    /** Stops watching the trees, which keep running, and releases the state directory. */
    @Deactivate
    @Override
    public void close() {
        closed = true;
        List<Thread> threads = new ArrayList<>();
        for (Tag t : tags.values()) {
            synchronized (t) {
                if (t.tree != null) {
                    t.tree.close();
                }
                if (t.supervisor != null) {
                    threads.add(t.supervisor);
                    t.supervisor.interrupt();
                }
            }
        }
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        for (Thread th : threads) {
            try {
                th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("PMF tag records still being written at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("Cannot release the PMF state directory {}: {}", store.directory(), e.toString());
        }
        LOG.info("Process monitor closed; {} trees keep running", tags.size());
    }

    // --- the service ---------------------------------------------------------------------------

    @Override
    public TagStatus start(ProcessSpec spec) throws PmfException {
        checkOpen();
        Objects.requireNonNull(spec, "spec");
        Tags.check(spec.tag());
        validate(spec);
        givenUp.remove(spec.tag());
        Tag tag = new Tag(spec, clock.instant());
        Tag previous = tags.putIfAbsent(spec.tag(), tag);
        if (previous != null) {
            synchronized (previous) {
                if (previous.state != State.GAVE_UP || previous.stopping) {
                    throw new PmfException("tag " + spec.tag() + " is already supervised (" + previous.state
                            + "); expected a tag that is not (stop it first)");
                }
                // being given up, hence removed, meanwhile: take its place
                tags.remove(spec.tag(), previous);
                if (tags.putIfAbsent(spec.tag(), tag) != null) {
                    throw new PmfException("tag " + spec.tag() + " changed while being started; try again");
                }
            }
        }
        synchronized (tag) {
            Tree.Result launched = Tree.launch(shim, spec, store.socket(spec.tag()), store.log(spec.tag()));
            if (launched.tree() == null) {
                tags.remove(spec.tag(), tag);
                awaitWrite(() -> store.delete(spec.tag()), spec.tag());
                throw new PmfException("cannot start tag " + spec.tag() + ": " + launched.failure());
            }
            tag.tree = launched.tree();
            tag.started = launched.tree().started;
            tag.state = State.RUNNING;
            supervise(tag);
        }
        try {
            awaitWrite(() -> store.save(record(tag)), spec.tag());
        } catch (PmfException e) {
            synchronized (tag) {
                tag.stopping = true;
            }
            tags.remove(spec.tag(), tag);
            Tree.killTree(tag.tree.shimPid, tag.tree.shimStartTime, false);
            throw e;
        }
        LOG.info("Tag {} started: {} as pid {} (shim {}, level {})", spec.tag(), spec.command().get(0),
                tag.tree.programPid, tag.tree.shimPid, spec.childMonitorLevel());
        return statusOf(tag, ProcTable.snapshot());
    }

    @Override
    public boolean stop(String tag, int signal, Duration timeout) throws PmfException {
        Signals.check(signal);
        if (timeout == null || timeout.isNegative()) {
            throw new PmfException("stop timeout " + timeout + " is not valid; expected zero or more");
        }
        givenUp.remove(tag);
        Tag t = tags.get(tag);
        if (t == null) {
            return false;
        }
        Tree tree;
        synchronized (t) {
            t.stopping = true;
            tree = t.tree;
        }
        try {
            if (tree != null) {
                terminate(t.name, tree, signal, timeout);
            }
        } finally {
            tags.remove(tag, t);
            awaitWrite(() -> store.delete(tag), tag);
        }
        LOG.info("Tag {} stopped", tag);
        return true;
    }

    /** Signal, wait for the tree to be over, SIGKILL what is left, wait for the shim. */
    private void terminate(String tag, Tree tree, int signal, Duration timeout) throws PmfException {
        // an interrupt must neither cut the kill short nor turn the waits into spinning
        boolean interrupted = Thread.interrupted();
        try {
            terminate0(tag, tree, signal, timeout);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void terminate0(String tag, Tree tree, int signal, Duration timeout) throws PmfException {
        if (!tree.over.isDone()) {
            List<ProcStat> procs = tree.processes(ProcTable.snapshot());
            LOG.debug("Tag {}: signal {} to {}", tag, signal, pids(procs));
            try {
                Signals.send(procs, signal);
                awaitOver(tree, timeout);
            } catch (PmfException e) {
                LOG.warn("Tag {}: {}; killing its tree at once", tag, e.getMessage());
            }
        }
        long bound = System.nanoTime() + KILL_BOUND.toNanos();
        long backoff = TimeUnit.MICROSECONDS.toNanos(100);
        while (true) {
            List<ProcStat> left = tree.processes(ProcTable.snapshot());
            if (left.isEmpty()) {
                break;
            }
            if (System.nanoTime() - bound > 0) {
                throw new PmfException("tag " + tag + ": processes " + pids(left) + " survive SIGKILL (in "
                        + "uninterruptible sleep?); the tag is no longer supervised");
            }
            LOG.debug("Tag {}: SIGKILL to {}", tag, pids(left));
            Signals.send(left, Signals.SIGKILL);
            if (!awaitOver(tree, Duration.ofNanos(backoff))) {
                backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        if (!tree.awaitShimExit(KILL_BOUND)) {
            LOG.warn("Tag {}: its shim (pid {}) has not exited although its tree is empty", tag, tree.shimPid);
        }
    }

    @Override
    public void signal(String tag, int signal) throws PmfException {
        Signals.check(signal);
        Tag t = known(tag);
        Tree tree;
        synchronized (t) {
            tree = t.state == State.RUNNING ? t.tree : null;
        }
        if (tree == null) {
            throw new PmfException("tag " + tag + " has no running tree (" + t.state + "); expected a running tag");
        }
        Signals.send(tree.processes(ProcTable.snapshot()), signal);
    }

    @Override
    public void modify(String tag, int retries, Duration period) throws PmfException {
        Tag t = known(tag);
        if (retries < -1) {
            throw new PmfException("retries " + retries + " is not valid; expected -1 (unlimited) or more");
        }
        if (period == null || period.isNegative()) {
            throw new PmfException("period " + period + " is not valid; expected zero (no window) or more");
        }
        synchronized (t) {
            ProcessSpec s = t.spec;
            t.spec = new ProcessSpec(s.tag(), s.command(), s.environment(), s.workDir(), retries, period, s.action(),
                    s.childMonitorLevel());
        }
        awaitWrite(() -> store.save(record(t)), tag);
    }

    @Override
    public Optional<TagStatus> status(String tag) {
        Tag t = tags.get(tag);
        return t == null ? Optional.empty() : Optional.of(statusOf(t, ProcTable.snapshot()));
    }

    @Override
    public List<TagStatus> list() {
        ProcTable table = ProcTable.snapshot();
        List<TagStatus> all = new ArrayList<>();
        for (Tag t : tags.values()) {
            all.add(statusOf(t, table));
        }
        for (Tag t : givenUp.values()) {
            if (!tags.containsKey(t.name)) {
                all.add(statusOf(t, table));
            }
        }
        all.sort(Comparator.comparing(TagStatus::tag));
        return all;
    }

    @Override
    public AutoCloseable addListener(String tagPrefix, PmfListener listener) {
        Registration r = new Registration(Objects.requireNonNull(tagPrefix, "tagPrefix"),
                Objects.requireNonNull(listener, "listener"));
        listeners.add(r);
        return () -> listeners.remove(r);
    }

    private TagStatus statusOf(Tag t, ProcTable table) {
        ProcessSpec spec;
        State state;
        Tree tree;
        Instant started;
        int restarts;
        synchronized (t) {
            spec = t.spec;
            state = t.state;
            tree = t.tree;
            started = t.started;
            restarts = t.budget.count(clock.instant(), spec.period());
        }
        List<Long> pids = state == State.RUNNING && tree != null ? pids(tree.processes(table)) : List.of();
        return new TagStatus(spec, pids, restarts, started, state);
    }

    // --- supervision ---------------------------------------------------------------------------

    /** Starts the tag's supervisor thread. Called holding the tag. */
    private void supervise(Tag t) {
        Thread th = new Thread(null, () -> superviseLoop(t), "vigil-pmf " + t.name, SUPERVISOR_STACK);
        th.setDaemon(true);
        t.supervisor = th;
        th.start();
    }

    private void superviseLoop(Tag t) {
        Tree tree;
        synchronized (t) {
            tree = t.tree;
        }
        try {
            while (tree != null) {
                End end;
                try {
                    end = tree.awaitEnd();
                } catch (AsynchronousCloseException e) {
                    if (closed) {
                        return; // deactivated: the tree runs on, for the next agent to adopt
                    }
                    end = End.lost("the connection to its shim was closed");
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                    end = End.lost("the connection to its shim failed: " + e.getMessage());
                }
                if (closed) {
                    return;
                }
                tree = afterDeath(t, tree, end);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Tag {}: its supervisor failed; the tag is no longer watched", t.name, e);
        }
    }

    /**
     * Handles the end of a tree: restart, action or give up.
     *
     * @return the next tree to watch, or null when there is none (stopped, given up, closed)
     */
    private Tree afterDeath(Tag t, Tree tree, End end) {
        if (end.lost()) {
            LOG.warn("Tag {}: tree of shim {} {}; killing what is left of it", t.name, tree.shimPid, end);
            Tree.killTree(tree.shimPid, tree.shimStartTime, true);
        }
        tree.over.complete(end);
        Tree next;
        int restarts;
        ProcessSpec spec;
        boolean action = false;
        synchronized (t) {
            if (t.stopping || closed) {
                return null;
            }
            spec = t.spec;
            Instant now = clock.instant();
            if (t.budget.allows(now, spec.retries(), spec.period())) {
                t.budget.record(now);
                restarts = t.budget.count(now, spec.period());
                next = relaunch(t);
                LOG.info("Tag {}: tree {}; {} (restart {} in window, retries {})", t.name, end,
                        next == null ? "cannot restart it" : "restarted as pid " + next.programPid, restarts,
                        spec.retries());
            } else if (spec.action().isPresent()) {
                t.state = State.RESTARTING;
                restarts = t.budget.count(now, spec.period());
                next = null;
                action = true;
                LOG.warn("Tag {}: tree {}; retry budget exhausted ({} restarts within {}), running action {}",
                        t.name, end, restarts, spec.period(), spec.action().get());
            } else {
                giveUp(t);
                restarts = t.budget.count(now, spec.period());
                next = null;
                LOG.warn("Tag {}: tree {}; retry budget exhausted ({} restarts within {}): given up, tag removed",
                        t.name, end, restarts, spec.period());
            }
        }
        if (action) {
            return afterAction(t, spec);
        }
        persistLater(t);
        notifyListeners(t.name, restarts, next != null);
        return next;
    }

    /** Runs the action program, then restarts the tree (exit 0) or gives up. */
    private Tree afterAction(Tag t, ProcessSpec spec) {
        int code = runAction(t.name, spec);
        Tree next = null;
        int restarts;
        synchronized (t) {
            if (t.stopping || closed) {
                return null;
            }
            Instant now = clock.instant();
            if (code == 0) {
                t.budget.record(now);
                next = relaunch(t);
                LOG.info("Tag {}: action exited 0; {}", t.name,
                        next == null ? "cannot restart it" : "restarted as pid " + next.programPid);
            } else {
                giveUp(t);
                LOG.warn("Tag {}: action {}; given up, tag removed", t.name, code < 0 ? "failed" : "exited " + code);
            }
            restarts = t.budget.count(now, spec.period());
        }
        persistLater(t);
        notifyListeners(t.name, restarts, next != null);
        return next;
    }

    /**
     * Gives a tag up: no more restarts, and it is no longer supervised, so that {@link #status} is
     * empty before the listeners are told. Its record is deleted by {@link #persistLater}. Called
     * holding the tag.
     */
    private void giveUp(Tag t) {
        t.state = State.GAVE_UP;
        tags.remove(t.name, t);
        givenUp.put(t.name, t);
    }

    /**
     * Launches the tag's tree again. Called holding the tag.
     *
     * @return the new tree, or null when it could not be started (the tag is then given up)
     */
    private Tree relaunch(Tag t) {
        Tree.Result r = Tree.launch(shim, t.spec, store.socket(t.name), store.log(t.name));
        if (r.tree() == null) {
            LOG.error("Tag {}: cannot restart its tree: {}; given up, tag removed", t.name, r.failure());
            giveUp(t);
            return null;
        }
        t.tree = r.tree();
        t.started = r.tree().started;
        t.state = State.RUNNING;
        if (closed) {
            r.tree().close(); // deactivated meanwhile: the next agent adopts it
        }
        return r.tree();
    }

    /**
     * Runs a tag's action program as {@code pmfadm} does: with the arguments {@code failed} and the
     * tag appended, in the tag's working directory, with only PATH in its environment.
     *
     * @return its exit code, or -1 when it could not be run or ran past the action timeout
     */
    private int runAction(String tag, ProcessSpec spec) {
        List<String> argv = new ArrayList<>(spec.action().orElseThrow());
        argv.add("failed");
        argv.add(tag);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(store.log(tag).toFile())).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", spec.environment().getOrDefault("PATH", DEFAULT_PATH));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            LOG.error("Tag {}: cannot run action {}: {}", tag, argv.get(0), e.getMessage());
            return -1;
        }
        try {
            if (p.waitFor(actionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return p.exitValue();
            }
            LOG.error("Tag {}: action {} ran past {} s; killing it", tag, argv.get(0), actionTimeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return -1;
    }

    private void notifyListeners(String tag, int restarts, boolean restarting) {
        for (Registration r : listeners) {
            if (tag.startsWith(r.prefix())) {
                try {
                    r.listener().treeDied(tag, restarts, restarting);
                } catch (RuntimeException e) {
                    LOG.warn("PMF listener {} failed on tag {}", r.listener(), tag, e);
                }
            }
        }
    }

    // --- adoption ------------------------------------------------------------------------------

    private void adoptAll() throws IOException {
        for (TagRecord r : store.loadAll()) {
            ProcessSpec spec = r.spec();
            Tag t = new Tag(spec, clock.instant());
            synchronized (t) {
                tags.put(t.name, t);
                if (r.gaveUp()) {
                    tags.remove(t.name, t);
                    store.delete(t.name);
                    LOG.info("Tag {}: given up by an earlier agent; removed", t.name);
                    continue;
                }
                Tree.Result adopted = Tree.adopt(store.socket(t.name));
                if (adopted.tree() != null) {
                    t.tree = adopted.tree();
                    t.started = t.tree.started;
                    t.state = State.RUNNING;
                    LOG.info("Tag {}: adopted its tree (program pid {}, shim {})", t.name, t.tree.programPid,
                            t.tree.shimPid);
                } else {
                    t.tree = Tree.ended(r.shimPid(), r.shimStartTime(), t.started,
                            End.lost("it ended while no agent watched it: " + adopted.failure()));
                    t.state = State.RESTARTING;
                }
                supervise(t);
            }
        }
    }

    // --- persistence ---------------------------------------------------------------------------

    private interface Write {
        void run() throws IOException;
    }

    private TagRecord record(Tag t) {
        synchronized (t) {
            Tree tree = t.tree;
            return TagRecord.of(t.spec, tree == null ? 0 : tree.shimPid, tree == null ? 0 : tree.shimStartTime,
                    t.state == State.GAVE_UP);
        }
    }

    /**
     * Writes the tag's record in the background, if it is still supervised by then; deletes it
     * when the tag was given up and no tag of that name has been started since.
     */
    private void persistLater(Tag t) {
        try {
            writer.execute(() -> {
                Tag current = tags.get(t.name);
                boolean gaveUp;
                synchronized (t) {
                    gaveUp = t.state == State.GAVE_UP;
                }
                try {
                    if (current == t) {
                        store.save(record(t));
                    } else if (current == null && gaveUp) {
                        store.delete(t.name);
                    }
                    // otherwise stopped (its record is deleted) or replaced (the new tag wrote its own)
                } catch (IOException e) {
                    LOG.error("Tag {}: {}", t.name, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Tag {}: record not written, the PMF is closing", t.name);
        }
    }

    private void awaitWrite(Write w, String tag) throws PmfException {
        Future<?> f;
        try {
            f = writer.submit(() -> {
                w.run();
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new PmfException("the process monitor is closing; tag " + tag + " not changed");
        }
        try {
            f.get();
        } catch (ExecutionException e) {
            throw new PmfException("tag " + tag + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PmfException("interrupted while writing the record of tag " + tag, e);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private void checkOpen() throws PmfException {
        if (closed) {
            throw new PmfException("the process monitor is closed");
        }
    }

    private Tag known(String tag) throws PmfException {
        Tag t = tags.get(tag);
        if (t == null) {
            throw new PmfException("tag " + tag + " is not supervised; expected one of pmfadm -L");
        }
        return t;
    }

    private static void validate(ProcessSpec spec) throws PmfException {
        String tag = spec.tag();
        checkProgram(tag, "program", spec.command().get(0));
        if (spec.action().isPresent()) {
            if (spec.action().get().isEmpty()) {
                throw new PmfException("tag " + tag + ": the action is empty; expected a program and its arguments");
            }
            checkProgram(tag, "action program", spec.action().get().get(0));
        }
        if (!Files.isDirectory(spec.workDir())) {
            throw new PmfException("tag " + tag + ": working directory " + spec.workDir()
                    + " does not exist; expected a directory");
        }
        if (spec.period().isNegative()) {
            throw new PmfException("tag " + tag + ": period " + spec.period() + " is negative; expected zero or more");
        }
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0 || e.getKey().indexOf('\0') >= 0
                    || e.getValue().indexOf('\0') >= 0) {
                throw new PmfException("tag " + tag + ": environment variable '" + e.getKey()
                        + "' is not valid; expected a name without '=' and values without NUL");
            }
        }
        for (String arg : spec.command()) {
            if (arg.indexOf('\0') >= 0) {
                throw new PmfException("tag " + tag + ": an argument holds a NUL character; expected none");
            }
        }
    }

    private static void checkProgram(String tag, String what, String program) throws PmfException {
        Path p = Path.of(program);
        if (!p.isAbsolute()) {
            throw new PmfException("tag " + tag + ": " + what + " '" + program + "' is not an absolute path; expected "
                    + "e.g. /usr/bin/xfs");
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new PmfException("tag " + tag + ": " + what + " " + program + " is missing or not executable; "
                    + "expected an executable file");
        }
    }

    /** Waits for the tree to be over, at most {@code max}, through interrupts (kept); true if it is. */
    private static boolean awaitOver(Tree tree, Duration max) {
        long deadline = System.nanoTime() + Math.max(1, max.toNanos());
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    tree.over.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    return false;
                } catch (ExecutionException e) {
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Long> pids(List<ProcStat> procs) {
        return procs.stream().map(ProcStat::pid).toList();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread th = new Thread(r, name);
        th.setDaemon(true);
        return th;
    }
}
