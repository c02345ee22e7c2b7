package io.vigil.pmf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reading of every process in {@code /proc} (Linux only), and the processes of a supervised
 * tree in it.
 *
 * <p>A tree's processes are the running descendants of its shim plus the running members of the
 * shim's session, the shim itself excluded. Descendants, because the shim is a child subreaper:
 * every orphan of the tree is re-parented to it, including daemons that called {@code setsid}
 * and so left the session. Session members, because processes left running after the shim ended
 * (level 0) keep its session id; a session id cannot be reused by a new session while a member
 * of the old one lives, so that part is safe from pid reuse. Descendants are only counted while
 * the shim is still the process that was launched (same start time).
 */
final class ProcTable {

    private static final Path PROC = Path.of("/proc");

    /**
     * The fields of {@code /proc/<pid>/stat} the PMF needs. The line reads
     * {@code pid (comm) state ppid pgrp session ...}; {@code comm} may hold spaces and
     * parentheses, so fields are counted from the last {@code )}.
     *
     * @param pid field 1
     * @param state field 3; {@code Z} and {@code X} mean dead
     * @param ppid field 4
     * @param session field 6
     * @param startTime field 22, clock ticks since boot: with the pid it names one process
     */
    record Proc(long pid, char state, long ppid, long session, long startTime) {

        boolean running() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    private final Map<Long, Proc> byPid;

    private ProcTable(Map<Long, Proc> byPid) {
        this.byPid = byPid;
    }

    /** @return every process now */
    static ProcTable snapshot() {
        Map<Long, Proc> found = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    read(Long.parseLong(name)).ifPresent(p -> found.put(p.pid(), p));
                } catch (NumberFormatException e) {
                    // not a process
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return new ProcTable(found);
    }

    /**
     * @param pid a process id
     * @return its fields, or empty when there is no such process (or it vanished while read)
     */
    static Optional<Proc> read(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return parse(new String(raw, StandardCharsets.ISO_8859_1));
    }

    static Optional<Proc> parse(String line) {
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
            return Optional.of(new Proc(Long.parseLong(line.substring(0, open).trim()), f[0].charAt(0),
                    Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @param pid a process id
     * @param startTime its start time when it was launched
     * @return whether that very process still runs (not a zombie)
     */
    static boolean alive(long pid, long startTime) {
        return read(pid).filter(p -> p.startTime() == startTime && p.running()).isPresent();
    }

    /**
     * @param shimPid the tree's shim, whose pid is the session id
     * @param shimStartTime the shim's start time
     * @return the running processes of the tree, the shim excluded, by pid
     */
    List<Proc> tree(long shimPid, long shimStartTime) {
        if (shimPid <= 1) {
            return List.of(); // no shim known: session 0 holds the kernel's threads
        }
        long self = ProcessHandle.current().pid();
        Map<Long, Proc> members = new HashMap<>();
        for (Proc p : byPid.values()) {
            if (p.session() == shimPid && p.pid() != shimPid && p.running()) {
                members.put(p.pid(), p);
            }
        }
        Proc shim = byPid.get(shimPid);
        if (shim != null && shim.startTime() == shimStartTime) {
            Map<Long, List<Proc>> children = new HashMap<>();
            for (Proc p : byPid.values()) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            }
            Set<Long> seen = new HashSet<>(List.of(shimPid));
            Deque<Long> todo = new ArrayDeque<>(List.of(shimPid));
            while (!todo.isEmpty()) {
                for (Proc child : children.getOrDefault(todo.pop(), List.of())) {
                    if (seen.add(child.pid())) {
                        if (child.running()) {
                            members.put(child.pid(), child);
                        }
                        todo.push(child.pid());
                    }
                }
            }
        }
        members.remove(self);
        members.remove(1L);
        List<Proc> sorted = new ArrayList<>(members.values());
        sorted.sort(Comparator.comparingLong(Proc::pid));
        return sorted;
    }
}
