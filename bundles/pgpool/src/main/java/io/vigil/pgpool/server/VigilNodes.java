package io.vigil.pgpool.server;

import io.vigil.api.cluster.ClusterNode;
import io.vigil.api.cluster.Coordinator;
import io.vigil.api.cluster.NodeState;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WatchdogNode;
import io.vigil.pgpool.codec.WdState;
import io.vigil.pgpool.lifecheck.AlarmSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Vigil's cluster as watchdog nodes, this node first, rebuilt from a {@link ClusterSnapshot} on
 * every membership change and served from memory: the coordinator is the LEADER and the other
 * members are STANDBYs; while no coordinator is elected the members are PARTICIPATING IN ELECTION;
 * this node, while SUSPENDED, is IN NETWORK TROUBLE and, once DOWN (its session lost), LOST, and
 * then no leader is known. A cluster of one is its own LEADER with its own quorum.
 *
 * <p>A member the cluster holds reported dead ({@link ClusterSnapshot#reportedDead()}, whichever
 * node received the report) is shown LOST (and, if it is the coordinator, no leader). Each NODE
 * STATUS CHANGE raises an alarm of class {@code pgpool} and is handed on to {@link Reports} (the
 * cluster's failure handling); only when nobody keeps it there does this list keep it itself,
 * showing a DEAD member LOST until an ALIVE report or until it leaves the cluster. Every change of
 * the list is handed on (to the notification subscribers).
 */
public final class VigilNodes implements WatchdogView {

    /** Where NODE STATUS CHANGE reports go on, after the alarm. */
    @FunctionalInterface
    public interface Reports {

        /** Hands nothing on: the list keeps the reports itself. */
        Reports NONE = (node, alive, message) -> false;

        /**
         * @param node the node reported
         * @param alive ALIVE or DEAD
         * @param message the reporter's message, possibly empty
         * @return whether the cluster keeps the report (it then reaches the list through
         *     {@link ClusterSnapshot#reportedDead()}), false when the list is to keep it
         */
        boolean reported(String node, boolean alive, String message);
    }

    private static final String MEMBER = "MEMBER";
    private static final String NOT_SET = "Not_Set";

    private final String hostName;
    private final int wdPort;
    private final int pgpoolPort;
    private final Optional<Integer> lifecheckStarted;
    private final NodeIds ids;
    private final AlarmSink alarms;
    private final Consumer<NodeList> changed;
    private final Reports reports;
    /** Nodes reported DEAD and not since ALIVE, while no cluster keeps the reports. Guarded by this. */
    private final Set<String> reportedDead = new HashSet<>();
    /** Guarded by this. */
    private ClusterSnapshot cluster;
    private volatile NodeList list;

    /**
     * A cluster of one: this node, the LEADER holding its own quorum.
     *
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
        this(ClusterSnapshot.single(nodeName), hostName, wdPort, pgpoolPort, lifecheckStarted, NodeIds.parse(""), alarms,
                changed);
    }

    /**
     * @param cluster the membership now
     * @param hostName this node's HostName; blank: its first announced address, else its name (other
     *        nodes are always shown so)
     * @param wdPort the port shown as WdPort, for every node (the same configuration on each)
     * @param pgpoolPort the port shown as PgpoolPort, for every node
     * @param lifecheckStarted whether to add {@code LifecheckStarted} (read by tools built from pgpool's master)
     * @param ids the node ids
     * @param alarms receives the alarms
     * @param changed receives each new list, in order
     */
    public VigilNodes(ClusterSnapshot cluster, String hostName, int wdPort, int pgpoolPort, boolean lifecheckStarted,
            NodeIds ids, AlarmSink alarms, Consumer<NodeList> changed) {
        this(cluster, hostName, wdPort, pgpoolPort, lifecheckStarted, ids, alarms, changed, Reports.NONE);
    }

    /**
     * @param cluster the membership now
     * @param hostName this node's HostName; blank: its first announced address, else its name
     * @param wdPort the port shown as WdPort, for every node
     * @param pgpoolPort the port shown as PgpoolPort, for every node
     * @param lifecheckStarted whether to add {@code LifecheckStarted}
     * @param ids the node ids
     * @param alarms receives the alarms
     * @param changed receives each new list, in order
     * @param reports receives each NODE STATUS CHANGE report, after its alarm
     */
    public VigilNodes(ClusterSnapshot cluster, String hostName, int wdPort, int pgpoolPort, boolean lifecheckStarted,
            NodeIds ids, AlarmSink alarms, Consumer<NodeList> changed, Reports reports) {
        this.reports = reports;
        this.hostName = hostName;
        this.wdPort = wdPort;
        this.pgpoolPort = pgpoolPort;
        this.lifecheckStarted = lifecheckStarted ? Optional.of(1) : Optional.empty();
        this.ids = ids;
        this.alarms = alarms;
        this.changed = changed;
        this.cluster = cluster;
        ids.of(cluster.localNode()); // this node is numbered first: 0 unless configured otherwise
        this.list = build();
    }

    @Override
    public NodeList nodeList() {
        return list;
    }

    /**
     * Rebuilds the list from the membership now; hands it on if it differs.
     *
     * @param snapshot the membership, read after the change
     */
    public synchronized void clusterChanged(ClusterSnapshot snapshot) {
        cluster = snapshot;
        reportedDead.removeIf(name -> snapshot.nodes().stream().noneMatch(n -> n.name().equals(name)));
        publish();
    }

    @Override
    public void statusReported(int nodeId, boolean alive, String message) {
        String name;
        synchronized (this) {
            Optional<String> node = list.nodes().stream().filter(n -> n.id() == nodeId).map(WatchdogNode::nodeName)
                    .findFirst();
            if (node.isEmpty()) {
                return; // it left the cluster since the request was checked
            }
            name = node.get();
        }
        if (!reports.reported(name, alive, message)) {
            synchronized (this) {
                if (alive ? reportedDead.remove(name) : reportedDead.add(name)) {
                    publish();
                }
            }
        }
        // last: whoever hears of the alarm finds the list already changed
        alarms.raise(alive ? "node_alive" : "node_dead", name, Map.of("message",
                "reported " + (alive ? "ALIVE" : "DEAD") + " over the watchdog socket" + (message.isEmpty() ? "" : ": " + message)));
    }

    /** Replaces the list and hands it on when it changed (under the lock, so in order). Guarded by this. */
    private void publish() {
        NodeList next = build();
        if (!next.equals(list)) {
            list = next;
            changed.accept(next);
        }
    }

    private NodeList build() {
        ClusterSnapshot c = cluster;
        boolean localUp = c.localState() == NodeState.UP;
        Set<String> dead = new HashSet<>(reportedDead);
        dead.addAll(c.reportedDead());
        Optional<String> leader = c.coordinator().map(Coordinator::node)
                .filter(n -> localUp && !dead.contains(n))
                .filter(n -> c.nodes().stream().anyMatch(m -> m.name().equals(n)));
        List<WatchdogNode> nodes = new ArrayList<>();
        for (ClusterNode n : c.nodes()) {
            boolean local = n.name().equals(c.localNode());
            int state;
            if (dead.contains(n.name())) {
                state = WdState.LOST;
            } else if (local && !localUp) {
                state = c.localState() == NodeState.SUSPENDED ? WdState.IN_NETWORK_TROUBLE : WdState.LOST;
            } else if (leader.filter(n.name()::equals).isPresent()) {
                state = WdState.LEADER;
            } else {
                state = localUp && c.coordinator().isEmpty() ? WdState.PARTICIPATING_IN_ELECTION : WdState.STANDBY;
            }
            String host = local && !hostName.isBlank() ? hostName : n.addresses().stream().findFirst().orElse(n.name());
            nodes.add(new WatchdogNode(ids.of(n.name()), state, 0, MEMBER, n.name(), host, WdState.name(state), NOT_SET,
                    wdPort, pgpoolPort, 1, lifecheckStarted));
        }
        nodes.sort(Comparator.comparing((WatchdogNode n) -> !n.nodeName().equals(c.localNode()))
                .thenComparingInt(WatchdogNode::id));
        Optional<WatchdogNode> shownLeader = nodes.stream().filter(n -> n.state() == WdState.LEADER).findFirst();
        int standbys = shownLeader.isEmpty() ? 0
                : (int) nodes.stream().filter(n -> n.state() == WdState.STANDBY).count();
        int remotes = nodes.size() - 1;
        return new NodeList(remotes, remotes, nodes.size() / 2 + 1, shownLeader.isPresent() ? 1 : -2, standbys, 0,
                shownLeader.map(WatchdogNode::nodeName).orElse(NodeList.NO_LEADER),
                shownLeader.map(WatchdogNode::hostName).orElse(NodeList.NO_LEADER), nodes.size(), nodes);
    }
}
