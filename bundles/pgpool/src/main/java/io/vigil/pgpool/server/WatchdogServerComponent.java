package io.vigil.pgpool.server;

import io.vigil.api.alarm.AlarmService;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.pgpool.codec.Dialect;
import io.vigil.pgpool.codec.WdCodec;
import io.vigil.pgpool.ipc.AuthKey;
import io.vigil.pgpool.ipc.SocketPaths;
import io.vigil.pgpool.lifecheck.AlarmServiceSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;
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

/**
 * The watchdog-compatible IPC server as a component, active once configured (PID {@value #PID}):
 * pgpool's {@code wd_cli} and {@code pcp_watchdog_info}, and clients written from the manual, see
 * Vigil's nodes through it.
 */
@Component(service = {}, immediate = true, configurationPid = WatchdogServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WatchdogServerComponent.Config.class)
public final class WatchdogServerComponent {

    /** Configuration PID. */
    public static final String PID = "io.vigil.pgpool.server";

    @ObjectClassDefinition(name = "Vigil watchdog-compatible IPC server",
            description = "Serves <socket dir>/.s.PGPOOLWD_CMD.<port> as a Pgpool-II watchdog does, with Vigil's "
                    + "nodes. Owner-only; only the agent's user and root may connect.")
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

        @AttributeDefinition(name = "Host name", description = "The HostName shown for this node. Empty: the node's "
                + "name.", required = false)
        String hostName() default "";

        @AttributeDefinition(name = "PgpoolPort", description = "The PgpoolPort shown for this node.", min = "0",
                max = "65535")
        int pgpoolPort() default 0;

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

    private volatile AlarmService alarmService;
    private volatile WatchdogServer server;

    /**
     * Binds the socket.
     *
     * @param context for the data directory
     * @param store the cluster, for the node's name
     * @param config the configuration
     * @throws IOException if the socket cannot be created
     * @throws IllegalArgumentException naming a setting that is not valid
     */
    @Activate
    public WatchdogServerComponent(BundleContext context, @Reference ClusterStore store, Config config)
            throws IOException {
        Dialect dialect = Dialect.parse(config.dialect());
        var key = AuthKey.load(config.authKey(), config.authKeyFile());
        String dir = config.socketDir().isBlank() ? dataDir(context).resolve("pgpool").toString() : config.socketDir();
        Path socket = SocketPaths.of(dir, config.port());
        VigilNodes nodes = new VigilNodes(store.nodeName(), config.hostName().isBlank() ? store.nodeName()
                : config.hostName(), config.port(), config.pgpoolPort(), config.lifecheckStarted(),
                new AlarmServiceSink(() -> alarmService, "pgpool-server"), this::nodesChanged);
        this.server = new WatchdogServer(socket, new RequestHandler(dialect, key, nodes), PeerCheck.agentUid(),
                new WatchdogServer.Limits(config.workers(), config.queue(), Duration.ofMillis(config.readTimeoutMs()),
                        config.maxRequestBytes(), config.maxSubscribers()));
    }

    private void nodesChanged(io.vigil.pgpool.codec.NodeList list) {
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

    @Deactivate
    void deactivate() throws IOException {
        server.close();
    }
}
