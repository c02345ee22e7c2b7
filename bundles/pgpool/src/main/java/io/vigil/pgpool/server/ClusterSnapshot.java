package io.vigil.pgpool.server;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's membership as read at one moment, so that one node list is built from one
 * consistent view. This node's state is its own entry's in {@link #nodes}, read once.
 *
 * @param localNode this node's name
 * @param nodes the members, this node included
 * @param coordinator the coordinator, empty while there is none (or this node cannot know it)
 * @param reportedDead the members the cluster holds reported dead (by any node, through
 *        {@link io.vigil.api.rgm.ResourceGroupManager#reportNode}); empty without a resource group manager
 */
public record ClusterSnapshot(String localNode, List<ClusterNode> nodes, Optional<Coordinator> coordinator,
        Set<String> reportedDead) {

    /**
     * Checks for nulls and copies.
     *
     * @throws IllegalArgumentException if the members do not include this node (a membership always lists it)
     */
    public ClusterSnapshot {
        Objects.requireNonNull(localNode, "localNode");
        Objects.requireNonNull(coordinator, "coordinator");
        nodes = List.copyOf(nodes);
        reportedDead = Set.copyOf(reportedDead);
        if (nodes.stream().noneMatch(n -> n.name().equals(localNode))) {
            throw new IllegalArgumentException("the members " + nodes.stream().map(ClusterNode::name).toList()
                    + " do not include this node " + localNode);
        }
    }

    /** @return how this node stands: its own entry's state */
    public NodeState localState() {
        return nodes.stream().filter(n -> n.name().equals(localNode)).findFirst().orElseThrow().state();
    }

    /**
     * @param membership the cluster's membership
     * @return what it says now (reads never block)
     */
    public static ClusterSnapshot of(ClusterMembership membership) {
        return of(membership, Set.of());
    }

    /**
     * @param membership the cluster's membership
     * @param reportedDead the members reported dead
     * @return what they say now (reads never block)
     */
    public static ClusterSnapshot of(ClusterMembership membership, Set<String> reportedDead) {
        return new ClusterSnapshot(membership.localNode(), membership.nodes(), membership.coordinator(), reportedDead);
    }

    /**
     * @param nodeName this node's name
     * @return a cluster of one: this node, UP and the coordinator (as {@code cluster-local} has it)
     */
    public static ClusterSnapshot single(String nodeName) {
        return new ClusterSnapshot(nodeName, List.of(new ClusterNode(nodeName, List.of(), NodeState.UP, 0)),
                Optional.of(new Coordinator(nodeName, ClusterStore.SINGLE_NODE_EPOCH)), Set.of());
    }
}
