package io.vigil.types.xfnts;

import io.vigil.api.pmf.PmfException;
import io.vigil.api.pmf.ProcessMonitor;
import io.vigil.api.pmf.ProcessSpec;
import io.vigil.api.pmf.TagStatus;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.MethodResult;
import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ResourceTypeRtr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUNW.xfnts: the X font server as a failover service, the DSDL guide's sample type.
 *
 * <ul>
 * <li>Start: the Validate checks, then {@code xfs -config <Confdir_list[0]>/fontserver.cfg -port
 *     <port>} under the PMF as tag {@code <group>,<resource>,0.svc} (restarted at most
 *     Retry_count times within Retry_interval), then it waits until the service answers its probe
 *     ({@link FaultMonitors#awaitService}, the guide's {@code svc_wait}) within 90% of the time
 *     left; if it does not, the tree is killed and Start fails with what was seen last.</li>
 * <li>Stop: SIGCONT (so that a stopped server can act on what follows), then SIGTERM through the
 *     PMF, SIGKILL for whatever is left after 90% of the time left.</li>
 * <li>Validate and Monitor_check: the configuration file is readable, the port valid, the programs
 *     executable and neither group- nor world-writable.</li>
 * <li>Monitor_start and Monitor_stop: the agent's fault monitor with the probe
 *     {@value XfntsProbe#NAME}. Update: restarts a running fault monitor with the new properties
 *     and gives the PMF the new restart budget.</li>
 * </ul>
 */
@Component(service = ResourceType.class)
@ResourceTypeRtr(XfntsType.RTR)
public final class XfntsType implements ResourceType {

    /** Where the RTR file is inside the bundle. */
    static final String RTR = "OSGI-INF/vigil/SUNW.xfnts.rtr";
    /** The environment xfs runs with. */
    static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    static final int SIGCONT = 18;
    /** How long a tree whose Start failed gets before SIGKILL: none. */
    private static final Duration KILL_AT_ONCE = Duration.ZERO;

    private static final Logger LOG = LoggerFactory.getLogger(XfntsType.class);

    private final ProcessMonitor pmf;
    private final FaultMonitors monitors;

    /**
     * @param pmf supervises xfs
     * @param monitors the agent's fault monitors
     */
    @Activate
    public XfntsType(@Reference ProcessMonitor pmf, @Reference FaultMonitors monitors) {
        this.pmf = pmf;
        this.monitors = monitors;
    }

    @Override
    public MethodResult call(Method method, MethodContext context) {
        switch (method) {
            case START:
                return start(context);
            case STOP:
                return stop(context);
            case VALIDATE:
            case MONITOR_CHECK:
                return validate(context);
            case UPDATE:
                return update(context);
            case MONITOR_START:
                return monitorStart(context);
            case MONITOR_STOP:
                monitors.stop(context.resourceName());
                return MethodResult.success();
            default:
                return MethodResult.failure(method.rtrName() + " is not declared by SUNW.xfnts");
        }
    }

    /** @return the PMF tag of a resource's xfs: {@code <group>,<resource>,0.svc} */
    static String tag(MethodContext context) {
        return context.resourceGroupName() + "," + context.resourceName() + ",0.svc";
    }

    private static MethodResult validate(MethodContext context) {
        List<String> problems = XfsSettings.problems(context.properties());
        return problems.isEmpty() ? MethodResult.success() : invalid(context, problems);
    }

    private static MethodResult invalid(MethodContext context, List<String> problems) {
        return MethodResult.failure("invalid configuration of " + context.resourceName() + ": "
                + String.join("; ", problems));
    }

    private MethodResult start(MethodContext context) {
        String resource = context.resourceName();
        List<String> problems = XfsSettings.problems(context.properties());
        if (!problems.isEmpty()) {
            return invalid(context, problems);
        }
        XfsSettings settings = XfsSettings.read(context.properties());
        String tag = tag(context);
        ProcessSpec spec = new ProcessSpec(tag, settings.xfsCommand(), ENVIRONMENT, Path.of("/"),
                settings.retryCount(), settings.retryInterval(), Optional.empty(), settings.childMonitorLevel());
        try {
            TagStatus started = pmf.start(spec);
            LOG.info("Started xfs for {} under PMF tag {}: {} (pids {})", resource, tag,
                    String.join(" ", spec.command()), started.pids());
        } catch (PmfException e) {
            return MethodResult.failure("cannot start xfs for " + resource + " under PMF: " + e.getMessage());
        }
        String seen;
        try {
            FaultMonitors.ServiceWait wait =
                    monitors.awaitService(resource, XfntsProbe.NAME, share(context.timeLeft()));
            if (wait.healthy()) {
                LOG.info("xfs of {} answers on port {}", resource, settings.port());
                return MethodResult.success();
            }
            seen = wait.message();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            seen = "interrupted while waiting for it to answer";
        } catch (RuntimeException e) {
            seen = "cannot wait for it to answer: " + e.getMessage();
        }
        String failure = "xfs of " + resource + " did not answer on port " + settings.port() + ": " + seen;
        LOG.error("{}; killing its process tree", failure);
        try {
            pmf.stop(tag, SIGKILL, KILL_AT_ONCE);
        } catch (PmfException e) {
            return MethodResult.failure(failure + "; killing its process tree failed too: " + e.getMessage());
        }
        return MethodResult.failure(failure);
    }

    private MethodResult stop(MethodContext context) {
        String tag = tag(context);
        Optional<TagStatus> status = pmf.status(tag);
        if (status.isEmpty()) {
            LOG.info("xfs of {} is not running (no PMF tag {})", context.resourceName(), tag);
            return MethodResult.success();
        }
        try {
            if (status.get().state() == TagStatus.State.RUNNING) {
                pmf.signal(tag, SIGCONT);
            }
        } catch (PmfException e) {
            // the tree died or is being restarted meanwhile: SIGTERM and SIGKILL below still apply
            LOG.warn("SIGCONT to xfs of {} failed, stopping it anyway: {}", context.resourceName(), e.getMessage());
        }
        Duration grace = share(context.timeLeft());
        try {
            pmf.stop(tag, SIGTERM, grace);
        } catch (PmfException e) {
            return MethodResult.failure("cannot stop xfs of " + context.resourceName() + ": " + e.getMessage());
        }
        LOG.info("Stopped xfs of {} (SIGCONT, SIGTERM, and SIGKILL for what was left after {} ms)",
                context.resourceName(), grace.toMillis());
        return MethodResult.success();
    }

    private MethodResult update(MethodContext context) {
        String resource = context.resourceName();
        XfsSettings settings;
        try {
            settings = XfsSettings.read(context.properties());
        } catch (IllegalArgumentException e) {
            return invalid(context, List.of(e.getMessage()));
        }
        String tag = tag(context);
        try {
            if (pmf.status(tag).isPresent()) {
                pmf.modify(tag, settings.retryCount(), settings.retryInterval());
            }
            if (monitors.isRunning(resource)) {
                monitors.start(resource, XfntsProbe.NAME);
                LOG.info("Restarted the fault monitor of {} with its new properties", resource);
            }
        } catch (PmfException | IllegalArgumentException e) {
            return MethodResult.failure("cannot apply the new properties of " + resource + ": " + e.getMessage());
        }
        return MethodResult.success();
    }

    private MethodResult monitorStart(MethodContext context) {
        try {
            monitors.start(context.resourceName(), XfntsProbe.NAME);
            return MethodResult.success();
        } catch (IllegalArgumentException e) {
            return MethodResult.failure("cannot start the fault monitor of " + context.resourceName() + ": "
                    + e.getMessage());
        }
    }

    /**
     * The share of a method's time left that one step may use: 90%, leaving the rest for killing
     * what remains and reporting before the method's own timeout.
     */
    static Duration share(Duration timeLeft) {
        return timeLeft.multipliedBy(9).dividedBy(10);
    }
}
