package io.vigil.pmf;

import static io.vigil.api.command.Signals.MAX;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.command.ProcStat;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals to processes. SIGTERM and SIGKILL go through {@link ProcessHandle#destroy()} and
 * {@link ProcessHandle#destroyForcibly()}, which work on any process the agent may signal; Java
 * has no way to send any other signal, so those go through the {@code kill} program (procps or
 * util-linux), one run for all the processes. Each process is re-read just before it is
 * signalled, and skipped if its pid now names another process.
 */
final class Signals {

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    private static final List<Path> KILL = List.of(Path.of("/bin/kill"), Path.of("/usr/bin/kill"));
    private static final long KILL_TIMEOUT_SECONDS = 10;

    private Signals() {
    }

    /**
     * @param signal a signal number
     * @throws PmfException unless it is 1..{@value io.vigil.api.command.Signals#MAX}
     */
    static void check(int signal) throws PmfException {
        if (signal < 1 || signal > MAX) {
            throw new PmfException("signal " + signal + " is not valid; expected 1 to " + MAX + ", e.g. 15 (SIGTERM)");
        }
    }

    /**
     * Sends a signal to processes found by a {@link ProcTable}.
     *
     * @param processes the processes
     * @param signal the signal number
     * @return how many were signalled
     * @throws PmfException when the kill program is missing or failed to run
     */
    static int send(List<ProcStat> processes, int signal) throws PmfException {
        List<ProcStat> same = new ArrayList<>();
        for (ProcStat p : processes) {
            if (ProcTable.alive(p.pid(), p.startTime())) {
                same.add(p);
            }
        }
        if (same.isEmpty()) {
            return 0;
        }
        if (signal == SIGTERM || signal == SIGKILL) {
            int sent = 0;
            for (ProcStat p : same) {
                boolean ok = ProcessHandle.of(p.pid())
                        .map(h -> signal == SIGKILL ? h.destroyForcibly() : h.destroy()).orElse(false);
                sent += ok ? 1 : 0;
            }
            return sent;
        }
        return kill(same, signal);
    }

    private static int kill(List<ProcStat> processes, int signal) throws PmfException {
        Path kill = KILL.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new PmfException(
                "cannot send signal " + signal + ": no kill program at " + KILL + "; expected procps or util-linux"));
        List<String> argv = new ArrayList<>();
        argv.add(kill.toString());
        argv.add("-" + signal);
        argv.add("--");
        processes.forEach(p -> argv.add(Long.toString(p.pid())));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C"));
        try {
            Process p = pb.start();
            try (InputStream out = p.getInputStream()) {
                out.readAllBytes(); // "no such process" for one that just ended: nothing to do
            }
            if (!p.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PmfException("cannot send signal " + signal + ": " + kill + " did not finish");
            }
            return processes.size();
        } catch (IOException e) {
            throw new PmfException("cannot send signal " + signal + " with " + kill + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PmfException("interrupted while sending signal " + signal, e);
        }
    }
}
