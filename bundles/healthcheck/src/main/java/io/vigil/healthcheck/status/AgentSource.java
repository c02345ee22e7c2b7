package io.vigil.healthcheck.status;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.rgm.ResourceGroupManager;
import java.util.Map;

/**
 * A status source fed by the agent: from its resource group manager and cluster membership, read
 * when they come or go, and from their EventAdmin events as they arrive. It does its work on the
 * caller's thread (the agent's, or the EventAdmin's), never on a client's request.
 */
public interface AgentSource extends StatusSource {

    /**
     * Takes the state from the agent's services: at start, and whenever one of them comes or goes.
     *
     * @param rgm the resource group manager, or null while none runs
     * @param membership the cluster membership, or null while none is registered
     */
    void services(ResourceGroupManager rgm, ClusterMembership membership);

    /**
     * Applies one event of the RGM ({@code vigil/rgm/*}) or of the cluster's nodes, coordinator and
     * session ({@code vigil/cluster/node/*}, {@code vigil/cluster/coordinator/*},
     * {@code vigil/cluster/session/*}; the agent does not hand on the store's events); others'
     * events are ignored.
     *
     * @param topic the event's topic
     * @param properties its properties
     */
    void onEvent(String topic, Map<String, ?> properties);
}
