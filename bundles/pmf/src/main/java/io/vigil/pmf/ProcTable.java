package io.vigil.pmf;

import io.vigil.api.command.ProcStat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    private final Map<Long, ProcStat> byPid;

    private ProcTable(Map<Long, ProcStat> byPid) {
        this.byPid = byPid;
    }

    /** @return every process now */
    static ProcTable snapshot() {
        Map<Long, ProcStat> found = new HashMap<>();
        ProcStat.all().forEach(p -> found.put(p.pid(), p));
        return new ProcTable(found);
    }

    /**
     * @param pid a process id
     * @param startTime its start time when it was launched
     * @return whether that very process still runs (not a zombie)
     */
    static boolean alive(long pid, long startTime) {
        return ProcStat.read(pid).filter(p -> p.startTime() == startTime && p.running()).isPresent();
    }

    /**
     * @param shimPid the tree's shim, whose pid is the session id
     * @param shimStartTime the shim's start time
     * @return the running processes of the tree, the shim excluded, by pid
     */
    List<ProcStat> tree(long shimPid, long shimStartTime) {
        if (shimPid <= 1) {
            return List.of(); // no shim known: session 0 holds the kernel's threads
        }
        long self = ProcessHandle.current().pid();
        Map<Long, ProcStat> members = new HashMap<>();
        for (ProcStat p : byPid.values()) {
            if (p.session() == shimPid && p.pid() != shimPid && p.running()) {
                members.put(p.pid(), p);
            }
        }
        ProcStat shim = byPid.get(shimPid);
        if (shim != null && shim.startTime() == shimStartTime) {
            Map<Long, List<ProcStat>> children = new HashMap<>();
            for (ProcStat p : byPid.values()) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            }
            Set<Long> seen = new HashSet<>(List.of(shimPid));
            Deque<Long> todo = new ArrayDeque<>(List.of(shimPid));
            while (!todo.isEmpty()) {
                for (ProcStat child : children.getOrDefault(todo.pop(), List.of())) {
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
        List<ProcStat> sorted = new ArrayList<>(members.values());
        sorted.sort(Comparator.comparingLong(ProcStat::pid));
        return sorted;
    }
}
