package io.vigil.pgpool.lifecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.pgpool.probe.PgpoolProbe;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogBridgeTest {

    @TempDir
    Path tmp;

    WatchdogBridge.Config config(Map<String, Object> values) {
        return (WatchdogBridge.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WatchdogBridge.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void theDefaultProbeIsThePgpoolProbeWhichSeesAStoppedPgpool() {
        WatchdogBridge bridge = new WatchdogBridge(config(Map.of("socketDir", tmp.toString())));
        try {
            WatchdogBridge.Status status = bridge.status();
            assertEquals(PgpoolProbe.NAME, status.probeName());
            assertFalse(status.probeAvailable(), "no probe bound in this test");
        } finally {
            bridge.deactivate();
        }
    }
}
