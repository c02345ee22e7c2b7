package io.vigil.pgpool.server;

import io.vigil.api.alarm.AlarmService;
import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.ipc.SocketPaths;
import io.vigil.pgpool.lifecheck.AlarmServiceSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog-compatible IPC server as a component, active once configured (PID {@value #PID}):
 * pgpool's {@code wd_cli} and {@code pcp_watchdog_info}, and clients written from the manual, see
 * Vigil's cluster through it. The node list is rebuilt on the cluster's membership events (the
 * EventAdmin thread), never on a request. The component registers its {@link EventHandler} itself,
 * before it first reads the membership, so that every change is either in that first snapshot or
 * followed by an event it receives (DS would register the service only after activation, and an
 * event in between would be lost).
 *
 * <p>A NODE STATUS CHANGE about a member goes on, once its alarm is raised, to the resource group
 * manager when there is one ({@link ResourceGroupManager#reportNode}): a node reported DEAD loses
 * its groups to the other nodes until it is reported ALIVE. The report is made on a thread of its
 * own, in arrival order, so that a slow store never holds up the socket; a report the manager
 * refuses is logged and raised as an alarm {@code report_failed}. The node list shows LOST every
 * member the cluster holds reported dead, whichever node's socket the report came through; it
 * keeps reports itself only while no resource group manager is there.
 */
@Component(service = {}, immediate = true, configurationPid = WatchdogServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WatchdogServerComponent.Config.class)
public final class WatchdogServerComponent implements EventHandler {

    /** Configuration PID. */
    public static final String PID = "io.vigil.pgpool.server";

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogServerComponent.class);

    /** The cluster events the node list follows. */
    static final String[] TOPICS = {ClusterEvents.TOPIC_PREFIX + "node/*", ClusterEvents.TOPIC_PREFIX + "coordinator/*",
        ClusterEvents.TOPIC_PREFIX + "session/*", RgmEvents.NODE_REPORT};

    @ObjectClassDefinition(name = "Vigil watchdog-compatible IPC server",
            description = "Serves <socket dir>/.s.PGPOOLWD_CMD.<port> as a Pgpool-II watchdog does, with Vigil's "
                    + "cluster: the coordinator as LEADER, the other members as STANDBY. Owner-only; only the "
                    + "agent's user and root may connect.")
    public @interface Config {
        @AttributeDefinition(name = "Socket directory", description = "Where the socket appears. Empty: pgpool/ in "
                + "the agent's data directory (framework property vigil.data).", required = false)
        String socketDir() default "";

        @AttributeDefinition(name = "Port", description = "The number in the socket's name, as a watchdog's wd_port.",
                min = "1", max = "65535")
        int port() default 9000;

        @AttributeDefinition(name = "Authentication key", type = AttributeType.PASSWORD, required = false,
                description = "When set, clients must send it as IPCAuthKey (compared in constant time). Never logged.")
        String authKey() default "";

        @AttributeDefinition(name = "Authentication key file", required = false,
                description = "A file holding the key on one line, readable by its owner only (0600).")
        String authKeyFile() default "";

        @AttributeDefinition(name = "Dialect", description = "Result bytes: pgpool (as a real watchdog, for "
                + "pgpool's tools) or manual (the manual's table).",
                options = {@Option(label = "pgpool", value = "pgpool"), @Option(label = "manual", value = "manual")})
        String dialect() default "pgpool";

        @AttributeDefinition(name = "Host name", description = "The HostName shown for this node. Empty: its first "
                + "announced address, else its name (other nodes are always shown so).", required = false)
        String hostName() default "";

        @AttributeDefinition(name = "PgpoolPort", description = "The PgpoolPort shown for every node (the port is "
                + "shown as every node's WdPort).", min = "0", max = "65535")
        int pgpoolPort() default 0;

        @AttributeDefinition(name = "Node ids", required = false, description = "The watchdog id (pgpool_node_id) of "
                + "each Vigil node, as in pgpool.conf: " + NodeIds.SYNTAX + ". Nodes not listed get the smallest "
                + "free id when first seen, this node first; set the same value on every node.")
        String nodeIds() default "";

        @AttributeDefinition(name = "Show LifecheckStarted", description = "Add LifecheckStarted to each node, as "
                + "watchdogs built from pgpool's master do (their tools require it; older tools ignore it).")
        boolean lifecheckStarted() default true;

        @AttributeDefinition(name = "Read timeout (ms)", description = "A request not complete within this is "
                + "dropped with its connection.", min = "1")
        long readTimeoutMs() default 5000;

        @AttributeDefinition(name = "Largest request (bytes)", min = "64")
        int maxRequestBytes() default WdCodec.DEFAULT_MAX_BYTES;

        @AttributeDefinition(name = "Workers", description = "Connections served at once.", min = "1", max = "1024")
        int workers() default 32;

        @AttributeDefinition(name = "Queue", description = "Connections waiting for a worker; more are closed "
                + "unserved.", min = "0")
        int queue() default 256;

        @AttributeDefinition(name = "Notification subscribers", description = "Connections kept by REGISTER FOR "
                + "NOTIFICATIONS.", min = "0")
        int maxSubscribers() default 16;
    }

    private final ClusterMembership membership;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}; null until the first snapshot. */
    private VigilNodes nodes;
    private final ServiceRegistration<EventHandler> events;
    private volatile AlarmService alarmService;
    private volatile ResourceGroupManager rgm;
    private volatile WatchdogServer server;
    private final AlarmServiceSink alarms = new AlarmServiceSink(() -> alarmService, "pgpool-server");
    /** Hands reports to the resource group manager one at a time, in order. */
    private final ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vigil-wd-reports");
        t.setDaemon(true);
        return t;
    });

    /**
     * Binds the socket.
     *
     * @param context for the data directory
     * @param membership the cluster's members and coordinator
     * @param config the configuration
     * @throws IOException if the socket cannot be created
     * @throws IllegalArgumentException naming a setting that is not valid
     */
    @Activate
    public WatchdogServerComponent(BundleContext context, @Reference ClusterMembership membership, Config config)
            throws IOException {
        Dialect dialect = Dialect.parse(config.dialect());
        var key = AuthKey.load(config.authKey(), config.authKeyFile());
        NodeIds ids = NodeIds.parse(config.nodeIds());
        String dir = config.socketDir().isBlank() ? dataDir(context).resolve("pgpool").toString() : config.socketDir();
        Path socket = SocketPaths.of(dir, config.port());
        this.membership = membership;
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, TOPICS.clone());
        this.events = context.registerService(EventHandler.class, this, topics);
        try {
            VigilNodes first;
            synchronized (lock) {
                // after the registration: an event delivered before this point is covered by this snapshot,
                // one delivered after it waits for the lock and rebuilds the list
                first = new VigilNodes(snapshot(), config.hostName(), config.port(), config.pgpoolPort(),
                        config.lifecheckStarted(), ids, alarms, this::nodesChanged, this::reported);
                nodes = first;
            }
            this.server = new WatchdogServer(socket, new RequestHandler(dialect, key, first), PeerCheck.agentUid(),
                    new WatchdogServer.Limits(config.workers(), config.queue(), Duration.ofMillis(config.readTimeoutMs()),
                            config.maxRequestBytes(), config.maxSubscribers()));
        } catch (IOException | RuntimeException e) {
            unregisterQuietly();
            reporter.shutdownNow();
            throw e;
        }
    }

    /** The membership now, with the members the cluster holds reported dead. */
    private ClusterSnapshot snapshot() {
        ResourceGroupManager r = rgm;
        Set<String> dead = r == null ? Set.of()
                : r.nodeReports().stream().map(NodeReport::node).collect(Collectors.toSet());
        return ClusterSnapshot.of(membership, dead);
    }

    /**
     * Hands a NODE STATUS CHANGE on to the resource group manager, off the socket's threads, and
     * rebuilds the list once it is stored (its event follows, on every node).
     *
     * @return whether a resource group manager keeps the report
     */
    private boolean reported(String node, boolean alive, String message) {
        ResourceGroupManager r = rgm;
        if (r == null) {
            return false;
        }
        String reason = "reported " + (alive ? "ALIVE" : "DEAD") + " over the watchdog socket"
                + (message.isEmpty() ? "" : ": " + message);
        try {
            reporter.execute(() -> {
                try {
                    r.reportNode(node, alive, reason);
                    refresh();
                } catch (RgmException | RuntimeException e) {
                    LOG.error("Node {} {}, but the cluster did not take the report: {}", node, reason, e.getMessage());
                    alarms.raise("report_failed", node, Map.of("message", "the cluster did not take the report ("
                            + reason + "): " + e.getMessage()));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            LOG.info("Node {} {} while the server stops; the report is dropped", node, reason);
            return true;
        }
    }

    /** Rebuilds the node list from the membership, whichever cluster event arrived. */
    @Override
    public void handleEvent(Event event) {
        refresh();
    }

    private void refresh() {
        synchronized (lock) {
            if (nodes != null) {
                nodes.clusterChanged(snapshot());
            }
        }
    }

    private void unregisterQuietly() {
        try {
            events.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
    }

    /** @return the server, for tests */
    WatchdogServer server() {
        return server;
    }

    private void nodesChanged(NodeList list) {
        WatchdogServer s = server;
        if (s != null) {
            s.nodesChanged(list);
        }
    }

    private static Path dataDir(BundleContext context) {
        String data = context.getProperty("vigil.data");
        return Path.of(data == null || data.isBlank() ? "data" : data);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAlarmService(AlarmService service) {
        alarmService = service;
    }

    void unbindAlarmService(AlarmService service) {
        if (alarmService == service) {
            alarmService = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRgm(ResourceGroupManager manager) {
        rgm = manager;
        refresh();
    }

    void unbindRgm(ResourceGroupManager manager) {
        if (rgm == manager) {
            rgm = null;
            refresh();
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        unregisterQuietly();
        reporter.shutdown();
        server.close();
    }
}
