package io.vigil.shell;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import io.vigil.testing.UnsupportedRgm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory RGM of groups and their cluster locations, for the shell's commands. A switchover
 * or evacuation moves a group as the real one reports it settled: placed on the new node, ONLINE
 * there and OFFLINE where it was. Every switchover and evacuation is recorded in {@link #calls};
 * a group in {@link #refusals} is refused with that message, as a node not in {@link #members} is.
 */
public final class FakeRgm extends UnsupportedRgm {

    final Map<String, GroupInfo> groups = new TreeMap<>();
    final Map<String, GroupLocation> locations = new TreeMap<>();
    final List<String> members = new CopyOnWriteArrayList<>();
    final Map<String, String> refusals = new HashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** The nodes reported dead. */
    final Map<String, NodeReport> reports = new java.util.TreeMap<>();

    /** @param members the live nodes, in the order evacuation tries them */
    public FakeRgm(String... members) {
        this.members.addAll(List.of(members));
    }

    /**
     * Adds a group, wanted online on the given nodes and reported ONLINE there and OFFLINE on the
     * other members; wanted offline and placed nowhere when no node is given.
     *
     * @return this
     */
    public FakeRgm add(String name, String... placedOn) {
        boolean online = placedOn.length > 0;
        groups.put(name, new GroupInfo(name, PropertyValues.of(Map.of()), online ? GroupState.ONLINE : GroupState.OFFLINE,
                online, List.of(name + "-rs"), ""));
        locations.put(name, settled(name, List.of(placedOn), 1, ""));
        return this;
    }

    GroupLocation settled(String group, List<String> placedOn, long version, String reason) {
        Map<String, GroupState> states = new HashMap<>();
        members.forEach(m -> states.put(m, placedOn.contains(m) ? GroupState.ONLINE : GroupState.OFFLINE));
        return new GroupLocation(group, placedOn, states, version, reason);
    }

    @Override
    public List<GroupInfo> groups() {
        return List.copyOf(groups.values());
    }

    @Override
    public Optional<GroupInfo> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    @Override
    public GroupLocation switchover(String group, String node) throws RgmException {
        calls.add("switchover " + group + " " + node);
        GroupLocation l = locations.get(group);
        if (l == null) {
            throw new RgmException("resource group " + group + " does not exist");
        }
        if (!members.contains(node)) {
            throw new RgmException("node " + node + " is not a live member of the cluster; members: " + members);
        }
        if (refusals.containsKey(group)) {
            throw new RgmException(refusals.get(group));
        }
        GroupLocation moved = settled(group, List.of(node), l.placementVersion() + 1, "");
        locations.put(group, moved);
        return moved;
    }

    @Override
    public List<GroupLocation> evacuate(String node) throws RgmException {
        calls.add("evacuate " + node);
        if (!members.contains(node)) {
            throw new RgmException("node " + node + " is not a live member of the cluster; members: " + members);
        }
        List<GroupLocation> moved = new ArrayList<>();
        for (GroupLocation l : List.copyOf(locations.values())) {
            if (l.placedOn().contains(node)) {
                Optional<String> other = members.stream().filter(m -> !m.equals(node)).findFirst();
                GroupLocation after = settled(l.group(), other.map(List::of).orElse(List.of()), l.placementVersion() + 1,
                        other.isPresent() ? "" : "no other node of its Nodelist is a member");
                locations.put(l.group(), after);
                moved.add(after);
            }
        }
        return moved;
    }

    @Override
    public void reportNode(String node, boolean alive, String reason) throws RgmException {
        calls.add("report " + node + " " + (alive ? "alive" : "dead") + " " + reason);
        if (!members.contains(node)) {
            throw new RgmException("node " + node + " is not a cluster member; members: " + members);
        }
        if (alive) {
            reports.remove(node);
        } else {
            reports.put(node, new NodeReport(node, reason, members.get(0), 1_800_000_000_000L));
        }
    }

    @Override
    public List<NodeReport> nodeReports() {
        return List.copyOf(reports.values());
    }

    @Override
    public List<GroupLocation> locations() {
        return List.copyOf(locations.values());
    }

    @Override
    public Optional<GroupLocation> location(String group) {
        return Optional.ofNullable(locations.get(group));
    }

}
