package io.vigil.api.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} that supervising and killing process trees needs (Linux
 * only): the RGM's method runner, the process monitor facility and the probes read processes so.
 *
 * <p>The line reads {@code pid (comm) state ppid pgrp session ...}; {@code comm} may hold spaces
 * and parentheses, so the fields are counted from the last {@code )}.
 *
 * @param pid the process id (field 1)
 * @param state the state letter (field 3); {@code Z} and {@code X} mean the process is dead
 * @param ppid the parent's pid (field 4)
 * @param session the session id (field 6)
 * @param startTime the start time in clock ticks since boot (field 22); with the pid it names one
 *     process even after pids wrap
 */
public record ProcStat(long pid, char state, long ppid, long session, long startTime) {

    private static final Path PROC = Path.of("/proc");

    /** @return true unless the process is a zombie or already dead */
    public boolean running() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /**
     * Reads one process.
     *
     * @param pid the process id
     * @return its fields, or empty when no such process exists (or it vanished while reading)
     */
    public static Optional<ProcStat> read(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return parse(new String(raw, StandardCharsets.ISO_8859_1));
    }

    /**
     * Parses one {@code stat} line.
     *
     * @param line the content of {@code /proc/<pid>/stat}
     * @return its fields, or empty when the line is not in the expected form
     */
    public static Optional<ProcStat> parse(String line) {
        int open = line.indexOf(" (");
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open) {
            return Optional.empty();
        }
        String[] f = line.substring(close + 1).trim().split(" +");
        // f[0] is field 3 (state); field n is f[n - 3]
        if (f.length < 20 || f[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(Long.parseLong(line.substring(0, open).trim()), f[0].charAt(0),
                    Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads every process now.
     *
     * @return the processes, zombies included, in no particular order
     * @throws IllegalStateException if {@code /proc} cannot be listed
     */
    public static List<ProcStat> all() {
        List<ProcStat> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    read(Long.parseLong(name)).ifPresent(found::add);
                } catch (NumberFormatException e) {
                    // not a process
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Lists the running (not zombie) processes of a session.
     *
     * @param session a session id, i.e. the pid of the process that created the session
     * @return the processes whose field 6 equals {@code session}, in no particular order
     * @throws IllegalStateException if {@code /proc} cannot be listed
     */
    public static List<ProcStat> inSession(long session) {
        return all().stream().filter(s -> s.session == session && s.running()).toList();
    }
}
