package io.vigil.api.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbeResultTest {

    @Test
    void scoresInRangeAndFailoverAreAccepted() {
        assertTrue(ProbeResult.healthy().isHealthy());
        assertEquals(50, ProbeResult.failure(50, "disconnect failed").score());
        assertEquals(201, ProbeResult.failure(ProbeResult.IMMEDIATE_FAILOVER, "gone").score());
        assertFalse(new ProbeResult(100, "refused").isHealthy());
    }

    @Test
    void scoresOutOfRangeAreRejectedWithTheExpectation() {
        for (int bad : new int[] {-1, 101, 200, 202}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProbeResult(bad, ""));
            assertTrue(e.getMessage().contains("expected 0..100, or 201"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ProbeResult.failure(0, "not a failure"));
    }
}
