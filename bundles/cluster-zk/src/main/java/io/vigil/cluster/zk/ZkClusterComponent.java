package io.vigil.cluster.zk;

import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's mode, and in zookeeper mode the cluster itself. Reads configuration {@value #PID}: in local mode (the
 * default) it does nothing at all (no ZooKeeper client is created; {@code cluster-local} provides the store); in
 * zookeeper mode it runs a {@link ZkCluster} and, once that has first connected, registers its
 * {@link ClusterStore} and {@link ClusterMembership}. A changed configuration restarts it.
 */
// The services are registered by hand in zookeeper mode; declared here for resolvers (Karaf's features verify).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.vigil.api.cluster.ClusterStore",
        uses = ClusterStore.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.vigil.api.cluster.ClusterMembership",
        uses = ClusterMembership.class)
@Component(service = {}, immediate = true, configurationPid = ZkClusterComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ZkClusterComponent.Config.class)
public final class ZkClusterComponent {

    /** Configuration PID, shared with {@code cluster-local}, which reads its mode. */
    public static final String PID = "io.vigil.cluster";

    /** Service property of the services registered here: the value {@code zookeeper}. */
    public static final String MODE_PROPERTY = "vigil.cluster.mode";

    private static final Logger LOG = LoggerFactory.getLogger(ZkClusterComponent.class);

    @ObjectClassDefinition(name = "Vigil cluster",
            description = "Whether this node is a cluster of one (local) or a member of a cluster on Apache ZooKeeper "
                    + "(zookeeper), and how it joins it.")
    public @interface Config {
        @AttributeDefinition(name = "Mode", description = "local: a cluster of one, its configuration in a file "
                + "under data/ (bundle cluster-local). zookeeper: the configuration, membership and coordinator "
                + "election in the ZooKeeper ensemble named by connect.",
                options = {@Option(value = "local", label = "local"), @Option(value = "zookeeper", label = "zookeeper")})
        String mode() default "local";

        @AttributeDefinition(name = "Connect", description = "The ZooKeeper ensemble, host:port[,host:port...], "
                + "e.g. zk1:2181,zk2:2181,zk3:2181. Required in zookeeper mode.")
        String connect() default "";

        @AttributeDefinition(name = "Session timeout", description = "Milliseconds of silence after which the "
                + "ensemble expires this node's session and the others take over its groups. The node suspends itself "
                + "when its connection drops and considers itself lost 90% of it after the ensemble last answered it, "
                + "before the ensemble can expire it. The ensemble bounds it to between 2 and 20 of its ticks "
                + "(tickTime; 2000 ms by default, so at least 4000, the default here). Smaller: faster failover, "
                + "down to 2000 (tickTime 1000 or less); below that, a ZooKeeper server's restart may make nodes "
                + "self-fence (its clients wait a random 0-1 s before they reconnect elsewhere).", min = "500")
        int session_timeout_ms() default 4000;

        @AttributeDefinition(name = "Node name", description = "This node's name in the cluster: letters, digits, "
                + "'_', '-' and '.'; unique in the cluster. Empty: the host name.")
        String node_name() default "";

        @AttributeDefinition(name = "Node addresses", description = "The addresses this node announces to the "
                + "others (host names or IP literals), in order of preference.")
        String[] node_addresses() default {};

        @AttributeDefinition(name = "Root", description = "The znode under which this cluster keeps everything; "
                + "several clusters can share one ensemble under different roots.")
        String root() default "/vigil";
    }

    /** Receives the cluster's events; posted asynchronously, in order. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private final BundleContext context;
    private final ZkCluster cluster;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** Guarded by registrations. */
    private boolean closed;

    /**
     * Starts the cluster in zookeeper mode; does nothing in local mode.
     *
     * @param context the bundle context
     * @param config the configuration
     * @throws IllegalArgumentException if the mode or a setting of zookeeper mode is not valid
     */
    @Activate
    public ZkClusterComponent(BundleContext context, Config config) {
        this.context = context;
        if (!isZookeeper(config.mode())) {
            this.cluster = null;
            return;
        }
        this.cluster = new ZkCluster(ZkSettings.of(config), this::post, Clock.systemUTC());
        cluster.start(this::register);
    }

    /**
     * @param mode a configured mode
     * @return whether it is zookeeper mode
     * @throws IllegalArgumentException if it is neither local nor zookeeper
     */
    static boolean isZookeeper(String mode) {
        String m = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        if (m.equals("zookeeper")) {
            return true;
        }
        if (m.equals("local")) {
            return false;
        }
        throw new IllegalArgumentException("cluster mode \"" + mode + "\" in configuration " + PID
                + " is not valid; expected local or zookeeper");
    }

    private void register() {
        Dictionary<String, Object> props = new Hashtable<>(Map.of(MODE_PROPERTY, "zookeeper"));
        synchronized (registrations) {
            if (closed) {
                return;
            }
            registrations.add(context.registerService(ClusterStore.class, cluster.store(), props));
            registrations.add(context.registerService(ClusterMembership.class, cluster.membership(), props));
        }
        LOG.info("Cluster store and membership on ZooKeeper registered");
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, properties));
        }
    }

    /**
     * Unregisters the services and leaves the cluster.
     *
     * @throws IOException never in practice; from closing the cluster
     */
    @Deactivate
    void deactivate() throws IOException {
        synchronized (registrations) {
            closed = true;
            registrations.forEach(ServiceRegistration::unregister);
            registrations.clear();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
