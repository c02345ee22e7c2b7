package io.vigil.rgm.engine;

import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.Method;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ValidateMode;
import io.vigil.rgm.registry.RegisteredType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resource group on this node: its resources' states and the method sequences that move
 * them. Every method of the group runs on the group's single executor thread, so no two methods
 * of one group ever run at once; callers submit work through {@link ResourceGroupManagerImpl}.
 */
final class GroupRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(GroupRuntime.class);

    volatile StoredConfig.Group config;
    volatile long version;
    /** The placement version under which a resource of the group last failed to start here. */
    volatile long startFailedUnder = Long.MIN_VALUE;
    /** Written only through {@link #moveTo}. */
    volatile GroupState state;
    volatile String message = "";
    /** Resources by lower-case name, in creation order. */
    final Map<String, ResourceRuntime> resources = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Function<String, Optional<RegisteredType>> types;
    private final MethodRunner runner;
    private final Optional<List<String>> fenceCommand;
    private final Function<List<String>, CallResult> commandRunner;
    private final java.util.function.Supplier<Optional<FaultMonitors>> monitors;
    final Notifier notifier;

    /**
     * Takes a stored configuration if it is newer than the one held: the store's change event and
     * this node's own write of the same version may arrive in either order.
     *
     * @param next the configuration
     * @param nextVersion its version in the store
     */
    synchronized void adopt(StoredConfig.Group next, long nextVersion) {
        if (nextVersion > version) {
            config = next;
            version = nextVersion;
        }
    }

    GroupRuntime(StoredConfig.Group config, long version, Function<String, Optional<RegisteredType>> types,
            MethodRunner runner, Optional<List<String>> fenceCommand, Function<List<String>, CallResult> commandRunner,
            java.util.function.Supplier<Optional<FaultMonitors>> monitors, Notifier notifier) {
        this.monitors = monitors;
        this.notifier = notifier;
        this.config = config;
        this.version = version;
        this.state = config.managed() ? GroupState.OFFLINE : GroupState.UNMANAGED;
        this.types = types;
        this.runner = runner;
        this.fenceCommand = fenceCommand;
        this.commandRunner = commandRunner;
    }

    String name() {
        return config.name();
    }

    /** Changes its state, and tells when that is a change. Called on its executor. */
    void moveTo(GroupState next) {
        GroupState previous = state;
        state = next;
        if (previous != next) {
            notifier.groupState(this, previous);
        }
    }

    List<ResourceRuntime> resourceList() {
        synchronized (resources) {
            return new ArrayList<>(resources.values());
        }
    }

    Optional<ResourceRuntime> resource(String name) {
        return Optional.ofNullable(resources.get(name.toLowerCase(Locale.ROOT)));
    }

    PropertyValues groupProperties() {
        return PropertyValues.of(config.properties());
    }

    /** @return the resources in start order (dependencies first) */
    List<ResourceRuntime> startOrder() throws RgmException {
        Map<String, Map<String, String>> props = new LinkedHashMap<>();
        for (ResourceRuntime r : resourceList()) {
            props.put(r.name(), r.config.properties());
        }
        List<ResourceRuntime> out = new ArrayList<>();
        for (String n : Dependencies.startOrder(props)) {
            out.add(resources.get(n.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    // ---------------------------------------------------------------- running one method

    /**
     * Runs one method of a resource if its type declares it.
     *
     * @return success when the type does not declare the method
     */
    CallResult call(ResourceRuntime r, Method method) {
        if ((method == Method.MONITOR_START || method == Method.MONITOR_STOP) && !declares(r, method)) {
            Optional<String> probe = PropertyValues.of(r.config.properties()).find(PROBE_NAME).filter(s -> !s.isBlank());
            if (probe.isPresent()) {
                return builtInMonitor(r, method, probe.get());
            }
        }
        return call(r, method, r.config.properties(), Optional.empty(), Set.of());
    }

    /**
     * Extension property by which a type without monitor methods of its own chooses a built-in
     * probe ({@code tcp}, {@code command}, {@code http}): Monitor_start and Monitor_stop then start
     * and stop the fault monitor service's probing of the resource.
     */
    static final String PROBE_NAME = "Probe_name";

    /**
     * Start, and for a type that monitors through a built-in probe, the wait for its service to
     * answer (DSDL's svc_wait): Start returns only when the service answers, within Start_timeout.
     */
    private CallResult startAndWait(ResourceRuntime r) {
        long began = System.nanoTime();
        CallResult start = call(r, Method.START);
        Optional<String> probe = PropertyValues.of(r.config.properties()).find(PROBE_NAME).filter(p -> !p.isBlank());
        if (!start.ok() || probe.isEmpty() || declares(r, Method.MONITOR_START) || !declares(r, Method.START)) {
            return start;
        }
        Optional<FaultMonitors> fm = monitors.get();
        if (fm.isEmpty()) {
            return CallResult.failed("Start succeeded, but the service cannot be awaited: the fault monitor service is not active");
        }
        Duration timeout = timeout(PropertyValues.of(r.config.properties()), Method.START);
        Duration left = timeout.minusNanos(System.nanoTime() - began);
        try {
            FaultMonitors.ServiceWait wait = fm.get().awaitService(r.name(), probe.get(), left.isNegative() ? Duration.ZERO : left);
            if (wait.healthy()) {
                LOG.info("Service of resource {} answers its probe {}", r.name(), probe.get());
                return CallResult.OK;
            }
            return CallResult.failed("the service did not answer its probe " + probe.get() + " within Start_timeout ("
                    + timeout.toSeconds() + "s): " + wait.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallResult.failed("interrupted while waiting for the service to answer");
        } catch (RuntimeException e) {
            return CallResult.failed("the service cannot be awaited: " + e.getMessage());
        }
    }

    private CallResult builtInMonitor(ResourceRuntime r, Method method, String probe) {
        Optional<FaultMonitors> fm = monitors.get();
        if (fm.isEmpty()) {
            return method == Method.MONITOR_STOP ? CallResult.OK
                    : CallResult.failed("probe " + probe + " named by " + PROBE_NAME + " cannot run: the fault monitor service is not active");
        }
        try {
            if (method == Method.MONITOR_START) {
                fm.get().start(r.name(), probe);
                LOG.info("Fault monitor of resource {} started with the built-in probe {}", r.name(), probe);
            } else {
                fm.get().stop(r.name());
                LOG.info("Fault monitor of resource {} stopped", r.name());
            }
            return CallResult.OK;
        } catch (RuntimeException e) {
            return CallResult.failed(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    CallResult call(ResourceRuntime r, Method method, Map<String, String> properties, Optional<ValidateMode> mode,
            Set<String> changed) {
        Optional<RegisteredType> type = types.apply(r.config.type());
        if (type.isEmpty()) {
            return CallResult.failed("resource type " + r.config.type() + " is not registered");
        }
        if (!type.get().rtr().methods().containsKey(method)) {
            return CallResult.OK;
        }
        PropertyValues values = PropertyValues.of(properties);
        Duration timeout = timeout(values, method);
        MethodCall mc = new MethodCall(type.get(), method, r.name(), name(), values, extensionNames(type.get()),
                groupProperties(), mode, changed, timeout, r::setStatus);
        LOG.info("Running {} of resource {} (type {}, group {}), timeout {}s", method.rtrName(), r.name(),
                r.config.type(), name(), timeout.toSeconds());
        CallResult result = runner.run(mc);
        if (result.ok()) {
            LOG.info("{} of resource {} succeeded", method.rtrName(), r.name());
        } else {
            LOG.error("{} of resource {} failed: {}", method.rtrName(), r.name(), result.message());
            notifier.resourceAction(RgmEvents.METHOD_FAILED, r, RgmEvents.METHOD, method.name(), result.message());
        }
        return result;
    }

    static Set<String> extensionNames(RegisteredType type) {
        Set<String> out = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        type.rtr().properties().stream().filter(p -> p.extension()).forEach(p -> out.add(p.name()));
        return out;
    }

    private boolean declares(ResourceRuntime r, Method m) {
        return types.apply(r.config.type()).map(t -> t.rtr().methods().containsKey(m)).orElse(false);
    }

    /**
     * @param values a resource's properties
     * @param method a method
     * @return its timeout: the method's {@code <Method>_timeout} property, else the RGM's default
     */
    static Duration timeout(PropertyValues values, Method method) {
        return Duration.ofSeconds(values.find(method.timeoutProperty()).map(v -> Long.parseLong(v.strip()))
                .orElse((long) Method.DEFAULT_TIMEOUT_SECONDS));
    }

    static String failoverMode(ResourceRuntime r) {
        return PropertyValues.of(r.config.properties()).find("Failover_mode").orElse("NONE").toUpperCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- online

    /** Brings every enabled resource online, in dependency order, phase by phase. */
    void bringOnline() throws RgmException {
        List<ResourceRuntime> order = startOrder();
        moveTo(GroupState.PENDING_ONLINE);
        message = "";
        List<ResourceRuntime> starting = new ArrayList<>();
        for (ResourceRuntime r : order) {
            if (r.config.enabled() && !r.isOnline() && r.state != ResourceState.STOP_FAILED) {
                starting.add(r);
            }
        }
        startPhases(starting);
        settleOnline();
    }

    /** Starts the given resources (already in dependency order): Prenet_start, Start, Monitor_start. */
    void startPhases(List<ResourceRuntime> starting) {
        List<ResourceRuntime> prenetOk = new ArrayList<>();
        for (ResourceRuntime r : starting) {
            Optional<String> blocked = blockedBy(r, prenetOk);
            if (blocked.isPresent()) {
                r.moveTo(ResourceState.OFFLINE);
                r.setStatus(ResourceStatus.OFFLINE, "not started: " + blocked.get());
                continue;
            }
            r.moveTo(ResourceState.STARTING);
            r.setStatus(ResourceStatus.UNKNOWN, "Starting");
            CallResult pre = call(r, Method.PRENET_START);
            if (pre.ok()) {
                prenetOk.add(r);
            } else {
                startFailed(r, Method.PRENET_START, pre);
            }
        }
        // Network resources come up here, once the cluster issue brings them.
        List<ResourceRuntime> started = new ArrayList<>();
        for (ResourceRuntime r : prenetOk) {
            Optional<String> blocked = blockedBy(r, List.of());
            if (blocked.isPresent()) {
                r.moveTo(ResourceState.OFFLINE);
                r.setStatus(ResourceStatus.OFFLINE, "not started: " + blocked.get());
                continue;
            }
            CallResult start = startAndWait(r);
            if (start.ok()) {
                r.moveTo(ResourceState.ONLINE_NOT_MONITORED);
                if (r.status == ResourceStatus.UNKNOWN) {
                    r.setStatus(ResourceStatus.OK, "");
                }
                started.add(r);
            } else {
                startFailed(r, Method.START, start);
            }
        }
        for (ResourceRuntime r : started) {
            startMonitor(r);
        }
    }

    void startMonitor(ResourceRuntime r) {
        if (!r.config.monitored()) {
            r.moveTo(ResourceState.ONLINE_NOT_MONITORED);
            return;
        }
        CallResult mon = call(r, Method.MONITOR_START);
        if (mon.ok()) {
            r.moveTo(ResourceState.ONLINE);
        } else {
            r.moveTo(ResourceState.MONITOR_FAILED);
            r.setStatus(ResourceStatus.DEGRADED, "Monitor_start failed: " + mon.message());
        }
    }

    /**
     * Why a resource cannot start now: a strong dependency that is neither online nor among those
     * being started with it (Prenet_start runs for all before any Start).
     */
    private Optional<String> blockedBy(ResourceRuntime r, List<ResourceRuntime> startingWithIt) {
        for (String d : Dependencies.named(r.config.properties(), "Resource_dependencies")) {
            Optional<ResourceRuntime> dep = resource(d);
            if (dep.isEmpty() || !(dep.get().isOnline() || startingWithIt.contains(dep.get()))) {
                return Optional.of("it depends on " + d + ", which is not online");
            }
        }
        return Optional.empty();
    }

    private void startFailed(ResourceRuntime r, Method m, CallResult result) {
        r.moveTo(ResourceState.START_FAILED);
        r.setStatus(ResourceStatus.FAULTED, m.rtrName() + " failed: " + result.message());
        String mode = failoverMode(r);
        if (mode.equals("SOFT") || mode.equals("HARD")) {
            message = m.rtrName() + " of " + r.name() + " failed; Failover_mode " + mode + " relocates group " + name()
                    + ", but there is no other node to relocate to (" + nodelistDescription() + ")";
        } else {
            message = m.rtrName() + " of " + r.name() + " failed (Failover_mode " + mode + ": no recovery action)";
        }
        LOG.error("Group {}: {}", name(), message);
    }

    String nodelistDescription() {
        return "Nodelist " + groupProperties().find("Nodelist").orElse("");
    }

    private void settleOnline() {
        boolean faulted = resourceList().stream().anyMatch(r -> r.config.enabled() && r.state == ResourceState.START_FAILED);
        boolean stopFailed = resourceList().stream().anyMatch(r -> r.state == ResourceState.STOP_FAILED);
        if (stopFailed) {
            moveTo(GroupState.ERROR_STOP_FAILED);
        } else if (faulted) {
            moveTo(GroupState.ONLINE_FAULTED);
        } else {
            moveTo(GroupState.ONLINE);
            message = "";
        }
    }

    // ---------------------------------------------------------------- offline

    /** Takes every started resource offline, in reverse dependency order. */
    void takeOffline() throws RgmException {
        List<ResourceRuntime> order = startOrder();
        Collections.reverse(order);
        moveTo(GroupState.PENDING_OFFLINE);
        stopPhases(order);
        settleOffline();
    }

    /** Stops the given resources (in reverse dependency order): Monitor_stop, Stop, then Postnet_stop. */
    void stopPhases(List<ResourceRuntime> order) {
        List<ResourceRuntime> stopped = new ArrayList<>();
        for (ResourceRuntime r : order) {
            if (!r.isUp()) {
                continue;
            }
            Optional<String> needed = neededBy(r);
            if (needed.isPresent()) {
                LOG.warn("Group {}: {} is left running: {}", name(), r.name(), needed.get());
                continue;
            }
            if (stopService(r)) {
                stopped.add(r);
            }
        }
        for (ResourceRuntime r : stopped) {
            CallResult post = call(r, Method.POSTNET_STOP);
            if (!post.ok()) {
                stopFailed(r, Method.POSTNET_STOP, post);
                continue;
            }
            r.moveTo(ResourceState.OFFLINE);
            r.setStatus(ResourceStatus.OFFLINE, "");
        }
    }

    /**
     * Monitor_stop (if its monitor runs), then Stop; a failure leaves it STOP_FAILED.
     *
     * @return whether both succeeded
     */
    private boolean stopService(ResourceRuntime r) {
        boolean monitorRunning = r.state == ResourceState.ONLINE;
        r.moveTo(ResourceState.STOPPING);
        for (Method m : monitorRunning ? List.of(Method.MONITOR_STOP, Method.STOP) : List.of(Method.STOP)) {
            CallResult result = call(r, m);
            if (!result.ok()) {
                stopFailed(r, m, result);
                return false;
            }
        }
        return true;
    }

    /** Why a resource must keep running: a dependent that failed to stop still needs it. */
    private Optional<String> neededBy(ResourceRuntime r) {
        for (ResourceRuntime other : resourceList()) {
            if (other.state == ResourceState.STOP_FAILED && Dependencies.all(other.config.properties()).stream()
                    .anyMatch(d -> d.equalsIgnoreCase(r.name()))) {
                return Optional.of(other.name() + " depends on it and failed to stop");
            }
        }
        return Optional.empty();
    }

    private void stopFailed(ResourceRuntime r, Method m, CallResult result) {
        r.moveTo(ResourceState.STOP_FAILED);
        r.setStatus(ResourceStatus.FAULTED, m.rtrName() + " failed: " + result.message());
        String mode = failoverMode(r);
        if (mode.equals("HARD") && fenceCommand.isPresent()) {
            message = m.rtrName() + " of " + r.name() + " failed; Failover_mode HARD runs the fence command";
            LOG.error("Group {}: {}: {}", name(), message, fenceCommand.get());
            CallResult fence = commandRunner.apply(fenceCommand.get());
            message += fence.ok() ? " (it succeeded)" : " (it failed: " + fence.message() + ")";
        } else {
            message = m.rtrName() + " of " + r.name() + " failed: stop the service by hand, then clear the flag with: clrs clear -f STOP_FAILED "
                    + r.name() + (mode.equals("HARD") ? " (Failover_mode HARD, but no fence command is configured)" : "");
        }
        LOG.error("Group {}: {}", name(), message);
    }

    private void settleOffline() {
        if (resourceList().stream().anyMatch(r -> r.state == ResourceState.STOP_FAILED)) {
            moveTo(GroupState.ERROR_STOP_FAILED);
        } else {
            moveTo(config.managed() ? GroupState.OFFLINE : GroupState.UNMANAGED);
            message = "";
        }
    }

    /** Recomputes the group's state from its resources after a single-resource change. */
    void settle() {
        if (!config.managed()) {
            moveTo(GroupState.UNMANAGED);
        } else if (config.wantedOnline()) {
            settleOnline();
        } else {
            settleOffline();
        }
    }

    /** Restarts one online resource: Monitor_stop, Stop, Start, Monitor_start. */
    void restartResource(ResourceRuntime r) throws RgmException {
        if (!r.isOnline()) {
            throw new RgmException("resource " + r.name() + " is " + r.state + "; only an online resource can be restarted");
        }
        String reason = r.statusMessage;
        boolean ok = restartService(r);
        settle();
        notifier.resourceAction(RgmEvents.RESOURCE_RESTART, r, RgmEvents.OUTCOME, ok ? "ok" : "failed",
                ok ? reason : r.statusMessage);
    }

    private boolean restartService(ResourceRuntime r) {
        if (!stopService(r)) {
            return false;
        }
        r.moveTo(ResourceState.STARTING);
        CallResult start = startAndWait(r);
        if (!start.ok()) {
            startFailed(r, Method.START, start);
            return false;
        }
        r.moveTo(ResourceState.ONLINE_NOT_MONITORED);
        startMonitor(r);
        return r.isOnline();
    }

    /** @return whether any method-running state of the group is online */
    boolean isOnlineish() {
        return state == GroupState.ONLINE || state == GroupState.ONLINE_FAULTED || state == GroupState.PENDING_ONLINE;
    }

    /** Used by the manager to refuse an operation during ERROR_STOP_FAILED. */
    void requireNoStopFailed(String operation) throws RgmException {
        for (ResourceRuntime r : resourceList()) {
            if (r.state == ResourceState.STOP_FAILED) {
                throw new RgmException("cannot " + operation + " group " + name() + ": resource " + r.name()
                        + " is STOP_FAILED; stop it by hand, then run: clrs clear -f STOP_FAILED " + r.name());
            }
        }
    }
}
