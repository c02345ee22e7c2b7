package io.vigil.events.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.alarm.Alarm;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.HandlerRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryQueueTest {

    private final List<RecoveryQueue> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(RecoveryQueue::close);
    }

    private RecoveryQueue queue(Consumer<AlarmRecord> recovery, int threads, int waiting) {
        RecoveryQueue q = new RecoveryQueue(recovery, threads, waiting);
        open.add(q);
        return q;
    }

    private static AlarmRecord record(String instance, String id) throws Exception {
        var c = AlarmRecord.class.getDeclaredConstructor(long.class, Alarm.class, boolean.class);
        c.setAccessible(true);
        return c.newInstance(1L, Alarm.builder("app", "hung").monitor("m").instance(instance)
                .attribute("id", id).build(), false);
    }

    private static String id(AlarmRecord r) {
        return r.alarm().attributes().get("id");
    }

    @Test
    void recoveriesOfDifferentResourcesRunInParallel() throws Exception {
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        AtomicBoolean together = new AtomicBoolean(true);
        // Each waits until the other has started: one after the other, the first would wait in vain.
        RecoveryQueue q = queue(r -> {
            boolean a = r.alarm().instance().equals("a");
            (a ? aStarted : bStarted).countDown();
            try {
                if (!(a ? bStarted : aStarted).await(20, TimeUnit.SECONDS)) {
                    together.set(false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        }, 2, 8);
        assertTrue(q.submit("a", record("a", "1")));
        assertTrue(q.submit("b", record("b", "1")));
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertTrue(together.get(), "a recovery of one resource does not wait for another's");
    }

    @Test
    void recoveriesOfOneResourceNeverOverlapAndKeepTheirOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(5);
        AtomicInteger runningOfA = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        RecoveryQueue q = queue(r -> {
            if (r.alarm().instance().equals("a")) {
                mostAtOnce.accumulateAndGet(runningOfA.incrementAndGet(), Math::max);
                order.add(id(r));
                if (id(r).equals("1")) {
                    firstStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                runningOfA.decrementAndGet();
            } else {
                otherDone.countDown();
            }
            allDone.countDown();
        }, 2, 8);
        q.submit("a", record("a", "1"));
        firstStarted.await();
        for (String id : List.of("2", "3", "4")) {
            q.submit("a", record("a", id));
        }
        q.submit("b", record("b", "1"));
        // With 2 threads, b can only have run on the second one; had a's later recoveries been handed
        // to the pool as they came, they would have run on it first, beside a's first.
        assertTrue(otherDone.await(20, TimeUnit.SECONDS), "another resource proceeds while a's first runs");
        assertEquals(List.of("1"), order, "a's later recoveries wait for its first");
        release.countDown();
        assertTrue(allDone.await(20, TimeUnit.SECONDS));
        assertEquals(1, mostAtOnce.get());
        assertEquals(List.of("1", "2", "3", "4"), order);
    }

    @Test
    void aRecoveryThatThrowsIsRecordedAndTheNextOneOfItsResourceStillRuns() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        RecoveryQueue q = queue(r -> {
            if (id(r).equals("1")) {
                throw new IllegalStateException("no RGM answer");
            }
            second.countDown();
        }, 1, 8);
        AlarmRecord first = record("a", "1");
        q.submit("a", first);
        q.submit("a", record("a", "2"));
        assertTrue(second.await(20, TimeUnit.SECONDS));
        List<HandlerRun> runs = first.runs();
        assertEquals(1, runs.size(), runs.toString());
        assertEquals("error", runs.get(0).status());
        assertEquals("recovery of a failed: java.lang.IllegalStateException: no RGM answer", runs.get(0).message());
    }

    @Test
    void tooManyWaitingForOneResourceAreRecordedAsSkipped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        RecoveryQueue q = queue(r -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 2, 1);
        assertTrue(q.submit("a", record("a", "1")));
        started.await();
        assertTrue(q.submit("a", record("a", "2")));
        AlarmRecord third = record("a", "3");
        assertFalse(q.submit("a", third));
        assertEquals("skipped", third.runs().get(0).status());
        assertEquals("recovery not run: 1 recoveries of a already wait while one runs", third.runs().get(0).message());
        release.countDown();
    }
}
