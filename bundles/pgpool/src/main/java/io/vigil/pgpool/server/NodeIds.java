package io.vigil.pgpool.server;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The watchdog node id ({@code pgpool_node_id}) each Vigil node is shown with. Configured ids come
 * first, so that every node's server numbers the cluster as {@code pgpool.conf} does; a node not
 * configured gets the smallest id free when it is first seen, and keeps it for the server's life
 * (also when it leaves and joins again). Thread-safe.
 */
public final class NodeIds {

    /** The syntax of the configuration, for messages. */
    public static final String SYNTAX = "<node>=<id>, comma-separated, ids 0 or more, each node and id once,"
            + " e.g. node-1=0,node-2=1";

    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, String> taken = new HashMap<>();

    private NodeIds(Map<String, Integer> configured) {
        configured.forEach((name, id) -> {
            ids.put(name, id);
            taken.put(id, name);
        });
    }

    /**
     * @param config {@code node-1=0,node-2=1}, or blank for none
     * @return the ids
     * @throws IllegalArgumentException naming the entry that is not valid, or the node or id given twice
     */
    public static NodeIds parse(String config) {
        Map<String, Integer> configured = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (String entry : config.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).strip();
            int id;
            try {
                id = eq < 0 ? -1 : Integer.parseInt(entry.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (name.isEmpty() || id < 0) {
                throw new IllegalArgumentException("nodeIds entry '" + entry.strip() + "' is not valid; expected " + SYNTAX);
            }
            if (configured.containsKey(name)) {
                throw new IllegalArgumentException("nodeIds names node " + name + " twice; expected " + SYNTAX);
            }
            String other = byId.putIfAbsent(id, name);
            if (other != null) {
                throw new IllegalArgumentException("nodeIds gives id " + id + " to both " + other + " and " + name
                        + "; expected " + SYNTAX);
            }
            configured.put(name, id);
        }
        return new NodeIds(configured);
    }

    /**
     * @param name a node's name
     * @return its id: configured, given before, or the smallest free one
     */
    public synchronized int of(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            id = 0;
            while (taken.containsKey(id)) {
                id++;
            }
            ids.put(name, id);
            taken.put(id, name);
        }
        return id;
    }
}
