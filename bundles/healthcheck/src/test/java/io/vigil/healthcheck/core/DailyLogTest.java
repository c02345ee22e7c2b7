package io.vigil.healthcheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.server.Responder;
import io.vigil.healthcheck.testing.Peers;
import io.vigil.testing.MutableClock;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyLogTest {

    private static final Answer UP = Answer.of(Health.up("ok"), AdminState.READY, 100);
    private static final Answer DOWN = Answer.of(Health.down("group rg1 is OFFLINE"), AdminState.READY, 100);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    @TempDir
    Path dir;

    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Test
    void writesOneFilePerDay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-01T23:59:00Z"));
        try (DailyLog log = new DailyLog(dir.resolve("logs"), "web", clock, problems::add)) {
            log.answered("web", PEER, "hi\n", UP);
            log.flush();
            clock.advance(Duration.ofMinutes(2));
            log.changed("web", UP, DOWN);
            assertEquals(List.of("2024-01-01T23:59:00Z answer /127.0.0.1:40000 \"hi\\n\" server = UP"),
                    Files.readAllLines(log.file(LocalDate.of(2024, 1, 1))));
            assertEquals(List.of("2024-01-02T00:01:00Z status " + UP + " -> " + DOWN),
                    Files.readAllLines(dir.resolve("logs/web-20240102.log")));
        }
        assertEquals(List.of(), problems);
    }

    /** A disk that fills up and is freed again: while full, every write fails as a real full disk's does. */
    static final class Disk {
        volatile boolean full;

        Writer open(Path file) throws IOException {
            check();
            Writer real = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new Writer() {
                @Override
                public void write(char[] buf, int off, int len) throws IOException {
                    check();
                    real.write(buf, off, len);
                }

                @Override
                public void flush() throws IOException {
                    check();
                    real.flush();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        private void check() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
        }
    }

    @Test
    void aFailingDiskIsReportedOncePerEpisodeAndNothingThrows() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-01T12:00:00Z"));
        Disk disk = new Disk();
        DailyLog log = new DailyLog(dir.resolve("logs"), "web", clock, problems::add, disk::open);
        Path file = log.file(LocalDate.of(2024, 1, 1));
        log.answered("web", PEER, "a\n", UP);
        log.flush();

        disk.full = true;
        log.answered("web", PEER, "b\n", UP);
        log.flush();
        log.answered("web", PEER, "c\n", UP);
        log.flush();
        log.changed("web", UP, DOWN);
        log.problem("web", "something else");
        assertEquals(List.of("cannot write " + file + " (No space left on device); its lines are dropped until it"
                + " can be written again"), problems, "one report for the whole episode");

        disk.full = false;
        clock.advance(Duration.ofSeconds(1));
        log.answered("web", PEER, "d\n", UP);
        log.flush();
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("writes " + file + " again; the lines since the failure are missing from it", problems.get(1));

        disk.full = true;
        log.answered("web", PEER, "e\n", UP);
        log.close();
        assertEquals(3, problems.size(), "a new episode is reported again: " + problems);
        assertEquals(List.of("2024-01-01T12:00:00Z answer /127.0.0.1:40000 \"a\\n\" server = UP",
                "2024-01-01T12:00:01Z answer /127.0.0.1:40000 \"d\\n\" server = UP"), Files.readAllLines(file));
    }

    @Test
    void aFolderThatDisappearsIsReportedAndWrittenAgainOnceBack() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-01T23:59:00Z"));
        Path folder = dir.resolve("logs");
        DailyLog log = new DailyLog(folder, "web", clock, problems::add);
        log.answered("web", PEER, "a\n", UP);
        log.flush();
        Files.delete(log.file(LocalDate.of(2024, 1, 1)));
        Files.delete(folder);
        clock.advance(Duration.ofMinutes(2));
        log.changed("web", UP, DOWN);
        Path second = log.file(LocalDate.of(2024, 1, 2));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cannot write " + second + " ("), problems.get(0));

        Files.createDirectories(folder);
        log.changed("web", DOWN, UP);
        log.close();
        assertEquals("writes " + second + " again; the lines since the failure are missing from it", problems.get(1));
        assertEquals(List.of("2024-01-02T00:01:00Z status " + DOWN + " -> " + UP), Files.readAllLines(second));
    }

    @Test
    void aFullDiskNeitherStopsNorHangsTheResponder() throws Exception {
        Disk disk = new Disk();
        List<String> agentLog = new CopyOnWriteArrayList<>();
        DailyLog daily = new DailyLog(dir.resolve("logs"), "web", Clock.systemUTC(), agentLog::add, disk::open);
        Responder r = new Responder("web", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Protocol.GGHEALTHCHECK, Duration.ofSeconds(60), 10, () -> UP, daily);
        try {
            assertEquals("a\nserver = UP", Peers.exchange(r.address(), "a\n"));
            disk.full = true;
            for (int i = 0; i < 5; i++) {
                assertEquals(i + "\nserver = UP", Peers.exchange(r.address(), i + "\n"), "answers keep flowing");
            }
        } finally {
            assertTimeoutPreemptively(Duration.ofSeconds(20), r::close, "close() waited for ever for the responder thread");
        }
        daily.close();
        assertEquals(6, r.answered());
        assertEquals(1, agentLog.size(), agentLog.toString());
        assertTrue(agentLog.get(0).startsWith("cannot write "), agentLog.get(0));
    }
}
