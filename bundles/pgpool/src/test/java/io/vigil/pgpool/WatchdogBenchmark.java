package io.vigil.pgpool;

import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.Payloads;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.codec.WdPacket;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.codec.WdType;
import io.vigil.pgpool.ipc.WatchdogClient;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.lifecheck.ExternalLifecheck;
import io.vigil.pgpool.lifecheck.ServiceProber;
import io.vigil.pgpool.probe.PgpoolProbe;
import io.vigil.pgpool.server.RequestHandler;
import io.vigil.pgpool.server.VigilNodes;
import io.vigil.pgpool.server.WatchdogServer;
import io.vigil.pgpool.server.WatchdogView;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Prints (a) the compatible server's GET NODES LIST requests per second with 16 concurrent
 * clients, one command per connection; (b) its latency percentiles at a fixed 1,000 requests/s
 * (measured from each request's scheduled start, so a stall is not hidden); (c) the bridge's time
 * from a node stopping (it no longer answers the pgpool probe, as under SIGSTOP) to DEAD being
 * received by the watchdog, against the probe budget (failures to DEAD x poll interval + probe
 * timeout). Asserts nothing about timing. Not part of the normal run:
 * {@code mvn -pl bundles/pgpool test -Dpgpool.excludedGroups=none -Dtest=WatchdogBenchmark}.
 */
@Tag("benchmark")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WatchdogBenchmark {

    static final int CLIENTS = 16;
    static final Duration WARM_UP = Duration.ofSeconds(2);
    static final Duration MEASURE = Duration.ofSeconds(5);
    static final int RATE = 1_000;

    @TempDir
    Path tmp;

    static String load() throws IOException {
        return "load average " + Files.readString(Path.of("/proc/loadavg")).trim() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    static long uid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    static void getNodesList(Path socket, byte[] request) throws IOException {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
            if (total < 6 || total > 4096) {
                throw new IOException("unexpected reply of " + total + " bytes");
            }
        }
    }

    @Test
    void serverThroughputAndLatency() throws Exception {
        Path socket = tmp.resolve(".s.PGPOOLWD_CMD.9000");
        VigilNodes nodes = new VigilNodes("bench-node", "127.0.0.1", 9000, 9999, true, (e, i, a) -> { }, l -> { });
        byte[] request = WdPacket.request(WdType.GET_NODES_LIST, Payloads.getNodesList(-1, Optional.empty())).encode();
        try (WatchdogServer server = new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, Optional.empty(), nodes),
                uid(), new WatchdogServer.Limits(32, 256, Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES, 16))) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                closedLoop(clients, socket, request, WARM_UP);
                long done = closedLoop(clients, socket, request, MEASURE);
                System.out.println("(a,b) start: " + load());
                System.out.printf("(a) GET NODES LIST, %d concurrent clients, one command per connection: %.0f requests/s "
                        + "(goal >= 5000)%n", CLIENTS, done / (MEASURE.toNanos() / 1e9));
                openLoop(clients, socket, request, WARM_UP);
                long[] lat = openLoop(clients, socket, request, MEASURE);
                Arrays.sort(lat);
                System.out.printf("(b) at %d requests/s for %d s: p50 %.3f ms, p99 %.3f ms, max %.3f ms (goal p99 <= 2 ms)%n",
                        RATE, MEASURE.toSeconds(), pct(lat, 50) / 1e6, pct(lat, 99) / 1e6, lat[lat.length - 1] / 1e6);
                System.out.println("(a,b) end: " + load());
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private static long closedLoop(ExecutorService clients, Path socket, byte[] request, Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        AtomicLong count = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            fs.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    getNodesList(socket, request);
                    count.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return count.get();
    }

    private static long[] openLoop(ExecutorService clients, Path socket, byte[] request, Duration d) throws Exception {
        int n = (int) (d.toSeconds() * RATE);
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long[] latencies = new long[n];
        List<Future<?>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long intended = start + i * interval;
            for (long now; (now = System.nanoTime()) < intended; ) {
                LockSupport.parkNanos(intended - now);
            }
            int k = i;
            fs.add(clients.submit(() -> {
                getNodesList(socket, request);
                latencies[k] = System.nanoTime() - intended;
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return latencies;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** A pgpool stand-in: answers SSLRequests with 'N' while answering, holds connections silently when stopped. */
    static final class FakePgpool implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        volatile boolean answering = true;
        final List<Socket> held = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(this::serve, "fake-pgpool");

        FakePgpool() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    if (!answering) {
                        held.add(s);
                        continue;
                    }
                    try (s) {
                        s.getInputStream().readNBytes(8);
                        s.getOutputStream().write('N');
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * Waits up to 10 s for the next report, failing with the polling task's own exception as soon as
     * that task has ended (it never ends otherwise).
     */
    static void awaitReport(BlockingQueue<Boolean> reports, ScheduledFuture<?> polling, boolean alive, int run)
            throws InterruptedException {
        String what = (alive ? "ALIVE" : "DEAD") + " report in run " + run;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Boolean r = reports.poll(50, TimeUnit.MILLISECONDS);
            if (r != null) {
                if (r != alive) {
                    throw new IllegalStateException("expected a " + what + ", got " + (r ? "ALIVE" : "DEAD"));
                }
                return;
            }
            if (polling.isDone()) {
                try {
                    polling.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("no " + what + ": the polling task failed", e.getCause());
                } catch (CancellationException e) {
                    throw new IllegalStateException("no " + what + ": the polling task was cancelled", e);
                }
                throw new IllegalStateException("no " + what + ": the polling task ended");
            }
        }
        throw new IllegalStateException("no " + what + " within 10 s, polling still running");
    }

    @Test
    void bridgeTimeFromStopToDead() throws Exception {
        int failures = 3;
        Duration interval = Duration.ofMillis(200);
        Duration probeTimeout = Duration.ofMillis(100);
        Duration budget = interval.multipliedBy(failures).plus(probeTimeout);
        try (FakePgpool pgpool = new FakePgpool()) {
            WatchdogNode local = new WatchdogNode(0, WdState.LEADER, 0, "MEMBER", "local", "127.0.0.1", "LEADER",
                    "Not_Set", 9000, 9999, 2, Optional.empty());
            WatchdogNode remote = new WatchdogNode(1, WdState.STANDBY, 0, "MEMBER", "remote", "127.0.0.1", "STANDBY",
                    "Not_Set", 9010, pgpool.socket.getLocalPort(), 1, Optional.empty());
            NodeList list = new NodeList(1, 1, 1, 1, 1, 0, "local", "127.0.0.1", 2, List.of(local, remote));
            BlockingQueue<Boolean> reports = new ArrayBlockingQueue<>(16);
            AtomicLong deadAt = new AtomicLong();
            WatchdogView view = new WatchdogView() {
                @Override
                public NodeList nodeList() {
                    return list;
                }

                @Override
                public void statusReported(int nodeId, boolean alive, String message) {
                    if (!alive) {
                        deadAt.set(System.nanoTime());
                    }
                    reports.add(alive);
                }
            };
            Path socket = tmp.resolve(".s.PGPOOLWD_CMD.9001");
            ExecutorService probes = Executors.newCachedThreadPool();
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
            PgpoolProbe probe = new PgpoolProbe();
            try (WatchdogServer server = new WatchdogServer(socket, new RequestHandler(Dialect.PGPOOL, Optional.empty(), view),
                    uid(), new WatchdogServer.Limits(4, 16, Duration.ofSeconds(5), WdCodec.DEFAULT_MAX_BYTES, 1))) {
                ExternalLifecheck lifecheck = new ExternalLifecheck(
                        new WatchdogClient(socket, Optional.empty(), Dialect.PGPOOL, Duration.ofSeconds(2), WdCodec.DEFAULT_MAX_BYTES),
                        new ServiceProber(name -> probe, PgpoolProbe.NAME, ServiceProber.Target.PGPOOL_PORT, probeTimeout, probes),
                        (e, i, a) -> { }, Clock.systemUTC(),
                        new ExternalLifecheck.Settings(failures, Duration.ofSeconds(10), 1, false));
                // a task of scheduleAtFixedRate that throws is cancelled silently: its future keeps the cause
                ScheduledFuture<?> polling = poller.scheduleAtFixedRate(() -> {
                    try {
                        lifecheck.poll();
                    } catch (IOException | WatchdogException e) {
                        throw new IllegalStateException("lifecheck poll failed: " + e.getMessage(), e);
                    }
                }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
                List<Long> times = new ArrayList<>();
                for (int run = 0; run < 10; run++) {
                    // stop at a varying phase of the polling interval
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(350 + 37L * run));
                    long stoppedAt = System.nanoTime();
                    pgpool.answering = false;
                    awaitReport(reports, polling, false, run);
                    times.add(deadAt.get() - stoppedAt);
                    pgpool.answering = true;
                    awaitReport(reports, polling, true, run);
                }
                times.sort(null);
                System.out.println("(c) " + load());
                System.out.printf("(c) stop -> DEAD received, %d runs: median %d ms, max %d ms; budget %d failures x %d ms + "
                        + "%d ms timeout = %d ms (goal <= budget + 100 ms = %d ms)%n", times.size(),
                        times.get(times.size() / 2) / 1_000_000, times.get(times.size() - 1) / 1_000_000, failures,
                        interval.toMillis(), probeTimeout.toMillis(), budget.toMillis(), budget.toMillis() + 100);
            } finally {
                poller.shutdownNow();
                probes.shutdownNow();
            }
        }
    }
}
