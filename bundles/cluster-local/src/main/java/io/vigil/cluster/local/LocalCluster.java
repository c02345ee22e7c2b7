package io.vigil.cluster.local;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster of one, in local mode ({@code mode = local} in configuration {@value #CLUSTER_PID}, the default):
 * opens the {@link LocalClusterStore} and registers it as the {@link ClusterStore}, with a {@link LocalMembership}
 * as the {@link ClusterMembership}. In any other mode it opens and registers nothing, so that the cluster bundle of
 * that mode provides the only store. Store changes are posted on {@link ClusterEvents#STORE_CHANGED}.
 *
 * <p>The mode is read from ConfigurationAdmin, and followed through its events, rather than given by DS: the
 * configuration is the {@code cluster-zk} bundle's (a configuration that ConfigurationAdmin has bound to one bundle
 * is given to that bundle's components only), and is read here whoever it is bound to.
 */
// The services are registered by hand in local mode; declared here for resolvers (Karaf's features verify).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.vigil.api.cluster.ClusterStore",
        uses = ClusterStore.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.vigil.api.cluster.ClusterMembership",
        uses = ClusterMembership.class)
@Component(service = ConfigurationListener.class, immediate = true, configurationPid = LocalClusterStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LocalCluster implements ConfigurationListener {

    /** The PID of the cluster's mode, shared with the other cluster bundles. */
    public static final String CLUSTER_PID = "io.vigil.cluster";
    /** The mode this bundle serves. */
    public static final String LOCAL = "local";
    /** The mode another bundle serves. */
    public static final String ZOOKEEPER = "zookeeper";
    /**
     * Framework property: when true, nothing is opened until configuration {@value #CLUSTER_PID} exists, so that
     * a node in zookeeper mode never opens its local store (and never boots its groups from it) in the moment
     * before its etc/ configuration is read. The distribution sets it.
     */
    public static final String AWAIT_CONFIG_PROPERTY = "vigil.cluster.await.config";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    /** Receives the store's changes; posted asynchronously, in order. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private final BundleContext context;
    private final LocalClusterStore.Config config;
    private final ConfigurationAdmin configurations;
    private final boolean awaitConfig;
    /** Open in local mode, else null. Guarded by this. */
    private LocalClusterStore store;
    /** Guarded by this. */
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** Guarded by this. */
    private boolean closed;
    /** The open store's node name, for its events (read without the lock: a commit may come from any thread). */
    private volatile String nodeName = "";

    /**
     * Opens and registers the store if the cluster's mode is local.
     *
     * @param context the bundle context
     * @param config the store's configuration
     * @param configurations where the cluster's mode is read
     * @throws IOException if the store cannot be opened or its file is not valid
     * @throws IllegalArgumentException if the mode is neither local nor zookeeper
     */
    @Activate
    public LocalCluster(BundleContext context, LocalClusterStore.Config config,
            @Reference ConfigurationAdmin configurations) throws IOException {
        this.context = context;
        this.config = config;
        this.configurations = configurations;
        this.awaitConfig = Boolean.parseBoolean(context.getProperty(AWAIT_CONFIG_PROPERTY));
        follow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (CLUSTER_PID.equals(event.getPid())) {
            try {
                follow();
            } catch (IOException | RuntimeException e) {
                LOG.error("Cluster configuration {} not applied: {}", CLUSTER_PID, e.getMessage(), e);
            }
        }
    }

    /** Opens or closes the store as the cluster's configuration says. */
    private synchronized void follow() throws IOException {
        if (closed) {
            return;
        }
        Optional<Dictionary<String, Object>> cluster = clusterConfiguration();
        if (cluster.isEmpty() && awaitConfig) {
            LOG.info("Cluster store waits for configuration {} (etc/{}.cfg) to know the cluster's mode", CLUSTER_PID,
                    CLUSTER_PID);
            close();
            return;
        }
        Object mode = cluster.map(c -> c.get("mode")).orElse(LOCAL);
        if (!isLocal(mode == null ? LOCAL : mode.toString())) {
            if (store != null) {
                LOG.info("Cluster mode is now {}: the local cluster store is closed", ZOOKEEPER);
            }
            close();
            return;
        }
        if (store == null) {
            Object clusterNodeName = cluster.map(c -> c.get("node.name")).orElse(null);
            store = new LocalClusterStore(context, withNodeName(config,
                    clusterNodeName == null ? "" : clusterNodeName.toString()));
            nodeName = store.nodeName();
            store.onChanges(this::post);
            registrations.add(context.registerService(ClusterStore.class, store, null));
            registrations.add(context.registerService(ClusterMembership.class,
                    new LocalMembership(store.nodeName()), null));
        }
    }

    private Optional<Dictionary<String, Object>> clusterConfiguration() {
        try {
            Configuration[] found = configurations.listConfigurations("(service.pid=" + CLUSTER_PID + ")");
            return found == null || found.length == 0 ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (IOException e) {
            throw new UncheckedIOException("configuration " + CLUSTER_PID + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("a constant filter is valid", e);
        }
    }

    /** The store's configuration, with the node name of configuration io.vigil.cluster when that is set. */
    private static LocalClusterStore.Config withNodeName(LocalClusterStore.Config config, String clusterNodeName) {
        if (clusterNodeName.isBlank()) {
            return config;
        }
        return new LocalClusterStore.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LocalClusterStore.Config.class;
            }

            @Override
            public String directory() {
                return config.directory();
            }

            @Override
            public String node_name() {
                return clusterNodeName;
            }
        };
    }

    /**
     * @param mode a configured mode
     * @return whether it is local mode
     * @throws IllegalArgumentException if it is neither local nor zookeeper
     */
    static boolean isLocal(String mode) {
        String m = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        if (m.equals(LOCAL)) {
            return true;
        }
        if (m.equals(ZOOKEEPER)) {
            return false;
        }
        throw new IllegalArgumentException("cluster mode \"" + mode + "\" in configuration " + CLUSTER_PID
                + " is not valid; expected " + LOCAL + " or " + ZOOKEEPER);
    }

    private void post(List<LocalClusterStore.Change> changes) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        String node = nodeName;
        for (LocalClusterStore.Change c : changes) {
            String change = c.version() == 0 ? ClusterEvents.DELETED
                    : c.created() ? ClusterEvents.CREATED : ClusterEvents.UPDATED;
            ea.postEvent(new Event(ClusterEvents.STORE_CHANGED, Map.of(ClusterEvents.NODE, node,
                    ClusterEvents.KEY, c.key(), ClusterEvents.CHANGE, change, ClusterEvents.VERSION, c.version(),
                    ClusterEvents.TIME, System.currentTimeMillis())));
        }
    }

    /** Unregisters the services and closes the store, if open. Guarded by this. */
    private void close() throws IOException {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        if (store != null) {
            LocalClusterStore s = store;
            store = null;
            s.close();
        }
    }

    /**
     * Unregisters the services and closes the store.
     *
     * @throws IOException if the store's lock cannot be released
     */
    @Deactivate
    synchronized void deactivate() throws IOException {
        closed = true;
        close();
    }
}
