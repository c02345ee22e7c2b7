package io.vigil.healthcheck.status;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code *rg:<group>@cluster}: UP while some live member of the cluster reports the group ONLINE,
 * wherever that is (for a balancer in front of several nodes, or a VIP that follows the group).
 * Read from {@link ResourceGroupManager#location(String)} when the services come or go and again
 * on the events that can change it: the RGM's {@code vigil/rgm/group/*} events naming the group
 * ({@code STATE} here, and {@code LOCATION}, which the RGM posts once it has applied a store change
 * of the group's placement or of a node's status report), and the cluster's node, coordinator and
 * session events. A node that reports ONLINE but is no longer an UP member does not count;
 * PENDING_ONLINE (not serving yet) and ONLINE_FAULTED (a resource failed) do not count either, as
 * for {@code *rg:<group>} on this node.
 */
public final class GroupClusterStatus extends CachedStatus implements AgentSource {

    /** What follows the group's name. */
    public static final String SUFFIX = "@cluster";

    /** The RGM's group events: {@code STATE}, and any other that names the group. */
    private static final String GROUP_TOPICS = RgmEvents.TOPIC_PREFIX + "group/";

    private final String name;
    private ResourceGroupManager rgm;
    private ClusterMembership membership;

    /** @param name the group */
    public GroupClusterStatus(String name) {
        super(Health.down(RgmStatus.NO_RGM));
        this.name = name;
    }

    @Override
    public synchronized void services(ResourceGroupManager rgm, ClusterMembership membership) {
        this.rgm = rgm;
        this.membership = membership;
        set(evaluate(), Instant.now());
    }

    @Override
    public synchronized void onEvent(String topic, Map<String, ?> properties) {
        if (concerns(topic, properties)) {
            set(evaluate(), eventTime(properties));
        }
    }

    private boolean concerns(String topic, Map<String, ?> properties) {
        if (topic.startsWith(GROUP_TOPICS)) {
            return name.equals(properties.get(RgmEvents.GROUP));
        }
        return topic.startsWith(ClusterEvents.TOPIC_PREFIX);
    }

    private Health evaluate() {
        if (rgm == null) {
            return Health.down(RgmStatus.NO_RGM);
        }
        Optional<GroupLocation> location;
        try {
            location = rgm.location(name);
        } catch (RuntimeException e) {
            return Health.down("the location of group " + name + " cannot be read: " + e.getMessage());
        }
        if (location.isEmpty()) {
            return Health.down("group " + name + " does not exist");
        }
        // the UP members, read once for all the reporting nodes; null without a membership: every node counts
        Set<String> up = membership == null ? null : membership.nodes().stream()
                .filter(n -> n.state() == NodeState.UP).map(ClusterNode::name).collect(Collectors.toSet());
        List<String> online = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, GroupState> e : new TreeMap<>(location.get().states()).entrySet()) {
            boolean live = up == null || up.contains(e.getKey());
            if (e.getValue() == GroupState.ONLINE && live) {
                online.add(e.getKey());
            } else {
                others.add(e.getKey() + " " + e.getValue() + (live ? "" : " (not a live member)"));
            }
        }
        if (!online.isEmpty()) {
            return Health.up("group " + name + " is ONLINE on " + String.join(", ", online));
        }
        return Health.down("group " + name + " is ONLINE on no live node"
                + (others.isEmpty() ? "" : ": " + String.join(", ", others)));
    }

    @Override
    public String describe() {
        return "group " + name + " on any node";
    }

    @Override
    public void close() {
        // events simply stop being delivered
    }
}
