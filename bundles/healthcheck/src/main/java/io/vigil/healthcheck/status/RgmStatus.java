package io.vigil.healthcheck.status;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import io.vigil.healthcheck.core.Health;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code *rg:<group>} and {@code *rs:<resource>}: the state of a group or resource on this node,
 * read once from the {@link ResourceGroupManager} and then kept current from the RGM's events
 * ({@link RgmEvents}), so a change is answered as soon as the event arrives, without polling.
 *
 * <p>A resource is UP while it is ONLINE (or ONLINE_NOT_MONITORED) with a Status among
 * {@code upStatuses} (OK and DEGRADED by default). A group is UP while it is ONLINE and none of its
 * resources has a Status outside {@code upStatuses}; a resource whose Status is OFFLINE (a
 * disabled one) does not count. (The agent answers DOWN for it while this node is not an UP
 * member of the cluster: see {@link Fenced}.)
 */
public final class RgmStatus extends CachedStatus implements AgentSource {

    /** Prefix of a group source. */
    public static final String GROUP_PREFIX = "*rg:";
    /** Prefix of a resource source. */
    public static final String RESOURCE_PREFIX = "*rs:";

    /** The finding while no RGM runs. */
    static final String NO_RGM = "the resource group manager is not running";

    private static final Set<ResourceState> ONLINE = EnumSet.of(ResourceState.ONLINE, ResourceState.ONLINE_NOT_MONITORED);

    private final boolean group;
    private final String name;
    private final Set<ResourceStatus> upStatuses;
    private final Map<String, Resource> resources = new TreeMap<>();
    private boolean rgmAvailable;
    private GroupState groupState;

    private record Resource(ResourceState state, ResourceStatus status) {
    }

    /**
     * @param command {@code *rg:<group>} or {@code *rs:<resource>}
     * @param upStatuses the Status values that count as UP
     * @throws IllegalArgumentException if the command is neither, or a status is unknown
     */
    public RgmStatus(String command, List<String> upStatuses) {
        super(Health.down(NO_RGM));
        SourceSpec spec = SourceSpec.parse(command);
        if (spec instanceof SourceSpec.Group g && !g.anyNode()) {
            this.group = true;
            this.name = g.name();
        } else if (spec instanceof SourceSpec.Resource r) {
            this.group = false;
            this.name = r.name();
        } else {
            throw new IllegalArgumentException("command = " + command + " names no group or resource of this node;"
                    + " expected " + GROUP_PREFIX + "<group> or " + RESOURCE_PREFIX + "<resource>");
        }
        this.upStatuses = EnumSet.noneOf(ResourceStatus.class);
        for (String s : upStatuses) {
            try {
                this.upStatuses.add(ResourceStatus.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("upStatuses: '" + s + "' is not a resource Status; expected some of "
                        + EnumSet.allOf(ResourceStatus.class).stream().map(Enum::name).collect(Collectors.joining(",")), e);
            }
        }
    }

    @Override
    public void services(ResourceGroupManager rgm, ClusterMembership membership) {
        reset(rgm);
    }

    /**
     * Takes the state from the RGM: at start, and whenever the RGM service comes or goes.
     *
     * @param rgm the RGM, or null when none runs
     */
    public void reset(ResourceGroupManager rgm) {
        synchronized (this) {
            resources.clear();
            groupState = null;
            rgmAvailable = rgm != null;
            if (rgm != null) {
                if (group) {
                    Optional<GroupInfo> g = rgm.group(name);
                    g.ifPresent(info -> {
                        groupState = info.state();
                        for (String r : info.resources()) {
                            rgm.resource(r).ifPresent(this::put);
                        }
                    });
                } else {
                    rgm.resource(name).ifPresent(this::put);
                }
            }
            set(evaluate(), Instant.now());
        }
    }

    private void put(ResourceInfo r) {
        resources.put(r.name(), new Resource(r.state(), r.status()));
    }

    @Override
    public void onEvent(String topic, Map<String, ?> properties) {
        synchronized (this) {
            Object g = properties.get(RgmEvents.GROUP);
            Object r = properties.get(RgmEvents.RESOURCE);
            if (topic.equals(RgmEvents.GROUP_STATE) && group && name.equals(g)) {
                groupState = GroupState.valueOf(String.valueOf(properties.get(RgmEvents.STATE)));
            } else if ((topic.equals(RgmEvents.RESOURCE_STATE) || topic.equals(RgmEvents.RESOURCE_STATUS))
                    && r != null && (group ? name.equals(g) : name.equals(r))) {
                Resource before = resources.getOrDefault(String.valueOf(r),
                        new Resource(ResourceState.OFFLINE, ResourceStatus.UNKNOWN));
                resources.put(String.valueOf(r), topic.equals(RgmEvents.RESOURCE_STATE)
                        ? new Resource(ResourceState.valueOf(String.valueOf(properties.get(RgmEvents.STATE))), before.status())
                        : new Resource(before.state(), ResourceStatus.valueOf(String.valueOf(properties.get(RgmEvents.STATUS)))));
            } else {
                return;
            }
            set(evaluate(), eventTime(properties));
        }
    }

    private Health evaluate() {
        if (!rgmAvailable) {
            return Health.down(NO_RGM);
        }
        if (!group) {
            Resource r = resources.get(name);
            if (r == null) {
                return Health.down("resource " + name + " does not exist");
            }
            String text = "resource " + name + " is " + r.state() + ", Status " + r.status();
            return ONLINE.contains(r.state()) && upStatuses.contains(r.status()) ? Health.up(text) : Health.down(text);
        }
        if (groupState == null) {
            return Health.down("group " + name + " does not exist");
        }
        if (groupState != GroupState.ONLINE) {
            return Health.down("group " + name + " is " + groupState);
        }
        for (Map.Entry<String, Resource> e : resources.entrySet()) {
            ResourceStatus s = e.getValue().status();
            if (s != ResourceStatus.OFFLINE && !upStatuses.contains(s)) {
                return Health.down("group " + name + " is ONLINE, but resource " + e.getKey() + " has Status " + s);
            }
        }
        return Health.up("group " + name + " is ONLINE");
    }

    @Override
    public String describe() {
        return (group ? "group " : "resource ") + name;
    }

    @Override
    public void close() {
        // events simply stop being delivered
    }
}
