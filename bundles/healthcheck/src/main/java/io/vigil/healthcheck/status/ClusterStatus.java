package io.vigil.healthcheck.status;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.Map;

/**
 * {@code *cluster}: UP while this node is an UP member of the cluster (a cluster of one always
 * is), DOWN while it is SUSPENDED or DOWN or no membership service is registered; read from the
 * membership when it comes or goes and again on each of the cluster's events.
 */
public final class ClusterStatus extends CachedStatus implements AgentSource {

    /** The value of {@code command} that selects this source. */
    public static final String COMMAND = "*cluster";

    static final String NO_MEMBERSHIP = "the cluster membership is not available";

    private ClusterMembership membership;

    /** A source with no membership yet. */
    public ClusterStatus() {
        super(Health.down(NO_MEMBERSHIP));
    }

    @Override
    public synchronized void services(ResourceGroupManager rgm, ClusterMembership membership) {
        this.membership = membership;
        set(evaluate(), Instant.now());
    }

    @Override
    public synchronized void onEvent(String topic, Map<String, ?> properties) {
        if (topic.startsWith(ClusterEvents.TOPIC_PREFIX)) {
            set(evaluate(), eventTime(properties));
        }
    }

    private Health evaluate() {
        if (membership == null) {
            return Health.down(NO_MEMBERSHIP);
        }
        return Fenced.fence(membership.localState()).orElseGet(() -> Health.up(membership.localNode()
                + " is UP in a cluster of " + membership.nodes().size() + ", coordinator "
                + membership.coordinator().map(Coordinator::node).orElse("not elected yet")));
    }

    @Override
    public String describe() {
        return "the cluster membership";
    }

    @Override
    public void close() {
        // events simply stop being delivered
    }
}
