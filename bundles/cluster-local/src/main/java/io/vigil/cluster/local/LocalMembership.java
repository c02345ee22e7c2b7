package io.vigil.cluster.local;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.util.List;
import java.util.Optional;

/**
 * The membership of a cluster of one: this node, always up, always the coordinator, in the one term
 * {@link ClusterStore#SINGLE_NODE_EPOCH} that {@link ClusterStore#commitFenced} accepts.
 */
final class LocalMembership implements ClusterMembership {

    private final ClusterNode self;
    private final Coordinator coordinator;

    LocalMembership(String nodeName) {
        this.self = new ClusterNode(nodeName, List.of(), NodeState.UP, System.currentTimeMillis());
        this.coordinator = new Coordinator(nodeName, ClusterStore.SINGLE_NODE_EPOCH);
    }

    @Override
    public String localNode() {
        return self.name();
    }

    @Override
    public NodeState localState() {
        return NodeState.UP;
    }

    @Override
    public List<ClusterNode> nodes() {
        return List.of(self);
    }

    @Override
    public Optional<ClusterNode> node(String name) {
        return self.name().equals(name) ? Optional.of(self) : Optional.empty();
    }

    @Override
    public Optional<Coordinator> coordinator() {
        return Optional.of(coordinator);
    }

    @Override
    public boolean isCoordinator() {
        return true;
    }
}
