package io.vigil.healthcheck.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.healthcheck.core.AdminState;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.status.StatusSource;
import io.vigil.healthcheck.testing.Peers;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    /** A source whose findings the test sets. */
    private static final class ManualSource implements StatusSource {
        volatile Health health = Health.up("fine");
        volatile Consumer<Health> changes;
        boolean closed;

        void set(Health h) {
            health = h;
            changes.accept(h);
        }

        @Override
        public Health current() {
            return health;
        }

        @Override
        public void start(Consumer<Health> changes) {
            this.changes = changes;
        }

        @Override
        public java.time.Instant changedAt() {
            return java.time.Instant.EPOCH;
        }

        @Override
        public String describe() {
            return "manual";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ManualSource source = new ManualSource();
    private final Peers.RecordingLog log = new Peers.RecordingLog();

    private HealthCheck start(String protocol) throws IOException {
        return new HealthCheck(Settings.of("t", Map.of("port", "0", "protocol", protocol)), source, log);
    }

    @Test
    void drainMaintAndReadyNeverMaskALocalFailure() throws IOException {
        try (HealthCheck c = start("haproxy-agent")) {
            assertEquals("100% ready up\n", Peers.exchange(c.address(), ""));
            c.admin(AdminState.DRAIN);
            c.weight(40);
            assertEquals("40% drain up\n", Peers.exchange(c.address(), ""));
            source.set(Health.down("command exited with status 1"));
            c.admin(AdminState.READY);
            assertEquals("40% ready down #command exited with status 1\n", Peers.exchange(c.address(), ""));
            c.admin(AdminState.MAINT);
            source.set(Health.up("fine"));
            assertEquals("40% maint up\n", Peers.exchange(c.address(), ""));
        }
        assertEquals(true, source.closed);
        assertEquals(6, log.changes.size());
    }

    @Test
    void aDrainedServerAnswersDownInTheGgProtocol() throws IOException {
        try (HealthCheck c = start("gghealthcheck")) {
            assertEquals("a\nserver = UP", Peers.exchange(c.address(), "a\n"));
            c.admin(AdminState.DRAIN);
            assertEquals("a\nserver = DOWN", Peers.exchange(c.address(), "a\n"));
            c.admin(AdminState.READY);
            source.set(Health.down("x"));
            assertEquals("a\nserver = DOWN", Peers.exchange(c.address(), "a\n"));
            assertEquals(List.of("server = DOWN [UP (fine), drain, 100%]", "server = UP [UP (fine), ready, 100%]",
                    "server = DOWN [DOWN (x), ready, 100%]"), log.changes);
        }
    }

    @Test
    void aBadWeightIsRefused() throws IOException {
        try (HealthCheck c = start("haproxy-agent")) {
            assertEquals("weight 101 is invalid; expected 0 to 100 (percent)",
                    assertThrows(IllegalArgumentException.class, () -> c.weight(101)).getMessage());
        }
    }
}
