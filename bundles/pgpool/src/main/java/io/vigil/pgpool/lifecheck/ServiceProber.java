package io.vigil.pgpool.lifecheck;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import io.vigil.pgpool.codec.WatchdogNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Probes nodes with a {@link Probe} service chosen by name, all nodes in parallel, each under the
 * probe timeout. The probe sees a resource named {@code pgpool-node<ID>} whose properties are
 * {@code Probe_host} (the node's HostName), {@code Port_list} ({@code <port>/tcp}, the node's
 * PgpoolPort or WdPort), and {@code NodeID}, {@code NodeName}, {@code WdPort}, {@code PgpoolPort}.
 */
public final class ServiceProber implements NodeProber {

    /** Which of a node's ports the probe is given. */
    public enum Target {
        /** The node's PgpoolPort. */
        PGPOOL_PORT,
        /** The node's WdPort. */
        WD_PORT
    }

    private final Function<String, Probe> probes;
    private final String probeName;
    private final Target target;
    private final Duration timeout;
    private final ExecutorService executor;

    /**
     * @param probes looks a probe up by name; null when none is registered
     * @param probeName the probe to use
     * @param target the port to probe
     * @param timeout each probe's limit
     * @param executor runs the probes
     */
    public ServiceProber(Function<String, Probe> probes, String probeName, Target target, Duration timeout,
            ExecutorService executor) {
        this.probes = probes;
        this.probeName = probeName;
        this.target = target;
        this.timeout = timeout;
        this.executor = executor;
    }

    @Override
    public Optional<Map<Integer, ProbeResult>> probe(List<WatchdogNode> nodes) {
        Probe probe = probes.apply(probeName);
        if (probe == null) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Future<ProbeResult>> running = new LinkedHashMap<>();
        for (WatchdogNode n : nodes) {
            Context c = new Context(n, properties(n), deadline);
            running.put(n.id(), executor.submit(() -> probe.probe(c)));
        }
        Map<Integer, ProbeResult> results = new HashMap<>();
        for (Map.Entry<Integer, Future<ProbeResult>> e : running.entrySet()) {
            results.put(e.getKey(), await(e.getValue(), deadline));
        }
        return Optional.of(results);
    }

    private ProbeResult await(Future<ProbeResult> f, long deadline) {
        try {
            ProbeResult r = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return r == null ? ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " returned null") : r;
        } catch (TimeoutException e) {
            f.cancel(true);
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " did not finish within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "probe " + probeName + " interrupted");
        }
    }

    private PropertyValues properties(WatchdogNode n) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Probe_host", n.hostName());
        p.put("Port_list", (target == Target.WD_PORT ? n.wdPort() : n.pgpoolPort()) + "/tcp");
        p.put("NodeID", String.valueOf(n.id()));
        p.put("NodeName", n.nodeName());
        p.put("WdPort", String.valueOf(n.wdPort()));
        p.put("PgpoolPort", String.valueOf(n.pgpoolPort()));
        return PropertyValues.of(p);
    }

    private record Context(WatchdogNode node, PropertyValues properties, long deadline) implements ProbeContext {

        @Override
        public String resourceName() {
            return "pgpool-node" + node.id();
        }

        @Override
        public String resourceGroupName() {
            return "pgpool";
        }

        @Override
        public Duration timeLeft() {
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }
    }
}
