package io.vigil.rgm.engine;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterMembership;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.NodeReport;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.Method;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ValidateMode;
import io.vigil.rgm.placement.GroupSpec;
import io.vigil.rgm.props.GroupSchema;
import io.vigil.rgm.registry.RegisteredType;
import io.vigil.rgm.registry.TypeRegistry;
import io.vigil.rgm.rtr.RtrException;
import io.vigil.rgm.rtr.RtrFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource group manager: keeps groups and resources in the cluster store, validates every
 * change before storing it, and moves resources through their methods on one serial executor per
 * group. What the operator wants (a group online or offline) is stored; what is (each resource's
 * state) lives here, and {@link #reconcile} moves the one toward the other.
 */
@Component(service = {ResourceGroupManager.class, ResourceGroupManagerImpl.class, EventHandler.class}, immediate = true,
        configurationPid = ResourceGroupManagerImpl.PID, property = EventConstants.EVENT_TOPIC + "=" + ClusterEvents.TOPIC_PREFIX + "*")
@Designate(ocd = ResourceGroupManagerImpl.Config.class)
public final class ResourceGroupManagerImpl implements ResourceGroupManager, EventHandler, AutoCloseable {

    /** Configuration PID. */
    public static final String PID = "io.vigil.rgm";

    @ObjectClassDefinition(name = "Vigil resource group manager",
            description = "How the RGM runs callback methods and what it does when a stop fails under Failover_mode HARD.")
    public @interface Config {
        @AttributeDefinition(name = "Fence command", description = "Program and arguments run when Stop, Postnet_stop "
                + "or Monitor_stop of a resource with Failover_mode HARD fails (Sun Cluster reboots the node). "
                + "Empty: none; the group goes to ERROR_STOP_FAILED as under NONE.")
        String fence_command() default "";

        @AttributeDefinition(name = "Node fence command", description = "Program and arguments the coordinator runs, "
                + "with the lost node's name appended, before it relocates the groups of a node that left the cluster "
                + "(e.g. a power or storage fence); the groups move only once it exits 0. Empty: none; the cluster relies "
                + "on the lost node stopping its resources itself when its session is lost.")
        String node_fence_command() default "";

        @AttributeDefinition(name = "Evacuation hold", description = "Seconds during which an evacuated node "
                + "(clrg evacuate) is not chosen for any group.", min = "0")
        int evacuate_hold_seconds() default 60;

        @AttributeDefinition(name = "Start grace", description = "Seconds after this agent starts during which, as "
                + "the coordinator, it keeps a group placed on a node that it has not seen as a member yet instead of "
                + "moving it: when the whole cluster restarts, groups come back where they were placed. A node that "
                + "was seen and left is failed over at once. 0: move at once.",
                min = "0")
        int start_grace_seconds() default 30;

        @AttributeDefinition(name = "Java method threads", description = "Threads running Java types' methods.", min = "1")
        int java_method_threads() default 16;

        @AttributeDefinition(name = "Kill grace", description = "Seconds between SIGTERM and SIGKILL when a method "
                + "program times out.", min = "0")
        int kill_grace_seconds() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResourceGroupManagerImpl.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,254}");

    private final TypeRegistry registry;
    private final ConfigRepository repo;
    private final PropertyRules rules;
    private final MethodRunner runner;
    private final Optional<List<String>> fenceCommand;
    private final java.util.function.Function<List<String>, CallResult> commandRunner;
    private final Map<String, GroupRuntime> groups = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();
    /** Resource name (lower case) to its group's name (lower case); also reserves names being created. */
    private final Map<String, String> resourceIndex = new ConcurrentHashMap<>();
    private final AtomicLong creationOrder = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Object structure = new Object();
    private final Supervision supervision;

    /**
     * The fault monitor service, which runs built-in probes for types without monitor methods.
     * It needs this service itself, so only its reference is bound here and the service object is
     * located when first used; getting it during activation would be a circular reference.
     */
    @Reference(name = "faultMonitors", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceReference<FaultMonitors> faultMonitorsRef;

    /** Where the fault monitor service comes from; tests replace it. */
    volatile Supplier<Optional<FaultMonitors>> monitors = Optional::empty;

    /** Receives the {@link RgmEvents}; posted asynchronously, in order. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    /** Where the RGM's events go; tests replace it. */
    volatile Notifier notifier = (topic, properties) -> {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> p = new java.util.HashMap<>(properties);
            p.put(RgmEvents.TIME, System.currentTimeMillis());
            ea.postEvent(new Event(topic, p));
        }
    };

    /**
     * Where the RGM's events go, and where a group's state change is reported to the cluster (on
     * the group's executor, before its next method: a node that took a group offline has said so
     * before it releases its claim).
     */
    private final Notifier notifierView = new Notifier() {
        @Override
        public void post(String topic, Map<String, Object> properties) {
            notifier.post(topic, properties);
        }

        @Override
        public void groupState(GroupRuntime g, GroupState previous) {
            Notifier.super.groupState(g, previous);
            plane.report(g.name(), g.state, g.message, false);
        }
    };

    private final ClusterPlane plane;
    /** Resource keys seen before their group (events of different keys come in any order), by group key. */
    private final Map<String, Set<String>> waitingForGroup = new ConcurrentHashMap<>();
    private final Coordination coordination;
    private final Requests requests;
    private final Duration evacuateHold;
    /** Cluster events, handled in order off EventAdmin's thread (store reads may take a round trip). */
    private final ExecutorService clusterEvents = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rgm-cluster-events");
        t.setDaemon(true);
        return t;
    });

    /** Work that waits on other nodes (giveovers after a start failure, start-up reports). */
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rgm-background");
        t.setDaemon(true);
        return t;
    });

    ResourceGroupManagerImpl(TypeRegistry registry, ConfigRepository repo, PropertyRules rules, MethodRunner runner,
            Optional<List<String>> fenceCommand, java.util.function.Function<List<String>, CallResult> commandRunner,
            Supervision supervision, ClusterPlane plane, Optional<List<String>> nodeFence, Duration evacuateHold,
            Duration startGrace) {
        this.supervision = supervision;
        this.registry = registry;
        this.repo = repo;
        this.rules = rules;
        this.runner = runner;
        this.fenceCommand = fenceCommand;
        this.commandRunner = commandRunner;
        this.plane = plane;
        this.evacuateHold = evacuateHold;
        this.coordination = new Coordination(plane, this::groupSpecs, nodeFence, commandRunner, this::notAutoStarted,
                startGrace);
        this.requests = new Requests(plane, this::answer);
    }

    /**
     * The component: wires the store, the registry and the method runners, loads the stored
     * configuration and boots the managed groups.
     *
     * @param context the bundle context, for the distribution's home (framework property vigil.home)
     * @param component the component context, to locate the fault monitor service when it is used
     * @param registry the type registry
     * @param store the cluster store
     * @param pmf the process monitor facility, whose running trees are adopted at start-up
     * @param config the configuration
     * @throws RgmException if the stored configuration cannot be read
     * @throws IOException if the agent's uid cannot be read
     */
    @Activate
    public ResourceGroupManagerImpl(BundleContext context, ComponentContext component, @Reference TypeRegistry registry,
            @Reference ClusterStore store, @Reference ClusterMembership membership, @Reference ProcessMonitor pmf,
            Config config) throws RgmException, IOException {
        this(registry, new ConfigRepository(store), new SchemaRules(store.nodeName()),
                Runners.create(config.java_method_threads(), Duration.ofSeconds(config.kill_grace_seconds()),
                        Optional.ofNullable(context.getProperty("vigil.home")).map(Path::of)),
                fence(config.fence_command()), Runners::runCommand, Supervision.of(pmf),
                new ClusterPlane(store, membership, distributed(context), java.time.Clock.systemUTC()),
                fence(config.node_fence_command()), Duration.ofSeconds(config.evacuate_hold_seconds()),
                Duration.ofSeconds(config.start_grace_seconds()));
        this.monitors = () -> {
            ServiceReference<FaultMonitors> ref = faultMonitorsRef;
            return ref == null ? Optional.empty()
                    : Optional.ofNullable(component.<FaultMonitors>locateService("faultMonitors", ref));
        };
        load();
        this.monitorWatch = pmf.addListener("", this::treeDied);
        bootAll();
    }

    /** Whether the cluster bundle in use is the ZooKeeper one (its services say so by a property). */
    private static boolean distributed(BundleContext context) {
        ServiceReference<ClusterMembership> ref = context.getServiceReference(ClusterMembership.class);
        return ref != null && "zookeeper".equals(ref.getProperty("vigil.cluster.mode"));
    }

    /** The PMF listener that sees fault monitors give up; closed with the manager. */
    private volatile AutoCloseable monitorWatch;

    /**
     * A PMF tree died. When it is a resource's fault monitor ({@code <group>,<resource>,<n>.mon})
     * and the PMF gave up on it (more deaths than its retry count, which a Monitor_start passes as
     * Monitor_retry_count within Monitor_retry_interval), the resource is online but no longer
     * watched: MONITOR_FAILED, with a message saying why.
     *
     * @param tag the tree's tag
     * @param restarts its restarts within its window
     * @param restarting whether the PMF restarts it
     */
    void treeDied(String tag, int restarts, boolean restarting) {
        String[] parts = tag.split(",", 3);
        if (restarting || parts.length != 3 || !parts[2].endsWith(".mon")) {
            return;
        }
        GroupRuntime g = groups.get(key(parts[0]));
        if (g == null) {
            return;
        }
        executor(g).execute(() -> g.resource(parts[1]).ifPresent(r -> {
            if (r.state != ResourceState.ONLINE) {
                return;
            }
            String message = "fault monitor " + tag + " gave up after " + restarts
                    + " restarts within its window (Monitor_retry_count, Monitor_retry_interval); the service runs unmonitored";
            LOG.error("Resource {}: {}", r.name(), message);
            r.moveTo(ResourceState.MONITOR_FAILED);
            r.setStatus(r.status, message);
        }));
    }

    private static Optional<List<String>> fence(String command) {
        return command.isBlank() ? Optional.empty() : Optional.of(List.of(command.trim().split("\\s+")));
    }

    @Deactivate
    void deactivate() {
        close();
    }

    // ------------------------------------------------------------------ start-up

    /**
     * Loads the stored configuration: script types, groups, resources. Runs nothing.
     *
     * @throws RgmException if the stored configuration cannot be read
     */
    void load() throws RgmException {
        for (var t : repo.load(StoredConfig.TYPES, StoredConfig.ScriptType.class).values()) {
            try {
                registry.registerScript(Path.of(t.value().rtrFile()));
            } catch (RtrException | IOException | IllegalStateException e) {
                LOG.error("Stored script type {} could not be registered again from {}: {}", t.value().name(),
                        t.value().rtrFile(), e.getMessage());
            }
        }
        for (var g : repo.load(StoredConfig.GROUPS, StoredConfig.Group.class).values()) {
            addGroupRuntime(g.value(), g.version());
        }
        List<ConfigRepository.Versioned<StoredConfig.Resource>> rs =
                new ArrayList<>(repo.load(StoredConfig.RESOURCES, StoredConfig.Resource.class).values());
        rs.sort(Comparator.comparingLong(v -> v.value().created()));
        for (var r : rs) {
            GroupRuntime g = groups.get(key(r.value().group()));
            if (g == null) {
                LOG.error("Stored resource {} names group {}, which does not exist; ignored", r.value().name(),
                        r.value().group());
                continue;
            }
            g.resources.put(key(r.value().name()), new ResourceRuntime(r.value(), r.version(), notifierView));
            resourceIndex.put(key(r.value().name()), key(g.name()));
        }
        long max = rs.stream().mapToLong(v -> v.value().created()).max().orElse(0);
        creationOrder.accumulateAndGet(max + 1, Math::max);
        try {
            plane.loadAll();
        } catch (java.io.UncheckedIOException e) {
            throw new RgmException("the cluster's placements cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Boots every managed group: Boot for its resources, then online if the operator wants it so.
     * Runs asynchronously on each group's executor.
     */
    void bootAll() {
        try {
            coordination.decideNow("agent start");
        } catch (RgmException e) {
            LOG.warn("No placement decided at start-up: {}; the coordinator decides when it can", e.getMessage());
        }
        if (plane.distributed()) {
            background.execute(() -> {
                groups.values().forEach(g -> plane.report(g.name(), g.state, g.message, false));
                requests.drain();
            });
        }
        for (GroupRuntime g : groups.values()) {
            executor(g).submit(() -> {
                if (!g.config.managed()) {
                    return null;
                }
                for (ResourceRuntime r : g.startOrder()) {
                    g.call(r, Method.BOOT);
                }
                if (g.config.wantedOnline()) {
                    adoptRunning(g);
                }
                reconcile(g);
                return null;
            });
        }
    }

    /**
     * After an agent restart, takes over the resources whose service still runs under PMF: they
     * are online without running Start again; a monitor that does not run is started.
     */
    private void adoptRunning(GroupRuntime g) {
        for (ResourceRuntime r : g.resourceList()) {
            if (!r.config.enabled() || r.isUp()) {
                continue;
            }
            Supervision.Running running = supervision.running(g.name(), r.name());
            if (running == Supervision.Running.NOTHING) {
                continue;
            }
            LOG.info("Resource {} of group {} adopted: its service runs under PMF since before the agent started",
                    r.name(), g.name());
            r.setStatus(ResourceStatus.OK, "adopted after an agent restart");
            if (running == Supervision.Running.SERVICE_AND_MONITOR) {
                r.moveTo(r.config.monitored() ? ResourceState.ONLINE : ResourceState.ONLINE_NOT_MONITORED);
            } else {
                r.moveTo(ResourceState.ONLINE_NOT_MONITORED);
                g.startMonitor(r);
            }
        }
    }

    /**
     * Moves a group toward what the cluster wants of this node: online when the operator wants it
     * online, the coordinator placed it here, this node's session is live and (for a failover group)
     * this node holds its claim; otherwise offline. While the session is suspended nothing is
     * started or stopped; once it is lost everything is stopped (self-fencing). Runs on the group's
     * executor.
     *
     * @param g the group
     * @param always whether to run the methods even when the group already is as wanted
     */
    private void reconcile(GroupRuntime g, boolean always) throws RgmException {
        if (!g.config.managed()) {
            g.moveTo(GroupState.UNMANAGED);
            return;
        }
        if (g.state == GroupState.UNMANAGED) {
            g.moveTo(GroupState.OFFLINE);
        }
        NodeState session = plane.localState();
        if (session == NodeState.SUSPENDED) {
            return;
        }
        boolean wanted = g.config.wantedOnline() && session == NodeState.UP && plane.placedHere(g.name());
        if (wanted) {
            if (!always && g.state == GroupState.ONLINE && g.resourceList().stream()
                    .allMatch(r -> !r.config.enabled() || r.isOnline())) {
                return;
            }
            long version = plane.placement(g.name()).map(ClusterPlane.Versioned::version).orElse(0L);
            if (!always && g.startFailedUnder == version
                    && g.resourceList().stream().anyMatch(r -> r.state == ResourceState.START_FAILED)) {
                // It failed to start under this very placement: only a new placement (the giveover
                // it asked for) or an operator's online tries again, never a stray event.
                return;
            }
            if (!scalable(g)) {
                Optional<String> refused = plane.claim(g.name(), version);
                if (refused.isPresent()) {
                    g.message = "placed here, " + refused.get();
                    LOG.info("Group {} is {}", g.name(), g.message);
                    return;
                }
            }
            g.requireNoStopFailed("bring online");
            g.bringOnline();
            if (g.resourceList().stream().anyMatch(r -> r.state == ResourceState.START_FAILED)) {
                g.startFailedUnder = version;
                plane.report(g.name(), g.state, g.message, true);
                relocateAfterStartFailure(g);
            }
        } else {
            boolean up = g.resourceList().stream().anyMatch(ResourceRuntime::isUp);
            if (!always && !up && (g.state == GroupState.OFFLINE)) {
                plane.release(g.name());
                return;
            }
            g.takeOffline();
            if (session == NodeState.DOWN) {
                g.message = "stopped here because this node lost its cluster session (self-fencing)";
                LOG.warn("Group {}: {}", g.name(), g.message);
            } else if (g.state == GroupState.OFFLINE) {
                plane.release(g.name());
            }
        }
    }

    private void reconcile(GroupRuntime g) throws RgmException {
        reconcile(g, true);
    }

    /** Reconciles a group on its executor, logging what cannot be done. */
    private void reconcileLater(GroupRuntime g) {
        executor(g).execute(() -> {
            try {
                reconcile(g, false);
            } catch (RgmException e) {
                LOG.warn("Group {} cannot be reconciled: {}", g.name(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Group {} cannot be reconciled: {}", g.name(), e.toString(), e);
            }
        });
    }

    private void reconcileAllLater() {
        groups.values().forEach(this::reconcileLater);
    }

    private static boolean scalable(GroupRuntime g) {
        return g.groupProperties().find(GroupSchema.RG_MODE).orElse(GroupSchema.FAILOVER)
                .equalsIgnoreCase(GroupSchema.SCALABLE);
    }

    /**
     * A Start or Prenet_start failed under Failover_mode SOFT or HARD: the group is given over to
     * another node (asynchronously: the giveover waits for this group's executor). On a cluster of
     * one the start failure's own message already says there is nowhere to go.
     */
    private void relocateAfterStartFailure(GroupRuntime g) {
        Optional<ResourceRuntime> failed = g.resourceList().stream()
                .filter(r -> r.state == ResourceState.START_FAILED)
                .filter(r -> List.of("SOFT", "HARD").contains(GroupRuntime.failoverMode(r))).findFirst();
        if (failed.isEmpty() || !plane.distributed()) {
            return; // on a cluster of one GroupRuntime's message already says there is nowhere to go
        }
        ResourceRuntime r = failed.get();
        String why = r.statusMessage + " on node " + plane.local() + "; Failover_mode " + GroupRuntime.failoverMode(r)
                + " relocates group " + g.name();
        g.message = why;
        background.execute(() -> {
            try {
                giveover(g.name(), why);
            } catch (RgmException e) {
                LOG.error("Group {} stays here after its start failure: {}", g.name(), e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ executors

    private void addGroupRuntime(StoredConfig.Group config, long version) {
        GroupRuntime g = new GroupRuntime(config, version, registry::active, runner, fenceCommand, commandRunner,
                () -> monitors.get(), notifierView);
        groups.put(key(config.name()), g);
    }

    private ExecutorService executor(GroupRuntime g) {
        return executors.computeIfAbsent(key(g.name()), k -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rgm-group-" + g.name());
            t.setDaemon(true);
            return t;
        }));
    }

    /** A unit of work on one group, run on its executor. */
    @FunctionalInterface
    private interface GroupTask<T> {
        T run(GroupRuntime g) throws RgmException;
    }

    private <T> T onGroup(String groupName, GroupTask<T> task) throws RgmException {
        GroupRuntime g = requireGroup(groupName);
        Future<T> f = executor(g).submit(() -> task.run(g));
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RgmException) {
                throw (RgmException) c;
            }
            throw new RgmException("internal error in group " + g.name() + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RgmException("interrupted while waiting for group " + g.name());
        }
    }

    private <T> T onResource(String resourceName, ResourceTask<T> task) throws RgmException {
        String group = resourceIndex.get(key(resourceName));
        if (group == null || groups.get(group) == null) {
            throw new RgmException("resource " + resourceName + " does not exist; existing: " + names(resources()));
        }
        return onGroup(group, g -> {
            ResourceRuntime r = g.resource(resourceName).orElseThrow(
                    () -> new RgmException("resource " + resourceName + " does not exist"));
            return task.run(g, r);
        });
    }

    @FunctionalInterface
    private interface ResourceTask<T> {
        T run(GroupRuntime g, ResourceRuntime r) throws RgmException;
    }

    private GroupRuntime requireGroup(String name) throws RgmException {
        GroupRuntime g = groups.get(key(name));
        if (g == null) {
            throw new RgmException("resource group " + name + " does not exist; existing: "
                    + groups().stream().map(GroupInfo::name).toList());
        }
        return g;
    }

    private static String names(List<ResourceInfo> rs) {
        return rs.stream().map(ResourceInfo::name).toList().toString();
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static void checkName(String name, String what) throws RgmException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RgmException(what + " name \"" + name + "\" is not valid; expected a letter, then letters, digits, "
                    + "'_', '-' or '.' (at most 255)");
        }
    }

    @Override
    public void close() {
        coordination.close();
        requests.close();
        clusterEvents.shutdownNow();
        background.shutdownNow();
        AutoCloseable watch = monitorWatch;
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.warn("Removing the PMF listener failed: {}", e.toString());
            }
        }
        if (runner instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing the method runners failed: {}", e.toString());
            }
        }
        for (ExecutorService e : executors.values()) {
            e.shutdown();
        }
        for (ExecutorService e : executors.values()) {
            try {
                if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ views

    private static GroupInfo info(GroupRuntime g) {
        List<String> rs = g.resourceList().stream().map(ResourceRuntime::name).toList();
        return new GroupInfo(g.name(), g.groupProperties(), g.state, g.config.wantedOnline(), rs, g.message);
    }

    private ResourceInfo info(ResourceRuntime r) {
        Set<String> ext = registry.active(r.config.type()).map(GroupRuntime::extensionNames).orElse(Set.of());
        return new ResourceInfo(r.name(), r.config.group(), r.config.type(), PropertyValues.of(r.config.properties()),
                ext, r.config.enabled(), r.config.monitored(), r.state, r.status, r.statusMessage);
    }

    @Override
    public List<GroupInfo> groups() {
        return groups.values().stream().map(ResourceGroupManagerImpl::info)
                .sorted(Comparator.comparing(i -> key(i.name()))).toList();
    }

    @Override
    public Optional<GroupInfo> group(String name) {
        return Optional.ofNullable(groups.get(key(name))).map(ResourceGroupManagerImpl::info);
    }

    @Override
    public List<ResourceInfo> resources() {
        List<ResourceInfo> out = new ArrayList<>();
        for (GroupInfo g : groups()) {
            GroupRuntime rt = groups.get(key(g.name()));
            if (rt != null) {
                rt.resourceList().forEach(r -> out.add(info(r)));
            }
        }
        return out;
    }

    @Override
    public Optional<ResourceInfo> resource(String name) {
        String group = resourceIndex.get(key(name));
        GroupRuntime g = group == null ? null : groups.get(group);
        return g == null ? Optional.empty() : g.resource(name).map(this::info);
    }

    // ------------------------------------------------------------------ types

    /**
     * Registers a script type from its RTR file and stores it.
     *
     * @param rtrFile the file
     * @return the type
     * @throws RgmException if the file is invalid or the name taken
     */
    @Override
    public ResourceTypeInfo registerType(String rtrFile) throws RgmException {
        return registerType(Path.of(rtrFile));
    }

    /**
     * @param rtrFile the file
     * @return the type
     * @throws RgmException if the file is invalid or the name taken
     */
    public ResourceTypeInfo registerType(Path rtrFile) throws RgmException {
        synchronized (structure) {
            String location = rtrFile.toAbsolutePath().normalize().toString();
            Optional<ResourceTypeInfo> same = registry.types().stream()
                    .filter(i -> i.kind() == ResourceTypeInfo.Kind.SCRIPT && i.rtrLocation().equals(location)).findFirst();
            if (same.isPresent()) {
                return same.get(); // registered from this very file already (e.g. stored, then deployed again)
            }
            RegisteredType t;
            try {
                t = registry.registerScript(rtrFile);
            } catch (RtrException e) {
                throw new RgmException(e.getMessage(), e);
            } catch (IOException e) {
                throw new RgmException("cannot read RTR file " + rtrFile + ": " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new RgmException(e.getMessage(), e);
            }
            try {
                repo.batch().put(ConfigRepository.key(StoredConfig.TYPES, t.name()),
                        new StoredConfig.ScriptType(t.name(), t.info().rtrLocation()), StoreOperation.ANY).commit();
            } catch (RgmException e) {
                registry.unregisterScript(t.name());
                throw e;
            }
            return t.info();
        }
    }

    /**
     * Unregisters a script type; refused while resources of the type exist.
     *
     * @param name the type
     * @throws RgmException if unknown, a Java type, or in use
     */
    @Override
    public void unregisterType(String name) throws RgmException {
        synchronized (structure) {
            RegisteredType t = registry.active(name).orElseThrow(() -> new RgmException("resource type " + name
                    + " is not registered"));
            List<String> users = resources().stream().filter(r -> r.type().equalsIgnoreCase(t.name()))
                    .map(ResourceInfo::name).toList();
            if (!users.isEmpty()) {
                throw new RgmException("resource type " + t.name() + " is used by resources " + users
                        + "; delete them first");
            }
            if (t.java().isPresent()) {
                throw new RgmException("resource type " + t.name() + " is a Java type provided by " + t.info().provider()
                        + "; remove its bundle to unregister it");
            }
            repo.batch().delete(ConfigRepository.key(StoredConfig.TYPES, t.name()), StoreOperation.ANY).commit();
            registry.unregisterScript(t.name());
        }
    }

    /**
     * Unregisters the script type registered from a file, if any (a deleted deploy/ file).
     *
     * @param location the RTR file's absolute path
     * @throws RgmException if the type is in use
     */
    public void unregisterTypeFrom(String location) throws RgmException {
        Optional<ResourceTypeInfo> t = registry.types().stream()
                .filter(i -> i.kind() == ResourceTypeInfo.Kind.SCRIPT && i.rtrLocation().equals(location)).findFirst();
        if (t.isPresent()) {
            unregisterType(t.get().name());
        }
    }

    // ------------------------------------------------------------------ groups

    @Override
    public GroupInfo createGroup(String name, Map<String, String> properties) throws RgmException {
        checkName(name, "resource group");
        synchronized (structure) {
            if (groups.containsKey(key(name))) {
                throw new RgmException("resource group " + groups.get(key(name)).name() + " already exists");
            }
            PropertyRules.Resolved values = rules.createGroup(name, properties);
            StoredConfig.Group g = new StoredConfig.Group(name, values.values(), true, false, creationOrder.incrementAndGet());
            String k = ConfigRepository.key(StoredConfig.GROUPS, name);
            repo.batch().put(k, g, StoreOperation.ABSENT).commit();
            addGroupRuntime(g, 1);
            LOG.info("Resource group {} created", name);
            return info(groups.get(key(name)));
        }
    }

    @Override
    public void deleteGroup(String name, boolean force) throws RgmException {
        GroupRuntime g = requireGroup(name);
        if (!force && !g.resources.isEmpty()) {
            throw new RgmException("resource group " + g.name() + " has resources " + info(g).resources()
                    + "; delete them first, or use -F to delete them with it");
        }
        onGroup(name, rt -> {
            if (rt.isOnlineish() || rt.state == GroupState.ERROR_STOP_FAILED) {
                if (!force) {
                    throw new RgmException("resource group " + rt.name() + " is " + rt.state
                            + "; take it offline first, or use -F");
                }
                storeGroup(rt, rt.config.withWantedOnline(false));
                rt.takeOffline();
                rt.requireNoStopFailed("delete");
            }
            ConfigRepository.Batch b = repo.batch();
            for (ResourceRuntime r : rt.resourceList()) {
                if (rt.config.managed()) {
                    rt.call(r, Method.FINI);
                }
                b.delete(ConfigRepository.key(StoredConfig.RESOURCES, r.name()), r.version);
            }
            b.delete(ConfigRepository.key(StoredConfig.GROUPS, rt.name()), rt.version).commit();
            return null;
        });
        synchronized (structure) {
            for (ResourceRuntime r : g.resourceList()) {
                resourceIndex.remove(key(r.name()));
            }
            groups.remove(key(name));
            ExecutorService e = executors.remove(key(name));
            if (e != null) {
                e.shutdown();
            }
        }
        LOG.info("Resource group {} deleted", g.name());
    }

    private void storeGroup(GroupRuntime g, StoredConfig.Group next) throws RgmException {
        long expected = g.version;
        repo.batch().put(ConfigRepository.key(StoredConfig.GROUPS, g.name()), next, expected).commit();
        g.adopt(next, expected + 1);
    }

    private void storeResource(ResourceRuntime r, StoredConfig.Resource next) throws RgmException {
        repo.batch().put(ConfigRepository.key(StoredConfig.RESOURCES, r.name()), next, r.version).commit();
        r.config = next;
        r.version++;
    }

    @Override
    public void manage(String name) throws RgmException {
        onGroup(name, g -> {
            if (g.config.managed()) {
                return null;
            }
            storeGroup(g, g.config.withManaged(true));
            g.moveTo(GroupState.OFFLINE);
            for (ResourceRuntime r : g.startOrder()) {
                g.call(r, Method.INIT);
            }
            return null;
        });
    }

    @Override
    public void unmanage(String name) throws RgmException {
        onGroup(name, g -> {
            if (!g.config.managed()) {
                return null;
            }
            if (g.state != GroupState.OFFLINE) {
                throw new RgmException("resource group " + g.name() + " is " + g.state
                        + "; take it offline before unmanaging it");
            }
            storeGroup(g, g.config.withManaged(false).withWantedOnline(false));
            List<ResourceRuntime> order = g.startOrder();
            java.util.Collections.reverse(order);
            for (ResourceRuntime r : order) {
                g.call(r, Method.FINI);
            }
            g.moveTo(GroupState.UNMANAGED);
            return null;
        });
    }

    @Override
    public GroupInfo online(String name) throws RgmException {
        GroupInfo info = onGroup(name, g -> {
            g.requireNoStopFailed("bring online");
            if (!g.config.managed()) {
                storeGroup(g, g.config.withManaged(true));
                for (ResourceRuntime r : g.startOrder()) {
                    g.call(r, Method.INIT);
                }
            }
            if (!g.config.wantedOnline()) {
                storeGroup(g, g.config.withWantedOnline(true));
            }
            plane.clearFailure(g.name());
            decide(g, "online of group " + g.name() + " requested on node " + plane.local());
            reconcile(g);
            return info(g);
        });
        if (plane.distributed()) {
            GroupRuntime g = requireGroup(name);
            awaitLocation(g, l -> l.placedOn().stream().allMatch(n -> settledOn(l, n)));
        }
        return info;
    }

    @Override
    public GroupInfo offline(String name) throws RgmException {
        GroupInfo info = onGroup(name, g -> {
            if (g.config.wantedOnline()) {
                storeGroup(g, g.config.withWantedOnline(false));
            }
            decide(g, "offline of group " + g.name() + " requested on node " + plane.local());
            if (g.config.managed()) {
                reconcile(g);
            }
            return info(g);
        });
        if (plane.distributed()) {
            awaitLocation(requireGroup(name), l -> l.onlineOn().isEmpty() && l.states().values().stream()
                    .allMatch(s -> s == GroupState.OFFLINE || s == GroupState.UNMANAGED || s == GroupState.ERROR_STOP_FAILED));
        }
        return info;
    }

    @Override
    public GroupInfo restart(String name) throws RgmException {
        return onGroup(name, g -> {
            if (!g.isOnlineish()) {
                throw new RgmException("resource group " + g.name() + " is " + g.state + "; only an online group can be restarted");
            }
            g.takeOffline();
            g.requireNoStopFailed("restart");
            g.bringOnline();
            return info(g);
        });
    }

    @Override
    public GroupInfo setGroup(String name, Map<String, String> changes) throws RgmException {
        return onGroup(name, g -> {
            PropertyRules.Resolved values = rules.updateGroup(g.name(), g.config.properties(), changes);
            if (!values.changed().isEmpty()) {
                checkGroupDependencies(g, values.values());
                storeGroup(g, g.config.withProperties(values.values()));
                coordination.trigger("properties " + values.changed() + " of group " + g.name() + " changed", false);
            }
            return info(g);
        });
    }

    private void checkGroupDependencies(GroupRuntime g, Map<String, String> values) throws RgmException {
        for (String d : Dependencies.named(values, "RG_dependencies")) {
            if (!groups.containsKey(key(d))) {
                throw new RgmException("RG_dependencies of " + g.name() + " names " + d
                        + ", which is not a resource group; expected existing group names");
            }
            if (key(d).equals(key(g.name()))) {
                throw new RgmException("RG_dependencies of " + g.name() + " names the group itself");
            }
        }
    }

    // ------------------------------------------------------------------ resources

    private RegisteredType requireType(String type) throws RgmException {
        return registry.active(type).orElseThrow(() -> new RgmException("resource type " + type
                + " is not registered; registered: " + registry.types().stream().map(ResourceTypeInfo::name).toList()));
    }

    @Override
    public ResourceInfo createResource(String name, String group, String type, Map<String, String> properties,
            boolean disabled) throws RgmException {
        checkName(name, "resource");
        if (resourceIndex.putIfAbsent(key(name), key(group)) != null) {
            throw new RgmException("resource " + name + " already exists");
        }
        boolean stored = false;
        try {
            ResourceInfo info = onGroup(group, g -> {
                RegisteredType t = requireType(type);
                PropertyRules.Resolved values = rules.createResource(t, properties);
                Map<String, Map<String, String>> deps = new LinkedHashMap<>();
                g.resourceList().forEach(r -> deps.put(r.name(), r.config.properties()));
                deps.put(name, values.values());
                Dependencies.startOrder(deps);
                StoredConfig.Resource config = new StoredConfig.Resource(name, g.name(), t.name(), values.values(),
                        !disabled, true, creationOrder.incrementAndGet());
                ResourceRuntime r = new ResourceRuntime(config, 0, notifierView);
                CallResult validate = g.call(r, Method.VALIDATE, values.values(), Optional.of(ValidateMode.CREATE),
                        values.values().keySet());
                if (!validate.ok()) {
                    throw new RgmException("Validate of resource " + name + " (type " + t.name()
                            + ") refused its creation: " + validate.message());
                }
                validateElsewhere(g, t, new Requests.Validation(name, t.name(), false, values.values(),
                        List.copyOf(values.values().keySet())), "refused its creation");
                repo.batch().put(ConfigRepository.key(StoredConfig.RESOURCES, name), config, StoreOperation.ABSENT)
                        .commit();
                r.version = 1;
                g.resources.put(key(name), r);
                LOG.info("Resource {} of type {} created in group {}", name, t.name(), g.name());
                if (g.config.managed()) {
                    g.call(r, Method.INIT);
                }
                if (g.config.managed() && g.config.wantedOnline() && config.enabled()) {
                    g.startPhases(List.of(r));
                    g.settle();
                }
                return info(r);
            });
            stored = true;
            return info;
        } finally {
            if (!stored) {
                resourceIndex.remove(key(name));
            }
        }
    }

    /**
     * Runs Validate on every other live Init_node of the resource (its group's Nodelist, or every
     * member for a type whose Init_nodes is RT_INSTALLED_NODES) before a creation or change is
     * stored; the first refusal, or a node that does not answer, vetoes it.
     */
    private void validateElsewhere(GroupRuntime g, RegisteredType t, Requests.Validation v, String vetoed)
            throws RgmException {
        if (!plane.distributed()) {
            return;
        }
        List<String> nodes = new ArrayList<>(plane.liveNodes());
        if (!RtrFile.RT_INSTALLED_NODES.equals(t.rtr().initNodes())) {
            List<String> nodelist = groupSpec(g).map(GroupSpec::nodelist).orElse(List.of());
            nodes.retainAll(nodelist);
        }
        nodes.remove(plane.local());
        Duration timeout = Duration.ofMillis(timeoutSum(g, Method.VALIDATE) + 15_000);
        for (String node : nodes) {
            Requests.Reply reply;
            try {
                reply = requests.validate(node, g.name(), v, timeout);
            } catch (RgmException e) {
                throw new RgmException("Validate of resource " + v.resource() + " on node " + node + " " + vetoed
                        + ": " + e.getMessage() + "; nothing was changed", e);
            }
            if (!reply.ok()) {
                throw new RgmException("Validate of resource " + v.resource() + " (type " + t.name() + ") on node "
                        + node + " " + vetoed + ": " + reply.message() + "; nothing was changed");
            }
        }
    }

    /** Answers another node's Validate request: runs the type's Validate here with the given properties. */
    private Requests.Reply validateHere(Requests.Request r) throws RgmException {
        Requests.Validation v = r.validation();
        if (v == null) {
            return new Requests.Reply(r.id(), false, "the request names nothing to validate");
        }
        RegisteredType t = registry.active(v.resourceType()).orElse(null);
        if (t == null) {
            return new Requests.Reply(r.id(), false, "resource type " + v.resourceType()
                    + " is not registered on node " + plane.local());
        }
        // The group was created on another node a moment ago: its store event may still be on its way.
        try {
            plane.await(() -> groups.containsKey(key(r.group())), 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RgmException("interrupted while waiting for group " + r.group());
        }
        StoredConfig.Resource config = new StoredConfig.Resource(v.resource(), r.group(), t.name(), v.properties(),
                true, true, 0);
        ResourceRuntime res = new ResourceRuntime(config, 0, notifierView);
        CallResult result = onGroup(r.group(), g -> g.call(res, Method.VALIDATE, v.properties(),
                Optional.of(v.update() ? ValidateMode.UPDATE : ValidateMode.CREATE), new LinkedHashSet<>(v.changed())));
        return new Requests.Reply(r.id(), result.ok(), result.ok() ? "passed" : result.message());
    }

    @Override
    public void deleteResource(String name, boolean force) throws RgmException {
        onResource(name, (g, r) -> {
            List<String> dependents = g.resourceList().stream().filter(o -> o != r)
                    .filter(o -> Dependencies.all(o.config.properties()).stream().anyMatch(d -> d.equalsIgnoreCase(r.name())))
                    .map(ResourceRuntime::name).toList();
            if (!dependents.isEmpty()) {
                throw new RgmException("resources " + dependents + " depend on " + r.name()
                        + "; remove the dependency or delete them first");
            }
            if (r.config.enabled() || r.isUp()) {
                if (!force) {
                    throw new RgmException("resource " + r.name() + " is enabled; disable it first, or use -F");
                }
                disableOn(g, r);
                if (r.state == ResourceState.STOP_FAILED) {
                    throw new RgmException("resource " + r.name() + " failed to stop; it is not deleted");
                }
            }
            if (g.config.managed()) {
                g.call(r, Method.FINI);
            }
            repo.batch().delete(ConfigRepository.key(StoredConfig.RESOURCES, r.name()), r.version).commit();
            g.resources.remove(key(r.name()));
            resourceIndex.remove(key(r.name()));
            g.settle();
            LOG.info("Resource {} deleted", r.name());
            return null;
        });
    }

    @Override
    public ResourceInfo enable(String name) throws RgmException {
        return onResource(name, (g, r) -> {
            if (!r.config.enabled()) {
                storeResource(r, r.config.withEnabled(true));
            }
            if (g.config.managed() && g.config.wantedOnline() && !r.isOnline() && r.state != ResourceState.STOP_FAILED) {
                g.startPhases(List.of(r));
                g.settle();
            }
            return info(r);
        });
    }

    @Override
    public ResourceInfo disable(String name) throws RgmException {
        return onResource(name, (g, r) -> {
            disableOn(g, r);
            return info(r);
        });
    }

    private void disableOn(GroupRuntime g, ResourceRuntime r) throws RgmException {
        List<String> needing = g.resourceList().stream().filter(o -> o != r && o.config.enabled())
                .filter(o -> Dependencies.named(o.config.properties(), "Resource_dependencies").stream()
                        .anyMatch(d -> d.equalsIgnoreCase(r.name())))
                .map(ResourceRuntime::name).toList();
        if (!needing.isEmpty()) {
            throw new RgmException("enabled resources " + needing + " depend on " + r.name() + "; disable them first");
        }
        if (r.config.enabled()) {
            storeResource(r, r.config.withEnabled(false));
        }
        if (r.isUp()) {
            g.stopPhases(List.of(r));
            g.settle();
        }
    }

    @Override
    public ResourceInfo monitor(String name) throws RgmException {
        return onResource(name, (g, r) -> {
            if (!r.config.monitored()) {
                storeResource(r, r.config.withMonitored(true));
            }
            if (r.state == ResourceState.ONLINE_NOT_MONITORED || r.state == ResourceState.MONITOR_FAILED) {
                g.startMonitor(r);
                g.settle();
            }
            return info(r);
        });
    }

    @Override
    public ResourceInfo unmonitor(String name) throws RgmException {
        return onResource(name, (g, r) -> {
            if (r.config.monitored()) {
                storeResource(r, r.config.withMonitored(false));
            }
            if (r.state == ResourceState.ONLINE) {
                CallResult stop = g.call(r, Method.MONITOR_STOP);
                if (stop.ok()) {
                    r.moveTo(ResourceState.ONLINE_NOT_MONITORED);
                } else {
                    r.moveTo(ResourceState.STOP_FAILED);
                    r.setStatus(ResourceStatus.FAULTED, "Monitor_stop failed: " + stop.message());
                }
                g.settle();
            }
            return info(r);
        });
    }

    @Override
    public ResourceInfo setResource(String name, Map<String, String> changes) throws RgmException {
        return onResource(name, (g, r) -> {
            RegisteredType t = requireType(r.config.type());
            boolean disabled = !r.config.enabled() && !r.isUp();
            PropertyRules.Resolved values = rules.updateResource(t, r.config.properties(), changes, disabled);
            if (values.changed().isEmpty()) {
                return info(r);
            }
            Map<String, Map<String, String>> deps = new LinkedHashMap<>();
            g.resourceList().forEach(o -> deps.put(o.name(), o == r ? values.values() : o.config.properties()));
            Dependencies.startOrder(deps);
            CallResult validate = g.call(r, Method.VALIDATE, values.values(), Optional.of(ValidateMode.UPDATE),
                    values.changed());
            if (!validate.ok()) {
                throw new RgmException("Validate of resource " + r.name() + " vetoed the change of " + values.changed()
                        + ": " + validate.message() + "; nothing was changed");
            }
            validateElsewhere(g, t, new Requests.Validation(r.name(), t.name(), true, values.values(),
                    List.copyOf(values.changed())), "vetoed the change of " + values.changed());
            storeResource(r, r.config.withProperties(values.values()));
            if (r.isOnline()) {
                CallResult update = g.call(r, Method.UPDATE, values.values(), Optional.empty(), values.changed());
                if (!update.ok()) {
                    r.setStatus(r.status, "Update failed: " + update.message());
                }
            }
            return info(r);
        });
    }

    @Override
    public ResourceInfo clear(String name, String flag) throws RgmException {
        if (!"STOP_FAILED".equalsIgnoreCase(flag)) {
            throw new RgmException("error flag " + flag + " is not known; expected STOP_FAILED");
        }
        return onResource(name, (g, r) -> {
            if (r.state == ResourceState.STOP_FAILED) {
                r.moveTo(ResourceState.OFFLINE);
                r.setStatus(ResourceStatus.OFFLINE, "STOP_FAILED cleared by the operator");
                g.settle();
                if (g.state != GroupState.ERROR_STOP_FAILED && g.config.wantedOnline() && g.config.managed()
                        && r.config.enabled()) {
                    // The operator stopped it by hand; the reconciler brings it back as wanted.
                    g.bringOnline();
                }
            }
            return info(r);
        });
    }

    @Override
    public ResourceInfo restartResource(String name) throws RgmException {
        return onResource(name, (g, r) -> {
            g.restartResource(r);
            return info(r);
        });
    }

    @Override
    public GroupInfo giveover(String group, String reason) throws RgmException {
        String why = reason == null || reason.isBlank() ? "requested" : reason;
        GroupRuntime g = requireGroup(group);
        if (!g.isOnlineish()) {
            throw new RgmException("group " + g.name() + " is " + g.state + "; only an online group can be given over");
        }
        plane.report(g.name(), g.state, g.message, true);
        GroupSpec spec = groupSpec(g).orElseThrow(() -> new RgmException("group " + g.name()
                + " has properties placement cannot use; see the log"));
        List<String> candidates = io.vigil.rgm.placement.Placement.candidates(spec, placementInput(List.of(spec)));
        if (candidates.isEmpty()) {
            String where = plane.liveNodes().size() <= 1 ? "there is no other node to fail over to ("
                    + g.nodelistDescription() + "; this agent is a cluster of one)"
                    : "no other node can take it (" + g.nodelistDescription() + ", live members " + plane.liveNodes()
                    + ", Pingpong_interval " + spec.pingpongInterval().toSeconds() + " s)";
            throw refusedGiveover(g, why, "giveover of group " + g.name() + " (" + why + ") refused: " + where);
        }
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            Requests.Reply check;
            try {
                check = requests.call(candidate, Requests.MONITOR_CHECK, g.name(), List.of(), why,
                        Duration.ofMillis(timeoutSum(g, Method.MONITOR_CHECK) + 15_000));
            } catch (RgmException e) {
                failures.add(candidate + ": " + e.getMessage());
                continue;
            }
            if (!check.ok()) {
                failures.add(candidate + ": " + check.message());
                continue;
            }
            try {
                askCoordinator(Requests.GIVE, g.name(), List.of(candidate), "giveover from " + plane.local() + ": " + why);
            } catch (RgmException e) {
                failures.add(candidate + ": " + e.getMessage());
                continue;
            }
            String message = "given over to node " + candidate + " (" + why + ")";
            LOG.warn("Group {} {}", g.name(), message);
            g.notifier.post(RgmEvents.GROUP_GIVEOVER, Map.of(RgmEvents.GROUP, g.name(), RgmEvents.REASON, why,
                    RgmEvents.OUTCOME, "relocated", RgmEvents.MESSAGE, message));
            awaitLocation(g, l -> l.onlineOn().equals(List.of(candidate)) || settledOn(l, candidate));
            return info(g);
        }
        throw refusedGiveover(g, why, "giveover of group " + g.name() + " (" + why
                + ") refused: no candidate could take it (" + String.join("; ", failures) + ")");
    }

    private RgmException refusedGiveover(GroupRuntime g, String why, String message) {
        g.message = message;
        LOG.warn(message);
        g.notifier.post(RgmEvents.GROUP_GIVEOVER, Map.of(RgmEvents.GROUP, g.name(), RgmEvents.REASON, why,
                RgmEvents.OUTCOME, "refused", RgmEvents.MESSAGE, message));
        return new RgmException(message);
    }

    @Override
    public void setStatus(String name, ResourceStatus status, String message) throws RgmException {
        String group = resourceIndex.get(key(name));
        GroupRuntime g = group == null ? null : groups.get(group);
        ResourceRuntime r = g == null ? null : g.resource(name).orElse(null);
        if (r == null) {
            throw new RgmException("resource " + name + " does not exist");
        }
        r.setStatus(status, message == null ? "" : message);
    }

    // ------------------------------------------------------------------ the cluster

    /** @return every group as placement sees it */
    private List<GroupSpec> groupSpecs() {
        List<GroupSpec> out = new ArrayList<>();
        for (GroupRuntime g : groups.values()) {
            groupSpec(g).ifPresent(out::add);
        }
        return out;
    }

    private Optional<GroupSpec> groupSpec(GroupRuntime g) {
        PropertyValues p = g.groupProperties();
        try {
            boolean scalable = scalable(g);
            List<String> nodelist = p.has(GroupSchema.NODELIST) ? p.getStringArray(GroupSchema.NODELIST)
                    : List.of(plane.local());
            return Optional.of(new GroupSpec(g.name(), nodelist, scalable,
                    scalable ? intOr(p, GroupSchema.MAXIMUM_PRIMARIES, 1) : 1,
                    scalable ? intOr(p, GroupSchema.DESIRED_PRIMARIES, 1) : 1,
                    p.has(GroupSchema.FAILBACK) && p.getBoolean(GroupSchema.FAILBACK),
                    Duration.ofSeconds(intOr(p, GroupSchema.PINGPONG_INTERVAL, 3600)),
                    p.has(GroupSchema.RG_DEPENDENCIES) ? p.getStringArray(GroupSchema.RG_DEPENDENCIES) : List.of(),
                    !p.has(GroupSchema.AUTO_START_ON_NEW_CLUSTER) || p.getBoolean(GroupSchema.AUTO_START_ON_NEW_CLUSTER),
                    g.config.managed() && g.config.wantedOnline()));
        } catch (RuntimeException e) {
            LOG.error("Group {} cannot be placed: {}", g.name(), e.getMessage());
            return Optional.empty();
        }
    }

    private static int intOr(PropertyValues p, String name, int dflt) {
        return p.has(name) ? p.getInt(name) : dflt;
    }

    private io.vigil.rgm.placement.Placement.Input placementInput(List<GroupSpec> specs) {
        Set<String> live = plane.liveNodes();
        Map<String, List<String>> current = new java.util.HashMap<>();
        plane.placements().forEach((k, v) -> current.put(v.placed().group(),
                v.placed().nodes().stream().filter(live::contains).toList()));
        return new io.vigil.rgm.placement.Placement.Input(specs, live, current, plane.failures(), plane.clock.instant(),
                false, plane.deadReasons());
    }

    /** On a new cluster, a group with Auto_start_on_new_cluster FALSE stops being wanted online. */
    private void notAutoStarted(String name) {
        GroupRuntime g = groups.get(key(name));
        if (g == null) {
            return;
        }
        executor(g).execute(() -> {
            try {
                if (g.config.wantedOnline()) {
                    storeGroup(g, g.config.withWantedOnline(false));
                    g.message = "not started on a new cluster (Auto_start_on_new_cluster is FALSE); bring it online";
                    LOG.info("Group {}: {}", g.name(), g.message);
                }
            } catch (RgmException e) {
                LOG.warn("Group {}: {}", g.name(), e.getMessage());
            }
        });
    }

    /**
     * After the operator changed what is wanted of a group: the coordinator decides at once when it
     * is this node; otherwise this node waits (briefly) for the coordinator's decision to arrive.
     */
    private void decide(GroupRuntime g, String cause) throws RgmException {
        if (plane.membership().isCoordinator()) {
            coordination.decideNow(cause);
            return;
        }
        boolean wanted = g.config.managed() && g.config.wantedOnline();
        try {
            plane.await(() -> plane.placement(g.name()).map(v -> wanted
                    ? !v.placed().nodes().isEmpty() || !v.placed().reason().isEmpty()
                    : v.placed().nodes().isEmpty()).orElse(!wanted), 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RgmException("interrupted while waiting for the coordinator's decision on " + g.name());
        }
    }

    /**
     * Asks the coordinator (this node, or another over the store) to do something.
     */
    private void askCoordinator(String type, String group, List<String> nodes, String reason) throws RgmException {
        Optional<io.vigil.api.cluster.Coordinator> c = plane.membership().coordinator();
        if (c.isEmpty()) {
            throw new RgmException("the cluster has no coordinator now (an election is in progress, or this node is "
                    + plane.localState() + "); try again");
        }
        Requests.Reply reply = c.get().node().equals(plane.local()) && plane.membership().isCoordinator()
                ? answer(new Requests.Request("local", plane.local(), type, group, nodes, reason))
                : requests.call(c.get().node(), type, group, nodes, reason, Duration.ofSeconds(30));
        if (!reply.ok()) {
            throw new RgmException(reply.message());
        }
    }

    /** Does what another node (or this one) asks of it. */
    private Requests.Reply answer(Requests.Request r) {
        try {
            switch (r.type()) {
                case Requests.MONITOR_CHECK: {
                    if (plane.localState() != NodeState.UP) {
                        return new Requests.Reply(r.id(), false, "node " + plane.local() + " is " + plane.localState());
                    }
                    String failed = onGroup(r.group(), g -> {
                        for (ResourceRuntime res : g.startOrder()) {
                            if (!res.config.enabled()) {
                                continue;
                            }
                            CallResult check = g.call(res, Method.MONITOR_CHECK);
                            if (!check.ok()) {
                                return "Monitor_check of " + res.name() + " failed: " + check.message();
                            }
                        }
                        return null;
                    });
                    return new Requests.Reply(r.id(), failed == null, failed == null ? "passed" : failed);
                }
                case Requests.PLACE:
                case Requests.GIVE: {
                    GroupRuntime g = requireGroup(r.group());
                    GroupSpec spec = groupSpec(g).orElseThrow(() -> new RgmException("group " + g.name()
                            + " cannot be placed; see the log"));
                    coordination.place(spec, r.nodes(), r.reason(), r.type().equals(Requests.PLACE));
                    return new Requests.Reply(r.id(), true, "placed on " + r.nodes());
                }
                case Requests.VALIDATE:
                    return validateHere(r);
                case Requests.EVACUATE: {
                    for (String n : r.nodes()) {
                        coordination.evacuate(n, evacuateHold);
                    }
                    return new Requests.Reply(r.id(), true, "evacuated " + r.nodes());
                }
                default:
                    return new Requests.Reply(r.id(), false, "request " + r.type() + " is not known");
            }
        } catch (RgmException e) {
            return new Requests.Reply(r.id(), false, e.getMessage());
        }
    }

    @Override
    public GroupLocation switchover(String group, String node) throws RgmException {
        GroupRuntime g = requireGroup(group);
        List<String> nodes = java.util.Arrays.stream(node == null ? new String[0] : node.split(","))
                .map(String::strip).filter(n -> !n.isEmpty()).toList();
        if (nodes.isEmpty()) {
            throw new RgmException("switch of group " + g.name() + ": no node given; expected -n <node>");
        }
        if (!g.config.managed() || !g.config.wantedOnline()) {
            throw new RgmException("group " + g.name() + " is not wanted online; bring it online (clrg online) "
                    + "before switching it");
        }
        for (String n : nodes) {
            if (!plane.isLive(n)) {
                throw new RgmException("node " + n + " is not a live cluster member; members: " + plane.liveNodes());
            }
        }
        List<String> target = nodes;
        if (plane.placement(g.name()).map(v -> v.placed().nodes().equals(target)).orElse(false)
                && location(g.name()).map(l -> l.onlineOn().equals(target.stream().sorted().toList())).orElse(false)) {
            return location(g.name()).orElseThrow();
        }
        askCoordinator(Requests.PLACE, g.name(), nodes, "switch to " + nodes + " requested on node " + plane.local());
        if (nodes.contains(plane.local())) {
            onGroup(g.name(), rt -> {
                reconcile(rt, false);
                return null;
            });
        }
        awaitLocation(g, l -> nodes.stream().allMatch(n -> settledOn(l, n))
                && l.onlineOn().stream().allMatch(nodes::contains));
        return location(g.name()).orElseThrow();
    }

    @Override
    public List<GroupLocation> evacuate(String node) throws RgmException {
        if (plane.membership().node(node).isEmpty()) {
            throw new RgmException("node " + node + " is not a cluster member; members: "
                    + plane.membership().nodes().stream().map(io.vigil.api.cluster.ClusterNode::name).toList());
        }
        List<GroupRuntime> moving = groups.values().stream()
                .filter(g -> plane.placement(g.name()).map(v -> v.placed().nodes().contains(node)).orElse(false)
                        || location(g.name()).map(l -> l.onlineOn().contains(node)).orElse(false))
                .toList();
        askCoordinator(Requests.EVACUATE, "", List.of(node), "evacuation of node " + node + " requested on node "
                + plane.local());
        if (node.equals(plane.local())) {
            moving.forEach(this::reconcileLater);
        }
        List<GroupLocation> out = new ArrayList<>();
        for (GroupRuntime g : moving) {
            awaitLocation(g, l -> !l.onlineOn().contains(node) && l.placedOn().stream().allMatch(n -> settledOn(l, n)));
            location(g.name()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void reportNode(String node, boolean alive, String reason) throws RgmException {
        io.vigil.api.cluster.ClusterNode member = plane.membership().node(node).orElseThrow(() -> new RgmException(
                "node " + node + " is not a cluster member; members: "
                        + plane.membership().nodes().stream().map(io.vigil.api.cluster.ClusterNode::name).toList()));
        String said = reason == null ? "" : reason.strip();
        Optional<ClusterPlane.Down> known = Optional.ofNullable(plane.reportedDead().get(member.name()));
        if (alive ? known.isEmpty() : known.map(d -> d.reason().equals(said)).orElse(false)) {
            return;
        }
        Optional<ClusterPlane.Down> down = alive ? Optional.empty() : Optional.of(new ClusterPlane.Down(member.name(),
                member.since(), said, plane.local(), plane.clock.millis()));
        try {
            plane.reportDown(member, down);
        } catch (IOException | UncheckedIOException e) {
            throw new RgmException("the report that node " + member.name() + " is " + (alive ? "alive" : "dead")
                    + " could not be stored: " + e.getMessage(), e);
        }
        if (alive) {
            LOG.warn("Node {} reported alive ({}): it may be chosen for groups again", member.name(), said);
        } else {
            LOG.warn("Node {} reported dead ({}): its groups move to their other nodes", member.name(), said);
        }
    }

    @Override
    public List<NodeReport> nodeReports() {
        return plane.reportedDead().values().stream()
                .map(d -> new NodeReport(d.node(), d.reason(), d.reportedOn(), d.time())).toList();
    }

    /** Whether a node reports a group in a state that will not change by itself. */
    private static boolean settledOn(GroupLocation l, String node) {
        GroupState s = l.states().get(node);
        return s == GroupState.ONLINE || s == GroupState.ONLINE_FAULTED || s == GroupState.ERROR_STOP_FAILED;
    }

    private void awaitLocation(GroupRuntime g, java.util.function.Predicate<GroupLocation> settled) throws RgmException {
        long timeout = setTimeoutsSum(g) + 30_000;
        try {
            if (!plane.await(() -> location(g.name()).map(settled::test).orElse(true), timeout)) {
                throw new RgmException("group " + g.name() + " did not settle within " + timeout / 1000 + " s: "
                        + location(g.name()).map(Object::toString).orElse("deleted"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RgmException("interrupted while waiting for group " + g.name());
        }
    }

    /**
     * @param method a method
     * @return the sum over the group's resources of that method's timeout, milliseconds
     */
    private static long timeoutSum(GroupRuntime g, Method method) {
        long sum = 0;
        for (ResourceRuntime r : g.resourceList()) {
            sum += GroupRuntime.timeout(PropertyValues.of(r.config.properties()), method).toMillis();
        }
        return sum;
    }

    /**
     * @return the sum over the group's resources of the method timeouts they set (a bound for a
     *     move, which runs some of the methods; the defaults of the others would make it hours)
     */
    private static long setTimeoutsSum(GroupRuntime g) {
        long sum = 0;
        for (ResourceRuntime r : g.resourceList()) {
            PropertyValues values = PropertyValues.of(r.config.properties());
            for (Method m : Method.values()) {
                if (values.has(m.timeoutProperty())) {
                    sum += GroupRuntime.timeout(values, m).toMillis();
                }
            }
        }
        return sum;
    }

    @Override
    public List<GroupLocation> locations() {
        return groups().stream().map(i -> location(i.name())).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<GroupLocation> location(String group) {
        GroupRuntime g = groups.get(key(group));
        if (g == null) {
            return Optional.empty();
        }
        Optional<ClusterPlane.Versioned> p = plane.placement(g.name());
        Map<String, GroupState> states = new java.util.TreeMap<>();
        states.put(plane.local(), g.state);
        plane.statuses().forEach((node, byGroup) -> {
            ClusterPlane.Status s = byGroup.get(key(g.name()));
            if (s != null && !node.equals(plane.local()) && plane.isLive(node)) {
                try {
                    states.put(node, GroupState.valueOf(s.state()));
                } catch (IllegalArgumentException e) {
                    LOG.debug("Node {} reports an unknown state {} for {}", node, s.state(), g.name());
                }
            }
        });
        return Optional.of(new GroupLocation(g.name(), p.map(v -> v.placed().nodes()).orElse(List.of()), states,
                p.map(ClusterPlane.Versioned::version).orElse(0L), p.map(v -> v.placed().reason()).orElse("")));
    }

    /**
     * A cluster event: handed to this manager's own thread, in order (EventAdmin's delivery thread
     * must not wait on the store).
     *
     * @param event the event
     */
    @Override
    public void handleEvent(Event event) {
        try {
            clusterEvents.execute(() -> {
                try {
                    onClusterEvent(event);
                } catch (java.io.UncheckedIOException e) {
                    LOG.warn("Cluster event {} could not be handled: the store is unreachable ({})", event.getTopic(),
                            e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("Cluster event {} could not be handled: {}", event.getTopic(), e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Cluster event {} after the manager closed", event.getTopic());
        }
    }

    private void onClusterEvent(Event event) {
        String node = String.valueOf(event.getProperty(ClusterEvents.NODE));
        switch (event.getTopic()) {
            case ClusterEvents.STORE_CHANGED:
                storeChanged(String.valueOf(event.getProperty(ClusterEvents.KEY)));
                break;
            case ClusterEvents.NODE_JOINED:
                plane.changed();
                coordination.trigger("node " + node + " joined", true);
                break;
            case ClusterEvents.NODE_LEFT:
                requests.nodeLeft(node);
                plane.changed();
                coordination.trigger("node " + node + " left", false);
                reconcileAllLater();
                break;
            case ClusterEvents.COORDINATOR:
                plane.changed();
                if (Boolean.TRUE.equals(event.getProperty(ClusterEvents.LOCAL))) {
                    coordination.trigger("node " + plane.local() + " became the coordinator (epoch "
                            + event.getProperty(ClusterEvents.EPOCH) + ")", false);
                }
                break;
            case ClusterEvents.SESSION_SUSPENDED:
                LOG.warn("Cluster session suspended: nothing is started or stopped here until it is back or lost");
                plane.changed();
                break;
            case ClusterEvents.SESSION_LOST:
                LOG.error("Cluster session lost: stopping every group here (self-fencing) before the others take them over");
                plane.changed();
                reconcileAllLater();
                break;
            case ClusterEvents.SESSION_RECONNECTED:
            case ClusterEvents.SESSION_CONNECTED:
                resync();
                break;
            default:
                break;
        }
    }

    /** After a (re)connection: reads everything again, answers pending requests, reports, reconciles. */
    private void resync() {
        plane.forgetPlacements();
        plane.loadAll();
        try {
            for (StoreEntry e : repo.store().list(StoredConfig.GROUPS)) {
                refreshGroup(e.key());
            }
            for (StoreEntry e : repo.store().list(StoredConfig.RESOURCES)) {
                refreshResource(e.key());
            }
        } catch (RgmException e) {
            LOG.error("The configuration could not be read again after the reconnection: {}", e.getMessage());
        }
        groups.values().forEach(g -> plane.report(g.name(), g.state, g.message, false));
        requests.drain();
        reconcileAllLater();
        coordination.trigger("session of node " + plane.local() + " established", false);
    }

    private void storeChanged(String key) {
        try {
            if (key.startsWith(ClusterPlane.PLACEMENT)) {
                Optional<GroupRuntime> g = plane.placementChanged(key).map(groups::get);
                g.ifPresent(this::locationChanged);
                g.ifPresent(this::reconcileLater);
            } else if (key.startsWith(ClusterPlane.STATUS)) {
                plane.statusChanged(key).map(groups::get).ifPresent(this::locationChanged);
            } else if (key.startsWith(ClusterPlane.OWNER)) {
                if (repo.store().get(key).isEmpty()) {
                    Optional.ofNullable(groups.get(key.substring(ClusterPlane.OWNER.length())))
                            .ifPresent(this::reconcileLater);
                }
            } else if (key.startsWith(ClusterPlane.DOWN)) {
                plane.downChanged(key);
                String nodeKey = key.substring(ClusterPlane.DOWN.length());
                String name = plane.membership().nodes().stream().map(io.vigil.api.cluster.ClusterNode::name)
                        .filter(n -> ClusterPlane.key(n).equals(nodeKey)).findFirst().orElse(nodeKey);
                notifier.post(RgmEvents.NODE_REPORT, Map.of(RgmEvents.NODE, name));
                coordination.trigger("the dead report about node " + key.substring(ClusterPlane.DOWN.length())
                        + " changed", false);
            } else if (key.startsWith(Requests.REQUESTS) || key.startsWith(Requests.REPLIES)) {
                requests.changed(key);
            } else if (key.startsWith(StoredConfig.GROUPS)) {
                refreshGroup(key);
                coordination.trigger("group " + key.substring(StoredConfig.GROUPS.length()) + " changed", false);
            } else if (key.startsWith(StoredConfig.RESOURCES)) {
                refreshResource(key);
            } else if (key.startsWith(StoredConfig.TYPES)) {
                refreshType(key);
            }
        } catch (RgmException e) {
            LOG.error("Change of {} could not be applied here: {}", key, e.getMessage());
        }
    }

    /** Tells other bundles that this node's view of where a group runs has changed (after applying it). */
    private void locationChanged(GroupRuntime g) {
        notifier.post(RgmEvents.GROUP_LOCATION, Map.of(RgmEvents.GROUP, g.name()));
    }

    /** Applies a group's configuration as another node (or this one) stored it. */
    private void refreshGroup(String key) throws RgmException {
        String gk = key.substring(StoredConfig.GROUPS.length());
        Optional<ConfigRepository.Versioned<StoredConfig.Group>> stored = repo.get(key, StoredConfig.Group.class);
        GroupRuntime g = groups.get(gk);
        if (stored.isEmpty()) {
            if (g != null) {
                executor(g).execute(() -> removeDeletedElsewhere(g));
            }
            return;
        }
        if (g == null) {
            synchronized (structure) {
                if (!groups.containsKey(gk)) {
                    addGroupRuntime(stored.get().value(), stored.get().version());
                    LOG.info("Resource group {} created on another node", stored.get().value().name());
                }
            }
            // The store's events for different keys may come in any order: resources of this group
            // seen before it waited; apply them now, before the group is reconciled (on the same
            // executor), or it could go online without them.
            Set<String> waiting = waitingForGroup.remove(gk);
            if (waiting != null) {
                for (String resourceKey : waiting) {
                    refreshResource(resourceKey);
                }
            }
            reconcileLater(groups.get(gk));
            return;
        }
        // Adopted at once, not on the group's executor: the coordinator decides from it right after
        // this returns, and the executor may be busy with this group's methods for a long time.
        g.adopt(stored.get().value(), stored.get().version());
        executor(g).execute(() -> {
            try {
                reconcile(g, false);
            } catch (RgmException e) {
                LOG.warn("Group {} cannot be reconciled: {}", g.name(), e.getMessage());
            }
        });
    }

    private void removeDeletedElsewhere(GroupRuntime g) {
        try {
            if (g.resourceList().stream().anyMatch(ResourceRuntime::isUp)) {
                g.takeOffline();
            }
        } catch (RgmException e) {
            LOG.error("Group {} was deleted on another node and could not be taken offline here: {}", g.name(),
                    e.getMessage());
        }
        synchronized (structure) {
            for (ResourceRuntime r : g.resourceList()) {
                resourceIndex.remove(key(r.name()));
            }
            groups.remove(key(g.name()));
        }
        plane.forget(g.name());
        ExecutorService e = executors.remove(key(g.name()));
        if (e != null) {
            e.shutdown();
        }
        LOG.info("Resource group {} deleted on another node", g.name());
    }

    /** Applies a resource's configuration as another node (or this one) stored it. */
    private void refreshResource(String key) throws RgmException {
        String rk = key.substring(StoredConfig.RESOURCES.length());
        Optional<ConfigRepository.Versioned<StoredConfig.Resource>> stored = repo.get(key, StoredConfig.Resource.class);
        if (stored.isEmpty()) {
            waitingForGroup.values().forEach(keys -> keys.remove(key));
            String gk = resourceIndex.get(rk);
            GroupRuntime g = gk == null ? null : groups.get(gk);
            if (g != null) {
                executor(g).execute(() -> g.resource(rk).ifPresent(r -> {
                    if (r.isUp()) {
                        g.stopPhases(List.of(r));
                    }
                    if (g.config.managed()) {
                        g.call(r, Method.FINI);
                    }
                    g.resources.remove(rk);
                    resourceIndex.remove(rk);
                    g.settle();
                    LOG.info("Resource {} deleted on another node", r.name());
                }));
            }
            return;
        }
        StoredConfig.Resource config = stored.get().value();
        long version = stored.get().version();
        GroupRuntime g = groups.get(key(config.group()));
        if (g == null) {
            LOG.info("Resource {} names group {}, which this node does not know yet: applied when it arrives",
                    config.name(), config.group());
            waitingForGroup.computeIfAbsent(key(config.group()), k -> ConcurrentHashMap.newKeySet()).add(key);
            return;
        }
        executor(g).execute(() -> {
            Optional<ResourceRuntime> known = g.resource(config.name());
            if (known.isEmpty()) {
                ResourceRuntime r = new ResourceRuntime(config, version, notifierView);
                g.resources.put(rk, r);
                resourceIndex.put(rk, key(g.name()));
                LOG.info("Resource {} created on another node", config.name());
                if (g.config.managed()) {
                    g.call(r, Method.INIT);
                }
                if (g.isOnlineish() && config.enabled()) {
                    g.startPhases(List.of(r));
                    g.settle();
                }
                return;
            }
            ResourceRuntime r = known.get();
            if (version <= r.version) {
                return;
            }
            StoredConfig.Resource old = r.config;
            r.config = config;
            r.version = version;
            if (!config.enabled() && r.isUp()) {
                g.stopPhases(List.of(r));
                g.settle();
            } else if (config.enabled() && !old.enabled() && g.isOnlineish() && !r.isOnline()) {
                g.startPhases(List.of(r));
                g.settle();
            } else if (r.isOnline() && !old.properties().equals(config.properties())) {
                Set<String> changed = new java.util.HashSet<>();
                config.properties().forEach((k, v) -> {
                    if (!v.equals(old.properties().get(k))) {
                        changed.add(k);
                    }
                });
                CallResult update = g.call(r, Method.UPDATE, config.properties(), Optional.empty(), changed);
                if (!update.ok()) {
                    r.setStatus(r.status, "Update failed: " + update.message());
                }
            }
        });
    }

    /** Registers a script type stored by another node (its RTR file must be at the same path here). */
    private void refreshType(String key) throws RgmException {
        Optional<ConfigRepository.Versioned<StoredConfig.ScriptType>> stored = repo.get(key, StoredConfig.ScriptType.class);
        if (stored.isEmpty()) {
            return;
        }
        synchronized (structure) {
            if (registry.active(stored.get().value().name()).isPresent()) {
                return;
            }
            try {
                registry.registerScript(Path.of(stored.get().value().rtrFile()));
                LOG.info("Resource type {} registered on another node", stored.get().value().name());
            } catch (RtrException | IOException | IllegalStateException e) {
                LOG.error("Resource type {} registered on another node cannot be registered here from {}: {}",
                        stored.get().value().name(), stored.get().value().rtrFile(), e.getMessage());
            }
        }
    }
}
