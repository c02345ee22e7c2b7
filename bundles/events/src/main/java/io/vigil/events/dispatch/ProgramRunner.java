package io.vigil.events.dispatch;

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
 * Runs a handler or recovery program in a session of its own, under a timeout (Linux).
 *
 * <p>The program is started as {@code /usr/bin/setsid --wait <program> <args>}, so its pid is the
 * id of a new session that its descendants keep. On the timeout every process of that session
 * and every descendant gets SIGKILL until none is left. stdin is {@code /dev/null}; stdout and
 * stderr go to an owner-only temporary file (a file rather than a pipe, so that a process left
 * behind blocks nobody), whose last {@value #TAIL_BYTES} bytes are returned and the file deleted.
 * Not final, so that tests can stand in for it without starting processes.
 */
public class ProgramRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramRunner.class);

    /** Where util-linux installs setsid. */
    static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final File DEV_NULL = new File("/dev/null");
    private static final int TAIL_BYTES = 4096;
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);

    /**
     * How a program ended.
     *
     * @param exitCode its exit code (128 + N when killed by signal N); -1 when it timed out
     * @param timedOut whether it ran past its timeout and was killed
     * @param duration how long it ran
     * @param output the end of its output
     */
    public record Outcome(int exitCode, boolean timedOut, Duration duration, String output) {
    }

    private final Path tempDir;

    /** @param tempDir where the output files go */
    public ProgramRunner(Path tempDir) {
        this.tempDir = tempDir;
    }

    /**
     * Runs a program and waits for it, at most {@code timeout}.
     *
     * @param program the program
     * @param args its arguments
     * @param env its whole environment
     * @param timeout how long it may run
     * @return how it ended
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted; the session is killed first
     */
    public Outcome run(Path program, List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(args.size() + 3);
        command.add(SETSID.toString());
        command.add("--wait");
        command.add(program.toString());
        command.addAll(args);
        Files.createDirectories(tempDir);
        Path output = Files.createTempFile(tempDir, "handler-", ".out");
        long t0 = System.nanoTime();
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
                int killed = kill(process);
                LOG.debug("{} timed out after {}; killed {} processes", program, timeout, killed);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            return new Outcome(exited ? process.exitValue() : -1, !exited, took, tail(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** SIGKILL to the program's session and descendants until none is left; then reaps it. */
    private static int kill(Process process) {
        boolean interrupted = Thread.interrupted();
        Map<Long, ProcessHandle> killed = new LinkedHashMap<>();
        long bound = System.nanoTime() + KILL_BOUND.toNanos();
        try {
            for (Map<Long, ProcessHandle> left = members(process); !left.isEmpty(); left = members(process)) {
                left.values().forEach(ProcessHandle::destroyForcibly);
                left.forEach(killed::putIfAbsent);
                if (System.nanoTime() - bound >= 0) {
                    LOG.error("Handler session {}: processes {} survive SIGKILL", process.pid(), left.keySet());
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
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

    private static Map<Long, ProcessHandle> members(Process process) {
        long session = process.pid();
        long self = ProcessHandle.current().pid();
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        if (session != sessionOf(self).orElse(-1L)) {
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

    /** The session id of a running, non-zombie process (field 6 of /proc/pid/stat). */
    private static Optional<Long> sessionOf(long pid) {
        return ProcStat.read(pid).filter(ProcStat::running).map(ProcStat::session);
    }

    private static String tail(Path output) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        }
    }
}
