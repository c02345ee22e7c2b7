package io.vigil.shell;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code cluster}: the members of the cluster and where the groups run, as Sun Cluster's
 * {@code cluster status} and {@code clnode status}; and {@code cluster report}, an operator's word on
 * a node's liveness, as a watchdog's lifecheck gives it
 * ({@link ResourceGroupManager#reportNode}).
 *
 * <p>Both services are optional: in {@code cluster.mode} zookeeper the membership appears only once
 * the node has reached the ensemble, which is when an operator most wants to ask why; the command
 * then says so instead of not existing.
 */
@Component(service = ClusterCommand.class, property = {"osgi.command.scope=vigil", "osgi.command.function=cluster"})
public final class ClusterCommand {

    static final String USAGE = "cluster status [-o json] | cluster nodes [-o json] | "
            + "cluster report <node> dead|alive [-m <reason>]";
    static final String REPORT_USAGE = "cluster report <node> dead|alive [-m <reason>]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterMembership membership;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceGroupManager rgm;

    /** For Declarative Services: the references are injected into the fields. */
    public ClusterCommand() {
    }

    /**
     * Without Declarative Services.
     *
     * @param membership the membership, or null when no cluster bundle provides one
     * @param rgm the resource group manager, or null when it is not active
     */
    public ClusterCommand(ClusterMembership membership, ResourceGroupManager rgm) {
        this.membership = membership;
        this.rgm = rgm;
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     * @throws RgmException when the RGM refuses a report
     */
    @Descriptor("the cluster's members and where the groups run: " + USAGE)
    public String cluster(@Descriptor("subcommand and arguments") String... args) throws RgmException {
        if (args.length == 0) {
            throw new UsageException("cluster needs a subcommand; usage: " + USAGE);
        }
        String sub = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (sub) {
            case "status": {
                boolean json = noOperand("cluster status [-o json]", rest).json();
                return json ? Views.json(statusView()) : status();
            }
            case "nodes": {
                boolean json = noOperand("cluster nodes [-o json]", rest).json();
                if (json) {
                    ClusterMembership m = members();
                    Map<String, NodeReport> dead = reports();
                    return Views.json(m.nodes().stream().map(n -> nodeView(m, n, dead.get(n.name()))).toList());
                }
                return nodes();
            }
            case "report":
                return report(rest);
            default:
                throw new UsageException("unknown cluster subcommand '" + sub + "'; usage: " + USAGE);
        }
    }

    private String report(List<String> rest) throws RgmException {
        Args a = Args.parse(REPORT_USAGE, Set.of(), Set.of("-m"), Set.of(), rest);
        if (a.operands().size() != 2) {
            throw new UsageException("cluster report takes a node and dead or alive, got " + a.operands() + "; usage: "
                    + REPORT_USAGE);
        }
        String node = a.operands().get(0);
        String word = a.operands().get(1);
        if (!word.equals("dead") && !word.equals("alive")) {
            throw new UsageException("cluster report: '" + word + "' is neither dead nor alive; usage: " + REPORT_USAGE);
        }
        boolean alive = word.equals("alive");
        String reason = a.value("-m").orElse("reported " + word + " by an operator");
        rgm().reportNode(node, alive, reason);
        return "Node " + node + " reported " + word + (alive ? ": it may be chosen for groups again"
                : " (" + reason + "): its groups move to their other nodes") + "\n";
    }

    private ResourceGroupManager rgm() {
        ResourceGroupManager r = rgm;
        if (r == null) {
            throw new IllegalStateException("the resource group manager is not active; see data/log/vigil.log");
        }
        return r;
    }

    private String status() {
        ClusterMembership m = members();
        StringBuilder sb = new StringBuilder();
        sb.append("Node:         ").append(m.localNode()).append('\n');
        sb.append("State:        ").append(m.localState()).append('\n');
        sb.append("Coordinator:  ").append(coordinator(m)).append('\n');
        sb.append("Members:      ").append(m.nodes().size()).append('\n');
        Optional<List<GroupLocation>> locations = locations();
        if (locations.isEmpty()) {
            sb.append("Groups:       unavailable (rgm not active)\n");
        } else if (locations.get().isEmpty()) {
            sb.append("Groups:       none\n");
        } else {
            sb.append("Groups:\n");
            Table t = new Table("GROUP", "PLACED ON", "REPORTS", "REASON");
            for (GroupLocation l : locations.get()) {
                t.row(l.group(), nodeList(l.placedOn()), reports(l), l.reason());
            }
            sb.append(t.toString().indent(2));
        }
        return sb.toString();
    }

    private String nodes() {
        ClusterMembership m = members();
        String coordinator = m.coordinator().map(Coordinator::node).orElse(null);
        Map<String, NodeReport> dead = reports();
        Table t = new Table("NODE", "STATE", "SINCE", "ADDRESSES", "ROLE", "REPORTED DEAD");
        for (ClusterNode n : m.nodes()) {
            List<String> role = new ArrayList<>();
            if (n.name().equals(coordinator)) {
                role.add("coordinator");
            }
            if (n.name().equals(m.localNode())) {
                role.add("local");
            }
            NodeReport r = dead.get(n.name());
            t.row(n.name(), n.state(), Instant.ofEpochMilli(n.since()).truncatedTo(ChronoUnit.SECONDS),
                    nodeList(n.addresses()), String.join(",", role), r == null ? "" : r.reason() + " (on "
                            + r.reportedOn() + " at " + Instant.ofEpochMilli(r.time()).truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        return t.toString();
    }

    private Map<String, Object> statusView() {
        ClusterMembership m = members();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("node", m.localNode());
        v.put("state", m.localState().name());
        v.put("coordinator", m.coordinator().map(c -> {
            Map<String, Object> cv = new LinkedHashMap<>();
            cv.put("node", c.node());
            cv.put("epoch", c.epoch());
            return cv;
        }).orElse(null));
        v.put("members", m.nodes().size());
        v.put("groups", locations().map(ls -> ls.stream().map(Views::location).toList()).orElse(null));
        return v;
    }

    private static Map<String, Object> nodeView(ClusterMembership m, ClusterNode n, NodeReport dead) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", n.name());
        v.put("state", n.state().name());
        v.put("since", Instant.ofEpochMilli(n.since()).toString());
        v.put("addresses", n.addresses());
        v.put("coordinator", m.coordinator().map(c -> c.node().equals(n.name())).orElse(false));
        v.put("local", n.name().equals(m.localNode()));
        if (dead == null) {
            v.put("reportedDead", null);
        } else {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("reason", dead.reason());
            d.put("reportedOn", dead.reportedOn());
            d.put("time", Instant.ofEpochMilli(dead.time()).toString());
            v.put("reportedDead", d);
        }
        return v;
    }

    /** The coordinator line: while this node is not UP it cannot know who coordinates. */
    private static String coordinator(ClusterMembership m) {
        Optional<Coordinator> c = m.coordinator();
        if (c.isPresent()) {
            return c.get().node() + " (epoch " + c.get().epoch()
                    + (c.get().node().equals(m.localNode()) ? ", this node)" : ")");
        }
        return m.localState() == NodeState.UP ? "none (election in progress)"
                : "unknown (this node is " + m.localState() + ")";
    }

    /** @return the nodes reported dead, by name; none when the RGM is not active */
    private Map<String, NodeReport> reports() {
        ResourceGroupManager r = rgm;
        return r == null ? Map.of() : r.nodeReports().stream().collect(Collectors.toMap(NodeReport::node, x -> x));
    }

    /** @return every group's location, or empty when the RGM is not active */
    private Optional<List<GroupLocation>> locations() {
        ResourceGroupManager r = rgm;
        return r == null ? Optional.empty() : Optional.of(r.locations());
    }

    private ClusterMembership members() {
        ClusterMembership m = membership;
        if (m == null) {
            throw new IllegalStateException("no cluster membership is available: no cluster bundle is active, or "
                    + "(cluster.mode zookeeper) this node has not reached the ensemble yet; see data/log/vigil.log");
        }
        return m;
    }

    private static Args noOperand(String usage, List<String> rest) {
        Args a = Args.parse(usage, Set.of(), Set.of("-o"), Set.of(), rest);
        if (!a.operands().isEmpty()) {
            throw new UsageException("unexpected operand " + a.operands().get(0) + "; usage: " + usage);
        }
        return a;
    }

    /** @return the names joined by commas, or {@code -} for none */
    private static String nodeList(List<String> names) {
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    /** @return each reporting node's state, by node name: {@code node-1=ONLINE, node-2=OFFLINE} */
    private static String reports(GroupLocation l) {
        return l.states().isEmpty() ? "-" : l.states().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
