package io.vigil.testing;

import io.vigil.api.command.ProcStat;

/** What tests ask of processes on Linux. */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether a process runs: it exists and is not a zombie. {@link ProcessHandle#isAlive()} says
     * true of a zombie, and a killed orphan may wait long for a reaper in a container.
     *
     * @param pid the process id
     * @return whether {@code /proc/<pid>/stat} exists with a state other than Z or X ({@link ProcStat#running})
     */
    public static boolean running(long pid) {
        return ProcStat.read(pid).map(ProcStat::running).orElse(false);
    }
}
