package io.vigil.healthcheck.status;

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
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code *rg:<group>} and {@code *rs:<resource>}: the state of a group or resource on this node,
 * read once from the {@link ResourceGroupManager} and then kept current from the RGM's events
 * ({@link RgmEvents}), so a change is answered as soon as the event arrives, without polling.
 *
 * <p>A resource is UP while it is ONLINE (or ONLINE_NOT_MONITORED) with a Status among
 * {@code upStatuses} (OK and DEGRADED by default). A group is UP while it is ONLINE and none of its
 * resources has a Status outside {@code upStatuses}; a resource whose Status is OFFLINE (a
 * disabled one) does not count.
 */
public final class RgmStatus implements StatusSource {

    /** Prefix of a group source. */
    public static final String GROUP_PREFIX = "*rg:";
    /** Prefix of a resource source. */
    public static final String RESOURCE_PREFIX = "*rs:";

    private static final Set<ResourceState> ONLINE = EnumSet.of(ResourceState.ONLINE, ResourceState.ONLINE_NOT_MONITORED);

    private final boolean group;
    private final String name;
    private final Set<ResourceStatus> upStatuses;
    private final Map<String, Resource> resources = new TreeMap<>();
    private boolean rgmAvailable;
    private GroupState groupState;
    private Health current;
    private Instant changedAt = Instant.now();
    private Consumer<Health> changes = h -> { };

    private record Resource(ResourceState state, ResourceStatus status) {
    }

    /**
     * @param command {@code *rg:<group>} or {@code *rs:<resource>}
     * @param upStatuses the Status values that count as UP
     * @throws IllegalArgumentException if the command is neither, or a status is unknown
     */
    public RgmStatus(String command, List<String> upStatuses) {
        if (!selects(command) || command.length() == GROUP_PREFIX.length()) {
            throw new IllegalArgumentException("command '" + command + "' is invalid; expected "
                    + GROUP_PREFIX + "<group> or " + RESOURCE_PREFIX + "<resource>");
        }
        this.group = command.regionMatches(true, 0, GROUP_PREFIX, 0, GROUP_PREFIX.length());
        this.name = command.substring(GROUP_PREFIX.length());
        this.upStatuses = EnumSet.noneOf(ResourceStatus.class);
        for (String s : upStatuses) {
            try {
                this.upStatuses.add(ResourceStatus.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("upStatuses: '" + s + "' is not a resource Status; expected some of "
                        + EnumSet.allOf(ResourceStatus.class).stream().map(Enum::name).collect(Collectors.joining(",")), e);
            }
        }
        this.current = evaluate();
    }

    /** @param command a configured command @return whether it names a group or resource */
    public static boolean selects(String command) {
        return command.regionMatches(true, 0, GROUP_PREFIX, 0, GROUP_PREFIX.length())
                || command.regionMatches(true, 0, RESOURCE_PREFIX, 0, RESOURCE_PREFIX.length());
    }

    /**
     * Takes the state from the RGM: at start, and whenever the RGM service comes or goes.
     *
     * @param rgm the RGM, or null when none runs
     */
    public void reset(ResourceGroupManager rgm) {
        Health after;
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
            after = update(Instant.now());
        }
        report(after);
    }

    private void put(ResourceInfo r) {
        resources.put(r.name(), new Resource(r.state(), r.status()));
    }

    /**
     * Applies one RGM event; others' events are ignored.
     *
     * @param topic the event's topic
     * @param properties its properties
     */
    public void onEvent(String topic, Map<String, ?> properties) {
        Health after;
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
            after = update(properties.get(RgmEvents.TIME) instanceof Long t ? Instant.ofEpochMilli(t) : Instant.now());
        }
        report(after);
    }

    /** @return the new health if it changed, else null */
    private Health update(Instant when) {
        Health after = evaluate();
        if (after.equals(current)) {
            return null;
        }
        if (current == null || after.up() != current.up()) {
            changedAt = when;
        }
        current = after;
        return after;
    }

    private void report(Health changed) {
        if (changed != null) {
            changes.accept(changed);
        }
    }

    private Health evaluate() {
        if (!rgmAvailable) {
            return Health.down("the resource group manager is not running");
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
    public synchronized Health current() {
        return current;
    }

    @Override
    public synchronized Instant changedAt() {
        return changedAt;
    }

    @Override
    public synchronized void start(Consumer<Health> changes) {
        this.changes = changes;
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
