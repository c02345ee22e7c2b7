package io.vigil.api.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Who is in the cluster and who coordinates it, as this node sees it now. Provided as a service
 * by the cluster bundle in use, beside the {@link ClusterStore}: {@code cluster-local} gives a
 * cluster of one (this node, always up, always the coordinator in epoch
 * {@link ClusterStore#SINGLE_NODE_EPOCH}); {@code cluster-zk}
 * gives the members registered in ZooKeeper and the elected coordinator.
 *
 * <p>The view is kept up to date from the coordination service's notifications; every change is
 * also posted as an EventAdmin event ({@link ClusterEvents}), so nothing needs polling. Reads are
 * cheap (no round trip) and never block.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ClusterMembership {

    /** @return this node's name, the same as {@link ClusterStore#nodeName()} */
    String localNode();

    /**
     * @return how this node stands: {@link NodeState#UP} while its session is live,
     *         {@link NodeState#SUSPENDED} while its connection is interrupted,
     *         {@link NodeState#DOWN} once it considers its session lost
     */
    NodeState localState();

    /**
     * @return the members, ordered by name: every node registered with a live session, and this
     *         node (in its {@link #localState()}) even while it is not registered
     */
    List<ClusterNode> nodes();

    /**
     * @param name a node's name
     * @return the member of that name, or empty when it is not a member now
     */
    Optional<ClusterNode> node(String name);

    /**
     * @return the coordinator and its term, or empty while there is none (an election is in
     *         progress, or this node is not {@link NodeState#UP} and so cannot know)
     */
    Optional<Coordinator> coordinator();

    /**
     * @return whether this node is the coordinator now: it won the election, its term has begun
     *         and it is {@link NodeState#UP}. A coordinator that becomes SUSPENDED is not one while
     *         suspended (and is told by {@link ClusterEvents#COORDINATOR}); it is again, in the same
     *         term, if it reconnects with its session, and its term is over once it is
     *         {@link NodeState#DOWN}
     */
    boolean isCoordinator();
}
