package io.vigil.monitor.engine;

import io.vigil.api.probe.Probe;
import io.vigil.monitor.probe.TcpProbe;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Prints the cost of {@value #RESOURCES} fault monitors probing with the built-in {@code tcp}
 * probe every second against a local listener: the agent's CPU (process CPU time less the
 * listener's accepting thread, as a share of one core) and the heap in use after a full GC, over
 * {@value #SECONDS} s after a warm-up. Asserts nothing about the figures. Not part of the normal
 * run: {@code mvn -pl bundles/monitor test -Dmonitor.excludedGroups=none -Dtest=MonitorLoadBenchmark}.
 * It prints the heap in use next to the goal (at most 256 MB) and the maximum heap it ran with;
 * {@code bin/vigil} sets no heap limit of its own (JVM flags go in {@code VIGIL_JAVA_OPTS}).
 */
@Tag("benchmark")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MonitorLoadBenchmark {

    static final int RESOURCES = Integer.getInteger("bench.resources", 2000);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARM_UP_SECONDS = 10;

    @Test
    void twoThousandTcpMonitors() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong accepted = new AtomicLong();
        AtomicLong listenerThread = new AtomicLong();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            Thread acceptor = new Thread(() -> {
                listenerThread.set(Thread.currentThread().getId());
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bench-listener");
            acceptor.setDaemon(true);
            acceptor.start();

            FakeRgm rgm = new FakeRgm();
            FaultMonitorService service = new FaultMonitorService(rgm, new FakePmf());
            rgm.monitors = service;
            service.addProbe(new TcpProbe(), Map.of(Probe.NAME, TcpProbe.NAME));
            try {
                for (int i = 0; i < RESOURCES; i++) {
                    Map<String, String> props = new HashMap<>();
                    props.put("Port_list", listener.getLocalPort() + "/tcp");
                    props.put("Thorough_probe_interval", "1");
                    props.put("Probe_timeout", "5");
                    props.put("Retry_count", "2");
                    props.put("Retry_interval", "300");
                    rgm.add("r" + i, "rg" + (i / 10), props);
                    service.start("r" + i, TcpProbe.NAME);
                }
                TimeUnit.SECONDS.sleep(WARM_UP_SECONDS);
                long cpu0 = os.getProcessCpuTime();
                long listen0 = threads.getThreadCpuTime(listenerThread.get());
                long accepted0 = accepted.get();
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(SECONDS);
                long wall = System.nanoTime() - t0;
                long cpu = os.getProcessCpuTime() - cpu0 - (threads.getThreadCpuTime(listenerThread.get()) - listen0);
                long probes = accepted.get() - accepted0;
                System.gc();
                long heap = memory.getHeapMemoryUsage().getUsed();
                long failed = rgm.resources.values().stream().filter(r -> !r.statusMessage().isEmpty()).count();
                System.out.printf("%n== fault monitors: %d resources, tcp probe every 1 s, %d s measured ==%n",
                        RESOURCES, SECONDS);
                System.out.printf("probes/s           %.0f (expected %d)%n", probes * 1e9 / wall, RESOURCES);
                System.out.printf("agent CPU          %.1f%% of one core (goal <= 25%%; listener thread excluded)%n",
                        cpu * 100.0 / wall);
                System.out.printf("heap after GC      %.1f MB (goal <= 256 MB: %s; max heap %d MB)%n",
                        heap / 1048576.0, heap <= 256L * 1048576 ? "met" : "missed",
                        Runtime.getRuntime().maxMemory() / 1048576);
                System.out.printf("live threads       %d%n", threads.getThreadCount());
                System.out.printf("resources not OK   %d%n", failed);
            } finally {
                service.deactivate();
            }
        }
    }
}
