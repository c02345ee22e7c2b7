package io.vigil.monitor.probe;

import io.vigil.api.probe.ProbeContext;
import io.vigil.api.type.PropertyValues;
import java.time.Duration;
import java.util.Map;

/** A probe context with a fixed time left. */
record FixedContext(String resourceName, String resourceGroupName, PropertyValues properties, Duration timeLeft)
        implements ProbeContext {

    static FixedContext of(Duration timeLeft, Map<String, String> properties) {
        return new FixedContext("web", "web-rg", PropertyValues.of(properties), timeLeft);
    }
}
