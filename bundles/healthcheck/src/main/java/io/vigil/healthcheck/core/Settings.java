package io.vigil.healthcheck.core;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One responder's (or client's) settings: GGHealthCheck's keys of section {@code default} and
 * Vigil's additions, validated once. Durations are given in seconds, decimals allowed.
 *
 * @param name the responder's name, unique in the agent
 * @param mode {@code S} (server) or {@code C} (client)
 * @param host the address to bind (server) or connect to (client); empty: the loopback address
 * @param port the port; 0 binds a free one
 * @param interval client: least time from the start of one check to the start of the next (0 or more)
 * @param repeat client: how many checks, {@code -1} for ever
 * @param clSleep client: pause after each disconnect
 * @param svSleep server: pause between two runs of the status check
 * @param clTimeout client: send/receive timeout
 * @param svTimeout server: send/receive timeout; each connection is closed by then. When both are given,
 *        at least {@code clTimeout} + 5 s, as GGHealthCheck requires of the client and responder of one file
 * @param logd folder of the daily answer log, if any
 * @param command the status source: a command line, {@code *agent}, {@code *cluster}, {@code *rg:<group>},
 *        {@code *rg:<group>@cluster} or {@code *rs:<resource>}
 * @param protocol how to answer
 * @param maxConnections server: connections open at once; further ones wait in the listen backlog
 * @param weight the weight announced to HAProxy's agent-check, percent
 * @param commandTimeout server: a status command still running after this is killed, and the status is DOWN
 * @param upStatuses for {@code *rg:}/{@code *rs:}: the resource Status values that count as UP
 */
