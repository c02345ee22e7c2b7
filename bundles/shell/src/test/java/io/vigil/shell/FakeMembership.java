package io.vigil.shell;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.util.List;
import java.util.Optional;

/** A membership whose view the test sets: the local node, its state, the members and the coordinator. */
public final class FakeMembership implements ClusterMembership {

    volatile String local;
    volatile NodeState state = NodeState.UP;
    volatile List<ClusterNode> nodes;
    volatile Coordinator coordinator;

    /**
     * @param local this node's name
     * @param coordinator the coordinator, or null for none
     * @param nodes the members, ordered by name
     */
    public FakeMembership(String local, Coordinator coordinator, ClusterNode... nodes) {
        this.local = local;
        this.coordinator = coordinator;
        this.nodes = List.of(nodes);
    }

    @Override
    public String localNode() {
        return local;
    }

    @Override
    public NodeState localState() {
        return state;
    }

    @Override
    public List<ClusterNode> nodes() {
        return nodes;
    }

    @Override
    public Optional<ClusterNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public Optional<Coordinator> coordinator() {
        return Optional.ofNullable(coordinator);
    }

    @Override
    public boolean isCoordinator() {
        return coordinator != null && coordinator.node().equals(local) && state == NodeState.UP;
    }
}
