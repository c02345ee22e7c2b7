import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of healthcheck-bench.sh (see README.md): checks per second with 1, 16 and 64
 * concurrent clients and p50/p99 latency at a fixed rate, for Vigil's responder and the bare NIO
 * server side by side; then the time from rg1 going offline to the responder answering DOWN.
 *
 *   java HealthcheckBench.java RESPONDER_PORT BARE_PORT VIGIL_BIN SECONDS RATE CYCLES
 */
public final class HealthcheckBench {

    private static final byte[] REQUEST = "PING\n".getBytes(StandardCharsets.US_ASCII);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        int responder = Integer.parseInt(args[0]);
        int bare = Integer.parseInt(args[1]);
        String vigil = args[2];
        double seconds = Double.parseDouble(args[3]);
        int rate = Integer.parseInt(args[4]);
        int cycles = Integer.parseInt(args[5]);

        // warm both servers (and this JVM) up
        throughput(responder, 16, 1.0);
        throughput(bare, 16, 1.0);

        System.out.println();
        System.out.printf("%-34s %14s %14s %8s%n", "checks/s (connect, send, read to EOF)", "responder", "bare NIO", "ratio");
        for (int clients : new int[] {1, 16, 64}) {
            double r = throughput(responder, clients, seconds);
            double b = throughput(bare, clients, seconds);
            System.out.printf("%-34s %14.0f %14.0f %7.0f%%%n", clients + " client" + (clients == 1 ? "" : "s"), r, b,
                    100 * r / b);
        }
        System.out.println();
        long[] rl = fixedRate(responder, rate, seconds);
        long[] bl = fixedRate(bare, rate, seconds);
        System.out.printf("%-34s %14s %14s %8s%n", "latency at " + rate + " checks/s", "responder", "bare NIO", "diff");
        for (double p : new double[] {50, 99}) {
            double r = percentile(rl, p) / 1000.0;
            double b = percentile(bl, p) / 1000.0;
            System.out.printf("%-34s %11.3f ms %11.3f ms %+5.3f ms%n", "p" + (int) p, r, b, r - b);
        }
        System.out.printf("%-34s %14s %14s%n", "checks sent (answered)", rl.length + " (" + answered(rl) + ")",
                bl.length + " (" + answered(bl) + ")");
        System.out.println();
        downLatency(responder, vigil, cycles);
    }

    /** One check: connect, send, read to EOF, close. @return the answer's length, or -1 */
    private static int check(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(REQUEST);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String answer(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(REQUEST);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static double throughput(int port, int clients, double seconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            new Thread(() -> {
                while (!stop.get()) {
                    if (check(port) > 0) {
                        done.increment();
                    } else {
                        failed.increment();
                    }
                }
                finished.countDown();
            }).start();
        }
        LockSupport.parkNanos((long) (seconds * 1e9));
        stop.set(true);
        finished.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failed.sum() > 0) {
            System.out.println("  (" + failed.sum() + " checks failed on port " + port + ")");
        }
        return done.sum() / elapsed;
    }

    /**
     * Open loop: 32 senders, each starting its checks on a fixed schedule; a check's latency is
     * measured from when it was due, so a slow answer also counts against the checks it delayed.
     * @return latencies in microseconds; negative for failed checks
     */
    private static long[] fixedRate(int port, int rate, double seconds) throws InterruptedException {
        int senders = 32;
        long period = senders * 1_000_000_000L / rate;
        int perSender = (int) (seconds * rate / senders);
        long[][] lat = new long[senders][perSender];
        long t0 = System.nanoTime() + 50_000_000L;
        Thread[] threads = new Thread[senders];
        for (int i = 0; i < senders; i++) {
            int id = i;
            threads[i] = new Thread(() -> {
                for (int k = 0; k < perSender; k++) {
                    long due = t0 + k * period + id * period / senders;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int ok = check(port);
                    long us = (System.nanoTime() - due) / 1000;
                    lat[id][k] = ok > 0 ? us : -us - 1;
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
    }

    private static long answered(long[] lat) {
        return Arrays.stream(lat).filter(l -> l >= 0).count();
    }

    private static double percentile(long[] lat, double p) {
        long[] sorted = Arrays.stream(lat).map(l -> l < 0 ? -l - 1 : l).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    /** rg1 offline while a poller checks the responder back to back; the RGM's event time comes from hc status. */
    private static void downLatency(int port, String vigil, int cycles) throws Exception {
        List<Long> figures = new ArrayList<>();
        Pattern changed = Pattern.compile("Changed: +(\\S+)");
        for (int c = 0; c < cycles; c++) {
            run(vigil, "clrg", "online", "rg1");
            while (!answer(port).endsWith("server = UP")) {
                LockSupport.parkNanos(1_000_000);
            }
            long[] firstDown = {0};
            Thread poller = new Thread(() -> {
                while (true) {
                    String a = answer(port);
                    if (a.endsWith("server = DOWN")) {
                        firstDown[0] = System.currentTimeMillis();
                        return;
                    }
                }
            });
            poller.start();
            run(vigil, "clrg", "offline", "rg1");
            poller.join();
            Matcher m = changed.matcher(run(vigil, "hc", "status", "bench"));
            if (!m.find()) {
                throw new IllegalStateException("hc status bench shows no Changed line");
            }
            long eventTime = java.time.Instant.parse(m.group(1)).toEpochMilli();
            figures.add(firstDown[0] - eventTime);
        }
        long[] f = figures.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("group offline -> responder answers DOWN (RGM event time to the first DOWN answer, %d cycles):%n"
                + "  median %d ms, max %d ms, all %s ms (goal: within 50 ms)%n", cycles, f[f.length / 2], f[f.length - 1],
                figures);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
