package io.vigil.monitor.engine;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.testing.UnsupportedRgm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory RGM holding resources only. A restart runs Monitor_stop and Monitor_start as the
 * real one does for types using the fault-monitor service: {@code monitors.stop}, then
 * {@code monitors.start}. Every restart and status change is put on {@link #events}.
 */
final class FakeRgm extends UnsupportedRgm {

    final Map<String, ResourceInfo> resources = new ConcurrentHashMap<>();
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final AtomicInteger restarts = new AtomicInteger();
    volatile FaultMonitorService monitors;
    volatile String probe = "scripted";
    /** The state a restart ends in. */
    volatile ResourceState afterRestart = ResourceState.ONLINE;

    void add(String name, String group, Map<String, String> properties) {
        resources.put(name, new ResourceInfo(name, group, "test.type", PropertyValues.of(properties), Set.of(),
                true, true, ResourceState.ONLINE, ResourceStatus.UNKNOWN, ""));
    }

    ResourceInfo info(String name) {
        return resources.get(name);
    }

    @Override
    public Optional<ResourceInfo> resource(String name) {
        return Optional.ofNullable(resources.get(name));
    }

    @Override
    public ResourceInfo restartResource(String name) throws RgmException {
        ResourceInfo r = resources.get(name);
        if (r == null) {
            throw new RgmException("unknown " + name);
        }
        restarts.incrementAndGet();
        events.add("restart " + name);
        monitors.stop(name); // Monitor_stop
        ResourceInfo after = with(r, afterRestart, r.status(), r.statusMessage());
        resources.put(name, after);
        if (afterRestart == ResourceState.ONLINE) {
            monitors.start(name, probe); // Monitor_start
        }
        return after;
    }

    @Override
    public GroupInfo giveover(String group, String reason) throws RgmException {
        events.add("giveover " + group);
        throw new RgmException("giveover of group " + group + " (" + reason
                + ") refused: there is no other node to fail over to");
    }

    @Override
    public void setStatus(String name, ResourceStatus status, String message) throws RgmException {
        ResourceInfo r = resources.get(name);
        if (r == null) {
            throw new RgmException("unknown " + name);
        }
        resources.put(name, with(r, r.state(), status, message));
        events.add("status " + status + " " + message);
    }

    private static ResourceInfo with(ResourceInfo r, ResourceState state, ResourceStatus status, String message) {
        return new ResourceInfo(r.name(), r.group(), r.type(), r.properties(), r.extensionProperties(), r.enabled(),
                r.monitored(), state, status, message);
    }

    @Override
    public List<ResourceInfo> resources() {
        return List.copyOf(resources.values());
    }

}
