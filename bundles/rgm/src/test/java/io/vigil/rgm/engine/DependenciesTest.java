package io.vigil.rgm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.rgm.RgmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependenciesTest {

    private static Map<String, Map<String, String>> group(String... nameDeps) {
        Map<String, Map<String, String>> g = new LinkedHashMap<>();
        for (int i = 0; i < nameDeps.length; i += 2) {
            g.put(nameDeps[i], nameDeps[i + 1].isEmpty() ? Map.of() : Map.of("resource_DEPENDENCIES", nameDeps[i + 1]));
        }
        return g;
    }

    @Test
    void dependenciesStartFirstAndTiesKeepCreationOrder() throws RgmException {
        assertEquals(List.of("db", "app", "web", "cache"),
                Dependencies.startOrder(group("app", "db", "web", "app", "db", "", "cache", "")));
    }

    @Test
    void everyKindOfDependencyOrders() throws RgmException {
        Map<String, Map<String, String>> g = new LinkedHashMap<>();
        g.put("a", Map.of("Resource_dependencies_weak", "b", "Resource_dependencies_offline_restart", "c"));
        g.put("b", Map.of("Resource_dependencies_restart", "c"));
        g.put("c", Map.of());
        assertEquals(List.of("c", "b", "a"), Dependencies.startOrder(g));
    }

    @Test
    void cyclesUnknownNamesAndSelfAreRefused() {
        RgmException e = assertThrows(RgmException.class, () -> Dependencies.startOrder(group("a", "b", "b", "a")));
        assertEquals("resource dependencies form a cycle: a -> b -> a", e.getMessage());
        e = assertThrows(RgmException.class, () -> Dependencies.startOrder(group("a", "zz")));
        assertTrue(e.getMessage().contains("depends on zz, which is not a resource of its group"), e.getMessage());
        e = assertThrows(RgmException.class, () -> Dependencies.startOrder(group("a", "A")));
        assertEquals("resource a depends on itself", e.getMessage());
    }
}
