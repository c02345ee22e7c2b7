package io.vigil.pmf;

import io.vigil.api.command.ProcStat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.pmf.PmfException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartsTest {

    @Test
    void parsesProcStatWithAwkwardNames() {
        ProcStat p = ProcStat.parse("123 (a (b) c) S 1 123 99 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 "
                + "4242 1 2 3").orElseThrow();
        assertEquals(123, p.pid());
        assertEquals('S', p.state());
        assertEquals(1, p.ppid());
        assertEquals(99, p.session());
        assertEquals(4242, p.startTime());
        assertTrue(p.running());
        assertEquals(Optional.empty(), ProcStat.parse("garbage"));
    }

    @Test
    void readsShimLines() {
        assertEquals(Optional.of(End.exit(3)), End.parse("exit 3"));
        assertEquals(Optional.of(End.signal(9)), End.parse("signal 9"));
        assertEquals(Optional.empty(), End.parse("pid 1 2 3"));
        assertEquals(Optional.empty(), End.parse("exit x"));
    }

    @Test
    void budgetCountsRestartsWithinTheWindow() {
        Budget b = new Budget();
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        Duration w = Duration.ofMinutes(1);
        assertTrue(b.allows(t, 2, w));
        b.record(t);
        b.record(t.plusSeconds(30));
        assertFalse(b.allows(t.plusSeconds(59), 2, w));
        assertEquals(1, b.count(t.plusSeconds(60), w), "a restart exactly one period old has left");
        assertTrue(b.allows(t.plusSeconds(60), 2, w));
        assertTrue(b.allows(t, -1, w));
        assertFalse(b.allows(t, 0, w));
        Budget ever = new Budget();
        ever.record(t);
        assertEquals(1, ever.count(t.plus(Duration.ofDays(999)), Duration.ZERO), "no window: counts forever");
    }

    @Test
    void tagsAndTheirFileNames() throws PmfException {
        Tags.check("web-rg,web,0.svc");
        Tags.check("A_b.c-d,e");
        assertThrows(PmfException.class, () -> Tags.check("a:b"));
        assertEquals("web-rg,web,0.svc", Tags.fileName("web-rg,web,0.svc"));
        String long255 = "x".repeat(255);
        assertTrue(Tags.fileName(long255).startsWith("#"));
        assertTrue(Tags.fileName(long255).length() + ".json.tmp".length() <= 255);
    }

    @Test
    void socketPathsFitInAUnixAddress(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (TagStore store = TagStore.open(tmp.resolve("s"))) {
            Path plain = store.socket("web");
            assertTrue(plain.toString().endsWith("/sock/web.sock"));
            Path hashed = store.socket("x".repeat(255));
            assertTrue(hashed.getFileName().toString().startsWith("#"));
            assertTrue(hashed.toString().getBytes(StandardCharsets.UTF_8).length <= TagStore.MAX_SOCKET_PATH);
        }
        Path deep = tmp.resolve("d".repeat(100));
        assertTrue(assertThrows(java.io.IOException.class, () -> TagStore.open(deep)).getMessage()
                .contains("too long"));
    }
}
