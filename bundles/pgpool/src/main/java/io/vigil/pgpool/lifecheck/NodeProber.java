package io.vigil.pgpool.lifecheck;

import io.vigil.api.probe.ProbeResult;
import io.vigil.pgpool.codec.WatchdogNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Probes watchdog nodes. */
public interface NodeProber {

    /**
     * Probes the nodes, in parallel where possible, each within the probe timeout.
     *
     * @param nodes the nodes
     * @return each node's result by id; empty when the configured probe is not available (no
     *         verdict can be drawn this round)
     */
    Optional<Map<Integer, ProbeResult>> probe(List<WatchdogNode> nodes);
}
