package io.vigil.events;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventsServiceTest {

    @Test
    void aPeriodicTaskThatThrowsRunsAgain() throws Exception {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch again = new CountDownLatch(1);
            s.scheduleWithFixedDelay(EventsService.surviving("test task", () -> {
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("queue full");
                }
                again.countDown();
            }), 0, 1, TimeUnit.MILLISECONDS);
            assertTrue(again.await(20, TimeUnit.SECONDS), "the scheduled task survives its exception");
        } finally {
            s.shutdownNow();
        }
    }
}
