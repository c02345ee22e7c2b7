package io.vigil.api.cluster;

/** How a node of the cluster stands, as {@link ClusterMembership} sees it. */
public enum NodeState {
    /** Registered with a live session: the node is in the cluster. */
    UP,
    /**
     * The local node only: its connection to the coordination service is interrupted and its
     * session may still be alive. It must not start anything, and it stops its resources if it
     * becomes {@link #DOWN}.
     */
    SUSPENDED,
    /**
     * The local node only: it considers its session lost (see {@link ClusterEvents#SESSION_LOST})
     * and must hold nothing online. Other nodes are never listed as DOWN: a node whose session is
     * gone is simply no longer a member.
     */
    DOWN
}
