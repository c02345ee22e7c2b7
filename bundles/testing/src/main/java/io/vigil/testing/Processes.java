package io.vigil.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask of processes on Linux. */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether a process runs: it exists and is not a zombie. {@link ProcessHandle#isAlive()} says
     * true of a zombie, and a killed orphan may wait long for a reaper in a container.
     *
     * @param pid the process id
     * @return whether {@code /proc/<pid>/stat} exists with a state other than Z or X
     */
    public static boolean running(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false;
        }
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }
}
