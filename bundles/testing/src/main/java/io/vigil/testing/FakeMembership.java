package io.vigil.testing;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A cluster membership whose view the test sets: this node and its state, the other members and
 * the coordinator. As the real membership, no coordinator is known while this node is not UP, and
 * {@link #nodes()} lists every member ordered by name, this node with its current state.
 */
public final class FakeMembership implements ClusterMembership {

    private final String local;
    private volatile NodeState state = NodeState.UP;
    private volatile ClusterNode self;
    private volatile List<ClusterNode> others = List.of();
    private volatile Coordinator coordinator;

    /**
     * A cluster of one: this node, UP, announcing {@code 10.0.0.1} since 1000, coordinator in epoch 1.
     *
     * @param local this node's name
     */
    public FakeMembership(String local) {
        this.local = local;
        this.self = new ClusterNode(local, List.of("10.0.0.1"), NodeState.UP, 1000);
        this.coordinator = new Coordinator(local, 1);
    }

    /**
     * @param names the other members, all UP since 1000, the n-th announcing {@code 10.0.0.<n+1>}
     * @return this
     */
    public FakeMembership others(String... names) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            nodes.add(new ClusterNode(names[i], List.of("10.0.0." + (i + 2)), NodeState.UP, 1000));
        }
        others = List.copyOf(nodes);
        return this;
    }

    /**
     * @param nodes every member as it announces itself, this node among them (its state is
     *        {@link #state(NodeState)}'s)
     * @return this
     */
    public FakeMembership members(ClusterNode... nodes) {
        List<ClusterNode> rest = new ArrayList<>();
        for (ClusterNode n : nodes) {
            if (n.name().equals(local)) {
                self = n;
            } else {
                rest.add(n);
            }
        }
        others = List.copyOf(rest);
        return this;
    }

    /**
     * @param node the coordinator, or null for none (an election in progress)
     * @param epoch its term
     * @return this
     */
    public FakeMembership coordinator(String node, long epoch) {
        coordinator = node == null ? null : new Coordinator(node, epoch);
        return this;
    }

    /**
     * @param node the coordinator in epoch 1, or null for none
     * @return this
     */
    public FakeMembership coordinator(String node) {
        return coordinator(node, 1);
    }

    /**
     * @param s this node's state
     * @return this
     */
    public FakeMembership state(NodeState s) {
        state = s;
        return this;
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
        List<ClusterNode> all = new ArrayList<>(others);
        ClusterNode me = self;
        all.add(new ClusterNode(local, me.addresses(), state, me.since()));
        all.sort(Comparator.comparing(ClusterNode::name));
        return List.copyOf(all);
    }

    @Override
    public Optional<ClusterNode> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public Optional<Coordinator> coordinator() {
        return state == NodeState.UP ? Optional.ofNullable(coordinator) : Optional.empty();
    }

    @Override
    public boolean isCoordinator() {
        return coordinator().map(c -> c.node().equals(local)).orElse(false);
    }
}
