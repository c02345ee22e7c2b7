package io.vigil.rgm.exec;

import io.vigil.api.command.Signals;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How one run of a method program ended: its exit code, the signal that killed it, or a timeout;
 * how long it took; and the last lines it printed. Immutable.
 *
 * <p>{@link #describe()} gives the one line that goes into {@code Status_msg} and the log:
 * {@code exit 0}, {@code exit 3: <last output line>}, {@code killed by signal 9 (KILL)},
 * {@code timed out after 30s; killed the process tree (3 processes)}.
 *
 * <p>Only {@link Kind#EXITED} with code 0 is a success (legacy spec §4.2: any non-zero exit, a
 * crash and a timeout are all failures).
 */
public final class MethodOutcome {

    /** How the run ended. */
    public enum Kind {
        /** The program exited by itself; {@link #exitCode()} holds the code. */
        EXITED,
        /** The program was killed by a signal it did not ask for; {@link #signal()} holds it. */
        SIGNALED,
        /** The program ran past its timeout and its process tree was killed. */
        TIMED_OUT
    }

    /** Longest output line {@link #describe()} quotes; longer ones are cut and end in "...". */
    public static final int MAX_QUOTED_LENGTH = 200;

    private final Kind kind;
    private final long pid;
    private final int code;
    private final Duration duration;
    private final Duration timeout;
    private final int killedProcesses;
    private final List<String> lastLines;

    private MethodOutcome(Kind kind, long pid, int code, Duration duration, Duration timeout,
            int killedProcesses, List<String> lastLines) {
        this.kind = kind;
        this.pid = pid;
        this.code = code;
        this.duration = Objects.requireNonNull(duration, "duration");
        this.timeout = timeout;
        this.killedProcesses = killedProcesses;
        this.lastLines = List.copyOf(lastLines);
    }

    /**
     * A program that exited by itself.
     *
     * @param pid the pid of the program, which is also the id of its session
     * @param exitCode its exit code, 0..255
     * @param duration from launch to exit
     * @param lastLines the last lines of its output, oldest first
     * @return the outcome
     */
    public static MethodOutcome exited(long pid, int exitCode, Duration duration, List<String> lastLines) {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code " + exitCode + " out of range; expected 0..255");
        }
        return new MethodOutcome(Kind.EXITED, pid, exitCode, duration, null, 0, lastLines);
    }

    /**
     * A program killed by a signal (other than by the timeout).
     *
     * @param pid the pid of the program, which is also the id of its session
     * @param signal the signal number, 1..64
     * @param duration from launch to death
     * @param lastLines the last lines of its output, oldest first
     * @return the outcome
     */
    public static MethodOutcome signaled(long pid, int signal, Duration duration, List<String> lastLines) {
        if (signal < 1 || signal > 64) {
            throw new IllegalArgumentException("signal " + signal + " out of range; expected 1..64");
        }
        return new MethodOutcome(Kind.SIGNALED, pid, signal, duration, null, 0, lastLines);
    }

    /**
     * A program that ran past its timeout; its process tree was killed.
     *
     * @param pid the pid of the program, which is also the id of its session
     * @param timeout the timeout it ran past
     * @param killedProcesses how many processes were signalled
     * @param duration from launch until the tree was gone
     * @param lastLines the last lines of its output, oldest first
     * @return the outcome
     */
    public static MethodOutcome timedOut(long pid, Duration timeout, int killedProcesses, Duration duration,
            List<String> lastLines) {
        Objects.requireNonNull(timeout, "timeout");
        if (killedProcesses < 0) {
            throw new IllegalArgumentException("killedProcesses " + killedProcesses + " is negative");
        }
        return new MethodOutcome(Kind.TIMED_OUT, pid, 0, duration, timeout, killedProcesses, lastLines);
    }

    /** @return how the run ended */
    public Kind kind() {
        return kind;
    }

    /** @return true only for {@link Kind#EXITED} with exit code 0 */
    public boolean succeeded() {
        return kind == Kind.EXITED && code == 0;
    }

    /**
     * The pid of the program, which is also its session id: processes it left running (a Start
     * method's daemon) can be found and killed with {@link ProcessRunner#killSession}.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /** @return the exit code for {@link Kind#EXITED}, empty otherwise */
    public OptionalInt exitCode() {
        return kind == Kind.EXITED ? OptionalInt.of(code) : OptionalInt.empty();
    }

    /** @return the signal number for {@link Kind#SIGNALED}, empty otherwise */
    public OptionalInt signal() {
        return kind == Kind.SIGNALED ? OptionalInt.of(code) : OptionalInt.empty();
    }

    /** @return the timeout the program ran past, or null unless {@link Kind#TIMED_OUT} */
    public Duration timeout() {
        return timeout;
    }

    /** @return how many processes were killed because of the timeout; 0 unless {@link Kind#TIMED_OUT} */
    public int killedProcesses() {
        return killedProcesses;
    }

    /** @return how long the program ran (for a timeout: until its tree was gone) */
    public Duration duration() {
        return duration;
    }

    /** @return the last lines of the program's output (stdout and stderr merged), oldest first */
    public List<String> lastLines() {
        return lastLines;
    }

    /**
     * One line for {@code Status_msg} and the log.
     *
     * <ul>
     *   <li>{@code exit 0}</li>
     *   <li>{@code exit 3: <last non-blank output line>}, or {@code exit 3} without output</li>
     *   <li>{@code killed by signal 9 (KILL)}</li>
     *   <li>{@code timed out after 30s; killed the process tree (3 processes)}, or just
     *       {@code timed out after 30s} when the tree was gone before it could be killed</li>
     * </ul>
     * A quoted output line has its control characters turned into spaces and is cut to
     * {@value #MAX_QUOTED_LENGTH} characters.
     *
     * @return the description
     */
    public String describe() {
        switch (kind) {
            case EXITED:
                if (code == 0) {
                    return "exit 0";
                }
                String last = lastNonBlankLine();
                return last == null ? "exit " + code : "exit " + code + ": " + last;
            case SIGNALED:
                String name = signalName(code);
                return name == null ? "killed by signal " + code : "killed by signal " + code + " (" + name + ")";
            case TIMED_OUT:
                String after = "timed out after " + formatDuration(timeout);
                return killedProcesses == 0 ? after : after + "; killed the process tree (" + killedProcesses
                        + (killedProcesses == 1 ? " process)" : " processes)");
            default:
                throw new AssertionError(kind);
        }
    }

    private String lastNonBlankLine() {
        for (int i = lastLines.size() - 1; i >= 0; i--) {
            String line = lastLines.get(i).strip();
            if (!line.isEmpty()) {
                StringBuilder clean = new StringBuilder(Math.min(line.length(), MAX_QUOTED_LENGTH + 3));
                line.codePoints().limit(MAX_QUOTED_LENGTH)
                        .forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
                if (line.codePointCount(0, line.length()) > MAX_QUOTED_LENGTH) {
                    clean.append("...");
                }
                return clean.toString();
            }
        }
        return null;
    }

    /**
     * Formats a duration the short way: {@code 30s}, {@code 1.5s}, {@code 250ms}.
     *
     * @param d the duration
     * @return the text
     */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        String s = String.format(java.util.Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
        return s.replaceAll("0+$", "") + "s";
    }

    /**
     * @param signal the signal number
     * @return its name ({@link Signals#name}), or null
     */
    static String signalName(int signal) {
        return Signals.name(signal).orElse(null);
    }

    @Override
    public String toString() {
        return "MethodOutcome[" + describe() + ", pid " + pid + ", " + duration.toMillis() + " ms]";
    }
}
