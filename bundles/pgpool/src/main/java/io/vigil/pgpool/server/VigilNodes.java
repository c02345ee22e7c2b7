package io.vigil.pgpool.server;

import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.lifecheck.AlarmSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Vigil's nodes as watchdog nodes: today the cluster is this one node, shown as the LEADER
 * holding its own quorum. A DEAD report about it shows it LOST (with no leader and no quorum) until
 * an ALIVE report; each report raises an alarm of class {@code pgpool}, and every change of the
 * list is handed on (to the notification subscribers).
 */
public final class VigilNodes implements WatchdogView {

    private final WatchdogNode local;
    private final AlarmSink alarms;
    private final Consumer<NodeList> changed;
    private volatile NodeList list;

    /**
     * @param nodeName this node's name in the cluster
     * @param hostName its host name as shown
     * @param wdPort the compatible server's port
     * @param pgpoolPort the port shown as PgpoolPort
     * @param lifecheckStarted whether to add {@code LifecheckStarted} (read by tools built from pgpool's master)
     * @param alarms receives the alarms
     * @param changed receives each new list
     */
    public VigilNodes(String nodeName, String hostName, int wdPort, int pgpoolPort, boolean lifecheckStarted,
            AlarmSink alarms, Consumer<NodeList> changed) {
        this.local = new WatchdogNode(0, WdState.LEADER, 0, "MEMBER", nodeName, hostName, WdState.name(WdState.LEADER),
                "Not_Set", wdPort, pgpoolPort, 1, lifecheckStarted ? Optional.of(1) : Optional.empty());
        this.alarms = alarms;
        this.changed = changed;
        this.list = listOf(true);
    }

    private NodeList listOf(boolean alive) {
        WatchdogNode n = alive ? local : local.withState(WdState.LOST);
        return new NodeList(0, 0, 1, alive ? 1 : -2, 0, 0, alive ? local.nodeName() : NodeList.NO_LEADER,
                alive ? local.hostName() : NodeList.NO_LEADER, 1, List.of(n));
    }

    @Override
    public NodeList nodeList() {
        return list;
    }

    @Override
    public void statusReported(int nodeId, boolean alive, String message) {
        NodeList next;
        synchronized (this) {
            boolean wasAlive = list.nodes().get(0).state() != WdState.LOST;
            next = wasAlive == alive ? null : listOf(alive);
            if (next != null) {
                list = next;
            }
        }
        alarms.raise(alive ? "node_alive" : "node_dead", local.nodeName(), Map.of("message",
                "reported " + (alive ? "ALIVE" : "DEAD") + " over the watchdog socket" + (message.isEmpty() ? "" : ": " + message)));
        if (next != null) {
            changed.accept(next);
        }
    }
}
