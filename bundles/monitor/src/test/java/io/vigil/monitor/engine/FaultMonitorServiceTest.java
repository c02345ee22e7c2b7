package io.vigil.monitor.engine;

import io.vigil.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.probe.FaultMonitors.ProbeRecordView;
import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.ResourceStatus;
import io.vigil.monitor.history.FailureHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultMonitorServiceTest {

    /**
     * A probe answering the scores queued, healthy when none is; optionally blocking on a latch, and
     * then optionally ignoring interrupts (as a probe stuck in a system call does) until released.
     */
    static final class ScriptedProbe implements Probe {
        final BlockingQueue<ProbeResult> results = new LinkedBlockingQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        /** How many calls have returned (or thrown). */
        final AtomicInteger returned = new AtomicInteger();
        volatile CountDownLatch entered;
        volatile CountDownLatch release;
        volatile boolean ignoreInterrupts;
        /** Whether a blocked call ignoring interrupts was interrupted. */
        volatile boolean interrupted;
        /** The thread of the last call. */
        volatile Thread thread;

        void next(int... scores) {
            for (int s : scores) {
                results.add(s == 0 ? ProbeResult.healthy() : ProbeResult.failure(s, "scripted " + s));
            }
        }

        @Override
        public ProbeResult probe(ProbeContext context) throws InterruptedException {
            thread = Thread.currentThread();
            calls.incrementAndGet();
            try {
                if (entered != null) {
                    entered.countDown();
                    if (ignoreInterrupts) {
                        awaitIgnoringInterrupts(release);
                    } else {
                        release.await();
                    }
                }
                ProbeResult r = results.poll();
                return r == null ? ProbeResult.healthy() : r;
            } finally {
                returned.incrementAndGet();
            }
        }

        private void awaitIgnoringInterrupts(CountDownLatch latch) {
            while (true) {
                try {
                    latch.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
    }

    private final MutableClock clock = new MutableClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final FakeRgm rgm = new FakeRgm();
    private final FakePmf pmf = new FakePmf();
    private final ScriptedProbe probe = new ScriptedProbe();
    private FaultMonitorService service;

    @BeforeEach
    void setUp() {
        service = new FaultMonitorService(rgm, pmf, clock, scheduler, workers);
        service.afterAction = s -> rgm.events.add("done " + s);
        service.addProbe(probe, Map.of(Probe.NAME, "scripted"));
        service.addProbe(new ScriptedProbe(), Map.of(Probe.NAME, "other"));
        rgm.monitors = service;
    }

    @AfterEach
    void tearDown() {
        service.deactivate();
        workers.shutdownNow();
    }

    private void resource(String retryCount) {
        Map<String, String> props = new HashMap<>();
        props.put("Retry_count", retryCount);
        props.put("Retry_interval", "300");
        props.put("Thorough_probe_interval", "10");
        props.put("Probe_timeout", "30");
        rgm.add("r", "rg", props);
    }

    /** Takes events until "done r ACTION"; returns them, that one included. */
    private List<String> until(String action) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            String e = rgm.events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "timed out waiting for done r " + action + "; saw " + seen);
            seen.add(e);
            if (e.equals("done r " + action)) {
                return seen;
            }
            assertFalse(e.startsWith("done r "), "unexpected " + e + "; saw " + seen);
        }
    }

    private FailureHistory history() {
        return service.failureHistory("r").orElseThrow();
    }

    @Test
    void twoPartialFailuresRestartOnceThenHealthySetsOk() throws Exception {
        resource("2");
        service.start("r", "scripted");
        assertTrue(service.isRunning("r"));
        assertEquals(Duration.ofSeconds(10), scheduler.live().get(0).delay);

        probe.next(50, 50);
        scheduler.runDue();
        assertEquals(List.of("done r NOTHING"), until("NOTHING"));
        scheduler.runDue();
        List<String> seen = until("RESTART");
        assertEquals(3, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith("status DEGRADED restarting: failure sum 100"), seen.get(0));
        assertEquals("restart r", seen.get(1));
        assertEquals(1, rgm.restarts.get());
        assertEquals(ResourceStatus.DEGRADED, rgm.info("r").status());
        assertEquals(0, history().failureSum(), "a successful restart purges the scores");
        assertEquals(1, history().restartsInWindow());
        assertTrue(service.isRunning("r"), "Monitor_start after the restart started it again");
        assertEquals(1, scheduler.live().size());

        scheduler.runDue(); // healthy
        assertEquals(List.of("status OK ", "done r OK"), until("OK"));
        assertEquals(ResourceStatus.OK, rgm.info("r").status());
        List<ProbeRecordView> records = service.history("r");
        assertEquals(List.of(50, 50, 0), records.stream().map(ProbeRecordView::score).toList());
        assertEquals("scripted 50", records.get(0).message());
    }

    @Test
    void restartsBeyondRetryCountGiveOverAndFault() throws Exception {
        resource("1");
        service.start("r", "scripted");
        probe.next(100, 100);
        scheduler.runDue();
        until("RESTART");
        scheduler.runDue();
        List<String> seen = until("GIVEOVER");
        assertEquals(3, seen.size(), seen.toString());
        assertEquals("giveover rg", seen.get(0), "the giveover is asked of the RGM");
        assertTrue(seen.get(1).startsWith("status FAULTED giveover of group rg (r: "), seen.get(1));
        assertTrue(seen.get(1).endsWith("refused: there is no other node to fail over to"), seen.get(1));
        assertEquals(1, rgm.restarts.get());
        assertEquals(ResourceStatus.FAULTED, rgm.info("r").status());
        assertTrue(rgm.info("r").statusMessage().contains("no other node"));
        assertTrue(service.isRunning("r"), "the monitor keeps running after a refused giveover");
    }

    @Test
    void pmfDeathOfSvcCountsAsCompleteFailure() throws Exception {
        resource("2");
        service.start("r", "scripted");
        pmf.die("rg,r,0.mon");   // not a service tree
        pmf.die("rg,r2,0.svc");  // another resource
        pmf.die("rg,r,0.svc");
        List<String> seen = until("RESTART");
        assertEquals("restart r", seen.get(1));
        assertEquals(1, rgm.restarts.get());
        List<ProbeRecordView> records = service.history("r");
        assertEquals(1, records.size(), records.toString());
        assertEquals(100, records.get(0).score());
        assertTrue(records.get(0).message().contains("rg,r,0.svc"), records.get(0).message());
        assertEquals(Duration.ZERO, records.get(0).duration());
    }

    @Test
    void stopReturnsAtOnceWhileAProbeRunsAndNoFurtherProbesRun() throws Exception {
        resource("2");
        probe.entered = new CountDownLatch(1);
        probe.release = new CountDownLatch(1);
        probe.ignoreInterrupts = true; // it runs on until released: a stop that waited for it could not return
        probe.next(100);
        service.start("r", "scripted");
        Thread ticker = new Thread(scheduler::runDue, "test-ticker");
        ticker.start();
        assertTrue(probe.entered.await(10, TimeUnit.SECONDS));

        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            // the bound is only reached when stop waits for the probe, which is released only after it
            stopper.submit(() -> service.stop("r")).get(30, TimeUnit.SECONDS);
        } finally {
            stopper.shutdownNow();
        }
        assertFalse(service.isRunning("r"));
        assertTrue(pmf.listeners.isEmpty(), "the PMF listener is removed");
        ticker.join(10_000);
        assertFalse(ticker.isAlive());

        probe.release.countDown();
        // Let the probe's worker finish with its result (the runner's threads end once it is done) and
        // then the actions it might have queued, before checking that none ran.
        service.deactivate();
        probe.thread.join(10_000);
        assertFalse(probe.thread.isAlive(), "the probe's worker did not end");
        workers.shutdown();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS), "the action workers did not end");

        assertEquals(1, probe.returned.get());
        assertTrue(probe.interrupted, "the probe being waited for is interrupted");
        assertEquals(0, scheduler.runDue(), "the schedule is cancelled");
        assertEquals(1, probe.calls.get());
        assertTrue(service.history("r").isEmpty(), "the result of a stopped run is discarded");
        assertTrue(rgm.events.isEmpty(), rgm.events.toString());
        assertEquals(0, rgm.restarts.get());
    }

    @Test
    void startAfterStopKeepsTheRestartCount() throws Exception {
        resource("2");
        service.start("r", "scripted");
        FailureHistory first = history();
        probe.next(100);
        scheduler.runDue();
        until("RESTART");
        assertEquals(1, history().restartsInWindow());

        service.stop("r");
        assertFalse(service.isRunning("r"));
        service.start("r", "scripted");
        assertSame(first, history());
        assertEquals(1, history().restartsInWindow());

        probe.next(100, 100);
        scheduler.runDue();
        until("RESTART");
        scheduler.runDue();
        until("GIVEOVER");
        assertEquals(2, rgm.restarts.get());
        assertSame(first, history());
    }

    @Test
    void historyIsForgottenWhenNotRestartedWithinRetryInterval() throws Exception {
        resource("2");
        service.start("r", "scripted");
        FailureHistory first = history();
        probe.next(100);
        scheduler.runDue();
        until("RESTART");
        service.stop("r");
        clock.advance(Duration.ofSeconds(301));
        service.start("r", "scripted");
        assertNotSame(first, history());
        assertEquals(0, history().restartsInWindow());
    }

    @Test
    void unknownProbeIsRefusedNamingTheKnownOnes() {
        resource("2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.start("r", "nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertTrue(e.getMessage().contains("[other, scripted]"), e.getMessage());
        assertFalse(service.isRunning("r"));
        assertThrows(IllegalArgumentException.class, () -> service.start("missing", "scripted"));
    }

    @Test
    void score201GivesOverAtOnceThenCountsAs100() throws Exception {
        resource("2");
        service.start("r", "scripted");
        probe.next(201, 201);
        scheduler.runDue();
        List<String> seen = until("GIVEOVER");
        assertEquals(3, seen.size(), seen.toString());
        assertEquals("giveover rg", seen.get(0));
        assertTrue(seen.get(1).startsWith("status FAULTED giveover of group rg (r: probe asks to fail over now (201)"),
                seen.get(1));
        assertTrue(seen.get(1).contains("no other node"), seen.get(1));
        assertEquals(0, rgm.restarts.get());

        scheduler.runDue(); // a refused giveover: 201 now counts as 100 and restarts
        until("RESTART");
        assertEquals(1, rgm.restarts.get());
    }

    @Test
    void awaitServiceProbesUntilTheServiceAnswers() throws Exception {
        resource("2");
        service.serviceWaitPause = Duration.ofMillis(1);
        probe.next(100, 50);
        var wait = service.awaitService("r", "scripted", Duration.ofSeconds(30));
        assertTrue(wait.healthy(), wait.toString());
        assertEquals(3, probe.calls.get(), "two failures, then the healthy answer");
        assertTrue(service.history("r").isEmpty(), "waiting for a start is not a fault: nothing is recorded");
    }

    @Test
    void awaitServiceGivesUpAtItsTimeoutWithTheLastProbeMessage() throws Exception {
        resource("2");
        service.serviceWaitPause = Duration.ofMillis(1);
        probe.entered = new CountDownLatch(1);
        probe.release = new CountDownLatch(1); // never released: the probe overruns what is left
        // Long enough for the first probe to start before the deadline even on a loaded machine (the
        // message would else be "no probe ran"); the test waits all of it.
        var wait = service.awaitService("r", "scripted", Duration.ofSeconds(2));
        assertFalse(wait.healthy());
        assertTrue(wait.message().contains("overran its timeout"), wait.message());
        assertEquals(1, probe.calls.get());
    }

    @Test
    void awaitServiceStopsWhenThePmfGaveUpOnTheService() throws Exception {
        resource("2");
        pmf.tags.add(new io.vigil.api.pmf.TagStatus(new io.vigil.api.pmf.ProcessSpec("rg,r,0.svc", List.of("/bin/true"),
                Map.of(), java.nio.file.Path.of("/"), 2, Duration.ofSeconds(300), java.util.Optional.empty(), -1),
                List.of(), 3, java.time.Instant.EPOCH, io.vigil.api.pmf.TagStatus.State.GAVE_UP));
        var wait = service.awaitService("r", "scripted", Duration.ofSeconds(30));
        assertFalse(wait.healthy());
        assertEquals("the PMF gave up on rg,r,0.svc after 3 restarts within its window", wait.message());
        assertEquals(0, probe.calls.get());
        assertThrows(IllegalArgumentException.class, () -> service.awaitService("r", "nosuch", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> service.awaitService("nosuch", "scripted", Duration.ofSeconds(1)));
    }

    /** A probe whose first {@code failingCalls} runs see the service's tree die (and fail); later runs answer. */
    private Probe dyingService(AtomicInteger calls, int failingCalls) {
        return context -> {
            int n = calls.incrementAndGet();
            if (n > failingCalls) {
                return ProbeResult.healthy();
            }
            pmf.die("rg,r,0.svc");
            return ProbeResult.failure(100, "connection refused (" + n + ")");
        };
    }

    @Test
    void awaitServiceFailsWhenThePmfRestartsTheServiceMoreThanRetryCount() throws Exception {
        resource("2");
        service.serviceWaitPause = Duration.ofMinutes(10); // only a death ends a pause this long
        AtomicInteger calls = new AtomicInteger();
        service.addProbe(dyingService(calls, Integer.MAX_VALUE), Map.of(Probe.NAME, "dying"));
        var wait = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> service.awaitService("r", "dying", Duration.ofMinutes(5)));
        assertFalse(wait.healthy());
        assertEquals("the PMF restarted rg,r,0.svc while waiting for the service to answer: 3 restarts, "
                + "more than Retry_count 2", wait.message());
        assertEquals(3, calls.get(), "each restart is probed at once, without the pause");
        assertTrue(pmf.listeners.isEmpty(), "the wait's PMF listener is removed");
        assertTrue(service.history("r").isEmpty(), "waiting for a start records nothing");
    }

    @Test
    void awaitServiceAnswersAfterRestartsWithinRetryCount() throws Exception {
        resource("2");
        service.serviceWaitPause = Duration.ofMinutes(10);
        AtomicInteger calls = new AtomicInteger();
        service.addProbe(dyingService(calls, 2), Map.of(Probe.NAME, "dying"));
        var wait = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> service.awaitService("r", "dying", Duration.ofMinutes(5)));
        assertTrue(wait.healthy(), wait.toString());
        assertEquals(3, calls.get());
        assertTrue(pmf.listeners.isEmpty());
    }

    @Test
    void awaitServiceCountsOnlyTheResourcesServiceTrees() throws Exception {
        resource("0");
        service.serviceWaitPause = Duration.ofMillis(1);
        AtomicInteger calls = new AtomicInteger();
        service.addProbe(context -> {
            if (calls.incrementAndGet() == 1) {
                pmf.die("rg,r,0.mon");   // its fault monitor, not its service
                pmf.die("rg,r2,0.svc");  // another resource
                return ProbeResult.failure(100, "not yet");
            }
            return ProbeResult.healthy();
        }, Map.of(Probe.NAME, "others"));
        var wait = service.awaitService("r", "others", Duration.ofSeconds(30));
        assertTrue(wait.healthy(), wait.toString());
    }

    @Test
    void awaitServiceStopsAtOnceWhenThePmfGivesUpDuringTheWait() throws Exception {
        resource("2");
        probe.entered = new CountDownLatch(1);
        probe.release = new CountDownLatch(1); // never released: only the PMF's verdict ends this probe
        ExecutorService pmfThread = Executors.newSingleThreadExecutor();
        try {
            // submitted, not executed, so that the task's failure reaches the test through its Future
            Future<?> verdict = pmfThread.submit(() -> {
                assertTrue(probe.entered.await(10, TimeUnit.SECONDS), "the probe was not called within 10 s");
                pmf.gaveUp("rg,r,0.svc", 2);
                return null;
            });
            var wait = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> service.awaitService("r", "scripted", Duration.ofMinutes(5)));
            verdict.get(10, TimeUnit.SECONDS);
            assertFalse(wait.healthy());
            assertEquals("the PMF gave up on rg,r,0.svc after 2 restarts within its window", wait.message());
            assertEquals(1, probe.calls.get());
        } finally {
            pmfThread.shutdownNow();
        }
    }

    @Test
    void aHangingProbeDoesNotHoldTheSchedulerThread() throws Exception {
        resource("2");
        probe.entered = new CountDownLatch(1);
        probe.release = new CountDownLatch(1);
        service.start("r", "scripted");
        assertEquals(1, scheduler.runDue(), "the tick returns while its probe still runs");
        assertTrue(probe.entered.await(10, TimeUnit.SECONDS));
        assertTrue(scheduler.live().isEmpty(), "the next probe is scheduled only when this one has ended");
        probe.release.countDown();
        assertEquals(List.of("status OK ", "done r OK"), until("OK"), "the first healthy probe sets Status OK");
        assertEquals(1, scheduler.live().size());
        assertEquals(Duration.ofSeconds(10), scheduler.live().get(0).delay);
    }
}
