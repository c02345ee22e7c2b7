package io.vigil.rgm.engine;

import io.vigil.api.rgm.RgmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Start order of a group's resources from their Resource_dependencies properties (strong, weak,
 * restart and offline-restart all order a resource's start after its dependencies' and its stop
 * before theirs). Dependencies name resources of the same group; a cycle or an unknown name is
 * refused.
 */
final class Dependencies {

    /** The four dependency properties, strongest first. */
    static final List<String> PROPERTIES = List.of("Resource_dependencies", "Resource_dependencies_weak",
            "Resource_dependencies_restart", "Resource_dependencies_offline_restart");

    private Dependencies() {
    }

    /**
     * @param properties a resource's properties
     * @param property one of {@link #PROPERTIES}
     * @return the names it lists
     */
    static List<String> named(Map<String, String> properties, String property) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().equalsIgnoreCase(property)) {
                List<String> out = new ArrayList<>();
                for (String s : e.getValue().split(",")) {
                    if (!s.isBlank()) {
                        out.add(s.trim());
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    /** @return every resource the given one depends on, of any kind */
    static Set<String> all(Map<String, String> properties) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : PROPERTIES) {
            out.addAll(named(properties, p));
        }
        return out;
    }

    /**
     * Orders resources so each comes after everything it depends on; ties keep the given order.
     *
     * @param resources names to their properties, in creation order
     * @return the start order
     * @throws RgmException on a dependency on a resource not in the group, on itself, or a cycle
     */
    static List<String> startOrder(Map<String, Map<String, String>> resources) throws RgmException {
        Map<String, String> canonical = new HashMap<>();
        for (String name : resources.keySet()) {
            canonical.put(name.toLowerCase(Locale.ROOT), name);
        }
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : resources.entrySet()) {
            Set<String> ds = new LinkedHashSet<>();
            for (String d : all(e.getValue())) {
                String c = canonical.get(d.toLowerCase(Locale.ROOT));
                if (c == null) {
                    throw new RgmException("resource " + e.getKey() + " depends on " + d
                            + ", which is not a resource of its group; expected names of resources in the same group");
                }
                if (c.equals(e.getKey())) {
                    throw new RgmException("resource " + e.getKey() + " depends on itself");
                }
                ds.add(c);
            }
            deps.put(e.getKey(), ds);
        }
        List<String> order = new ArrayList<>();
        Set<String> visiting = new LinkedHashSet<>();
        Set<String> done = new LinkedHashSet<>();
        for (String name : deps.keySet()) {
            visit(name, deps, visiting, done, order);
        }
        return order;
    }

    private static void visit(String name, Map<String, Set<String>> deps, Set<String> visiting, Set<String> done,
            List<String> order) throws RgmException {
        if (done.contains(name)) {
            return;
        }
        if (!visiting.add(name)) {
            List<String> cycle = new ArrayList<>(visiting);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            throw new RgmException("resource dependencies form a cycle: " + String.join(" -> ", cycle) + " -> " + name);
        }
        for (String d : deps.get(name)) {
            visit(d, deps, visiting, done, order);
        }
        visiting.remove(name);
        done.add(name);
        order.add(name);
    }
}
