package io.vigil.pgpool.shell;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.lifecheck.ExternalLifecheck;
import io.vigil.pgpool.lifecheck.WatchdogBridge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code wd nodes} (the watchdog's nodes, asked now, with the lifecheck's verdicts) and
 * {@code wd status} (leader, quorum, and what the lifecheck is doing).
 */
@Component(service = WdCommands.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=wd"
})
public final class WdCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WatchdogBridge bridge;

    /**
     * @param args {@code nodes} or {@code status}
     * @return the table or the summary
     * @throws IOException if the watchdog cannot be reached
     * @throws WatchdogException if it refuses
     */
    @Descriptor("the Pgpool-II watchdog as Vigil's external lifecheck sees it: wd nodes | wd status")
    public String wd(@Descriptor("nodes | status") String... args) throws IOException, WatchdogException {
        WatchdogBridge b = bridge;
        if (b == null) {
            throw new IllegalStateException("no pgpool external lifecheck is configured; expected a configuration "
                    + "of PID " + WatchdogBridge.PID + " (etc/" + WatchdogBridge.PID + ".cfg)");
        }
        List<String> a = Arrays.asList(args);
        if (a.equals(List.of("nodes"))) {
            return nodes(b.query(), b.status().views());
        }
        if (a.equals(List.of("status"))) {
            return status(b.status());
        }
        throw new IllegalArgumentException("expected wd nodes or wd status, got wd " + String.join(" ", a));
    }

    static String nodes(NodeList list, Map<Integer, ExternalLifecheck.NodeView> views) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "HOST", "PGPOOL", "WD", "STATE", "MEMBERSHIP", "VERDICT", "REPORTED", "NAME"});
        boolean first = true;
        for (WatchdogNode n : list.nodes()) {
            ExternalLifecheck.NodeView v = views.get(n.id());
            String verdict = first ? "local" : v == null ? "-" : v.alive() ? "alive" : "dead";
            rows.add(new String[] {String.valueOf(n.id()), n.hostName(), String.valueOf(n.pgpoolPort()),
                String.valueOf(n.wdPort()), n.stateName(), n.membershipString(), verdict,
                v == null ? "-" : v.reported(), n.nodeName()});
            first = false;
        }
        return table(rows);
    }

    static String status(WatchdogBridge.Status s) {
        StringBuilder sb = new StringBuilder();
        sb.append("socket:    ").append(s.socket()).append('\n');
        s.nodes().ifPresentOrElse(l -> {
            sb.append("leader:    ").append(l.leaderNodeName()).append(" (").append(l.leaderHostName()).append(")\n");
            sb.append("quorum:    ").append(quorum(l.quorumStatus())).append(", ").append(l.aliveNodeCount())
                    .append(" standby(s) alive, ").append(l.nodesRequireForQuorum()).append(" vote(s) needed\n");
            sb.append("nodes:     ").append(l.nodeCount()).append(" (").append(l.remoteNodeCount()).append(" remote)\n");
            sb.append("escalated: ").append(l.escalated() == 1 ? "yes" : "no").append('\n');
        }, () -> sb.append("nodes:     not listed yet\n"));
        sb.append("probe:     ").append(s.probeName()).append(s.probeAvailable() ? "" : " (not registered)").append('\n');
        sb.append("last poll: ").append(s.lastPoll().map(Object::toString).orElse("none yet")).append('\n');
        sb.append("error:     ").append(s.lastError().orElse("none")).append('\n');
        return sb.toString();
    }

    private static String quorum(int q) {
        return switch (q) {
            case 1 -> "exists";
            case 0 -> "on the edge";
            case -1 -> "LOST";
            case -2 -> "no leader known";
            default -> "unknown (" + q + ")";
        };
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
