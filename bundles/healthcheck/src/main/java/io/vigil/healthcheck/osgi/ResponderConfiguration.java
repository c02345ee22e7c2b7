package io.vigil.healthcheck.osgi;

import io.vigil.healthcheck.core.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One responder per factory configuration of {@value #PID}: e.g. {@code etc/io.vigil.healthcheck-web.cfg}
 * starts the responder {@code web}. A changed configuration restarts it; a deleted one stops it.
 */
@Component(service = {}, configurationPid = ResponderConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ResponderConfiguration.Config.class, factory = true)
public final class ResponderConfiguration {

    /** The factory PID. */
    public static final String PID = "io.vigil.healthcheck";

    private static final Logger LOG = LoggerFactory.getLogger(ResponderConfiguration.class);


    @ObjectClassDefinition(name = "Vigil health check responder",
            description = "Answers load balancers' health checks from a cached status, as GGHealthCheck: the received"
                    + " string with \"server = UP\" or \"server = DOWN\" appended, or HAProxy agent-check lines.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The responder's name in hc commands and logs. Empty: the"
                + " factory configuration's name (io.vigil.healthcheck~web gives web).")
        String name() default "";

        @AttributeDefinition(name = "Address", description = "IPv4 or IPv6 address to listen on. Empty: loopback only.")
        String host() default "";

        @AttributeDefinition(name = "Port", description = "TCP port to listen on.", min = "0", max = "65535")
        int port() default 4910;

        @AttributeDefinition(name = "Protocol", description = "gghealthcheck (echo and server = UP/DOWN) or"
                + " haproxy-agent (one agent-check line: weight, ready/drain/maint, up or down #reason).")
        String protocol() default "gghealthcheck";

        @AttributeDefinition(name = "Status source", description = "*rg:<group> (UP while the group is ONLINE on this"
                + " node and its resources' Status is among upStatuses), *rs:<resource>, *agent, *rg:<group>@cluster"
                + " (UP while the group is ONLINE on any live node), *cluster (UP while this node is an UP member of"
                + " the cluster), or a command line whose exit status 0 means UP. All but command lines and *cluster"
                + " answer DOWN while this node is cut off from the cluster (SUSPENDED or DOWN).")
        String command() default "*agent";

        @AttributeDefinition(name = "Command interval", description = "Seconds between two runs of a status command.")
        double svSleep() default 5;

        @AttributeDefinition(name = "Send/receive timeout", description = "Seconds a client has to send its string;"
                + " then it is answered with what arrived, and closed if the answer is not taken within as long again.")
        double svTimeout() default 10;

        @AttributeDefinition(name = "Command timeout", description = "Seconds a status command may run; then it is"
                + " killed with its children and the status is DOWN.")
        double commandTimeout() default 10;

        @AttributeDefinition(name = "Connection limit", description = "Connections open at once; more wait in the"
                + " listen backlog.", min = "1")
        int maxConnections() default 10000;

        @AttributeDefinition(name = "Weight", description = "Weight announced to HAProxy's agent-check, percent.",
                min = "0", max = "100")
        int weight() default 100;

        @AttributeDefinition(name = "UP statuses", description = "Resource Status values that count as UP for"
                + " *rg: and *rs: sources, comma-separated.")
        String upStatuses() default "OK,DEGRADED";

        @AttributeDefinition(name = "Log folder", description = "Absolute path of a folder for a daily file of"
                + " answers and status changes. Empty: the agent log only.")
        String logd() default "";
    }

    /**
     * The keys of a configuration, exactly as spelled: {@link Config}'s, and GGHealthCheck's {@code mode}
     * and {@code errorCode}, which are checked as in a {@code GGHealthCheck.ini} (only {@code S} and
     * {@code 9999} are accepted).
     */
    static final List<String> KEYS = List.of("name", "host", "port", "protocol", "command", "svSleep", "svTimeout",
            "commandTimeout", "maxConnections", "weight", "upStatuses", "logd", "mode", "errorCode");

    private final HealthChecks checks;
    private final String name;
    private final String origin;

    /**
     * Starts the responder.
     *
     * @param checks the agent's responders
     * @param config the typed configuration
     * @param properties the raw configuration, checked for unknown keys
     * @throws IOException if its address cannot be bound
     * @throws IllegalArgumentException naming a bad key or value
     */
    @Activate
    public ResponderConfiguration(@Reference HealthChecks checks, Config config, Map<String, Object> properties)
            throws IOException {
        this.checks = checks;
        String pid = String.valueOf(properties.getOrDefault("service.pid", PID));
        this.origin = "configuration " + pid;
        this.name = config.name().isEmpty() ? pid.substring(pid.indexOf('~') + 1) : config.name();
        try {
            checks.start(settings(name, config, properties), origin);
        } catch (IllegalArgumentException | IOException e) {
            LOG.error("Health check {} ({}) was not started: {}", name, origin, e.getMessage());
            throw e;
        }
    }

    /**
     * @param name the responder's name
     * @param config the typed configuration
     * @param properties the raw configuration
     * @return the settings
     * @throws IllegalArgumentException naming a key that is unknown, unsupported, a client's or misspelled
     *         (DS reads keys by their exact name), or a bad value
     */
    static Settings settings(String name, Config config, Map<String, ?> properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            // ConfigAdmin, DS and FileInstall add keys with dots (service.pid, osgi.ds.*, felix.*); no setting has one
            if (!key.contains(".")) {
                checkKey(key);
                if (key.equals("mode") || key.equals("errorCode")) {
                    values.put(key, String.valueOf(e.getValue()));
                }
            }
        }
        values.put("host", config.host());
        values.put("port", Integer.toString(config.port()));
        values.put("protocol", config.protocol());
        values.put("command", config.command());
        values.put("svSleep", seconds(config.svSleep()));
        values.put("svTimeout", seconds(config.svTimeout()));
        values.put("commandTimeout", seconds(config.commandTimeout()));
        values.put("maxConnections", Integer.toString(config.maxConnections()));
        values.put("weight", Integer.toString(config.weight()));
        values.put("upStatuses", config.upStatuses());
        values.put("logd", config.logd());
        return Settings.of(name, values);
    }

    private static void checkKey(String key) {
        if (KEYS.contains(key)) {
            return;
        }
        String known = Settings.KEYS.stream().filter(key::equalsIgnoreCase).findFirst()
                .orElseGet(() -> KEYS.stream().filter(key::equalsIgnoreCase).findFirst().orElse(null));
        if (known != null && Settings.CLIENT_KEYS.contains(known)) {
            throw new IllegalArgumentException("key '" + key + "' is a setting of GGHealthCheck's client, which a"
                    + " responder does not use; expected one of " + String.join(", ", KEYS));
        }
        if (known != null) {
            throw new IllegalArgumentException("key '" + key + "' is misspelled; expected '" + known
                    + "' (the keys of a configuration are case-sensitive)");
        }
        for (Map.Entry<String, String> u : Settings.UNSUPPORTED.entrySet()) {
            if (u.getKey().equalsIgnoreCase(key)) {
                // the words of a GGHealthCheck.ini's refusal
                throw new IllegalArgumentException("key '" + key + "' is not supported: " + u.getValue());
            }
        }
        throw new IllegalArgumentException("unknown key '" + key + "'; expected one of " + String.join(", ", KEYS));
    }

    private static String seconds(double s) {
        return BigDecimal.valueOf(s).toPlainString();
    }

    @Deactivate
    void deactivate() {
        checks.stop(name, origin);
    }
}
