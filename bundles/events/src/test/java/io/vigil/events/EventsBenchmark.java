package io.vigil.events;

import io.vigil.api.alarm.Alarm;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.Dispatcher;
import io.vigil.events.dispatch.HandlerDirectory;
import io.vigil.events.dispatch.HandlerRun;
import io.vigil.events.dispatch.ProgramCheck;
import io.vigil.events.dispatch.ProgramRunner;
import io.vigil.events.send.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Prints (issue #5): (a) the alarm-to-handler latency of an in-process EventAdmin handler, p50 and
 * p99 over {@value #LATENCY_ALARMS} alarms sent one at a time, through the dispatcher and the real
 * Felix EventAdmin in an embedded framework (goal p99 5 ms); (b) the rate at which alarms are
 * accepted when each runs a directory handler program, {@value #THROUGHPUT_ALARMS} alarms sent as
 * fast as one thread can, and how many were handled in the end (goal 1,000 alarms/s accepted, zero
 * lost), with the default queue and workers and with a queue of 64 (most alarms then go through
 * the spool). Asserts nothing about timing. Not part of the normal run:
 * {@code mvn -pl bundles/events test -Devents.excludedGroups=none -Dtest=EventsBenchmark}.
 */
@Tag("benchmark")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class EventsBenchmark {

    static final int LATENCY_ALARMS = 2000;
    static final int WARM_UP = 500;
    static final int THROUGHPUT_ALARMS = 3000;

    @TempDir
    Path tmp;

    private Dispatcher dispatcher(Path events, String name, int queue, Function<AlarmRecord, HandlerRun> inProcess)
            throws Exception {
        return new Dispatcher(new Dispatcher.Settings(8, queue, Duration.ofSeconds(30), 100, ProgramCheck.currentUid(),
                Map.of("PATH", "/usr/bin:/bin")), new HandlerDirectory(events), new Spool(tmp.resolve(name + "-spool")),
                new ProgramRunner(tmp.resolve("tmp")), inProcess, r -> { }, ZoneOffset.UTC);
    }

    private static Alarm alarm(int i) {
        return Alarm.builder("bench", "tick").monitor("bench").instance(Integer.toString(i)).build();
    }

    @Test
    void inProcessLatency() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.event;version=1.4.0");
        Framework felix = new FrameworkFactory().newFramework(config);
        felix.start();
        try {
            BundleContext ctx = felix.getBundleContext();
            String jar = Class.forName("org.apache.felix.eventadmin.impl.Activator").getProtectionDomain()
                    .getCodeSource().getLocation().toString();
            ctx.installBundle(jar).start();
            EventAdmin ea = ctx.getService(ctx.getServiceReference(EventAdmin.class));
            long[] sentAt = new long[LATENCY_ALARMS + WARM_UP];
            long[] micros = new long[LATENCY_ALARMS + WARM_UP];
            CountDownLatch[] got = {new CountDownLatch(1)};
            ctx.registerService(EventHandler.class, (Event e) -> {
                int i = Integer.parseInt((String) e.getProperty("instance"));
                micros[i] = (System.nanoTime() - sentAt[i]) / 1000;
                got[0].countDown();
            }, new java.util.Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "vigil/event/bench/*")));
            try (Dispatcher d = dispatcher(Files.createDirectories(tmp.resolve("no-handlers")), "lat", 4096, r -> {
                ea.postEvent(new Event(r.alarm().topic(), Dispatcher.eventProperties(r)));
                return null;
            })) {
                for (int i = 0; i < LATENCY_ALARMS + WARM_UP; i++) {
                    got[0] = new CountDownLatch(1);
                    sentAt[i] = System.nanoTime();
                    d.send(alarm(i));
                    if (!got[0].await(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("alarm " + i + " never reached the handler");
                    }
                }
            }
            long[] measured = Arrays.copyOfRange(micros, WARM_UP, micros.length);
            Arrays.sort(measured);
            System.out.printf("Alarm -> in-process EventAdmin handler (Felix EventAdmin, postEvent), %d alarms: "
                    + "p50 %.3f ms, p99 %.3f ms, max %.3f ms (goal p99 <= 5 ms)%n", LATENCY_ALARMS,
                    measured[LATENCY_ALARMS / 2] / 1000.0, measured[LATENCY_ALARMS * 99 / 100 - 1] / 1000.0,
                    measured[LATENCY_ALARMS - 1] / 1000.0);
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    @Test
    void sustainedRateWithDirectoryHandlers() throws Exception {
        for (int queue : new int[] {4096, 64}) {
            Path events = tmp.resolve("events-" + queue);
            Path out = Files.createDirectories(tmp.resolve("out-" + queue));
            Path dir = Files.createDirectories(events.resolve("bench/tick"));
            Path handler = dir.resolve("record");
            // one small append per alarm (atomic with O_APPEND): the handled instance numbers
            Files.writeString(handler, "#!/bin/sh\necho \"$VIGIL_ALARM_INSTANCE\" >> " + out.resolve("handled") + "\n");
            Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
            Set<Long> dispatched = ConcurrentHashMap.newKeySet();
            try (Dispatcher d = dispatcher(events, "rate" + queue, queue, r -> {
                dispatched.add(r.sequence());
                return null;
            })) {
                long t0 = System.nanoTime();
                for (int i = 0; i < THROUGHPUT_ALARMS; i++) {
                    d.send(alarm(i));
                }
                long sendNanos = System.nanoTime() - t0;
                long spooled = d.stats().spooled();
                while (d.stats().programRuns() < THROUGHPUT_ALARMS) {
                    d.drainSpool();
                    Thread.sleep(20); // a benchmark waiting for handler processes, not a test
                }
                long allNanos = System.nanoTime() - t0;
                List<String> lines = Files.readAllLines(out.resolve("handled"));
                Set<String> unique = new HashSet<>(lines);
                System.out.printf("Directory handler, queue %d, 8 workers, %d alarms: accepted %.0f alarms/s "
                        + "(%d spooled on overflow); all handled after %.2f s = %.0f alarms/s; handler ran %d times "
                        + "for %d distinct alarms, %d lost (goal >= 1000/s accepted, 0 lost)%n", queue,
                        THROUGHPUT_ALARMS, THROUGHPUT_ALARMS / (sendNanos / 1e9), spooled, allNanos / 1e9,
                        THROUGHPUT_ALARMS / (allNanos / 1e9), lines.size(), unique.size(),
                        THROUGHPUT_ALARMS - unique.size());
            }
        }
    }
}
