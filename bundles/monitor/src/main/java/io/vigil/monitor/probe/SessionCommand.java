package io.vigil.monitor.probe;

import io.vigil.api.command.ProcStat;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a probe command as a session of its own, with a timeout, the way {@code scds_timerun} runs
 * one under {@code hatimerun} (Linux only).
 *
 * <p>The command is started as {@code /usr/bin/setsid --wait <argv>}: a process the JVM starts
 * is never a process group leader, so setsid makes a new session and executes the command in
 * place, and the command's pid is the session id that all its descendants keep. On a timeout,
 * every process of the session and every descendant of the command is sent the kill signal
 * (scds_timerun's {@code signal}; SIGKILL by default); with another signal than SIGKILL, what is
 * still running after a grace period then gets SIGKILL, so that nothing outlives the probe. On an
 * interrupt they get SIGKILL at once. A probe command should leave nothing behind; whatever it
 * leaves running after it exits is killed with SIGKILL.
 *
 * <p>stdin is {@code /dev/null}; stdout and stderr go to a private temporary file (deleted
 * afterwards), from which the last line is reported. A file rather than a pipe: a process left
 * holding a pipe could block the reader, a file blocks nobody.
 */
final class SessionCommand {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCommand.class);

    /** Where util-linux installs setsid. */
    static final Path SETSID = Path.of("/usr/bin/setsid");

    private static final File DEV_NULL = new File("/dev/null");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);
    private static final List<Path> KILL_PROGRAMS = List.of(Path.of("/bin/kill"), Path.of("/usr/bin/kill"));
    private static final int TAIL_BYTES = 4096;
    private static final int LINE_MAX = 300;

    /**
     * How a command ended.
     *
     * @param timedOut whether it ran past its timeout and was killed
     * @param exitCode its exit code (128 + N when killed by signal N); -1 when it timed out
     * @param lastLine the last non-blank line of its output, or empty
     * @param signalled on a timeout, how many processes (the command and its descendants) were
     *     sent the kill signal; 0 otherwise
     * @param killed how many processes got SIGKILL: on a timeout with SIGKILL as the kill signal
     *     the same as {@code signalled}; with another kill signal, those still running after the
     *     grace period; without a timeout, what the command left running
     */
    record Outcome(boolean timedOut, int exitCode, String lastLine, int signalled, int killed) {
    }

    private SessionCommand() {
    }

    /**
     * Runs a command and waits for it, at most {@code timeout}.
     *
     * @param argv the program (a name looked up in the environment's PATH, or a path) and its
     *     arguments
     * @param env the command's whole environment
     * @param timeout how long it may run
     * @param signal what its processes are sent when the timeout passes
     * @param grace with another signal than SIGKILL, how long they may take to end after it
     *     before what is left gets SIGKILL
     * @return how it ended
     * @throws IOException when it cannot be started (setsid missing, no temporary file); a
     *     program that cannot be executed is reported by setsid as exit 126 or 127
     * @throws InterruptedException when the calling thread was interrupted; the session is
     *     killed first
     */
    static Outcome run(List<String> argv, Map<String, String> env, Duration timeout, KillSignal signal,
            Duration grace) throws IOException, InterruptedException {
        if (!Files.isExecutable(SETSID)) {
            throw new IOException(SETSID + " is missing or not executable; expected setsid from util-linux, "
                    + "which runs each probe command in its own session");
        }
        List<String> command = new ArrayList<>(argv.size() + 2);
        command.add(SETSID.toString());
        command.add("--wait");
        command.addAll(argv);
        Path output = Files.createTempFile("vigil-probe-", ".out"); // owner-only (0600)
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean exited;
            try {
                exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                kill(process);
                throw e;
            }
            if (!exited) {
                if (signal == KillSignal.KILL) {
                    int killed = kill(process);
                    return new Outcome(true, -1, lastLine(output), killed, killed);
                }
                int signalled = 0;
                try {
                    signalled = signal(process, signal);
                    awaitEnd(process, grace);
                } catch (IOException e) {
                    LOG.warn("Probe command {} timed out: {}; killing it with SIGKILL", argv.get(0), e.getMessage());
                } catch (InterruptedException e) {
                    kill(process);
                    throw e;
                }
                int killed = kill(process);
                return new Outcome(true, -1, lastLine(output), signalled, killed);
            }
            int code = process.exitValue();
            int left = kill(process);
            if (left > 0) {
                LOG.debug("{} left {} processes running; killed them", argv.get(0), left);
            }
            return new Outcome(false, code, lastLine(output), 0, left);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Sends a signal once to every running process of the command's session and every running
     * descendant of the command: SIGTERM through {@link ProcessHandle#destroy()}, any other signal
     * through the {@code kill} program (Java sends no other).
     *
     * @return how many processes were signalled
     * @throws IOException when the kill program is missing or cannot be run
     */
    private static int signal(Process process, KillSignal signal) throws IOException, InterruptedException {
        Map<Long, ProcessHandle> members = members(process);
        if (members.isEmpty()) {
            return 0;
        }
        if (signal == KillSignal.TERM) {
            members.values().forEach(ProcessHandle::destroy);
            return members.size();
        }
        Path kill = KILL_PROGRAMS.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IOException(
                "cannot send " + signal.displayName() + ": no kill program at " + KILL_PROGRAMS
                        + "; expected procps or util-linux"));
        List<String> command = new ArrayList<>();
        command.add(kill.toString());
        command.add("-" + signal.number());
        command.add("--");
        members.keySet().forEach(pid -> command.add(Long.toString(pid)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Process k = pb.start();
        if (!k.waitFor(KILL_BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
            k.destroyForcibly();
            throw new IOException("cannot send " + signal.displayName() + ": " + kill + " did not finish");
        }
        return members.size(); // "no such process" for one that just ended: nothing to do
    }

    /**
     * Waits until the command and every other process of its session have ended, at most
     * {@code grace}: the command may end before the processes it signalled along with it have
     * finished dying, and those are not "still running" for SIGKILL.
     */
    private static void awaitEnd(Process process, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
        }
        while (!members(process).isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted during the grace period");
            }
        }
    }

    /**
     * SIGKILL, repeatedly, to every running process of the command's session and every running
     * descendant of the command, until there is none; then reaps the command.
     *
     * @return how many distinct processes were killed
     */
    private static int kill(Process process) {
        boolean interrupted = Thread.interrupted(); // an interrupt must not cut the kill short
        Map<Long, ProcessHandle> killed = new LinkedHashMap<>();
        long bound = System.nanoTime() + KILL_BOUND.toNanos();
        try {
            for (Map<Long, ProcessHandle> left = members(process); !left.isEmpty(); left = members(process)) {
                left.values().forEach(ProcessHandle::destroyForcibly);
                left.forEach(killed::putIfAbsent);
                if (System.nanoTime() - bound >= 0) {
                    LOG.error("Probe command session {}: processes {} survive SIGKILL; giving up on them",
                            process.pid(), left.keySet());
                    break;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            process.waitFor(Math.max(0, bound - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return killed.size();
    }

    /** The running (not zombie) processes of the command's session, and its running descendants. */
    private static Map<Long, ProcessHandle> members(Process process) {
        long session = process.pid();
        long self = ProcessHandle.current().pid();
        boolean ownSession = session == sessionOf(self).orElse(-1L);
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        if (!ownSession) {
            ProcessHandle.allProcesses()
                    .filter(h -> h.pid() != self && sessionOf(h.pid()).orElse(-1L) == session)
                    .forEach(h -> found.put(h.pid(), h));
        }
        if (process.isAlive() && sessionOf(process.pid()).isPresent()) {
            found.putIfAbsent(process.pid(), process.toHandle());
        }
        process.descendants().filter(h -> sessionOf(h.pid()).isPresent()).forEach(h -> found.putIfAbsent(h.pid(), h));
        return found;
    }

    /**
     * @return the session id (field 6 of {@code /proc/<pid>/stat}) of a running process; empty
     *     when there is no such process or it is a zombie
     */
    private static Optional<Long> sessionOf(long pid) {
        return ProcStat.read(pid).filter(ProcStat::running).map(ProcStat::session);
    }

    private static String lastLine(Path output) throws IOException {
        byte[] tail;
        try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            tail = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(tail);
        }
        String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                return line.length() > LINE_MAX ? line.substring(0, LINE_MAX) + "…" : line;
            }
        }
        return "";
    }
}
