package io.vigil.pgpool.lifecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeResult;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServiceProberTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    static WatchdogNode node(int id) {
        return new WatchdogNode(id, WdState.STANDBY, 0, "MEMBER", "n" + id, "10.0.0." + id, "STANDBY", "Not_Set",
                9000 + id, 9990 + id, 1, Optional.empty());
    }

    @Test
    void eachNodeIsProbedWithItsHostAndChosenPort() {
        Map<String, String> seen = new ConcurrentHashMap<>();
        Probe probe = c -> {
            seen.put(c.resourceName(), c.properties().getString("Probe_host") + " " + c.properties().getString("Port_list")
                    + " " + c.properties().getString("WdPort"));
            return ProbeResult.healthy();
        };
        Map<Integer, ProbeResult> r = new ServiceProber(n -> probe, "x", ServiceProber.Target.PGPOOL_PORT,
                Duration.ofSeconds(5), executor).probe(List.of(node(1), node(2))).orElseThrow();
        assertTrue(r.get(1).isHealthy() && r.get(2).isHealthy());
        assertEquals(Map.of("pgpool-node1", "10.0.0.1 9991/tcp 9001", "pgpool-node2", "10.0.0.2 9992/tcp 9002"), seen);
        new ServiceProber(n -> probe, "x", ServiceProber.Target.WD_PORT, Duration.ofSeconds(5), executor)
                .probe(List.of(node(1)));
        assertEquals("10.0.0.1 9001/tcp 9001", seen.get("pgpool-node1"));
    }

    @Test
    void aProbeThatOverrunsOrThrowsIsACompleteFailure() {
        CountDownLatch never = new CountDownLatch(1);
        Probe hang = c -> {
            if (c.resourceName().endsWith("1")) {
                never.await();
            }
            throw new IllegalStateException("boom");
        };
        Map<Integer, ProbeResult> r = new ServiceProber(n -> hang, "hang", ServiceProber.Target.PGPOOL_PORT,
                Duration.ofSeconds(2), executor).probe(List.of(node(1), node(2))).orElseThrow(); // node 2 must throw in time
        assertEquals(ProbeResult.COMPLETE_FAILURE, r.get(1).score());
        assertTrue(r.get(1).message().contains("did not finish within 2000 ms"), r.get(1).message());
        assertEquals(ProbeResult.COMPLETE_FAILURE, r.get(2).score());
        assertTrue(r.get(2).message().contains("boom"), r.get(2).message());
    }

    @Test
    void aMissingProbeGivesNoResults() {
        assertEquals(Optional.empty(), new ServiceProber(n -> null, "tcp", ServiceProber.Target.PGPOOL_PORT,
                Duration.ofSeconds(1), executor).probe(List.of(node(1))));
    }
}
