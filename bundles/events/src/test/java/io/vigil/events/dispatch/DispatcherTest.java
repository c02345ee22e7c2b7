package io.vigil.events.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.vigil.testing.Processes.running;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testing.Await;
import io.vigil.api.alarm.Alarm;
import io.vigil.events.send.SendEventArgs;
import io.vigil.events.send.Spool;
import java.time.Instant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatcherTest {

    @TempDir
    Path tmp;

    private final List<Dispatcher> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(Dispatcher::close);
    }

    private Path events() throws IOException {
        Path root = tmp.toRealPath().resolve("events");
        Files.createDirectories(root);
        return root;
    }

    private static Path program(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Dispatcher dispatcher(Path events, int workers, int queue, Duration timeout,
            Function<AlarmRecord, HandlerRun> inProcess) throws IOException {
        return dispatcher(events, workers, queue, timeout, inProcess, new ProgramRunner(tmp.resolve("tmp")), r -> { });
    }

    private Dispatcher dispatcher(Path events, int workers, int queue, Duration timeout,
            Function<AlarmRecord, HandlerRun> inProcess, ProgramRunner runner, Consumer<AlarmRecord> recovery)
            throws IOException {
        Dispatcher d = new Dispatcher(new Dispatcher.Settings(workers, queue, timeout, 100,
                ProgramCheck.currentUid(), Map.of("PATH", "/usr/bin:/bin")), new HandlerDirectory(events),
                new Spool(tmp.resolve("spool")), runner, inProcess, recovery, ZoneOffset.UTC);
        open.add(d);
        return d;
    }

    /** A runner that starts no process: it records the instance and arguments, and waits for {@code release}. */
    private ProgramRunner fakeRunner(CountDownLatch release, List<String> ran, List<List<String>> args,
            CountDownLatch started) {
        return new ProgramRunner(tmp.resolve("tmp")) {
            @Override
            public Outcome run(Path program, List<String> argv, Map<String, String> env, Duration timeout)
                    throws InterruptedException {
                started.countDown();
                release.await();
                ran.add(env.get("VIGIL_ALARM_INSTANCE"));
                args.add(argv);
                return new Outcome(0, false, Duration.ZERO, "");
            }
        };
    }

    private static <T> List<T> synced() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }

    private static List<String> numbers(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    /** Blocks the dispatching thread in the in-process delivery of the first alarm until released. */
    private static Function<AlarmRecord, HandlerRun> holdingFirst(CountDownLatch busy, CountDownLatch release,
            List<AlarmRecord> delivered) {
        return r -> {
            if (busy.getCount() > 0) {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delivered.add(r);
            return null;
        };
    }

    private static Alarm alarm(String instance) {
        return Alarm.builder("app", "hung").monitor("probe").instance(instance)
                .attribute("severity", "ERROR").attribute("problemText", "it's \"stuck\" $HOME").build();
    }

    private static void await(BooleanSupplier condition) {
        Await.until("the dispatcher to reach the state the test waits for", condition);
    }


    private static AlarmRecord record(Dispatcher d, long seq) {
        return d.recent().stream().filter(r -> r.sequence() == seq).findFirst().orElseThrow();
    }

    /** The runs so far; none while the alarm is still queued. */
    private static List<HandlerRun> runs(Dispatcher d, long seq) {
        return d.recent().stream().filter(r -> r.sequence() == seq).findFirst().map(AlarmRecord::runs)
                .orElse(List.of());
    }

    @Test
    void handlersRunInParallelEachWithTheExactArgumentVectorAndEnvironment() throws Exception {
        Path events = events();
        Path out = Files.createDirectory(tmp.resolve("out"));
        // Each handler records its argv and environment, then waits until all three have started:
        // run one after the other, they would all time out.
        String body = "printf '%s\\0' \"$@\" > " + out + "/$(basename $0).argv\n"
                + "env > " + out + "/$(basename $0).env\n"
                + "touch " + out + "/$(basename $0).started\n"
                + "while [ $(ls " + out + " | grep -c started) -lt 3 ]; do sleep 0.01; done\necho done";
        program(events.resolve("app/hung"), "h1", body);
        program(events.resolve("app/hung"), "h2", body);
        program(events.resolve("allclass"), "h3", body);
        Dispatcher d = dispatcher(events, 4, 16, Duration.ofSeconds(20), r -> null);
        long seq = d.send(alarm("web-rs"));
        await(() -> d.stats().programRuns() == 3);
        List<HandlerRun> runs = record(d, seq).runs();
        assertEquals(3, runs.size(), runs.toString());
        runs.forEach(r -> assertEquals("ok", r.status(), r.toString()));
        runs.forEach(r -> assertEquals("done", r.message()));
        List<String> expected = List.of("-C", "app", "-E", "hung", "-m", "probe", "-n", "web-rs", "-s", "ERROR",
                "-x", "it's \"stuck\" $HOME");
        for (String h : List.of("h1", "h2", "h3")) {
            String argv = Files.readString(out.resolve(h + ".argv"), StandardCharsets.UTF_8);
            assertEquals(expected, Arrays.asList(argv.substring(0, argv.length() - 1).split("\0")));
            List<String> env = Files.readAllLines(out.resolve(h + ".env"));
            assertTrue(env.contains("VIGIL_ALARM_CLASS=app"), env.toString());
            assertTrue(env.contains("VIGIL_ALARM_INSTANCE=web-rs"), env.toString());
            assertTrue(env.contains("VIGIL_ALARM_SEQUENCE=" + seq), env.toString());
            assertTrue(env.contains("VIGIL_ALARM_PROBLEM_TEXT=it's \"stuck\" $HOME"), env.toString());
        }
    }

    @Test
    void hangingHandlerIsKilledAtItsTimeoutAndDoesNotDelayTheOthers() throws Exception {
        Path events = events();
        Path pids = tmp.resolve("pids");
        program(events.resolve("app/hung"), "a-hang", "sleep 300 &\necho $! > " + pids + ".tmp\nmv " + pids + ".tmp "
                + pids + "\nwait");
        // The fast one ends only once the other runs (has written its child's pid): it ends beside
        // it, not after it. The timeout (the same for both) is generous, as the fast one must beat it.
        program(events.resolve("app/hung"), "b-fast", "while [ ! -e " + pids + " ]; do sleep 0.01; done\necho fast");
        Dispatcher d = dispatcher(events, 2, 16, Duration.ofSeconds(5), r -> null);
        long seq = d.send(alarm("x"));
        await(() -> runs(d, seq).size() >= 1);
        HandlerRun first = record(d, seq).runs().get(0);
        assertEquals("ok", first.status(), "the fast handler ends first, while the other still hangs: " + first);
        assertTrue(first.handler().endsWith("b-fast"), first.toString());
        await(() -> runs(d, seq).size() == 2);
        HandlerRun hang = record(d, seq).runs().get(1);
        assertEquals("timeout", hang.status(), hang.toString());
        assertEquals(-1, hang.exitCode());
        // written before the fast one could end, so before the hanging one was killed
        long child = Long.parseLong(Files.readString(pids).strip());
        assertFalse(running(child), "the hanging handler's child is killed with its session");
    }


    @Test
    void nonExecutableAndWorldWritableHandlersAreRefused() throws Exception {
        Path events = events();
        Path dir = events.resolve("app/hung");
        Path plain = program(dir, "not-executable", "exit 0");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        Path writable = program(dir, "world-writable", "exit 0");
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
        program(dir, "good", "exit 3");
        Dispatcher d = dispatcher(events, 2, 16, Duration.ofSeconds(10), r -> null);
        long seq = d.send(alarm("x"));
        await(() -> d.stats().programRuns() == 3);
        Map<String, HandlerRun> byName = new java.util.HashMap<>();
        record(d, seq).runs().forEach(r -> byName.put(Path.of(r.handler()).getFileName().toString(), r));
        assertEquals("refused", byName.get("not-executable").status());
        assertTrue(byName.get("not-executable").message().contains("is not executable"));
        assertEquals("refused", byName.get("world-writable").status());
        assertTrue(byName.get("world-writable").message().contains("is world-writable (mode 0777)"));
        assertEquals("failed", byName.get("good").status());
        assertEquals(3, byName.get("good").exitCode());
    }

    @Test
    void fullQueueSpoolsAndEveryAlarmIsDispatchedExactlyOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        Dispatcher d = dispatcher(events(), 1, 1, Duration.ofSeconds(10), r -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add(Long.parseLong(r.alarm().instance()));
            return null;
        });
        d.send(alarm("0"));
        busy.await(); // the dispatching thread holds alarm 0; the queue (1) is empty
        for (int i = 1; i < 6; i++) {
            d.send(alarm(Integer.toString(i)));
        }
        assertEquals(4, d.stats().spooled(), "one queued, four spooled, none dropped");
        release.countDown();
        Await.until("dispatched to reach " + 6, () -> {
            d.drainSpool();
            return d.stats().dispatched() >= 6;
        });
        assertEquals(6, d.stats().dispatched());
        assertEquals(0, d.drainSpool());
        List<Long> sorted = new ArrayList<>(delivered);
        sorted.sort(null);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), sorted);
        assertTrue(new Spool(tmp.resolve("spool")).pending().isEmpty());
    }

    @Test
    void spooledAlarmsAreDispatchedOnceAtStartAndInvalidOnesSetAside() throws Exception {
        Spool spool = new Spool(tmp.resolve("spool"));
        spool.write(List.of("-C", "app", "-E", "hung", "-m", "m", "-n", "one"));
        spool.write(List.of("-C", "app", "-E", "hung", "-m", "m", "-n", "two"));
        spool.write(List.of("-C", "../x", "-E", "hung", "-m", "m", "-n", "bad"));
        List<String> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        Dispatcher d = dispatcher(events(), 1, 16, Duration.ofSeconds(10), r -> {
            delivered.add(r.alarm().instance());
            return null;
        });
        assertEquals(2, d.drainSpool());
        assertEquals(0, d.drainSpool());
        await(() -> d.stats().dispatched() == 2);
        assertEquals(List.of("one", "two"), delivered);
        assertTrue(spool.pending().isEmpty());
        assertEquals(1, Files.list(spool.dir().resolve("rejected")).count());
    }

    @Test
    void alarmsQueuedAtCloseAreSpooled() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        Dispatcher d = dispatcher(events(), 1, 8, Duration.ofSeconds(10), r -> {
            busy.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        d.send(alarm("held"));
        busy.await();
        d.send(alarm("queued"));
        d.close();
        List<Path> pending = new Spool(tmp.resolve("spool")).pending();
        assertEquals(1, pending.size());
        assertTrue(Spool.read(pending.get(0)).contains("queued"));
    }

    @Test
    void drainQueuesWhatTheQueueTakesKeepsTheRestSpooledAndDispatchesNothingTwice() throws Exception {
        Spool spool = new Spool(tmp.resolve("spool"));
        for (int i = 1; i <= 5; i++) {
            spool.append(List.of("-C", "app", "-E", "hung", "-m", "m", "-n", "s" + i), 10);
        }
        spool.closeSegment();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<AlarmRecord> delivered = synced();
        Dispatcher d = dispatcher(events(), 1, 4, Duration.ofSeconds(10), holdingFirst(busy, release, delivered));
        d.send(alarm("held"));
        busy.await();
        d.send(alarm("q1"));
        d.send(alarm("q2")); // the queue (4) has room for two of the segment's five
        assertEquals(2, d.drainSpool(), "as many as the queue takes, not all or nothing");
        List<Path> pending = spool.pending();
        assertEquals(1, pending.size());
        assertEquals(List.of("s3", "s4", "s5"), Spool.readAll(pending.get(0)).stream().map(a -> a.get(7)).toList(),
                "the segment is rewritten with the alarms not queued");
        assertEquals(0, d.drainSpool(), "the queue is full: nothing more, no exception");
        assertEquals(0, d.send(alarm("late")), "spooled behind the segment");
        release.countDown();
        Await.until("dispatched to reach " + 9, () -> {
            d.drainSpool();
            return d.stats().dispatched() >= 9;
        });
        assertEquals(0, d.drainSpool());
        List<String> got = delivered.stream().map(r -> r.alarm().instance()).sorted().toList();
        assertEquals(List.of("held", "late", "q1", "q2", "s1", "s2", "s3", "s4", "s5"), got, "each exactly once");
        assertTrue(spool.pending().isEmpty());
    }

    @Test
    void drainWhileSendersFillTheQueueNeitherThrowsNorDispatchesTwice() throws Exception {
        List<AlarmRecord> delivered = synced();
        Dispatcher d = dispatcher(events(), 1, 8, Duration.ofSeconds(10), r -> {
            delivered.add(r);
            return null;
        });
        int senders = 4;
        int each = 300;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int base = t * each;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    d.send(alarm(Integer.toString(base + i)));
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        // Drains race the senders for the queue: a drain must neither throw nor queue an alarm twice.
        while (threads.stream().anyMatch(Thread::isAlive) || d.stats().dispatched() < senders * each) {
            d.drainSpool();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(senders * each, d.stats().dispatched());
        assertEquals(0, d.drainSpool());
        List<String> got = new ArrayList<>(delivered.stream().map(r -> r.alarm().instance()).toList());
        assertEquals(senders * each, new java.util.HashSet<>(got).size(), "every alarm dispatched");
        assertEquals(senders * each, got.size(), "none twice");
    }

    @Test
    void spooledAlarmKeepsTheTimeItWasRaisedAndHandlersTheirExactArguments() throws Exception {
        Path events = events();
        program(events.resolve("app/hung"), "h", "exit 0");
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<AlarmRecord> delivered = synced();
        List<List<String>> args = synced();
        Dispatcher d = dispatcher(events, 2, 1, Duration.ofSeconds(10), holdingFirst(busy, release, delivered),
                fakeRunner(new CountDownLatch(0), synced(), args, new CountDownLatch(0)), r -> { });
        d.send(alarm("held"));
        busy.await();
        d.send(alarm("queued"));
        Instant raised = Instant.parse("2020-02-29T12:34:56.123456789Z");
        Alarm overflow = Alarm.builder("app", "hung").monitor("probe").instance("over").time(raised)
                .attribute("severity", "ERROR").build();
        assertEquals(0, d.send(overflow), "the queue is full: spooled");
        release.countDown();
        Await.until("programRuns to reach " + 3, () -> {
            d.drainSpool();
            return d.stats().programRuns() >= 3;
        });
        AlarmRecord over = delivered.stream().filter(r -> r.alarm().instance().equals("over")).findFirst().orElseThrow();
        assertTrue(over.fromSpool());
        assertEquals(raised, over.alarm().time(), "the time it was raised, not the time it was dispatched");
        assertTrue(args.contains(SendEventArgs.argv(overflow)), "the handler gets the option vector only: " + args);
    }

    @Test
    void hangingHandlersFillingThePoolDelayNeitherEventAdminNorRecoveryNorOtherRuns() throws Exception {
        Path events = events();
        program(events.resolve("app/hung"), "h", "exit 0");
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = synced();
        int alarms = 20; // 1 worker: 1 running and 16 waiting; 3 more cannot be queued
        CountDownLatch delivered = new CountDownLatch(alarms);
        CountDownLatch recovered = new CountDownLatch(alarms);
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger recoveries = new AtomicInteger();
        Dispatcher d = dispatcher(events, 1, 64, Duration.ofSeconds(30), r -> {
            deliveries.incrementAndGet();
            delivered.countDown();
            return null;
        }, fakeRunner(release, ran, synced(), new CountDownLatch(0)), r -> {
            recoveries.incrementAndGet();
            recovered.countDown();
        });
        for (int i = 1; i <= alarms; i++) {
            d.send(alarm(Integer.toString(i)));
        }
        assertTrue(delivered.await(20, TimeUnit.SECONDS), "every alarm reaches EventAdmin while handlers hang");
        assertTrue(recovered.await(20, TimeUnit.SECONDS), "every alarm reaches recovery while handlers hang");
        await(() -> d.stats().dispatched() == alarms);
        assertEquals(3, d.stats().deferred());
        List<String> deferred = d.recent().stream().filter(r -> r.runs().stream()
                .anyMatch(h -> h.status().equals("deferred"))).map(r -> r.alarm().instance()).toList();
        assertEquals(List.of("18", "19", "20"), deferred);
        // While the workers are still full, draining leaves the deferred runs in the spool: queued
        // again they would only be deferred, recorded and spooled once more. drainSpool() queues
        // synchronously, so its count and the queued counter show at once whether it queued any;
        // everything queued was dispatched already, so none of them can be deferred again later.
        for (int i = 0; i < 5; i++) {
            assertEquals(0, d.drainSpool(), "a deferred run was queued again while the workers are full");
        }
        assertEquals(alarms, d.stats().queued(), "no deferred run was cycled through the queue again");
        assertEquals(alarms, d.stats().dispatched());
        assertEquals(3, d.stats().deferred());
        assertEquals(3, new Spool(tmp.resolve("spool")).pending().stream().mapToInt(p -> {
            try {
                return Spool.readEntries(p).size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).sum(), "the deferred runs still wait in the spool");

        release.countDown();
        Await.until("programRuns to reach " + alarms, () -> {
            d.drainSpool();
            return d.stats().programRuns() >= alarms;
        });
        assertEquals(0, d.drainSpool());
        List<String> sorted = new ArrayList<>(ran);
        sorted.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        assertEquals(numbers(1, alarms), sorted, "every handler run exactly once, the deferred ones later");
        assertEquals(alarms, deliveries.get(), "a deferred run is not delivered to EventAdmin again");
        assertEquals(alarms, recoveries.get(), "nor to recovery");
        AlarmRecord rerun = d.recent().stream().filter(r -> r.deferredHandler().isPresent()).findFirst().orElseThrow();
        assertEquals("app/hung/h", rerun.deferredHandler().get());
        assertEquals(List.of("ok"), rerun.runs().stream().map(HandlerRun::status).toList());
    }

    @Test
    void handlerRunsWaitingForAWorkerAtCloseAreSpooledAndRunAtTheNextStart() throws Exception {
        Path events = events();
        program(events.resolve("app/hung"), "h", "exit 0");
        CountDownLatch started = new CountDownLatch(1);
        Dispatcher d = dispatcher(events, 1, 16, Duration.ofSeconds(30), r -> null,
                fakeRunner(new CountDownLatch(1), synced(), synced(), started), r -> { });
        for (int i = 1; i <= 3; i++) {
            d.send(alarm(Integer.toString(i)));
        }
        started.await(); // alarm 1's run hangs in the only worker; 2 and 3 wait for it
        await(() -> d.stats().dispatched() == 3);
        d.close();
        List<Path> pending = new Spool(tmp.resolve("spool")).pending();
        assertEquals(2, pending.size(), "the waiting runs are spooled, not dropped");
        for (Path p : pending) {
            Spool.Entry e = Spool.readEntries(p).get(0);
            assertEquals(java.util.Optional.of("app/hung/h"), e.handler());
            assertTrue(e.raised().isPresent());
        }

        List<String> ran = synced();
        AtomicInteger deliveries = new AtomicInteger();
        Dispatcher next = dispatcher(events, 1, 16, Duration.ofSeconds(30), r -> {
            deliveries.incrementAndGet();
            return null;
        }, fakeRunner(new CountDownLatch(0), ran, synced(), new CountDownLatch(0)), r -> { });
        assertEquals(2, next.drainSpool());
        await(() -> next.stats().programRuns() == 2);
        assertEquals(List.of("2", "3"), ran.stream().sorted().toList());
        assertEquals(0, deliveries.get(), "only the handler runs, the alarms were delivered before");
    }

    @Test
    void environmentNamesFollowTheFields() {
        assertEquals("VIGIL_ALARM_PROBLEM_TEXT", Dispatcher.variable("problemText"));
        assertEquals("VIGIL_ALARM_CLASS", Dispatcher.variable("class"));
    }
}
