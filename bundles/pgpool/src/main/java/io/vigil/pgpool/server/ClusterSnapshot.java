package io.vigil.pgpool.server;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cluster's membership as read at one moment, so that one node list is built from one
 * consistent view.
 *
 * @param localNode this node's name
 * @param localState how this node stands
 * @param nodes the members, this node included
 * @param coordinator the coordinator, empty while there is none (or this node cannot know it)
 */
public record ClusterSnapshot(String localNode, NodeState localState, List<ClusterNode> nodes,
        Optional<Coordinator> coordinator) {

    /** Checks for nulls and copies; adds this node when the list lacks it. */
    public ClusterSnapshot {
        Objects.requireNonNull(localNode, "localNode");
        Objects.requireNonNull(localState, "localState");
        Objects.requireNonNull(coordinator, "coordinator");
        if (nodes.stream().noneMatch(n -> n.name().equals(localNode))) {
            nodes = Stream.concat(nodes.stream(), Stream.of(new ClusterNode(localNode, List.of(), localState, 0))).toList();
        }
        nodes = List.copyOf(nodes);
    }

    /**
     * @param membership the cluster's membership
     * @return what it says now (reads never block)
     */
    public static ClusterSnapshot of(ClusterMembership membership) {
        return new ClusterSnapshot(membership.localNode(), membership.localState(), membership.nodes(),
                membership.coordinator());
    }

    /**
     * @param nodeName this node's name
     * @return a cluster of one: this node, UP and the coordinator (as {@code cluster-local} has it)
     */
    public static ClusterSnapshot single(String nodeName) {
        return new ClusterSnapshot(nodeName, NodeState.UP, List.of(new ClusterNode(nodeName, List.of(), NodeState.UP, 0)),
                Optional.of(new Coordinator(nodeName, ClusterStore.SINGLE_NODE_EPOCH)));
    }
}
