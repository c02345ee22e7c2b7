package io.vigil.rgm.rtr;

import io.vigil.api.type.Method;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the parser knows of well-known system-defined resource properties. */
final class SystemProperties {

    /** Values of the system-defined {@code Failover_mode} enum. */
    static final List<String> FAILOVER_MODES = List.of("NONE", "SOFT", "HARD", "RESTART_ONLY", "LOG_ONLY");

    private static final Map<String, PropertyType> TYPES = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        for (Method m : Method.values()) {
            TYPES.put(m.timeoutProperty(), PropertyType.INT);
        }
        for (String p : List.of("Retry_count", "Retry_interval", "Thorough_probe_interval",
                "Cheap_probe_interval", "Affinity_timeout")) {
            TYPES.put(p, PropertyType.INT);
        }
        TYPES.put("Scalable", PropertyType.BOOLEAN);
        TYPES.put("Failover_mode", PropertyType.ENUM);
        for (String p : List.of("Port_list", "Network_resources_used", "Load_balancing_weights")) {
            TYPES.put(p, PropertyType.STRINGARRAY);
        }
    }

    private SystemProperties() {
    }

    static Optional<PropertyType> type(String name) {
        return Optional.ofNullable(TYPES.get(name));
    }

    static List<String> enumValues(String name) {
        return "failover_mode".equals(name.toLowerCase(Locale.ROOT)) ? FAILOVER_MODES : List.of();
    }

    static Optional<Method> timeoutOf(String name) {
        for (Method m : Method.values()) {
            if (m.timeoutProperty().equalsIgnoreCase(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    static Tunable defaultTunable(String name) {
        return "cheap_probe_interval".equals(name.toLowerCase(Locale.ROOT)) ? Tunable.WHEN_DISABLED : Tunable.ANYTIME;
    }
}
