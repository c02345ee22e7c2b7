package io.vigil.api.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodTest {

    @Test
    void namesAreFoundIgnoringCase() {
        assertEquals(Method.MONITOR_START, Method.fromRtrName("MONITOR_START").orElseThrow());
        assertEquals(Method.PRENET_START, Method.fromRtrName("prenet_start").orElseThrow());
        assertTrue(Method.fromRtrName("Restart").isEmpty());
        assertTrue(Method.fromRtrName(null).isEmpty());
    }

    @Test
    void timeoutPropertiesFollowSunClusterNames() {
        assertEquals("Monitor_check_timeout", Method.MONITOR_CHECK.timeoutProperty());
        assertEquals("Postnet_stop", Method.POSTNET_STOP.rtrName());
        assertEquals(12, Method.values().length);
    }
}
