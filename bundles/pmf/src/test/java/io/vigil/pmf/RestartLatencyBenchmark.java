package io.vigil.pmf;

import static io.vigil.pmf.Fixtures.q;
import static io.vigil.pmf.Fixtures.script;
import static io.vigil.pmf.Fixtures.spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the latency from a supervised program's death (SIGKILL) to its restarted program
 * running: p50, p99 and max over {@value #DEATHS} deaths. The program is {@code /bin/sh} that
 * writes its pid to a named pipe and then execs {@code sleep}; the time is taken when the line
 * arrives, so it includes the shell's start (about a millisecond), i.e. it over-states the time
 * to the exec. Asserts nothing about timing. Not part of the normal run:
 * {@code mvn -pl bundles/pmf test -Dpmf.excludedGroups=none -Dtest=RestartLatencyBenchmark}.
 */
@Tag("benchmark")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RestartLatencyBenchmark {

    static final int DEATHS = 200;
    static final int WARM_UP = 20;

    @TempDir
    Path tmp;

    @Test
    void deathToRestart() throws Exception {
        Path dir = Files.createDirectory(tmp.toRealPath().resolve("work"));
        Path fifo = dir.resolve("started");
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IllegalStateException("mkfifo failed");
        }
        // read-write, so that opening never blocks and no writer's close ends the stream
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
                BufferedReader started = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.US_ASCII));
                ProcessMonitorImpl m = new ProcessMonitorImpl(tmp.toRealPath().resolve("pmf"), Clock.systemUTC(),
                        Duration.ofSeconds(10))) {
            Path program = script(dir, "svc.sh", "echo $$ > " + q(fifo) + "\nexec sleep 1000");
            m.start(spec("bench", dir, -1, Duration.ZERO, -1, List.of(program.toString())));
            long pid = Long.parseLong(started.readLine().strip());
            long[] micros = new long[DEATHS];
            for (int i = -WARM_UP; i < DEATHS; i++) {
                long t0 = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                pid = Long.parseLong(started.readLine().strip());
                long t1 = System.nanoTime();
                if (i >= 0) {
                    micros[i] = TimeUnit.NANOSECONDS.toMicros(t1 - t0);
                }
            }
            m.stop("bench", 9, Duration.ZERO);
            Arrays.sort(micros);
            System.out.printf("PMF death -> restarted program running, %d deaths: p50 %.2f ms, p99 %.2f ms, "
                    + "max %.2f ms%n", DEATHS, micros[DEATHS / 2] / 1000.0, micros[DEATHS * 99 / 100 - 1] / 1000.0,
                    micros[DEATHS - 1] / 1000.0);
        }
    }
}
