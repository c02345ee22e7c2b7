package io.vigil.api.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One member of the cluster.
 *
 * @param name the node's name, unique in the cluster (as {@link ClusterStore#nodeName()} gives it)
 * @param addresses the addresses it announces (host names or IP literals), in its order of
 *        preference; may be empty
 * @param state how it stands
 * @param since when it joined with its current session, epoch milliseconds (its registration's
 *        creation time on the coordination service)
 */
public record ClusterNode(String name, List<String> addresses, NodeState state, long since) {

    /** Checks the fields and copies the addresses. */
    public ClusterNode {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(state, "state");
    }
}
