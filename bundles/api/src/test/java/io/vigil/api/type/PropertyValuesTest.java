package io.vigil.api.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyValuesTest {

    private final PropertyValues values = PropertyValues.of(Map.of(
            "Retry_count", "2", "Failover_enabled", "true", "Port_list", "7100/tcp, 7101/tcp",
            "Confdir_list", "", "Start_timeout", "sixty"));

    @Test
    void typedAccessIgnoresCase() {
        assertEquals(2, values.getInt("RETRY_COUNT"));
        assertTrue(values.getBoolean("failover_enabled"));
        assertEquals(List.of("7100/tcp", "7101/tcp"), values.getStringArray("port_list"));
        assertEquals(List.of(), values.getStringArray("Confdir_list"));
        assertTrue(values.has("PORT_LIST"));
        assertTrue(values.find("nothing").isEmpty());
    }

    @Test
    void wrongTypeOrMissingNamesTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> values.getInt("Start_timeout"));
        assertTrue(e.getMessage().contains("Start_timeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> values.getBoolean("Retry_count"));
        assertTrue(e.getMessage().contains("TRUE or FALSE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> values.getString("Network_resources_used"));
        assertTrue(e.getMessage().contains("Network_resources_used"), e.getMessage());
    }

    @Test
    void namesDifferingOnlyInCaseAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PropertyValues.of(Map.of("a", "1", "A", "2")));
    }

    @Test
    void withLeavesTheOriginalUnchanged() {
        PropertyValues changed = values.with(Map.of("retry_count", "5"));
        assertEquals(5, changed.getInt("Retry_count"));
        assertEquals(2, values.getInt("Retry_count"));
        assertFalse(changed.equals(values));
        assertEquals(values.names().size(), changed.names().size());
    }
}
