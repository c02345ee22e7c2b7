package io.vigil.monitor.history;

import io.vigil.testing.MutableClock;
import static io.vigil.monitor.history.Decision.Action.FAULTED;
import static io.vigil.monitor.history.Decision.Action.GIVEOVER;
import static io.vigil.monitor.history.Decision.Action.LOG;
import static io.vigil.monitor.history.Decision.Action.NOTHING;
import static io.vigil.monitor.history.Decision.Action.RESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.type.PropertyValues;
import io.vigil.monitor.history.FailureHistory.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailureHistoryTest {

    private static final Duration WINDOW = Duration.ofSeconds(300);
    private static final Duration PROBE = Duration.ofMillis(12);

    private final MutableClock clock = new MutableClock();

    private FailureHistory history(int retryCount, FailoverMode mode) {
        return new FailureHistory(new Policy(retryCount, WINDOW, mode), clock);
    }

    private Decision.Action fail(FailureHistory h, int score) {
        clock.advance(Duration.ofSeconds(10));
        return h.record(score, PROBE, "score " + score).action();
    }

    /** A complete failure and the restart it causes, which succeeds. */
    private void restartOnce(FailureHistory h) {
        assertEquals(RESTART, fail(h, 100));
        h.restartSucceeded();
    }

    @Test
    void twoPartialFailuresOf50Restart() {
        FailureHistory h = history(2, FailoverMode.NONE);
        assertEquals(NOTHING, fail(h, 50));
        Decision d = h.record(50, PROBE, "disconnect failed");
        assertEquals(RESTART, d.action());
        assertTrue(d.reason().contains("failure sum 100") && d.reason().contains("restart 1 of Retry_count 2")
                && d.reason().contains("disconnect failed"), d.reason());
        assertEquals(1, h.restartsInWindow());
    }

    @Test
    void healthyProbesAddNothing() {
        FailureHistory h = history(2, FailoverMode.NONE);
        assertEquals(NOTHING, fail(h, 60));
        assertEquals(NOTHING, fail(h, 0));
        assertEquals(NOTHING, fail(h, 0));
        assertEquals(60, h.failureSum());
        assertEquals(RESTART, fail(h, 40));
    }

    @Test
    void successfulRestartPurgesTheHistory() {
        FailureHistory h = history(2, FailoverMode.NONE);
        restartOnce(h);
        assertEquals(0, h.failureSum());
        assertEquals(NOTHING, fail(h, 50));
        assertEquals(RESTART, fail(h, 50));
        assertEquals(2, h.restartsInWindow());
    }

    @Test
    void restartsBeyondRetryCountWithinTheWindowGiveOver() {
        FailureHistory h = history(2, FailoverMode.SOFT);
        restartOnce(h);
        restartOnce(h);
        Decision d = h.record(100, PROBE, "connect refused");
        assertEquals(GIVEOVER, d.action());
        assertTrue(d.reason().contains("2 restarts within Retry_interval") && d.reason().contains("give over"),
                d.reason());
        assertEquals(2, h.restartsInWindow(), "a giveover is not a restart");
    }

    @Test
    void retryCountZeroGivesOverAtTheFirstCompleteFailure() {
        assertEquals(GIVEOVER, fail(history(0, FailoverMode.NONE), 100));
    }

    @Test
    void restartsLeaveTheWindowToo() {
        FailureHistory h = history(1, FailoverMode.NONE);
        restartOnce(h);
        assertEquals(GIVEOVER, fail(h, 100));
        h.giveoverRefused();
        clock.advance(WINDOW);
        assertEquals(0, h.restartsInWindow());
        assertEquals(RESTART, fail(h, 100));
    }

    @Test
    void entriesOlderThanRetryIntervalAreForgotten() {
        FailureHistory h = history(2, FailoverMode.NONE);
        assertEquals(NOTHING, fail(h, 50));
        clock.advance(WINDOW.plusSeconds(1));
        assertEquals(0, h.failureSum());
        assertEquals(NOTHING, h.record(50, PROBE, "again").action());
        assertEquals(50, h.failureSum());
    }

    @Test
    void anEntryExactlyRetryIntervalOldStillCounts() {
        FailureHistory h = history(2, FailoverMode.NONE);
        h.record(50, PROBE, "first");
        clock.advance(WINDOW);
        assertEquals(RESTART, h.record(50, PROBE, "second").action());
    }

    @ParameterizedTest
    @EnumSource(value = FailoverMode.class, names = {"NONE", "SOFT", "HARD"})
    void score201GivesOverAtOnce(FailoverMode mode) {
        FailureHistory h = history(2, mode);
        Decision d = h.record(201, PROBE, "data corrupt");
        assertEquals(GIVEOVER, d.action());
        assertTrue(d.reason().contains("201") && d.reason().contains("data corrupt"), d.reason());
        assertEquals(0, h.restartsInWindow());
    }

    @Test
    void score201CountsAsACompleteFailureUnderRestartOnly() {
        FailureHistory h = history(2, FailoverMode.RESTART_ONLY);
        Decision d = h.record(201, PROBE, "data corrupt");
        assertEquals(RESTART, d.action());
        assertTrue(d.reason().contains("201 counts as 100"), d.reason());
    }

    @Test
    void score201CountsAsACompleteFailureUnderLogOnly() {
        assertEquals(LOG, history(2, FailoverMode.LOG_ONLY).record(201, PROBE, "data corrupt").action());
    }

    @Test
    void logOnlyOnlyLogsAndNeverCountsRestarts() {
        FailureHistory h = history(0, FailoverMode.LOG_ONLY);
        assertEquals(NOTHING, fail(h, 50));
        Decision d = h.record(50, PROBE, "slow");
        assertEquals(LOG, d.action());
        assertTrue(d.reason().contains("LOG_ONLY"), d.reason());
        assertEquals(0, h.failureSum(), "logged failures are purged");
        assertEquals(NOTHING, fail(h, 50));
        assertEquals(LOG, fail(h, 100));
        assertEquals(0, h.restartsInWindow());
    }

    @Test
    void restartOnlyNeverGivesOverAndSaysTheBudgetIsSpent() {
        FailureHistory h = history(1, FailoverMode.RESTART_ONLY);
        restartOnce(h);
        Decision d = h.record(100, PROBE, "connect refused");
        assertEquals(FAULTED, d.action());
        assertTrue(d.reason().contains("RESTART_ONLY permits no giveover"), d.reason());
        assertEquals(0, h.failureSum());
        assertEquals(FAULTED, fail(h, 100));
        clock.advance(WINDOW);
        assertEquals(RESTART, fail(h, 100), "restarts resume once the earlier one left the window");
    }

    @Test
    void aFailedRestartGivesOverUnlessTheModeForbidsIt() {
        assertEquals(GIVEOVER, history(2, FailoverMode.HARD).restartFailed("Start exited 1").action());
        FailureHistory h = history(2, FailoverMode.RESTART_ONLY);
        assertEquals(RESTART, fail(h, 100));
        Decision d = h.restartFailed("Start exited 1");
        assertEquals(FAULTED, d.action());
        assertEquals(0, h.failureSum());
    }

    @Test
    void aProcessDeathReportedByPmfIsACompleteFailure() {
        FailureHistory h = history(2, FailoverMode.NONE);
        Decision d = h.processDied("rg,xfs,0.svc");
        assertEquals(RESTART, d.action());
        ProbeRecord r = h.records().get(0);
        assertEquals(100, r.score());
        assertEquals(Duration.ZERO, r.duration());
        assertTrue(r.message().contains("rg,xfs,0.svc"), r.message());
    }

    @Test
    void aRefusedGiveoverPurgesAndRestartsContinueWithinTheLimits() {
        FailureHistory h = history(1, FailoverMode.NONE);
        assertEquals(GIVEOVER, h.record(201, PROBE, "corrupt").action());
        h.giveoverRefused();
        assertEquals(RESTART, fail(h, 201), "after a refusal, 201 counts as 100");
        h.restartSucceeded();
        assertEquals(NOTHING, fail(h, 50));
        assertEquals(GIVEOVER, fail(h, 50), "budget spent: ask again");
        h.giveoverRefused();
        assertEquals(0, h.failureSum());
        assertEquals(NOTHING, fail(h, 50));
        clock.advance(WINDOW);
        assertEquals(NOTHING, fail(h, 50), "the 50 before is forgotten");
        assertEquals(RESTART, fail(h, 50), "the restart left the window");
        h.restartSucceeded();
        clock.advance(WINDOW.plusSeconds(1));
        assertEquals(GIVEOVER, fail(h, 201), "the refusal is forgotten too");
    }

    @Test
    void keepsTheLastRecordsForTheOperator() {
        FailureHistory h = new FailureHistory(new Policy(2, WINDOW, FailoverMode.NONE), 3, clock);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(60));
            h.record(i, Duration.ofMillis(i), "probe " + i);
        }
        List<ProbeRecord> records = h.records();
        assertEquals(List.of(3, 4, 5), records.stream().map(ProbeRecord::score).toList());
        assertEquals(new ProbeRecord(clock.instant(), Duration.ofMillis(5), 5, "probe 5"), records.get(2));
        assertThrows(UnsupportedOperationException.class, () -> records.add(records.get(0)));
        h.record(0, PROBE, "ok");
        assertEquals(3, records.size(), "a copy");
        assertEquals("ok", h.records().get(2).message());
    }

    @Test
    void refusesScoresOutOfRange() {
        FailureHistory h = history(2, FailoverMode.NONE);
        assertThrows(IllegalArgumentException.class, () -> h.record(101, PROBE, ""));
        assertThrows(IllegalArgumentException.class, () -> h.record(-1, PROBE, ""));
        assertTrue(h.records().isEmpty());
    }

    @Test
    void policyFromProperties() {
        Policy p = Policy.of(PropertyValues.of(Map.of("retry_count", "4", "Retry_interval", "750",
                "Failover_mode", "restart_only")));
        assertEquals(new Policy(4, Duration.ofSeconds(750), FailoverMode.RESTART_ONLY), p);
        assertEquals(new Policy(2, Duration.ofSeconds(300), FailoverMode.NONE), Policy.of(PropertyValues.empty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Policy.of(PropertyValues.of(Map.of("Failover_mode", "SOMETIMES"))));
        assertTrue(e.getMessage().contains("Failover_mode = \"SOMETIMES\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Policy(-1, WINDOW, FailoverMode.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Policy(1, Duration.ZERO, FailoverMode.NONE));
    }

    @Test
    void haSamWeights() {
        assertEquals(new FailureWeights(9, 34, 100), FailureWeights.of(Duration.ofSeconds(750), Duration.ofSeconds(60)));
        assertEquals(new FailureWeights(50, 50, 100), FailureWeights.of(Duration.ofSeconds(120), Duration.ofSeconds(60)));
        assertEquals(new FailureWeights(100, 100, 100), FailureWeights.of(Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }
}
