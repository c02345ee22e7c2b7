package io.vigil.types.xfnts;

import io.vigil.api.probe.Probe;
import io.vigil.api.probe.ProbeContext;
import io.vigil.api.probe.ProbeResult;
import io.vigil.api.type.PropertyValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The probe of SUNW.xfnts, the guide's {@code svc_probe}, composed of the agent's built-in probes:
 * <ol>
 * <li>{@code tcp}: connect to {@code Probe_host} on the {@code Port_list} port and disconnect
 *     (connect failure 100, disconnect failure 50);</li>
 * <li>with no time left after that, 50 ("probe timed out"), as in the guide;</li>
 * <li>{@code command}: {@code Check_command} (for instance {@code xfsinfo -server host:port}) in
 *     the time left, killed with SIGKILL when it overruns. Exit 0 is healthy; any other end (an
 *     exit, a signal, the timeout, which the message names) scores 100. A TCP connect alone cannot
 *     tell a hung server: the kernel accepts connections for a stopped process too.</li>
 * </ol>
 */
@Component(service = Probe.class, property = Probe.NAME + "=" + XfntsProbe.NAME)
public final class XfntsProbe implements Probe {

    /** The probe's name, by which Start and Monitor_start choose it. */
    public static final String NAME = "SUNW.xfnts";

    /** Score of a disconnect failure, and of no time left for the check command. */
    static final int PARTIAL_FAILURE = 50;

    private final Probe tcp;
    private final Probe command;

    /**
     * @param tcp the built-in {@code tcp} probe
     * @param command the built-in {@code command} probe
     */
    @Activate
    public XfntsProbe(@Reference(name = "tcp", target = "(" + Probe.NAME + "=tcp)") Probe tcp,
            @Reference(name = "command", target = "(" + Probe.NAME + "=command)") Probe command) {
        this.tcp = tcp;
        this.command = command;
    }

    @Override
    public ProbeResult probe(ProbeContext context) throws Exception {
        XfsSettings settings;
        try {
            settings = XfsSettings.read(context.properties());
        } catch (IllegalArgumentException e) {
            return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, e.getMessage());
        }
        ProbeResult connect = tcp.probe(new Narrowed(context, Map.of(XfsSettings.PORT_LIST, settings.port() + "/tcp",
                XfsSettings.PROBE_HOST, settings.host())));
        if (!connect.isHealthy()) {
            return connect;
        }
        if (context.timeLeft().isZero()) {
            return ProbeResult.failure(PARTIAL_FAILURE, "probe timed out: " + connect.message()
                    + ", but no time is left to check the server");
        }
        List<String> argv = settings.checkCommand();
        ProbeResult check = command.probe(new Narrowed(context, Map.of("Probe_command", commandLine(argv),
                "Probe_failure_score", Integer.toString(ProbeResult.COMPLETE_FAILURE))));
        if (check.isHealthy()) {
            return new ProbeResult(ProbeResult.HEALTHY, connect.message() + "; " + check.message());
        }
        return ProbeResult.failure(ProbeResult.COMPLETE_FAILURE, "font server check failed: " + check.message());
    }

    /**
     * Writes words as one command line of the {@code command} probe, each in single quotes, so
     * that none is split or taken for shell syntax.
     */
    static String commandLine(List<String> argv) {
        return argv.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    /** The monitor's context with some properties replaced, for one built-in probe. */
    private static final class Narrowed implements ProbeContext {
        private final ProbeContext context;
        private final PropertyValues properties;

        Narrowed(ProbeContext context, Map<String, String> replaced) {
            this.context = context;
            this.properties = context.properties().with(replaced);
        }

        @Override
        public String resourceName() {
            return context.resourceName();
        }

        @Override
        public String resourceGroupName() {
            return context.resourceGroupName();
        }

        @Override
        public PropertyValues properties() {
            return properties;
        }

        @Override
        public Duration timeLeft() {
            return context.timeLeft();
        }
    }
}
