package io.vigil.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProbeRunnerTest {

    private static final PropertyValues PROPS = PropertyValues.of(Map.of("Port_list", "7100/tcp"));

    private final ProbeRunner runner = new ProbeRunner();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void close() {
        never.countDown();
        runner.close();
    }

    private ProbeRun run(Probe probe, Duration timeout) throws InterruptedException {
        return runner.run("test", probe, "xfs", "xfs-rg", PROPS, timeout);
    }

    @Test
    void passesTheResultOnWithTheContextAndTheElapsedTime() throws Exception {
        // A timeout far longer than a loaded machine may take to start the probe's thread: the time
        // left the probe sees is then well within the timeout and above most of it.
        AtomicReference<String> seen = new AtomicReference<>();
        AtomicReference<Duration> left = new AtomicReference<>();
        long before = System.nanoTime();
        ProbeRun run = run(ctx -> {
            left.set(ctx.timeLeft());
            seen.set(ctx.resourceName() + " " + ctx.resourceGroupName() + " " + ctx.properties().getString("port_list"));
            never.await(20, TimeUnit.MILLISECONDS);
            return ProbeResult.failure(30, "slow answer");
        }, Duration.ofSeconds(60));
        Duration outside = Duration.ofNanos(System.nanoTime() - before);
        assertEquals(new ProbeResult(30, "slow answer"), run.result());
        assertEquals("xfs xfs-rg 7100/tcp", seen.get());
        assertTrue(left.get().compareTo(Duration.ofSeconds(55)) > 0
                && left.get().compareTo(Duration.ofSeconds(60)) <= 0, left.get().toString());
        // the elapsed time is measured: at least the probe's own wait, at most what the caller saw
        assertTrue(run.elapsed().compareTo(Duration.ofMillis(20)) >= 0, run.elapsed().toString());
        assertTrue(run.elapsed().compareTo(outside) <= 0, run.elapsed() + " measured, " + outside + " around it");
    }

    @Test
    void anOverrunIsACompleteFailureAndTheProbeIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        ProbeRun run = run(hanging(new CountDownLatch(1), interrupted), Duration.ofMillis(200));
        assertEquals(100, run.result().score());
        assertEquals("probe test of xfs overran its timeout (Probe_timeout) of 200 ms", run.result().message());
        assertTrue(run.elapsed().compareTo(Duration.ofMillis(200)) >= 0, run.elapsed().toString());
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the overrunning probe was not interrupted");
    }

    @Test
    void theTimeLeftCountsDown() throws Exception {
        ProbeRun run = run(ctx -> {
            Duration first = ctx.timeLeft();
            never.await(50, TimeUnit.MILLISECONDS);
            return new ProbeResult(ctx.timeLeft().compareTo(first) < 0 ? 0 : 100, first + " " + ctx.timeLeft());
        }, Duration.ofSeconds(60));
        assertEquals(0, run.result().score(), run.result().message());
    }

    @Test
    void anExceptionIsACompleteFailureWithItsMessage() throws Exception {
        ProbeRun run = run(ctx -> {
            throw new IOException("cannot read /proc/net/tcp");
        }, Duration.ofSeconds(60));
        assertEquals(100, run.result().score());
        assertEquals("probe test of xfs failed: IOException: cannot read /proc/net/tcp", run.result().message());
    }

    @Test
    void noResultIsACompleteFailure() throws Exception {
        ProbeRun run = run(ctx -> null, Duration.ofSeconds(60));
        assertEquals(new ProbeResult(100, "probe test of xfs returned no result"), run.result());
    }

    @Test
    void startReturnsAtOnceAndCompletesWithTheOverrunAndInterruptsTheProbe() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        var pending = runner.start("test", hanging(entered, interrupted), "xfs", "xfs-rg", PROPS, Duration.ofMillis(200));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        ProbeRun run = pending.get(10, TimeUnit.SECONDS);
        assertEquals("probe test of xfs overran its timeout (Probe_timeout) of 200 ms", run.result().message());
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the overrunning probe was not interrupted");
    }

    @Test
    void startCompletesWithTheResultOrTheFailureNeverExceptionally() throws Exception {
        ProbeRun ok = runner.start("test", ctx -> ProbeResult.failure(50, "half"), "xfs", "xfs-rg", PROPS,
                Duration.ofSeconds(60)).get(20, TimeUnit.SECONDS);
        assertEquals(new ProbeResult(50, "half"), ok.result());
        ProbeRun thrown = runner.start("test", ctx -> {
            throw new java.io.IOException("connection refused");
        }, "xfs", "xfs-rg", PROPS, Duration.ofSeconds(60)).get(20, TimeUnit.SECONDS);
        assertEquals("probe test of xfs failed: IOException: connection refused", thrown.result().message());
        assertEquals(100, thrown.result().score());
    }

    @Test
    void cancellingAStartedProbeInterruptsIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        var pending = runner.start("test", hanging(entered, interrupted), "xfs", "xfs-rg", PROPS, Duration.ofSeconds(60));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        pending.cancel(true);
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the cancelled probe was not interrupted");
    }

    /** A probe that says it entered, then waits until interrupted, and says so. */
    private Probe hanging(CountDownLatch entered, CountDownLatch interrupted) {
        return ctx -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return ProbeResult.healthy();
        };
    }
}
