package io.vigil.healthcheck.testing;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource group manager that knows one group and answers only group(), resource() and
 * location(); and RGM events.
 */
public final class FakeRgm {

    private FakeRgm() {
    }

    /** An RGM that knows one group rg1 with resources db and web, and no location. */
    public static ResourceGroupManager rgm(GroupState state, ResourceStatus db, ResourceStatus web) {
        return rgm(state, db, web, Map.of());
    }

    /**
     * @param locations where the groups run, by group, read at each call (the test may change it)
     * @return an RGM that knows one group rg1 with resources db and web, and those locations
     */
    public static ResourceGroupManager rgm(GroupState state, ResourceStatus db, ResourceStatus web,
            Map<String, GroupLocation> locations) {
        GroupInfo g = new GroupInfo("rg1", PropertyValues.empty(), state, true, List.of("db", "web"), "");
        Map<String, ResourceInfo> resources = Map.of(
                "db", resource("db", state == GroupState.ONLINE ? ResourceState.ONLINE : ResourceState.OFFLINE, db),
                "web", resource("web", state == GroupState.ONLINE ? ResourceState.ONLINE : ResourceState.OFFLINE, web));
        return (ResourceGroupManager) Proxy.newProxyInstance(FakeRgm.class.getClassLoader(),
                new Class<?>[] {ResourceGroupManager.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "group" -> args[0].equals("rg1") ? Optional.of(g) : Optional.empty();
                    case "resource" -> Optional.ofNullable(resources.get((String) args[0]));
                    case "location" -> Optional.ofNullable(locations.get((String) args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ResourceInfo resource(String name, ResourceState state, ResourceStatus status) {
        return new ResourceInfo(name, "rg1", "DEMO.svc", PropertyValues.empty(), Set.of(), true, true, state, status, "");
    }

    /**
     * @param group a group
     * @param states alternating node names and the group's state there
     * @return its location, placed on the nodes listed
     */
    public static GroupLocation location(String group, String... states) {
        Map<String, GroupState> m = new HashMap<>();
        for (int i = 0; i < states.length; i += 2) {
            m.put(states[i], GroupState.valueOf(states[i + 1]));
        }
        return new GroupLocation(group, List.copyOf(m.keySet()), m, 1, "");
    }

    /** @param keyValues alternating keys and values @return an event's properties, with a time */
    public static Map<String, Object> event(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        m.put(RgmEvents.TIME, 0L);
        return m;
    }
}
