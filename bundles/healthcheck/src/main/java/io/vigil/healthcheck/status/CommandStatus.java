package io.vigil.healthcheck.status;

import io.vigil.api.command.CommandLine;
import io.vigil.api.command.ProcStat;
import io.vigil.healthcheck.core.Health;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command's exit status, checked every {@code svSleep} on a thread of its own: 0 is UP, anything
 * else DOWN with the status and the first line of output as the reason. A run still going after
 * {@code timeout} is killed with its whole process tree (SIGTERM, then SIGKILL after
 * {@link #KILL_GRACE}), and the status is DOWN. The command runs in a session of its own
 * ({@code /usr/bin/setsid}, when present), so that the kill reaches every process it started,
 * also one forked at the last moment or left behind by a child that exited.
 *
 * <p>The program must exist, be executable and be neither group- nor world-writable; it is found
 * on {@code PATH} when not given as a path. The line is split as {@link CommandLine#split} does.
 */
public final class CommandStatus extends CachedStatus {

    /** How long a killed command gets between SIGTERM and SIGKILL. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private static final int REASON_LIMIT = 200;
    /** Where util-linux installs setsid. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);

    /** The JDK's logger: this class runs standalone too, where only the JDK is there. */
    private static final System.Logger LOG = System.getLogger(CommandStatus.class.getName());

    /**
     * How {@link #check} waits for a run to end. Tests stand in for it to decide when a run counts
     * as hung, instead of racing a short real timeout.
     */
    @FunctionalInterface
    interface Waiter {
        /**
         * @param process the running command
         * @param timeout how long it may take
         * @return whether it ended within {@code timeout}; false makes it a hung run, which is killed
         * @throws InterruptedException if interrupted while waiting
         */
        boolean waitFor(Process process, Duration timeout) throws InterruptedException;
    }

    /** The real waiter: {@link Process#waitFor(long, TimeUnit)} for the whole timeout. */
    static final Waiter PROCESS_WAIT = (process, timeout) -> process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);

    private final List<String> command;
    private final Duration every;
    private final Duration timeout;
    private final Waiter waiter;
    private final Path output;
    private final ScheduledExecutorService executor;

    /**
     * @param commandLine the command line
     * @param every pause between the end of one run and the start of the next
     * @param timeout how long a run may take
     * @param name the responder's name, for the thread
     * @throws IllegalArgumentException if the command line is empty or malformed, or its program is
     *         missing, not executable or group/world-writable
     */
    public CommandStatus(String commandLine, Duration every, Duration timeout, String name) {
        this(commandLine, every, timeout, name, PROCESS_WAIT);
    }

    /**
     * As {@link #CommandStatus(String, Duration, Duration, String)}, waiting for each run with
     * {@code waiter}.
     */
    CommandStatus(String commandLine, Duration every, Duration timeout, String name, Waiter waiter) {
        super(Health.down("not checked yet"));
        this.command = List.copyOf(split(commandLine));
        this.every = every;
        this.timeout = timeout;
        this.waiter = waiter;
        checkProgram(command.get(0));
        try {
            this.output = Files.createTempFile("healthcheck-" + name + "-", ".out",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file for the command's output", e);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "healthcheck-" + name + "-command");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(Consumer<Health> changes) {
        super.start(changes);
        executor.scheduleWithFixedDelay(this::checkAndReport, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * One scheduled run. It never throws: an exception would cancel the schedule and freeze the
     * status, so it turns the status DOWN with the exception as the reason, and the next run goes on.
     */
    private void checkAndReport() {
        try {
            report(check());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the status check of " + describe() + " failed", e);
            try {
                report(Health.down("the status check failed: " + e));
            } catch (RuntimeException again) {
                LOG.log(System.Logger.Level.WARNING, "the failed status check of " + describe()
                        + " could not be reported", again);
            }
        }
    }

    private void report(Health after) {
        set(after, Instant.now());
    }

    /**
     * Runs the command once, on the calling thread.
     *
     * @return its finding (also kept as {@link #current()} when run by the schedule)
     */
    public Health check() {
        Process p;
        try {
            List<String> argv = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                argv.add(SETSID.toString());
                argv.add("--wait");
            }
            argv.addAll(command);
            p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return Health.down("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (!waiter.waitFor(p, timeout)) {
                killTree(p);
                return Health.down("command timed out after " + seconds(timeout) + " and was killed");
            }
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            return Health.down("stopped");
        }
        int status = p.exitValue();
        String firstLine = firstLine();
        if (status == 0) {
            return Health.up(firstLine.isEmpty() ? "command exited with status 0" : firstLine);
        }
        return Health.down("command exited with status " + status + (firstLine.isEmpty() ? "" : ": " + firstLine));
    }

    private String firstLine() {
        try {
            String text = Files.readString(output, StandardCharsets.ISO_8859_1).strip();
            int nl = text.indexOf('\n');
            String line = (nl < 0 ? text : text.substring(0, nl)).strip();
            return line.length() > REASON_LIMIT ? line.substring(0, REASON_LIMIT) : line;
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM to every process of the command's session and its descendants, then SIGKILL,
     * repeatedly, to what is still running after {@link #KILL_GRACE}, until nothing is. Without
     * setsid the command shares the agent's session, and only its descendants as they are can be
     * found.
     */
    private static void killTree(Process p) {
        boolean interrupted = Thread.interrupted(); // an interrupt must not cut the kill short
        try {
            // read once, while the command runs: the session outlives it in what it left behind
            long session = ownSession(p) ? p.pid() : -1;
            members(p, session).forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + KILL_GRACE.toNanos();
            while (!members(p, session).isEmpty() && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
            long bound = System.nanoTime() + KILL_BOUND.toNanos();
            for (List<ProcessHandle> left = members(p, session); !left.isEmpty(); left = members(p, session)) {
                left.forEach(ProcessHandle::destroyForcibly);
                if (System.nanoTime() - bound >= 0) {
                    LOG.log(System.Logger.Level.ERROR, "Processes " + left.stream().map(ProcessHandle::pid).toList()
                            + " of the status command survive SIGKILL; giving up on them");
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the command leads a session of its own (setsid ran it), not the agent's. */
    private static boolean ownSession(Process p) {
        long self = ProcessHandle.current().pid();
        return ProcStat.read(self).map(ProcStat::session).filter(s -> s == p.pid()).isEmpty()
                && ProcStat.read(p.pid()).map(ProcStat::session).filter(s -> s == p.pid()).isPresent();
    }

    /**
     * @param session the command's own session, or -1 when it has none
     * @return the running processes of that session and the command's running descendants
     */
    private static List<ProcessHandle> members(Process p, long session) {
        java.util.Map<Long, ProcessHandle> found = new java.util.LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        if (session > 0) {
            for (ProcStat s : ProcStat.inSession(session)) {
                if (s.pid() != self) {
                    ProcessHandle.of(s.pid()).ifPresent(h -> found.put(h.pid(), h));
                }
            }
        }
        if (p.isAlive() && ProcStat.read(p.pid()).map(ProcStat::running).orElse(false)) {
            found.putIfAbsent(p.pid(), p.toHandle());
        }
        p.descendants().filter(h -> ProcStat.read(h.pid()).map(ProcStat::running).orElse(false))
                .forEach(h -> found.putIfAbsent(h.pid(), h));
        return List.copyOf(found.values());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public String describe() {
        return "command " + String.join(" ", command);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(timeout.plus(KILL_GRACE).toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the status command of " + describe() + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file left behind in the temporary folder is harmless
            }
        }
    }

    /**
     * @param line a command line, split as {@link CommandLine#split} does (no shell runs it)
     * @return its words
     * @throws IllegalArgumentException if it is empty, a quote is not closed, or it needs a shell
     */
    static List<String> split(String line) {
        try {
            return CommandLine.split(line);
        } catch (CommandLine.InvalidCommandLine e) {
            throw new IllegalArgumentException("command " + e.getMessage(), e);
        }
    }

    private static void checkProgram(String program) {
        Path path = program.contains("/") ? Path.of(program) : onPath(program);
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("command program '" + program + "' does not exist"
                    + (program.contains("/") ? "" : " on PATH") + "; expected an executable file");
        }
        if (!Files.isExecutable(path)) {
            throw new IllegalArgumentException("command program " + path + " is not executable; expected mode 755 or stricter");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path.toRealPath(), LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException("command program " + path + " is group- or world-writable ("
                        + PosixFilePermissions.toString(perms) + "); refused, expected it writable by its owner only");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("command program " + path + " cannot be inspected: " + e.getMessage(), e);
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
