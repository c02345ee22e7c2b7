package io.vigil.events.recovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreOperation;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recovery policies (LifeKeeper's {@code lkpolicy}), per node and per resource, stored in the
 * cluster store as JSON under {@code events/policies/node/<node>} and
 * {@code events/policies/resource/<resource>}. A resource's policy overrides its node's, which
 * overrides the defaults: LocalRecovery on, Failover on, TemporalRecovery off, NotificationOnly off.
 */
public final class Policies {

    /** Policy: local recovery on or off. */
    public static final String LOCAL_RECOVERY = "LocalRecovery";
    /** Policy: giveover of the group after local recovery failed, on or off. */
    public static final String FAILOVER = "Failover";
    /** Policy: at most N local recoveries within T ({@code N/T}, e.g. {@code 3/30m}), or off. */
    public static final String TEMPORAL_RECOVERY = "TemporalRecovery";
    /** Policy: alarms only notify; no recovery at all. */
    public static final String NOTIFICATION_ONLY = "NotificationOnly";

    private static final List<String> NAMES = List.of(LOCAL_RECOVERY, FAILOVER, TEMPORAL_RECOVERY, NOTIFICATION_ONLY);
    private static final Map<String, String> DEFAULTS = Map.of(LOCAL_RECOVERY, "on", FAILOVER, "on",
            TEMPORAL_RECOVERY, "off", NOTIFICATION_ONLY, "off");
    private static final Pattern TEMPORAL = Pattern.compile("([1-9][0-9]{0,5})/([1-9][0-9]{0,6})([smhd]?)");
    private static final String PREFIX = "events/policies/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The policy in force for a resource.
     *
     * @param localRecovery local recovery allowed
     * @param failover giveover allowed
     * @param temporalLimit local recoveries allowed within {@code temporalWindow}; 0 for no limit
     * @param temporalWindow the window of {@code temporalLimit}
     * @param notificationOnly no recovery at all
     */
    public record Effective(boolean localRecovery, boolean failover, int temporalLimit, Duration temporalWindow,
            boolean notificationOnly) {
    }

    private final ClusterStore store;

    /** @param store where the policies are kept */
    public Policies(ClusterStore store) {
        this.store = store;
    }

    /** @return the policy names, in display order */
    public static List<String> names() {
        return NAMES;
    }

    /** @return the defaults */
    public static Map<String, String> defaults() {
        return DEFAULTS;
    }

    /**
     * @param resource a resource's name, or empty for this node
     * @return the policies set at that level (not the defaults)
     */
    public Map<String, String> get(Optional<String> resource) {
        return read(key(resource));
    }

    /**
     * @param resource a resource's name
     * @return the policy in force for it: its own, else the node's, else the defaults
     */
    public Effective effective(String resource) {
        Map<String, String> m = new TreeMap<>(DEFAULTS);
        m.putAll(read(key(Optional.empty())));
        m.putAll(read(key(Optional.of(resource))));
        String temporal = m.get(TEMPORAL_RECOVERY);
        int limit = 0;
        Duration window = Duration.ZERO;
        if (!temporal.equals("off")) {
            Matcher t = TEMPORAL.matcher(temporal);
            if (t.matches()) {
                limit = Integer.parseInt(t.group(1));
                window = duration(Long.parseLong(t.group(2)), t.group(3));
            }
        }
        return new Effective(m.get(LOCAL_RECOVERY).equals("on"), m.get(FAILOVER).equals("on"), limit, window,
                m.get(NOTIFICATION_ONLY).equals("on"));
    }

    /**
     * Sets policies at one level, after checking them all.
     *
     * @param resource a resource's name, or empty for this node
     * @param changes policy names (any case) and values
     * @throws IllegalArgumentException naming a wrong name or value and what is expected
     * @throws IOException if the store cannot be written
     */
    public void set(Optional<String> resource, Map<String, String> changes) throws IOException {
        Map<String, String> checked = new LinkedHashMap<>();
        changes.forEach((name, value) -> {
            String canonical = canonical(name);
            checked.put(canonical, checkValue(canonical, value));
        });
        update(resource, m -> m.putAll(checked));
    }

    /**
     * Removes policies at one level, so the level above applies again.
     *
     * @param resource a resource's name, or empty for this node
     * @param names policy names (any case)
     * @throws IllegalArgumentException for an unknown name
     * @throws IOException if the store cannot be written
     */
    public void remove(Optional<String> resource, List<String> names) throws IOException {
        List<String> canonical = names.stream().map(Policies::canonical).toList();
        update(resource, m -> canonical.forEach(m::remove));
    }

    private void update(Optional<String> resource, java.util.function.Consumer<Map<String, String>> change)
            throws IOException {
        String key = key(resource);
        for (int attempt = 0; ; attempt++) {
            Optional<StoreEntry> entry = store.get(key);
            Map<String, String> m = new TreeMap<>(entry.map(e -> parse(key, e.value())).orElse(Map.of()));
            change.accept(m);
            long expected = entry.map(StoreEntry::version).orElse(StoreOperation.ABSENT);
            try {
                store.commit(List.of(m.isEmpty() ? StoreOperation.delete(key, StoreOperation.ANY)
                        : StoreOperation.put(key, JSON.writeValueAsBytes(m), expected)));
                return;
            } catch (io.vigil.api.cluster.StoreConflictException e) {
                if (attempt >= 5) {
                    throw new IOException("policies " + key + " keep changing under us: " + e.getMessage(), e);
                }
            }
        }
    }

    private String key(Optional<String> resource) {
        return resource.map(r -> PREFIX + "resource/" + io.vigil.api.alarm.Alarm.checkName(r, "resource name"))
                .orElse(PREFIX + "node/" + store.nodeName());
    }

    private Map<String, String> read(String key) {
        return store.get(key).map(e -> parse(key, e.value())).orElse(Map.of());
    }

    private static Map<String, String> parse(String key, byte[] value) {
        try {
            return JSON.readValue(value, new TypeReference<TreeMap<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("stored policies " + key + " are not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String canonical(String name) {
        return NAMES.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("policy " + name + " is not known; expected one of "
                        + NAMES));
    }

    private static String checkValue(String name, String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(TEMPORAL_RECOVERY)) {
            if (v.equals("off") || TEMPORAL.matcher(v).matches()) {
                return v;
            }
            throw new IllegalArgumentException("TemporalRecovery value " + value + " is not valid; expected N/T, at "
                    + "most N local recoveries within T (seconds, or with s, m, h, d), e.g. 3/30m, or off");
        }
        if (v.equals("on") || v.equals("off")) {
            return v;
        }
        throw new IllegalArgumentException(name + " value " + value + " is not valid; expected on or off");
    }

    private static Duration duration(long n, String unit) {
        return switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
