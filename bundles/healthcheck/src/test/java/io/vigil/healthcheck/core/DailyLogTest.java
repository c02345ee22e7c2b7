package io.vigil.healthcheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.testing.MutableClock;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyLogTest {

    @TempDir
    Path dir;

    @Test
    void writesOneFilePerDay() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2024-01-01T23:59:00Z"));
        Answer up = Answer.of(Health.up("ok"), AdminState.READY, 100);
        Answer down = Answer.of(Health.down("group rg1 is OFFLINE"), AdminState.READY, 100);
        try (DailyLog log = new DailyLog(dir.resolve("logs"), "web", clock)) {
            log.answered("web", new InetSocketAddress("127.0.0.1", 40000), "hi\n", up);
            log.flush();
            clock.advance(Duration.ofMinutes(2));
            log.changed("web", up, down);
            assertEquals(List.of("2024-01-01T23:59:00Z answer /127.0.0.1:40000 \"hi\\n\" server = UP"),
                    Files.readAllLines(log.file(LocalDate.of(2024, 1, 1))));
            assertEquals(List.of("2024-01-02T00:01:00Z status " + up + " -> " + down),
                    Files.readAllLines(dir.resolve("logs/web-20240102.log")));
        }
    }
}
