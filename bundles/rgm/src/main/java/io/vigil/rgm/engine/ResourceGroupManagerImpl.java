package io.vigil.rgm.engine;

import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreOperation;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.rgm.GroupInfo;
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
import io.vigil.rgm.registry.RegisteredType;
import io.vigil.rgm.registry.TypeRegistry;
import io.vigil.rgm.rtr.RtrException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
@Component(service = {ResourceGroupManager.class, ResourceGroupManagerImpl.class}, immediate = true, configurationPid = ResourceGroupManagerImpl.PID)
@Designate(ocd = ResourceGroupManagerImpl.Config.class)
public final class ResourceGroupManagerImpl implements ResourceGroupManager, AutoCloseable {

    /** Configuration PID. */
    public static final String PID = "io.vigil.rgm";

    @ObjectClassDefinition(name = "Vigil resource group manager",
            description = "How the RGM runs callback methods and what it does when a stop fails under Failover_mode HARD.")
    public @interface Config {
        @AttributeDefinition(name = "Fence command", description = "Program and arguments run when Stop, Postnet_stop "
                + "or Monitor_stop of a resource with Failover_mode HARD fails (Sun Cluster reboots the node). "
                + "Empty: none; the group goes to ERROR_STOP_FAILED as under NONE.")
        String fence_command() default "";

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

    private final Notifier notifierView = (topic, properties) -> notifier.post(topic, properties);

    ResourceGroupManagerImpl(TypeRegistry registry, ConfigRepository repo, PropertyRules rules, MethodRunner runner,
            Optional<List<String>> fenceCommand, java.util.function.Function<List<String>, CallResult> commandRunner,
            Supervision supervision) {
        this.supervision = supervision;
        this.registry = registry;
        this.repo = repo;
        this.rules = rules;
        this.runner = runner;
        this.fenceCommand = fenceCommand;
        this.commandRunner = commandRunner;
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
            @Reference ClusterStore store, @Reference ProcessMonitor pmf, Config config) throws RgmException, IOException {
        this(registry, new ConfigRepository(store), new SchemaRules(store.nodeName()),
                Runners.create(config.java_method_threads(), Duration.ofSeconds(config.kill_grace_seconds()),
                        Optional.ofNullable(context.getProperty("vigil.home")).map(Path::of)),
                fence(config.fence_command()), Runners::runCommand, Supervision.of(pmf));
        this.monitors = () -> {
            ServiceReference<FaultMonitors> ref = faultMonitorsRef;
            return ref == null ? Optional.empty()
                    : Optional.ofNullable(component.<FaultMonitors>locateService("faultMonitors", ref));
        };
        load();
        this.monitorWatch = pmf.addListener("", this::treeDied);
        bootAll();
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
    }

    /**
     * Boots every managed group: Boot for its resources, then online if the operator wants it so.
     * Runs asynchronously on each group's executor.
     */
    void bootAll() {
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

    /** Moves a group toward what the operator wants. Runs on the group's executor. */
    private void reconcile(GroupRuntime g) throws RgmException {
        if (!g.config.managed()) {
            g.moveTo(GroupState.UNMANAGED);
            return;
        }
        if (g.config.wantedOnline()) {
            g.requireNoStopFailed("bring online");
            g.bringOnline();
        } else {
            g.takeOffline();
        }
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
        repo.batch().put(ConfigRepository.key(StoredConfig.GROUPS, g.name()), next, g.version).commit();
        g.config = next;
        g.version++;
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
        return onGroup(name, g -> {
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
            reconcile(g);
            return info(g);
        });
    }

    @Override
    public GroupInfo offline(String name) throws RgmException {
        return onGroup(name, g -> {
            if (g.config.wantedOnline()) {
                storeGroup(g, g.config.withWantedOnline(false));
            }
            if (g.config.managed()) {
                reconcile(g);
            }
            return info(g);
        });
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
        return onGroup(group, g -> {
            if (!g.isOnlineish()) {
                throw new RgmException("group " + g.name() + " is " + g.state + "; only an online group can be given over");
            }
            // Candidates are the other nodes of the Nodelist that are cluster members; this agent is a
            // cluster of one, so there is none to run Monitor_check on and nowhere to relocate to.
            String message = "giveover of group " + g.name() + " (" + why + ") refused: there is no other node to fail over to ("
                    + g.nodelistDescription() + "; this agent is a cluster of one)";
            g.message = message;
            LOG.warn(message);
            g.notifier.post(RgmEvents.GROUP_GIVEOVER, Map.of(RgmEvents.GROUP, g.name(), RgmEvents.REASON, why,
                    RgmEvents.OUTCOME, "refused", RgmEvents.MESSAGE, message));
            throw new RgmException(message);
        });
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
}
