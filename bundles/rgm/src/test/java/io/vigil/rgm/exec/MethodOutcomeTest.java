package io.vigil.rgm.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodOutcomeTest {

    private static final Duration D = Duration.ofMillis(12);

    @Test
    void describesExits() {
        assertEquals("exit 0", MethodOutcome.exited(10, 0, D, List.of("started")).describe());
        assertTrue(MethodOutcome.exited(10, 0, D, List.of()).succeeded());
        MethodOutcome failed = MethodOutcome.exited(10, 3, D, List.of("checking", "no such file: /etc/x.conf", " "));
        assertEquals("exit 3: no such file: /etc/x.conf", failed.describe());
        assertFalse(failed.succeeded());
        assertEquals(3, failed.exitCode().getAsInt());
        assertTrue(failed.signal().isEmpty());
        assertEquals("exit 1", MethodOutcome.exited(10, 1, D, List.of()).describe());
    }

    @Test
    void quotesOneCleanShortLine() {
        String longLine = "x".repeat(300);
        assertEquals("exit 2: " + "x".repeat(200) + "...",
                MethodOutcome.exited(1, 2, D, List.of(longLine)).describe());
        assertEquals("exit 2: a b", MethodOutcome.exited(1, 2, D, List.of("a\tb")).describe());
    }

    @Test
    void describesSignals() {
        MethodOutcome o = MethodOutcome.signaled(10, 9, D, List.of("x"));
        assertEquals("killed by signal 9 (KILL)", o.describe());
        assertEquals(9, o.signal().getAsInt());
        assertFalse(o.succeeded());
        assertEquals("killed by signal 15 (TERM)", MethodOutcome.signaled(1, 15, D, List.of()).describe());
        assertEquals("killed by signal 36 (RTMIN+2)", MethodOutcome.signaled(1, 36, D, List.of()).describe());
        assertEquals("killed by signal 32", MethodOutcome.signaled(1, 32, D, List.of()).describe());
        assertNull(MethodOutcome.signalName(65));
    }

    @Test
    void describesTimeouts() {
        assertEquals("timed out after 30s; killed the process tree (3 processes)",
                MethodOutcome.timedOut(10, Duration.ofSeconds(30), 3, D, List.of()).describe());
        assertEquals("timed out after 1.5s; killed the process tree (1 process)",
                MethodOutcome.timedOut(10, Duration.ofMillis(1500), 1, D, List.of()).describe());
        assertEquals("timed out after 250ms; killed the process tree (2 processes)",
                MethodOutcome.timedOut(10, Duration.ofMillis(250), 2, D, List.of()).describe());
        assertEquals("timed out after 30s", MethodOutcome.timedOut(10, Duration.ofSeconds(30), 0, D, List.of())
                .describe());
        MethodOutcome o = MethodOutcome.timedOut(10, Duration.ofSeconds(5), 3, D, List.of());
        assertTrue(o.exitCode().isEmpty());
        assertFalse(o.succeeded());
        assertEquals(Duration.ofSeconds(5), o.timeout());
    }

    @Test
    void isImmutable() {
        List<String> lines = new java.util.ArrayList<>(List.of("a"));
        MethodOutcome o = MethodOutcome.exited(1, 0, D, lines);
        lines.add("b");
        assertEquals(List.of("a"), o.lastLines());
        assertThrows(UnsupportedOperationException.class, () -> o.lastLines().add("c"));
        assertThrows(IllegalArgumentException.class, () -> MethodOutcome.exited(1, 256, D, List.of()));
        assertThrows(IllegalArgumentException.class, () -> MethodOutcome.signaled(1, 0, D, List.of()));
    }
}
