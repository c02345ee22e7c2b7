package io.vigil.shell;

import io.vigil.api.type.ResourceTypeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code version} and {@code status}: what this agent is and how it is doing.
 *
 * <p>For each Vigil bundle, {@code status} shows since when it has been active, so an operator can
 * see that deploying a plugin restarted nothing else.
 */
@Component(service = AgentCommands.class, immediate = true, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=version",
    "osgi.command.function=status"
})
public final class AgentCommands {

    /** Symbolic-name prefix of Vigil's own bundles. */
    static final String VIGIL_PREFIX = "io.vigil.";

    private final BundleContext context;
    private final Map<Long, Instant> activeSince = new ConcurrentHashMap<>();
    private final SynchronousBundleListener listener = this::bundleChanged;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceTypeRegistry registry;

    /** @param context this bundle's context */
    @Activate
    public AgentCommands(BundleContext context) {
        this.context = context;
        context.addBundleListener(listener);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.ACTIVE) {
                activeSince.putIfAbsent(b.getBundleId(), now);
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(listener);
    }

    private void bundleChanged(BundleEvent event) {
        long id = event.getBundle().getBundleId();
        if (event.getType() == BundleEvent.STARTED) {
            activeSince.put(id, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        } else if (event.getType() == BundleEvent.STOPPED || event.getType() == BundleEvent.UNINSTALLED) {
            activeSince.remove(id);
        }
    }

    /** @return Vigil's version, the framework's and Java's */
    @Descriptor("show the versions of Vigil, the OSGi framework and Java")
    public String version() {
        Bundle framework = context.getBundle(0);
        return "Vigil " + context.getBundle().getVersion() + "\n"
                + "Framework " + framework.getSymbolicName() + " " + framework.getVersion() + "\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")\n";
    }

    /** @return the agent's state, its Vigil bundles and the registry's size */
    @Descriptor("show the agent's state: uptime, Vigil bundles, registered resource types")
    public String status() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(null);
        ResourceTypeRegistry types = registry;
        StringBuilder sb = new StringBuilder();
        sb.append("Agent:           running\n");
        sb.append("Pid:             ").append(self.pid()).append('\n');
        if (started != null) {
            sb.append("Started:         ").append(started).append(" (up ")
                    .append(format(Duration.between(started, Instant.now()))).append(")\n");
        }
        sb.append("Resource types:  ").append(types == null ? "unavailable (rgm not active)" : types.types().size())
                .append('\n');
        sb.append("Bundles:\n");
        Table table = new Table("ID", "STATE", "ACTIVE SINCE", "NAME", "VERSION");
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith(VIGIL_PREFIX)) {
                Instant since = activeSince.get(b.getBundleId());
                table.row(b.getBundleId(), state(b.getState()), since == null ? "-" : since, name, b.getVersion());
            }
        }
        sb.append(table.toString().indent(2));
        return sb.toString();
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE:
                return "ACTIVE";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "UNINSTALLED";
        }
    }
}
