package io.vigil.rgm.exec;

import io.vigil.api.command.ProcStat;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a method program as its own process tree, with a timeout, and reports how it ended
 * (Linux only).
 *
 * <p><b>Session.</b> The program is launched as {@code /usr/bin/setsid --wait <argv>}
 * (util-linux). A process the JVM starts is never a process group leader, so {@code setsid}
 * calls {@code setsid(2)} and executes the program in place: the program keeps the pid of the
 * {@link Process}, and that pid is the id of its new session. Every process it forks, including
 * double-forked children that were reparented to init, keeps that session id (field 6 of
 * {@code /proc/<pid>/stat}) unless it calls {@code setsid} itself. ({@code --wait} matters only
 * if {@code setsid} ever has to fork: it then waits and passes the exit code on.)
 *
 * <p><b>Timeout.</b> When the program runs past its timeout, every process of its session and
 * every descendant of the program gets SIGTERM; whatever is left after the kill grace gets
 * SIGKILL, repeatedly, until the session is empty. Processes are signalled through
 * {@link ProcessHandle#destroy()} / {@link ProcessHandle#destroyForcibly()}, which on Linux send
 * SIGTERM / SIGKILL to any process, child or not, after checking its start time so that a
 * recycled pid is never hit. {@code run} returns only once they are gone.
 *
 * <p><b>Normal exit.</b> Processes the program leaves running in its session are not touched:
 * that is how a Start method launches a service. {@link MethodOutcome#pid()} is the session id;
 * {@link #killSession} kills what is left when asked to.
 *
 * <p><b>Output.</b> stdout and stderr go, merged in the order written, to a named pipe in a
 * private temporary directory (mode 0700; the pipe is unlinked as soon as both ends are open) and
 * a reader thread hands each line to the caller's consumer as it arrives. A named pipe rather
 * than {@link Process#getInputStream()}: a daemon started without redirecting its output inherits
 * the write end and would keep a pipe open forever; on the JDK's own pipe a thread blocked reading
 * holds the stream's lock, which stalls the JDK's process reaper, and when the reaper does get the
 * lock it closes the read end, after which the daemon dies of SIGPIPE on its next write. With our
 * own pipe, {@code run} waits for end of file only for a short drain period after the program
 * exits (250 ms by default), then returns; the reader thread
 * keeps draining (logging the lines at DEBUG, no longer calling the consumer) until the last
 * writer closes, so the daemon is neither blocked by a full pipe nor killed by SIGPIPE.
 *
 * <p><b>Exit codes.</b> Java reports a process killed by signal N as exit code 128+N, like the
 * shell does; codes 129..192 are therefore reported as signals 1..64, including those of a program
 * that explicitly exits with such a code.
 *
 * <p>The program's stdin is {@code /dev/null}; its environment is exactly the map given (see
 * {@link MethodCommand#environment()}). Every started process is waited for. Instances are
 * stateless and may be shared between threads; {@code run} blocks the calling thread.
 */
public final class ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

    /** Where util-linux installs setsid. */
    public static final Path SETSID = Path.of("/usr/bin/setsid");

    /** How long to wait for end of output after the program exits, by default: 250 ms. */
    public static final Duration DEFAULT_OUTPUT_DRAIN = Duration.ofMillis(250);

    /** How many of the last output lines an outcome keeps. */
    public static final int OUTPUT_LINES_KEPT = 10;

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);
    private static final File DEV_NULL = new File("/dev/null");

    private final Path setsid;
    private final Path mkfifo;
    private final Duration outputDrain;

    /** A runner that waits {@link #DEFAULT_OUTPUT_DRAIN} for output after a program exits. */
    public ProcessRunner() {
        this(DEFAULT_OUTPUT_DRAIN);
    }

    /**
     * A runner.
     *
     * @param outputDrain how long to wait for the end of the output after the program exited
     *     before returning without it (the output of processes the program left running)
     */
    public ProcessRunner(Duration outputDrain) {
        this(SETSID, Files.isExecutable(Path.of("/usr/bin/mkfifo")) ? Path.of("/usr/bin/mkfifo")
                : Path.of("/bin/mkfifo"), outputDrain);
    }

    ProcessRunner(Path setsid, Path mkfifo, Duration outputDrain) {
        this.setsid = Objects.requireNonNull(setsid, "setsid");
        this.mkfifo = Objects.requireNonNull(mkfifo, "mkfifo");
        this.outputDrain = nonNegative("outputDrain", outputDrain);
    }

    /**
     * Runs a method command built by {@link MethodCommand}.
     *
     * @param command the command: argument vector and environment
     * @param workDir see {@link #run(List, Map, Path, Duration, Duration, Consumer)}
     * @param timeout see there
     * @param killGrace see there
     * @param outputLine see there
     * @return how the program ended
     * @throws IOException when the program could not be launched
     * @throws InterruptedException when the calling thread was interrupted (the tree is killed)
     */
    public MethodOutcome run(MethodCommand command, Path workDir, Duration timeout, Duration killGrace,
            Consumer<String> outputLine) throws IOException, InterruptedException {
        return run(command.argv(), command.environment(), workDir, timeout, killGrace, outputLine);
    }

    /**
     * Runs a program in its own session and waits for it, at most {@code timeout}.
     *
     * @param argv the program (absolute path) and its arguments
     * @param env the program's whole environment
     * @param workDir its working directory; null for {@code /}
     * @param timeout how long it may run; past that its tree is killed
     * @param killGrace how long processes get between SIGTERM and SIGKILL
     * @param outputLine receives each line of output (stdout and stderr merged, without the line
     *     end; lines longer than 8 KiB are cut) as it comes, on a reader thread, never after
     *     {@code run} returned; may be null. It should not block: the program would block too once
     *     the pipe is full.
     * @return how the program ended
     * @throws IOException when the program could not be launched: setsid or mkfifo missing, no
     *     such working directory, no temporary directory. (A program that cannot be executed is
     *     reported by setsid: exit 126 or 127 with its message in the output.)
     * @throws InterruptedException when the calling thread was interrupted while waiting; the
     *     process tree is killed first, as on a timeout, so that nothing outlives the call
     */
    public MethodOutcome run(List<String> argv, Map<String, String> env, Path workDir, Duration timeout,
            Duration killGrace, Consumer<String> outputLine) throws IOException, InterruptedException {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument vector; expected at least the program");
        }
        Objects.requireNonNull(env, "env");
        positive("timeout", timeout);
        nonNegative("killGrace", killGrace);
        Path dir = workDir == null ? Path.of("/") : workDir;
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot run " + argv.get(0) + ": working directory " + dir
                    + " does not exist; expected a directory");
        }
        requireTool(setsid, "util-linux", "to run each method in its own session");
        requireTool(mkfifo, "coreutils", "to read method output");

        List<String> command = new ArrayList<>(argv.size() + 2);
        command.add(setsid.toString());
        command.add("--wait");
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);

        long started = System.nanoTime();
        Launched launched = launch(pb, argv.get(0));
        Process process = launched.process;
        long session = process.pid();
        OutputPump pump = new OutputPump(launched.output, argv.get(0) + "[" + session + "]", OUTPUT_LINES_KEPT,
                outputLine);
        Thread reader = new Thread(pump, "vigil-method-output-" + session);
        reader.setDaemon(true);
        reader.start();
        LOG.debug("Started {} as pid {} (its session), timeout {}", argv, session, timeout);

        boolean exited;
        try {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            LOG.warn("Interrupted while waiting for {}; killing its process tree (session {})", argv.get(0), session);
            killTree(session, process.toHandle(), killGrace);
            awaitExit(process, argv.get(0));
            pump.detach();
            throw e;
        }
        if (exited) {
            Duration duration = Duration.ofNanos(System.nanoTime() - started);
            int code = process.exitValue();
            if (!awaitOutput(pump, outputDrain)) {
                LOG.debug("{} exited but processes it left running (session {}) still hold its output; "
                        + "not waiting for them", argv.get(0), session);
            }
            List<String> lines = pump.detach();
            return code > 128 && code <= 128 + 64
                    ? MethodOutcome.signaled(session, code - 128, duration, lines)
                    : MethodOutcome.exited(session, code, duration, lines);
        }
        LOG.warn("{} timed out after {}; killing its process tree (session {})", argv.get(0),
                MethodOutcome.formatDuration(timeout), session);
        int killed = killTree(session, process.toHandle(), killGrace);
        awaitExit(process, argv.get(0));
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        awaitOutput(pump, outputDrain);
        return MethodOutcome.timedOut(session, timeout, killed, duration, pump.detach());
    }

    /**
     * Kills every process of a session: SIGTERM, then SIGKILL for what is left after the grace
     * period. Use it to get rid of what a method left running (its {@link MethodOutcome#pid()}).
     *
     * @param sessionId the session id, i.e. the pid of the program that was run
     * @param killGrace how long processes get between SIGTERM and SIGKILL
     * @return how many processes were signalled (0 when the session was already empty)
     * @throws IllegalArgumentException for the agent's own session or a session id below 2
     */
    public static int killSession(long sessionId, Duration killGrace) {
        nonNegative("killGrace", killGrace);
        checkForeignSession(sessionId);
        return killTree(sessionId, null, killGrace);
    }

    /**
     * The running processes of a session (zombies excluded).
     *
     * @param sessionId the session id, i.e. the pid of the program that was run
     * @return the processes, in no particular order
     */
    public static List<ProcessHandle> sessionProcesses(long sessionId) {
        return new ArrayList<>(members(sessionId, null).values());
    }

    // --- launching -----------------------------------------------------------------------------

    private static final class Launched {
        final Process process;
        final FileChannel output;

        Launched(Process process, FileChannel output) {
            this.process = process;
            this.output = output;
        }
    }

    /**
     * Starts the process with stdout and stderr on a fresh named pipe and returns the pipe's read
     * end. Opening a named pipe blocks until the other side opens too, except read-write; so a
     * read-write handle is opened first, which lets both the read-only handle and the JVM's
     * write-only open for the child proceed at once, and is closed afterwards so that end of file
     * comes when the child's side closes.
     */
    private Launched launch(ProcessBuilder pb, String program) throws IOException {
        Path fifo = takeFifo();
        try {
            FileChannel keepOpen = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileChannel output = FileChannel.open(fifo, StandardOpenOption.READ);
                try {
                    Process process = pb.redirectOutput(fifo.toFile()).start();
                    return new Launched(process, output);
                } catch (IOException | RuntimeException e) {
                    output.close();
                    throw new IOException("cannot run " + program + ": " + e.getMessage(), e);
                }
            } finally {
                keepOpen.close();
            }
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    /** How many named pipes one mkfifo call makes: a process per method would cost a few ms each. */
    static final int FIFO_BATCH = 32;

    private final Deque<Path> fifos = new ArrayDeque<>();
    private Path fifoDir;
    private long fifoCount;

    /**
     * A fresh named pipe from a private (0700) directory, made in batches of {@link #FIFO_BATCH}
     * by one mkfifo call. Each is used by one launch and unlinked once both ends are open.
     */
    private synchronized Path takeFifo() throws IOException {
        if (fifos.isEmpty()) {
            if (fifoDir == null || !Files.isDirectory(fifoDir)) {
                fifoDir = Files.createTempDirectory("vigil-method-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                fifoDir.toFile().deleteOnExit();
            }
            List<Path> batch = new ArrayList<>();
            for (int i = 0; i < FIFO_BATCH; i++) {
                batch.add(fifoDir.resolve("output-" + (fifoCount++)));
            }
            makeFifos(batch);
            fifos.addAll(batch);
        }
        return fifos.removeFirst();
    }

    private void makeFifos(List<Path> batch) throws IOException {
        List<String> argv = new ArrayList<>(List.of(mkfifo.toString(), "-m", "600", "--"));
        batch.forEach(f -> argv.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(MethodCommand.BASE_ENVIRONMENT);
        Process p = pb.start();
        String message;
        try (InputStream in = p.getInputStream()) {
            message = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            awaitExit(p, mkfifo.toString());
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating named pipes in " + fifoDir, e);
        }
        if (code != 0) {
            for (Path f : batch) {
                Files.deleteIfExists(f);
            }
            throw new IOException("cannot create named pipes in " + fifoDir + ": " + mkfifo + " exited with " + code
                    + (message.isEmpty() ? "" : ": " + message));
        }
    }

    private static void requireTool(Path tool, String packageName, String purpose) throws IOException {
        if (!Files.isRegularFile(tool) || !Files.isExecutable(tool)) {
            throw new IOException("cannot run method programs: " + tool + " is missing or not executable; expected "
                    + tool.getFileName() + " from " + packageName + ", which Vigil needs " + purpose);
        }
    }

    // --- killing -------------------------------------------------------------------------------

    /**
     * SIGTERM to every process of the session and every running descendant of {@code root}, then
     * SIGKILL until none is left.
     *
     * @return how many distinct processes were signalled
     */
    private static int killTree(long session, ProcessHandle root, Duration grace) {
        // an interrupt must neither cut the kill short nor turn the waits below into spinning
        boolean interrupted = Thread.interrupted();
        try {
            return killTree0(session, root, grace);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int killTree0(long session, ProcessHandle root, Duration grace) {
        Map<Long, ProcessHandle> signalled = new LinkedHashMap<>();
        for (ProcessHandle h : members(session, root).values()) {
            h.destroy();
            signalled.put(h.pid(), h);
        }
        if (signalled.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            if (members(session, root).isEmpty()) {
                LOG.debug("Session {}: {} processes ended on SIGTERM", session, signalled.size());
                return signalled.size();
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long bound = System.nanoTime() + KILL_BOUND.toNanos();
        Map<Long, ProcessHandle> left = members(session, root);
        while (!left.isEmpty()) {
            LOG.debug("Session {}: SIGKILL to {}", session, left.keySet());
            for (ProcessHandle h : left.values()) {
                h.destroyForcibly();
                signalled.putIfAbsent(h.pid(), h);
            }
            if (System.nanoTime() - bound >= 0) {
                LOG.error("Session {}: processes {} survive SIGKILL (uninterruptible sleep?); giving up on them",
                        session, left.keySet());
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
            left = members(session, root);
        }
        return signalled.size();
    }

    /**
     * The running processes of the session plus the running descendants of {@code root} (which
     * may have left the session) and {@code root} itself, keyed by pid. A handle is taken only
     * after re-reading {@code /proc} confirms the pid still names the process scanned.
     */
    private static Map<Long, ProcessHandle> members(long session, ProcessHandle root) {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        for (ProcStat s : ProcStat.inSession(session)) {
            if (s.pid() == self) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(s.pid());
            Optional<ProcStat> again = ProcStat.read(s.pid());
            if (h.isPresent() && again.isPresent() && again.get().startTime() == s.startTime()
                    && again.get().session() == session && again.get().running()) {
                found.put(s.pid(), h.get());
            }
        }
        if (root != null && root.isAlive()) {
            if (running(root.pid())) {
                found.putIfAbsent(root.pid(), root);
            }
            root.descendants().filter(d -> d.pid() != self && running(d.pid()))
                    .forEach(d -> found.putIfAbsent(d.pid(), d));
        }
        return found;
    }

    private static boolean running(long pid) {
        return ProcStat.read(pid).map(ProcStat::running).orElse(false);
    }

    private static void checkForeignSession(long sessionId) {
        if (sessionId < 2) {
            throw new IllegalArgumentException("session " + sessionId + " is not a method's session; expected the pid "
                    + "of a method program");
        }
        long own = ProcStat.read(ProcessHandle.current().pid()).map(ProcStat::session).orElse(-1L);
        if (sessionId == own) {
            throw new IllegalArgumentException("session " + sessionId + " is the agent's own session; refusing to kill it");
        }
    }

    /**
     * Waits for the end of the output. The program has ended by now, so an interrupt only cuts
     * the wait short (and stays set): the outcome is still reported.
     */
    private static boolean awaitOutput(OutputPump pump, Duration max) {
        try {
            return pump.awaitEof(max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits, ignoring interrupts but keeping the flag, until a killed process has been reaped. */
    private static void awaitExit(Process p, String program) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + KILL_BOUND.toNanos();
        try {
            while (p.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.error("{} (pid {}) has not exited after SIGKILL; the JDK will reap it when it does",
                            program, p.pid());
                    return;
                }
                try {
                    p.waitFor(left, TimeUnit.NANOSECONDS);
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

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " " + d + " is not positive; expected a positive duration");
        }
        return d;
    }

    private static Duration nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " " + d + " is negative; expected zero or more");
        }
        return d;
    }
}
