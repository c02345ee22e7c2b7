package io.vigil.healthcheck.status;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A source of the agent that answers DOWN while this node is not an UP member of the cluster: a
 * node that is SUSPENDED (cut off from the coordination service) starts nothing and may be about
 * to stop everything, and a DOWN one (its session lost) has stopped its resources or is stopping
 * them, so no balancer should send it clients. It reads this node's state from the membership on
 * each of the cluster's events and each finding of the inner source, so it turns DOWN on the
 * cluster's event, before the resources' own events follow, and back to the inner source's finding
 * once UP again. With no membership service (none registered yet) nothing is fenced.
 */
public final class Fenced extends CachedStatus implements AgentSource {

    private final StatusSource inner;
    private ClusterMembership membership;
    /** The inner source's latest finding, as it reported it (never read from it under this lock). */
    private Health innerHealth;

    /**
     * Starts the inner source at once: its findings pass through this from the start.
     *
     * @param inner the source answered while this node is an UP member (or no membership is known);
     *        one that only reports (not a command)
     */
    public Fenced(StatusSource inner) {
        super(inner.current());
        this.inner = inner;
        synchronized (this) {
            innerHealth = inner.current();
        }
        inner.start(this::innerChanged);
    }

    /**
     * @param standing this node's state, or null when no membership is known
     * @return the finding that overrides every fenced source, or empty while not fenced
     */
    static Optional<Health> fence(NodeState standing) {
        if (standing == NodeState.SUSPENDED) {
            return Optional.of(Health.down("cluster session suspended"));
        }
        if (standing == NodeState.DOWN) {
            return Optional.of(Health.down("cluster session lost"));
        }
        return Optional.empty();
    }

    private void innerChanged(Health health) {
        Instant when = inner.changedAt();
        synchronized (this) {
            innerHealth = health;
            update(when);
        }
    }

    /** Reads this node's state from the membership now and sets the finding it makes. */
    private synchronized void update(Instant when) {
        set(fence(membership == null ? null : membership.localState()).orElse(innerHealth), when);
    }

    @Override
    public void services(ResourceGroupManager rgm, ClusterMembership membership) {
        if (inner instanceof AgentSource a) {
            a.services(rgm, membership);
        }
        synchronized (this) {
            this.membership = membership;
            update(Instant.now());
        }
    }

    @Override
    public void onEvent(String topic, Map<String, ?> properties) {
        if (inner instanceof AgentSource a) {
            a.onEvent(topic, properties);
        }
        if (topic.startsWith(ClusterEvents.TOPIC_PREFIX)) {
            update(eventTime(properties));
        }
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