public record Settings(String name, char mode, String host, int port, Duration interval, int repeat, Duration clSleep,
        Duration svSleep, Duration clTimeout, Duration svTimeout, Optional<Path> logd, String command,
        Protocol protocol, int maxConnections, int weight, Duration commandTimeout, List<String> upStatuses) {

    /** GGHealthCheck's own keys, and the Vigil additions after {@code errorCode}. */
    public static final List<String> KEYS = List.of("mode", "host", "port", "interval", "repeat", "clSleep", "svSleep",
            "clTimeout", "svTimeout", "logd", "command", "errorCode",
            "protocol", "maxConnections", "weight", "commandTimeout", "upStatuses");

    /** GGHealthCheck's keys that only its client reads; a responder has no use for them. */
    public static final List<String> CLIENT_KEYS = List.of("interval", "repeat", "clSleep", "clTimeout");

    /** GGHealthCheck's rule: {@code svTimeout} is at least {@code clTimeout} plus this. */
    public static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(5);

    /** Keys of GGHealthCheck that Vigil does not support, with the reason. */
    public static final Map<String, String> UNSUPPORTED = Map.of(
            "sql3", "reads GGSessionMonitor's database, which Vigil does not have; use command = *rg:<group> or a command");

    /** GGHealthCheck's fixed error code. */
    public static final String ERROR_CODE = "9999";

    /** The defaults, as the strings a file would hold. */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("mode", "S"), Map.entry("host", ""), Map.entry("port", "4910"), Map.entry("interval", "5"),
            Map.entry("repeat", "-1"), Map.entry("clSleep", "5"), Map.entry("svSleep", "5"),
            Map.entry("clTimeout", "5"), Map.entry("svTimeout", "10"), Map.entry("logd", ""),
            Map.entry("command", "*agent"), Map.entry("errorCode", ERROR_CODE),
            Map.entry("protocol", Protocol.GGHEALTHCHECK.key()), Map.entry("maxConnections", "10000"),
            Map.entry("weight", "100"), Map.entry("commandTimeout", "10"), Map.entry("upStatuses", "OK,DEGRADED"));

    /** Checks for nulls and copies the list. */
    public Settings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(logd, "logd");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(protocol, "protocol");
        upStatuses = List.copyOf(upStatuses);
    }

    /**
     * @param key a key in any case
     * @return its canonical spelling
     * @throws IllegalArgumentException if unknown or unsupported, naming it and the expected keys
     */
    public static String canonicalKey(String key) {
        for (String k : KEYS) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        for (Map.Entry<String, String> u : UNSUPPORTED.entrySet()) {
            if (u.getKey().equalsIgnoreCase(key)) {
                throw new IllegalArgumentException("key '" + key + "' is not supported: " + u.getValue());
            }
        }
        throw new IllegalArgumentException("unknown key '" + key + "'; expected one of " + String.join(", ", KEYS));
    }

    /**
     * Validates values over the defaults.
     *
     * @param name the responder's name
     * @param values keys (any case, see {@link #KEYS}) and values as written in a file
     * @return the settings
     * @throws IllegalArgumentException naming the first bad key and what was expected
     */
    public static Settings of(String name, Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        Set<String> given = new HashSet<>();
        values.forEach((k, value) -> {
            String key = canonicalKey(k);
            given.add(key);
            v.put(key, value.trim());
        });
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("name '" + name + "' is invalid; expected letters, digits, _, - and .");
        }
        String mode = v.get("mode").toUpperCase(Locale.ROOT);
        if (!mode.equals("S") && !mode.equals("C")) {
            throw new IllegalArgumentException("mode = '" + v.get("mode") + "' is invalid; expected S (server) or C (client)");
        }
        if (!v.get("errorCode").equals(ERROR_CODE)) {
            throw new IllegalArgumentException("errorCode = '" + v.get("errorCode") + "' is invalid; it is fixed at " + ERROR_CODE);
        }
        int repeat = integer(v, "repeat", -1, Integer.MAX_VALUE);
        if (repeat == 0) {
            throw new IllegalArgumentException("repeat = 0 is invalid; expected a number of checks, or -1 for ever");
        }
        String logd = v.get("logd");
        if (!logd.isEmpty() && !Path.of(logd).isAbsolute()) {
            throw new IllegalArgumentException("logd = '" + logd + "' is invalid; expected an absolute path");
        }
        String command = v.get("command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty; expected a command line, *agent, *rg:<group> or *rs:<resource>");
        }
        List<String> upStatuses = List.of(v.get("upStatuses").toUpperCase(Locale.ROOT).split("\\s*,\\s*"));
        Duration clTimeout = seconds(v, "clTimeout", false);
        Duration svTimeout = seconds(v, "svTimeout", false);
        // only between two values written down: a responder alone (whose client is a load balancer with a
        // timeout of its own) is not held to the default clTimeout
        if (given.contains("svTimeout") && given.contains("clTimeout")
                && svTimeout.compareTo(clTimeout.plus(TIMEOUT_MARGIN)) < 0) {
            throw new IllegalArgumentException("svTimeout = " + v.get("svTimeout") + " is too short for clTimeout = "
                    + v.get("clTimeout") + "; expected svTimeout of at least clTimeout + "
                    + TIMEOUT_MARGIN.toSeconds() + " seconds (" + text(clTimeout.plus(TIMEOUT_MARGIN)) + ")");
        }
        return new Settings(name, mode.charAt(0), v.get("host"), integer(v, "port", 0, 65535),
                seconds(v, "interval", true), repeat, seconds(v, "clSleep", true), seconds(v, "svSleep", false),
                clTimeout, svTimeout,
                logd.isEmpty() ? Optional.empty() : Optional.of(Path.of(logd)), command,
                parse("protocol", v.get("protocol"), Protocol::parse), integer(v, "maxConnections", 1, 1_000_000),
                integer(v, "weight", 0, 100), seconds(v, "commandTimeout", false), upStatuses);
    }

    /** @return these settings as the strings of a file, with canonical keys */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", String.valueOf(mode));
        m.put("host", host);
        m.put("port", Integer.toString(port));
        m.put("interval", text(interval));
        m.put("repeat", Integer.toString(repeat));
        m.put("clSleep", text(clSleep));
        m.put("svSleep", text(svSleep));
        m.put("clTimeout", text(clTimeout));
        m.put("svTimeout", text(svTimeout));
        m.put("logd", logd.map(Path::toString).orElse(""));
        m.put("command", command);
        m.put("errorCode", ERROR_CODE);
        m.put("protocol", protocol.key());
        m.put("maxConnections", Integer.toString(maxConnections));
        m.put("weight", Integer.toString(weight));
        m.put("commandTimeout", text(commandTimeout));
        m.put("upStatuses", String.join(",", upStatuses));
        return m;
    }

    private static String text(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, String> v, String key, int min, int max) {
        String value = v.get(key);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the expected range
        }
        throw new IllegalArgumentException(key + " = '" + value + "' is invalid; expected an integer from " + min + " to " + max);
    }

    private static Duration seconds(Map<String, String> v, String key, boolean zeroAllowed) {
        String value = v.get(key);
        try {
            BigDecimal s = new BigDecimal(value);
            if (s.signum() > 0 || (zeroAllowed && s.signum() == 0)) {
                return Duration.ofNanos(s.movePointRight(9).longValueExact());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below, with what is expected
        }
        throw new IllegalArgumentException(key + " = '" + value + "' is invalid; expected a number of seconds "
                + (zeroAllowed ? "(0 or more)" : "greater than 0") + ", e.g. 5 or 0.5");
    }
}
