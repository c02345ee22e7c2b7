package io.vigil.pmf;

import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.command.ProcStat;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One generation of a tag's process tree: its shim, the program the shim started, and the
 * connection on which the shim reports the tree's end.
 *
 * <p>{@link #launch} runs the shim, waits for its notify socket (retrying the connection with a
 * short growing back-off, until the shim answers, exits, or the deadline passes) and reads its
 * greeting. {@link #adopt} connects to the socket of a shim that an earlier agent launched.
 * {@link #awaitEnd} then blocks until the shim reports the end: its {@code exit}/{@code signal}
 * line, or end of file (the shim vanished). The shim of a launched tree is also this JVM's child:
 * its exit status (which mirrors the program's) and its reaping are taken from the
 * {@link Process}.
 */
final class Tree {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration GREETING_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(2);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LAST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int LINE_MAX = 8192;
    private static final File DEV_NULL = new File("/dev/null");

    /** A launch or adoption: the tree, or why there is none. */
    record Result(Tree tree, String failure) {

        static Result failed(String why) {
            return new Result(null, why);
        }
    }

    final long shimPid;
    final long shimStartTime;
    final long programPid;
    final Instant started;
    /** Completed with how the tree ended once that is known. */
    final CompletableFuture<End> over = new CompletableFuture<>();
    private final Process process;
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private final End knownEnd;

    private Tree(long shimPid, long shimStartTime, long programPid, Instant started, Process process,
            SocketChannel channel, ByteBuffer buffer, End knownEnd) {
        this.shimPid = shimPid;
        this.shimStartTime = shimStartTime;
        this.programPid = programPid;
        this.started = started;
        this.process = process;
        this.channel = channel;
        this.buffer = buffer;
        this.knownEnd = knownEnd;
    }

    /**
     * A tree known to be over already, e.g. one that died while no agent watched it.
     *
     * @param shimPid its shim, 0 if unknown
     * @param shimStartTime the shim's start time, 0 if unknown
     * @param started when it was started
     * @param end how it ended
     * @return the tree
     */
    static Tree ended(long shimPid, long shimStartTime, Instant started, End end) {
        return new Tree(shimPid, shimStartTime, 0, started, null, null, null, end);
    }

    /**
     * Launches a tree: the shim, which runs the program.
     *
     * @param shim the shim executable
     * @param spec what to run
     * @param socket the notify socket
     * @param log the log file, appended to
     * @return the tree, or why it could not be started (what it left running has been killed)
     */
    static Result launch(Path shim, ProcessSpec spec, Path socket, Path log) {
        List<String> argv = new ArrayList<>(spec.command().size() + 6);
        argv.add(shim.toString());
        argv.add("--notify");
        argv.add(socket.toString());
        argv.add("--level");
        argv.add(Integer.toString(spec.childMonitorLevel()));
        argv.add("--");
        argv.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spec.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            return Result.failed("cannot run " + shim + ": " + e.getMessage());
        }
        long shimStart = ProcStat.read(p.pid()).map(ProcStat::startTime).orElse(0L);
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            SocketChannel ch = tryConnect(socket);
            if (ch != null) {
                ByteBuffer buf = ByteBuffer.allocate(LINE_MAX);
                String line;
                try {
                    line = firstLine(ch, buf);
                } catch (IOException e) {
                    killTree(p.pid(), shimStart, true);
                    return Result.failed("no greeting from its shim on " + socket + ": " + e.getMessage());
                }
                if (line == null) {
                    closeQuietly(ch);
                    return Result.failed("its shim ended without reporting; " + exitOf(p, log));
                }
                if (line.startsWith("error ")) {
                    closeQuietly(ch);
                    return Result.failed(line.substring("error ".length()));
                }
                Optional<long[]> greeting = greeting(line);
                if (greeting.isPresent() && greeting.get()[1] == p.pid()) {
                    return new Result(new Tree(p.pid(), shimStart, greeting.get()[0],
                            Instant.ofEpochMilli(greeting.get()[2]), p, ch, buf, null), null);
                }
                closeQuietly(ch); // not our shim's socket (yet): try again
            }
            if (!p.isAlive()) {
                return Result.failed("its shim ended before it opened " + socket + "; " + exitOf(p, log));
            }
            if (System.nanoTime() - deadline > 0) {
                killTree(p.pid(), shimStart, true);
                return Result.failed("its shim did not open " + socket + " within " + CONNECT_TIMEOUT.toSeconds()
                        + " s; killed it");
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, LAST_BACKOFF_NANOS);
        }
    }

    /**
     * Connects to the shim of a tree launched by an earlier agent.
     *
     * @param socket its notify socket
     * @return the tree, or why it cannot be adopted (no shim answers: the tree is over)
     */
    static Result adopt(Path socket) {
        SocketChannel ch = tryConnect(socket);
        if (ch == null) {
            return Result.failed("no shim answers on " + socket);
        }
        ByteBuffer buf = ByteBuffer.allocate(LINE_MAX);
        String line;
        try {
            line = firstLine(ch, buf);
        } catch (IOException e) {
            return Result.failed("no greeting from the shim on " + socket + ": " + e.getMessage());
        }
        Optional<long[]> greeting = line == null ? Optional.empty() : greeting(line);
        if (greeting.isEmpty()) {
            closeQuietly(ch);
            return Result.failed("the shim on " + socket + " answered " + (line == null ? "nothing" : "'" + line + "'"));
        }
        long[] g = greeting.get();
        long shimStart = ProcStat.read(g[1]).map(ProcStat::startTime).orElse(0L);
        return new Result(new Tree(g[1], shimStart, g[0], Instant.ofEpochMilli(g[2]), null, ch, buf, null), null);
    }

    /**
     * Blocks until the shim reports the end of the tree.
     *
     * @return how it ended
     * @throws IOException when the connection was closed by {@link #close} (an
     *     {@link java.nio.channels.AsynchronousCloseException}) or failed
     */
    End awaitEnd() throws IOException {
        if (knownEnd != null) {
            return knownEnd;
        }
        while (true) {
            String line = readLine(channel, buffer, 0);
            if (line == null) {
                closeQuietly(channel);
                return End.lost("its shim (pid " + shimPid + ") ended without reporting"
                        + (process == null ? "" : "; " + exitOf(process, null)));
            }
            Optional<End> end = End.parse(line);
            if (end.isPresent()) {
                closeQuietly(channel);
                return end.get();
            }
            // another line (a later shim may say more): not ours to understand
        }
    }

    /** Closes the connection to the shim, which unblocks {@link #awaitEnd}; the tree runs on. */
    void close() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    /** @return whether the shim is this JVM's child */
    boolean launchedHere() {
        return process != null;
    }

    /**
     * @param table a reading of /proc
     * @return the tree's running processes, the shim excluded
     */
    List<ProcStat> processes(ProcTable table) {
        return shimPid == 0 ? List.of() : table.tree(shimPid, shimStartTime);
    }

    /** @return whether the shim still runs */
    boolean shimAlive() {
        return shimPid != 0 && ProcTable.alive(shimPid, shimStartTime);
    }

    /**
     * Waits for the shim to exit (and, when it is this JVM's child, to be reaped).
     *
     * @param max how long at most
     * @return whether it has exited
     */
    boolean awaitShimExit(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        boolean interrupted = false;
        try {
            if (process != null) {
                while (true) {
                    try {
                        return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            long backoff = FIRST_BACKOFF_NANOS;
            while (shimAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(backoff);
                backoff = Math.min(backoff * 2, LAST_BACKOFF_NANOS);
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * SIGKILL to every process of a tree, and to its shim too if asked.
     *
     * @param shimPid the shim
     * @param shimStartTime its start time
     * @param shimToo whether to kill the shim as well
     */
    static void killTree(long shimPid, long shimStartTime, boolean shimToo) {
        List<ProcStat> procs = new ArrayList<>(ProcTable.snapshot().tree(shimPid, shimStartTime));
        if (shimToo) {
            ProcStat.read(shimPid).filter(p -> p.startTime() == shimStartTime).ifPresent(procs::add);
        }
        try {
            Signals.send(procs, Signals.SIGKILL);
        } catch (io.vigil.api.pmf.PmfException e) {
            throw new IllegalStateException(e); // SIGKILL goes through ProcessHandle: never thrown
        }
    }

    private static Optional<long[]> greeting(String line) {
        String[] f = line.split(" ");
        if (f.length < 4 || !f[0].equals("pid")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static SocketChannel tryConnect(Path socket) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            if (ch != null) {
                closeQuietly(ch);
            }
            return null;
        }
    }

    /** The shim's first line, or null at end of file; the channel is closed when it fails. */
    private static String firstLine(SocketChannel ch, ByteBuffer buf) throws IOException {
        try {
            return readLine(ch, buf, System.nanoTime() + GREETING_TIMEOUT.toNanos());
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Reads one line (without its end).
     *
     * @param ch the channel, blocking
     * @param buf holds bytes read but not yet returned, in write mode
     * @param deadline {@link System#nanoTime()} by which a line must come; 0 to wait without limit
     * @return the line, or null at end of file
     * @throws IOException on failure, or {@link java.net.SocketTimeoutException} past the deadline
     */
    private static String readLine(SocketChannel ch, ByteBuffer buf, long deadline) throws IOException {
        String line = takeLine(buf);
        if (line != null) {
            return line;
        }
        if (deadline == 0) {
            while (true) {
                if (ch.read(buf) < 0) {
                    return null;
                }
                line = takeLine(buf);
                if (line != null) {
                    return line;
                }
            }
        }
        ch.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException("no line within the time allowed");
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                selector.selectedKeys().clear();
                if (ch.read(buf) < 0) {
                    return null;
                }
                line = takeLine(buf);
                if (line != null) {
                    return line;
                }
            }
        } finally {
            if (ch.isOpen()) {
                ch.configureBlocking(true);
            }
        }
    }

    /** Takes the first whole line out of the buffer; a full buffer without a line end counts as one. */
    private static String takeLine(ByteBuffer buf) {
        for (int i = 0; i < buf.position(); i++) {
            if (buf.get(i) == '\n') {
                return take(buf, i, i + 1);
            }
        }
        return buf.hasRemaining() ? null : take(buf, buf.position(), buf.position());
    }

    private static String take(ByteBuffer buf, int end, int next) {
        String line = new String(buf.array(), 0, end, StandardCharsets.UTF_8);
        buf.flip();
        buf.position(next);
        buf.compact();
        return line;
    }

    /** Says how a shim process ended, with the end of the log when given. */
    private static String exitOf(Process p, Path log) {
        boolean interrupted = false;
        String status;
        try {
            status = p.waitFor(EXIT_STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    ? describeExit(p.exitValue()) : "it has not exited";
        } catch (InterruptedException e) {
            interrupted = true;
            status = "interrupted while waiting for it";
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return log == null ? status : status + "; the end of " + log + ": " + tail(log);
    }

    private static String describeExit(int code) {
        if (code > 128 && code <= 128 + io.vigil.api.command.Signals.MAX) {
            return "exit status " + code + " (killed by signal " + (code - 128) + "?)";
        }
        return switch (code) {
            case 125 -> "exit status 125 (the shim could not set itself up)";
            case 127 -> "exit status 127 (the program could not be executed)";
            default -> "exit status " + code;
        };
    }

    /** @return the last line or so of a log, for messages */
    static String tail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, 600);
            byte[] b = new byte[n];
            f.seek(length - n);
            f.readFully(b);
            String text = new String(b, StandardCharsets.UTF_8).strip();
            String[] lines = text.split("\n");
            return lines.length == 0 || text.isEmpty() ? "(empty)" : lines[lines.length - 1].strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
