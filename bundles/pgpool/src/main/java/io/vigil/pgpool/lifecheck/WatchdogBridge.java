package io.vigil.pgpool.lifecheck;

import io.vigil.api.alarm.AlarmService;
import io.vigil.api.probe.Probe;
import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.NodeList;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.ipc.SocketPaths;
import io.vigil.pgpool.ipc.WatchdogClient;
import io.vigil.pgpool.ipc.WatchdogException;
import io.vigil.pgpool.probe.PgpoolProbe;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external lifecheck of one pgpool node's watchdog, as a component: active once configured
 * (PID {@value #PID}), it polls the watchdog's IPC socket every interval. Offered as a service so
 * that the {@code wd} command can show the watchdog's view.
 */
@Component(service = WatchdogBridge.class, immediate = true, configurationPid = WatchdogBridge.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WatchdogBridge.Config.class)
public final class WatchdogBridge {

    /** Configuration PID. */
    public static final String PID = "io.vigil.pgpool.bridge";

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogBridge.class);

    @ObjectClassDefinition(name = "Vigil Pgpool-II external lifecheck",
            description = "Vigil as the external lifecheck (wd_lifecheck_method = 'external') of the local pgpool's "
                    + "watchdog: it lists the watchdog's nodes, probes each remote node and reports DEAD or ALIVE "
                    + "when its verdict changes. Run the agent as the pgpool OS user: the socket follows its umask.")
    public @interface Config {
        @AttributeDefinition(name = "IPC socket directory", description = "pgpool.conf's wd_ipc_socket_dir. "
                + "Debian's build defaults to /var/run/postgresql, upstream's to /tmp: set it explicitly.")
        String socketDir() default "/var/run/postgresql";

        @AttributeDefinition(name = "wd_port", description = "The local node's watchdog port (wd_portN for "
                + "N = pgpool_node_id); the socket is <dir>/.s.PGPOOLWD_CMD.<wd_port>.", min = "1", max = "65535")
        int wdPort() default 9000;

        @AttributeDefinition(name = "Authentication key", type = AttributeType.PASSWORD, required = false,
                description = "pgpool.conf's wd_authkey; empty when none. Never logged. Prefer a key file.")
        String authKey() default "";

        @AttributeDefinition(name = "Authentication key file", required = false,
                description = "A file holding wd_authkey on one line, readable by its owner only (0600).")
        String authKeyFile() default "";

        @AttributeDefinition(name = "Dialect", description = "The result bytes the watchdog speaks: pgpool (every "
                + "real watchdog) or manual (the manual's table).",
                options = {@Option(label = "pgpool", value = "pgpool"), @Option(label = "manual", value = "manual")})
        String dialect() default "pgpool";

        @AttributeDefinition(name = "Poll interval (ms)", description = "How often nodes are listed and probed.", min = "100")
        long pollIntervalMs() default 1000;

        @AttributeDefinition(name = "Probe", description = "The probe service (vigil.probe.name) used on each remote "
                + "node. pgpool (the default) sends an SSLRequest to the node's port and needs pgpool's answer, "
                + "which a stopped (SIGSTOP) or hung pgpool never gives; use it with the PgpoolPort. tcp only "
                + "connects: the kernel completes the connection into the listen backlog of a stopped process, so "
                + "tcp sees a stopped pgpool as healthy and notices only a crashed or unreachable one.")
        String probeName() default PgpoolProbe.NAME;

        @AttributeDefinition(name = "Probed port", description = "The node's port given to the probe.",
                options = {@Option(label = "PgpoolPort", value = "pgpool_port"), @Option(label = "WdPort", value = "wd_port")})
        String probeTarget() default "pgpool_port";

        @AttributeDefinition(name = "Probe timeout (ms)", description = "Each probe's limit; below the poll interval.",
                min = "10")
        long probeTimeoutMs() default 800;

        @AttributeDefinition(name = "Failures to DEAD", description = "Failed probes within the failure window "
                + "that make a node DEAD (the latest probe having failed).", min = "1")
        int failuresToDead() default 3;

        @AttributeDefinition(name = "Failure window (ms)", description = "How far back failed probes count.", min = "1")
        long failureWindowMs() default 10000;

        @AttributeDefinition(name = "Successes to ALIVE", description = "Healthy probes in a row that make a DEAD node "
                + "ALIVE again.", min = "1")
        int successesToAlive() default 2;

        @AttributeDefinition(name = "Allow reporting the local node DEAD", description = "A DEAD report about the "
                + "local node shuts its pgpool down. Off: the local node is neither probed nor reported.")
        boolean allowLocalDead() default false;

        @AttributeDefinition(name = "IPC timeout (ms)", description = "Limit for connecting to the socket and for "
                + "each read of a reply.", min = "10")
        long ipcTimeoutMs() default 5000;

        @AttributeDefinition(name = "Largest reply (bytes)", description = "Replies declaring more data are refused.",
                min = "64")
        int maxReplyBytes() default WdCodec.DEFAULT_MAX_BYTES;
    }

    /**
     * What the bridge is doing.
     *
     * @param socket the watchdog's IPC socket
     * @param probeName the probe in use
     * @param probeAvailable whether that probe is registered
     * @param lastPoll when the last round ended, empty before the first
     * @param lastError the last round's error, empty when it succeeded
     * @param nodes the watchdog's nodes as last polled, empty before the first success
     * @param views the lifecheck's view of each node
     */
    public record Status(String socket, String probeName, boolean probeAvailable, Optional<Instant> lastPoll,
            Optional<String> lastError, Optional<NodeList> nodes, Map<Integer, ExternalLifecheck.NodeView> views) {
    }

    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private volatile AlarmService alarmService;
    private final WatchdogClient client;
    private final ExternalLifecheck lifecheck;
    private final String probeName;
    private final ScheduledExecutorService poller;
    private final ExecutorService probeThreads;
    private volatile Instant lastPoll;
    private volatile String lastError;

    /**
     * Checks the configuration and starts polling.
     *
     * @param config the configuration
     * @throws IllegalArgumentException naming a setting that is not valid
     */
    @Activate
    public WatchdogBridge(Config config) {
        Dialect dialect = Dialect.parse(config.dialect());
        Optional<AuthKey> key = AuthKey.load(config.authKey(), config.authKeyFile());
        if (config.probeTimeoutMs() >= config.pollIntervalMs()) {
            throw new IllegalArgumentException("probe timeout " + config.probeTimeoutMs() + " ms is not below the poll "
                    + "interval " + config.pollIntervalMs() + " ms; expected a shorter timeout");
        }
        ServiceProber.Target target = switch (config.probeTarget().trim().toLowerCase(Locale.ROOT)) {
            case "pgpool_port" -> ServiceProber.Target.PGPOOL_PORT;
            case "wd_port" -> ServiceProber.Target.WD_PORT;
            default -> throw new IllegalArgumentException("probed port \"" + config.probeTarget()
                    + "\" is not known; expected pgpool_port or wd_port");
        };
        this.probeName = config.probeName();
        this.client = new WatchdogClient(SocketPaths.of(config.socketDir(), config.wdPort()), key, dialect,
                Duration.ofMillis(config.ipcTimeoutMs()), config.maxReplyBytes());
        this.probeThreads = Executors.newCachedThreadPool(daemon("vigil-pgpool-probe"));
        this.lifecheck = new ExternalLifecheck(client,
                new ServiceProber(probes::get, probeName, target, Duration.ofMillis(config.probeTimeoutMs()), probeThreads),
                new AlarmServiceSink(() -> alarmService, "pgpool-lifecheck"), Clock.systemUTC(),
                new ExternalLifecheck.Settings(config.failuresToDead(), Duration.ofMillis(config.failureWindowMs()),
                        config.successesToAlive(), config.allowLocalDead()));
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("vigil-pgpool-lifecheck"));
        // the first round after one interval: DS binds the probes right after this constructor
        poller.scheduleAtFixedRate(this::pollOnce, config.pollIntervalMs(), config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("Pgpool external lifecheck of {} started: probe {} every {} ms, DEAD after {} failures in {} ms{}",
                client.socket(), probeName, config.pollIntervalMs(), config.failuresToDead(), config.failureWindowMs(),
                key.isPresent() ? ", with an authentication key" : "");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void pollOnce() {
        String error;
        try {
            lifecheck.poll();
            error = probes.containsKey(probeName) ? null
                    : "probe " + probeName + " is not registered: nodes are listed but not judged until it is";
        } catch (WatchdogException | IOException e) {
            error = String.valueOf(e.getMessage());
        } catch (RuntimeException e) {
            error = String.valueOf(e);
            if (!error.equals(lastError)) {
                LOG.error("Pgpool lifecheck round failed", e);
            }
        }
        if (!java.util.Objects.equals(error, lastError)) {
            if (error == null) {
                LOG.info("Pgpool lifecheck of {} works again", client.socket());
            } else {
                LOG.error("Pgpool lifecheck of {}: {}", client.socket(), error);
            }
        }
        lastError = error;
        lastPoll = Instant.now();
    }

    /** @return what the bridge is doing */
    public Status status() {
        return new Status(client.socket().toString(), probeName, probes.containsKey(probeName),
                Optional.ofNullable(lastPoll), Optional.ofNullable(lastError), lifecheck.lastNodes(), lifecheck.views());
    }

    /**
     * Asks the watchdog now.
     *
     * @return its nodes
     * @throws IOException if it cannot be reached
     * @throws WatchdogException if it refuses
     */
    public NodeList query() throws IOException, WatchdogException {
        return client.nodes();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProbe(Probe probe, Map<String, Object> properties) {
        Object name = properties.get(Probe.NAME);
        if (name instanceof String s) {
            probes.put(s, probe);
        }
    }

    void unbindProbe(Probe probe, Map<String, Object> properties) {
        Object name = properties.get(Probe.NAME);
        if (name instanceof String s) {
            probes.remove(s, probe);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAlarmService(AlarmService service) {
        alarmService = service;
    }

    void unbindAlarmService(AlarmService service) {
        if (alarmService == service) {
            alarmService = null;
            LOG.info("Alarm service gone: pgpool alarms are logged only");
        }
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
        probeThreads.shutdownNow();
    }
}
