package io.vigil.api.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodResultTest {

    @Test
    void successHasExitCodeZero() {
        assertTrue(MethodResult.success().isSuccess());
        assertEquals(0, MethodResult.success().exitCode());
    }

    @Test
    void failureCarriesCodeAndReason() {
        MethodResult r = MethodResult.failure(3, "port 7100 in use");
        assertFalse(r.isSuccess());
        assertEquals(3, r.exitCode());
        assertEquals("port 7100 in use", r.message());
        assertEquals(MethodResult.failure(3, "port 7100 in use"), r);
        assertEquals(1, MethodResult.failure("x").exitCode());
    }

    @Test
    void failureNeedsNonZeroCodeAndReason() {
        assertThrows(IllegalArgumentException.class, () -> MethodResult.failure(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> MethodResult.failure(" "));
    }
}
