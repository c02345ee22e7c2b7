package io.vigil.pgpool.lifecheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessHistoryTest {

    private final MutableClock clock = new MutableClock();
    private final LivenessHistory history = new LivenessHistory(3, Duration.ofSeconds(10), 2);

    private boolean probe(boolean healthy) {
        clock.advance(Duration.ofSeconds(1));
        return history.record(clock.instant(), healthy);
    }

    @Test
    void oneOrTwoLostProbesDoNotMakeANodeDead() {
        assertTrue(probe(false));
        assertTrue(probe(true));
        assertTrue(probe(false));
        assertTrue(probe(true));
    }

    @Test
    void enoughFailuresWithinTheWindowMakeItDead() {
        assertTrue(probe(false));
        assertTrue(probe(true));
        assertTrue(probe(false));
        assertFalse(probe(false), "3 failures within 10 s, the last one failed");
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        assertTrue(probe(false));
        assertTrue(probe(false));
        clock.advance(Duration.ofSeconds(10));
        assertTrue(probe(false), "the first two are older than the window");
        assertTrue(probe(false));
        assertFalse(probe(false));
    }

    @Test
    void aDeadNodeIsAliveAfterEnoughSuccessesInARow() {
        probe(false);
        probe(false);
        assertFalse(probe(false));
        assertFalse(probe(true));
        assertFalse(probe(false), "a failure resets the successes");
        assertFalse(probe(true));
        assertTrue(probe(true));
        assertTrue(probe(false), "alive again with a fresh history");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LivenessHistory(0, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new LivenessHistory(1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new LivenessHistory(1, Duration.ofSeconds(1), 0));
    }
}
