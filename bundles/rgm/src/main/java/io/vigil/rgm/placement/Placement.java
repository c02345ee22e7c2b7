package io.vigil.rgm.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The coordinator's placement rules, Sun Cluster's RGM as an operator knows them:
 * <ul>
 * <li>A group runs only on live nodes of its Nodelist, preferred in Nodelist order.</li>
 * <li>A failover group runs on one node; a scalable group on {@code min(Desired_primaries,
 *     Maximum_primaries)} nodes when that many are eligible, else on as many as there are.</li>
 * <li>A group stays where it runs while that node is live and eligible (no needless moves),
 *     unless Failback is set and a more preferred node is eligible: then it moves there.</li>
 * <li>A node where the group failed (start failure, giveover) less than Pingpong_interval ago is
 *     not chosen for it (where it runs now, it stays); when that leaves no node, the group is not
 *     placed and the reason says so.</li>
 * <li>A node an outside observer reports dead is not chosen for any group, and a group placed on
 *     it moves to its other eligible nodes; a group that no other node can take stays where it
 *     runs (a wrong report must not take a service down), and the reason says so.</li>
 * <li>A group whose RG_dependencies are not all placed is not placed (it waits for them); groups
 *     are decided in dependency order, so a dependency placed in the same decision counts.</li>
 * <li>A group the operator does not want online is placed nowhere; on a new cluster (every node
 *     started together) a group with Auto_start_on_new_cluster FALSE waits for an operator's online.</li>
 * </ul>
 * Pure: the same input gives the same decision.
 */
public final class Placement {

    private Placement() {
    }

    /**
     * The state placement decides from.
     *
     * @param groups every group
     * @param liveNodes the nodes that are cluster members now
     * @param current where each group runs now (group name to nodes); absent means nowhere
     * @param failures when each group last failed on each node (group name, in any case, to node to time)
     * @param now the decision's time, for Pingpong_interval
     * @param newCluster whether every node has just started together (Auto_start_on_new_cluster)
     * @param reportedDead live nodes an outside observer reports dead, with what it said
     */
    public record Input(List<GroupSpec> groups, Set<String> liveNodes, Map<String, List<String>> current,
            Map<String, Map<String, Instant>> failures, Instant now, boolean newCluster,
            Map<String, String> reportedDead) {

        /** Checks for nulls and copies. */
        public Input {
            groups = List.copyOf(groups);
            liveNodes = Set.copyOf(liveNodes);
            current = Map.copyOf(current);
            Map<String, Map<String, Instant>> byKey = new HashMap<>();
            failures.forEach((group, times) -> byKey.merge(key(group), Map.copyOf(times), (a, b) -> {
                Map<String, Instant> both = new HashMap<>(a);
                b.forEach((n, t) -> both.merge(n, t, (x, y) -> x.isAfter(y) ? x : y));
                return Map.copyOf(both);
            }));
            failures = Map.copyOf(byKey);
            Objects.requireNonNull(now, "now");
            reportedDead = Map.copyOf(reportedDead);
        }

        /** Without dead reports. */
        public Input(List<GroupSpec> groups, Set<String> liveNodes, Map<String, List<String>> current,
                Map<String, Map<String, Instant>> failures, Instant now, boolean newCluster) {
            this(groups, liveNodes, current, failures, now, newCluster, Map.of());
        }
    }

    /**
     * A decision.
     *
     * @param placement where each group should run (every group is a key; empty list: nowhere)
     * @param reasons why a wanted group runs on fewer nodes than it wants, by group
     */
    public record Decision(Map<String, List<String>> placement, Map<String, String> reasons) {

        /** Copies. */
        public Decision {
            placement = Map.copyOf(placement);
            reasons = Map.copyOf(reasons);
        }

        /**
         * @param group a group
         * @return where it should run
         */
        public List<String> nodesOf(String group) {
            return placement.getOrDefault(group, List.of());
        }
    }

    /**
     * Decides where every group runs.
     *
     * @param in the state
     * @return the decision
     * @throws IllegalArgumentException if the RG_dependencies form a cycle or name an unknown group
     */
    public static Decision decide(Input in) {
        Map<String, GroupSpec> byName = new LinkedHashMap<>();
        in.groups().forEach(g -> byName.put(key(g.name()), g));
        Map<String, List<String>> placement = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (GroupSpec g : dependencyOrder(byName)) {
            List<String> nodes = new ArrayList<>();
            String reason = place(g, in, placement, nodes);
            placement.put(g.name(), List.copyOf(nodes));
            if (reason != null) {
                reasons.put(g.name(), reason);
            }
        }
        return new Decision(placement, reasons);
    }

    /**
     * The nodes a group could move to now, most preferred first: live, in its Nodelist, not where
     * it runs, not avoided by Pingpong_interval, not reported dead. A giveover runs Monitor_check
     * on them in this order.
     *
     * @param group the group
     * @param in the state
     * @return the candidates
     */
    public static List<String> candidates(GroupSpec group, Input in) {
        List<String> running = in.current().getOrDefault(group.name(), List.of());
        return eligible(group, in).stream().filter(n -> !running.contains(n)).toList();
    }

