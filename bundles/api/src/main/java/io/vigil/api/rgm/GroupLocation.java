package io.vigil.api.rgm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a resource group runs in the cluster: where the coordinator placed it, and the state each
 * node reports for it. On a cluster of one, the placement is this node (when the group is wanted
 * online and this node is in its Nodelist) and the only report is this node's.
 *
 * @param group the group's name
 * @param placedOn the nodes the coordinator placed it on, in Nodelist order; empty: nowhere
 * @param states the state each live node reports for it, by node name (nodes that report it
 *        OFFLINE included); a node that left the cluster is not listed
 * @param placementVersion the placement's version in the cluster store: the fencing token a node
 *        acts on (0 before any placement was decided)
 * @param reason why the group runs on fewer nodes than it wants (empty when it does not)
 * @since 1.2
 */
public record GroupLocation(String group, List<String> placedOn, Map<String, GroupState> states,
        long placementVersion, String reason) {

    /** Checks for nulls and copies. */
    public GroupLocation {
        Objects.requireNonNull(group, "group");
        placedOn = List.copyOf(placedOn);
        states = Map.copyOf(states);
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @return the nodes that report the group online (ONLINE, ONLINE_FAULTED or PENDING_ONLINE),
     *         ordered by name
     */
    public List<String> onlineOn() {
        return states.entrySet().stream()
                .filter(e -> e.getValue() == GroupState.ONLINE || e.getValue() == GroupState.ONLINE_FAULTED
                        || e.getValue() == GroupState.PENDING_ONLINE)
                .map(Map.Entry::getKey).sorted().toList();
    }
}