    private static String place(GroupSpec g, Input in, Map<String, List<String>> placed, List<String> out) {
        if (!g.wantedOnline()) {
            return null;
        }
        List<String> running = in.current().getOrDefault(g.name(), List.of());
        if (in.newCluster() && !g.autoStartOnNewCluster() && running.isEmpty()) {
            return "Auto_start_on_new_cluster is FALSE: it waits for an operator's online";
        }
        for (String d : g.dependencies()) {
            String name = placed.keySet().stream().filter(k -> k.equalsIgnoreCase(d)).findFirst().orElse(d);
            if (placed.getOrDefault(name, List.of()).isEmpty()) {
                return "it depends on group " + d + ", which is not online (RG_dependencies)";
            }
        }
        List<String> eligible = eligible(g, in);
        int wanted = g.wantedPrimaries();
        if (eligible.isEmpty()) {
            List<String> stays = reportedDeadRunning(g, in).stream().limit(wanted).toList();
            if (!stays.isEmpty()) {
                out.addAll(stays);
                return "node " + String.join(", ", stays) + " is reported dead ("
                        + in.reportedDead().get(stays.get(0)) + "), but no other node of its Nodelist is eligible: "
                        + "it stays there";
            }
            return noNodeReason(g, in);
        }
        List<String> chosen = new ArrayList<>();
        if (g.failback()) {
            chosen.addAll(eligible.subList(0, Math.min(wanted, eligible.size())));
        } else {
            eligible.stream().filter(running::contains).limit(wanted).forEach(chosen::add);
            for (String n : eligible) {
                if (chosen.size() >= wanted) {
                    break;
                }
                if (!chosen.contains(n)) {
                    chosen.add(n);
                }
            }
        }
        // Keep the Nodelist's order in the answer, so that online order is deterministic.
        eligible.stream().filter(chosen::contains).forEach(out::add);
        return out.size() < wanted ? "only " + out.size() + " of " + wanted + " wanted primaries are eligible" : null;
    }

    private static List<String> eligible(GroupSpec g, Input in) {
        Map<String, Instant> failed = in.failures().getOrDefault(key(g.name()), Map.of());
        List<String> running = in.current().getOrDefault(g.name(), List.of());
        List<String> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(g.nodelist())) {
            if (!in.liveNodes().contains(n) || in.reportedDead().containsKey(n)) {
                continue;
            }
            Instant f = failed.get(n);
            if (f != null && f.plus(g.pingpongInterval()).isAfter(in.now()) && !running.contains(n)) {
                continue;
            }
            out.add(n);
        }
        return out;
    }

    /** The nodes reported dead where the group runs, in Nodelist order (they would be eligible otherwise). */
    private static List<String> reportedDeadRunning(GroupSpec g, Input in) {
        List<String> running = in.current().getOrDefault(g.name(), List.of());
        return new LinkedHashSet<>(g.nodelist()).stream()
                .filter(n -> running.contains(n) && in.liveNodes().contains(n) && in.reportedDead().containsKey(n))
                .toList();
    }

    private static String noNodeReason(GroupSpec g, Input in) {
        List<String> live = g.nodelist().stream().filter(in.liveNodes()::contains).toList();
        if (live.isEmpty()) {
            return "no node of its Nodelist " + g.nodelist() + " is a live cluster member";
        }
        List<String> dead = live.stream().filter(in.reportedDead()::containsKey).toList();
        if (!dead.isEmpty()) {
            return "the live nodes of its Nodelist " + live + " failed it within Pingpong_interval ("
                    + g.pingpongInterval().toSeconds() + " s) or are reported dead (" + String.join(", ", dead) + ")";
        }
        return "it failed on every live node of its Nodelist " + live + " within Pingpong_interval ("
                + g.pingpongInterval().toSeconds() + " s)";
    }

    /** The groups with each group after its RG_dependencies. */
    private static List<GroupSpec> dependencyOrder(Map<String, GroupSpec> byName) {
        List<GroupSpec> out = new ArrayList<>();
        Map<String, Integer> mark = new HashMap<>();
        for (String k : byName.keySet()) {
            visit(k, byName, mark, out, new ArrayList<>());
        }
        return out;
    }

    private static void visit(String k, Map<String, GroupSpec> byName, Map<String, Integer> mark, List<GroupSpec> out,
            List<String> path) {
        Integer m = mark.get(k);
        if (m != null && m == 2) {
            return;
        }
        GroupSpec g = byName.get(k);
        if (m != null) {
            path.add(g.name());
            throw new IllegalArgumentException("RG_dependencies form a cycle: " + String.join(" -> ", path));
        }
        mark.put(k, 1);
        path.add(g.name());
        for (String d : g.dependencies()) {
            if (!byName.containsKey(key(d))) {
                throw new IllegalArgumentException("group " + g.name() + " depends on group " + d
                        + ", which does not exist (RG_dependencies)");
            }
            visit(key(d), byName, mark, out, path);
        }
        path.remove(path.size() - 1);
        mark.put(k, 2);
        out.add(g);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
