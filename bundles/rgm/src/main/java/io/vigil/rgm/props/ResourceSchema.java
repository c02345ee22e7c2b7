package io.vigil.rgm.props;

import io.vigil.api.type.Method;
import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.props.PropertySpec.Bound;
import io.vigil.rgm.rtr.PropertyDecl;
import io.vigil.rgm.rtr.PropertyType;
import io.vigil.rgm.rtr.RtrFile;
import io.vigil.rgm.rtr.Tunable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The property schema of the resources of one type: every paramtable entry of its RTR file, plus
 * the standard (system-defined) properties every resource has even when the RTR file does not
 * declare them. Names match ignoring case; results use the canonical spelling (the one below for
 * standard properties, the RTR's for the others).
 *
 * <p>Standard properties, and what applies when the RTR file has no entry for them. An RTR entry
 * for one refines it: its {@code DEFAULT}, {@code MIN}, {@code MAX}, {@code MINLENGTH},
 * {@code MAXLENGTH}, {@code ARRAY_MINSIZE}, {@code ARRAY_MAXSIZE} and {@code TUNABLE} win; type
 * and enum values stay as below.
 * <table>
 * <caption>Standard resource properties</caption>
 * <tr><th>Property</th><th>Type</th><th>Default</th><th>Bounds</th><th>Tunable</th><th>Why</th></tr>
 * <tr><td>{@code <Method>_timeout}, for each method the RTR declares (or has an entry for)</td>
 *     <td>INT</td><td>3600</td><td>MIN 1</td><td>ANYTIME</td>
 *     <td>spec §2.1; no MAX and no MIN below 1 on a timeout (§1.6)</td></tr>
 * <tr><td>{@code Failover_mode}</td><td>ENUM NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY</td>
 *     <td>NONE</td><td></td><td>ANYTIME</td><td>spec §2.2</td></tr>
 * <tr><td>{@code Retry_count}</td><td>INT</td><td>2</td><td>MIN 0</td><td>ANYTIME</td>
 *     <td>Sun's sample RTR and SUNW.hasam use DEFAULT 2, MIN 0</td></tr>
 * <tr><td>{@code Retry_interval}</td><td>INT (s)</td><td>300</td><td>MIN 1</td><td>ANYTIME</td>
 *     <td>Sun's sample RTR uses 300 (a whole number of minutes, as {@code pmfadm -t} wants);
 *     750 in SUNW.hasam is that type's own choice. A window of 0 s would forget every failure</td></tr>
 * <tr><td>{@code Thorough_probe_interval}</td><td>INT (s)</td><td>60</td><td>MIN 1</td>
 *     <td>ANYTIME</td><td>Sun's sample RTR and SUNW.hasam; 0 would probe without pause</td></tr>
 * <tr><td>{@code Port_list}</td><td>STRINGARRAY</td><td>empty</td><td></td><td>ANYTIME</td>
 *     <td>spec §2.4 (ANYTIME in the later Sun sample)</td></tr>
 * <tr><td>{@code Network_resources_used}</td><td>STRINGARRAY</td><td>empty</td><td></td>
 *     <td>ANYTIME</td><td>as the RTR parser's default for system-defined properties; SUNW.hasam
 *     narrows it to WHEN_DISABLED</td></tr>
 * <tr><td>{@code Resource_dependencies}, {@code Resource_dependencies_weak},
 *     {@code Resource_dependencies_restart}, {@code Resource_dependencies_offline_restart}</td>
 *     <td>STRINGARRAY</td><td>empty</td><td></td><td>ANYTIME</td><td>spec §2.4</td></tr>
 * <tr><td>{@code R_description}</td><td>STRING</td><td>empty</td><td></td><td>ANYTIME</td>
 *     <td>free text</td></tr>
 * <tr><td>{@code Type_version}</td><td>STRING</td><td>the type's {@code RT_version}</td><td></td>
 *     <td>query-only</td><td>set by the RGM; type upgrades are not supported yet</td></tr>
 * </table>
 * Conditional standard properties exist only when the RTR file has an entry for them:
 * <table>
 * <caption>Conditional standard resource properties</caption>
 * <tr><th>Property</th><th>Type</th><th>Default</th><th>Bounds</th><th>Tunable</th></tr>
 * <tr><td>{@code Cheap_probe_interval}</td><td>INT (s)</td><td>none: required unless the entry
 *     has a DEFAULT</td><td>MIN 1</td><td>WHEN_DISABLED (spec §2.3)</td></tr>
 * <tr><td>{@code Scalable}</td><td>BOOLEAN</td><td>FALSE</td><td></td><td>AT_CREATION</td></tr>
 * <tr><td>{@code Load_balancing_policy}</td><td>ENUM LB_WEIGHTED, LB_STICKY, LB_STICKY_WILD</td>
 *     <td>LB_WEIGHTED</td><td></td><td>AT_CREATION</td></tr>
 * <tr><td>{@code Load_balancing_weights}</td><td>STRINGARRAY</td><td>empty</td><td></td>
 *     <td>ANYTIME</td></tr>
 * <tr><td>{@code Affinity_timeout}</td><td>INT (s)</td><td>0</td><td>MIN 0</td><td>ANYTIME</td></tr>
 * <tr><td>any other system-defined entry</td><td>the RTR parser's type, else STRING</td>
 *     <td>the entry's</td><td>the entry's</td><td>the entry's, else ANYTIME</td></tr>
 * </table>
 * Extension properties are exactly as their entries declare them ({@code TUNABLE} ANYTIME when
 * not given); an extension entry that reuses a standard name replaces the standard property.
 * Not modelled here: state kept by the RGM itself ({@code Status}, {@code Status_msg},
 * {@code Resource_state}, {@code On_off_switch}, {@code Monitored_switch}), per-node values of
 * {@code PER_NODE} properties, and whether dependency entries name existing resources.
 *
 * <p>Tunability: ANYTIME at any time; AT_CREATION only at creation; WHEN_DISABLED at creation or
 * while the resource is disabled; NONE never (at creation only when the property has no default,
 * as that is the only way it can get a value); a query-only property never. Giving a property
 * the value it already has is not a change and is always allowed (except for query-only ones).
 * A default that breaks the property's own limits is reported at creation, as if given.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResourceSchema {

    /** Standard property: recovery policy. */
    public static final String FAILOVER_MODE = "Failover_mode";
    /** Standard property: restarts allowed within {@link #RETRY_INTERVAL}. */
    public static final String RETRY_COUNT = "Retry_count";
    /** Standard property: window in seconds for {@link #RETRY_COUNT}. */
    public static final String RETRY_INTERVAL = "Retry_interval";
    /** Standard property: seconds between thorough probes. */
    public static final String THOROUGH_PROBE_INTERVAL = "Thorough_probe_interval";
    /** Conditional standard property: seconds between quick probes. */
    public static final String CHEAP_PROBE_INTERVAL = "Cheap_probe_interval";
    /** Standard property: {@code port/protocol} entries. */
    public static final String PORT_LIST = "Port_list";
    /** Standard property: network address resources used. */
    public static final String NETWORK_RESOURCES_USED = "Network_resources_used";
    /** Standard property: strong dependencies. */
    public static final String RESOURCE_DEPENDENCIES = "Resource_dependencies";
    /** Standard property: weak dependencies. */
    public static final String RESOURCE_DEPENDENCIES_WEAK = "Resource_dependencies_weak";
    /** Standard property: restart dependencies. */
    public static final String RESOURCE_DEPENDENCIES_RESTART = "Resource_dependencies_restart";
    /** Standard property: offline-restart dependencies. */
    public static final String RESOURCE_DEPENDENCIES_OFFLINE_RESTART = "Resource_dependencies_offline_restart";
    /** Standard property: free text. */
    public static final String R_DESCRIPTION = "R_description";
    /** Standard query-only property: the type's {@code RT_version}. */
    public static final String TYPE_VERSION = "Type_version";
    /** Conditional standard property. */
    public static final String SCALABLE = "Scalable";
    /** Conditional standard property. */
    public static final String LOAD_BALANCING_POLICY = "Load_balancing_policy";
    /** Conditional standard property. */
    public static final String LOAD_BALANCING_WEIGHTS = "Load_balancing_weights";
    /** Conditional standard property. */
    public static final String AFFINITY_TIMEOUT = "Affinity_timeout";

    /** Values of {@link #FAILOVER_MODE}. */
    public static final List<String> FAILOVER_MODES = List.of("NONE", "SOFT", "HARD", "RESTART_ONLY", "LOG_ONLY");
    /** Values of {@link #LOAD_BALANCING_POLICY}. */
    public static final List<String> LOAD_BALANCING_POLICIES = List.of("LB_WEIGHTED", "LB_STICKY", "LB_STICKY_WILD");

    private final String typeName;
    private final PropertyTable table;

    private ResourceSchema(String typeName, PropertyTable table) {
        this.typeName = typeName;
        this.table = table;
    }

    /**
     * The schema of a resource of the type an RTR file describes.
     *
     * @param rtr the parsed RTR file
     * @return its schema
     */
    public static ResourceSchema of(RtrFile rtr) {
        String origin = "declared in " + rtr.fullName();
        Map<String, PropertySpec.Builder> specs = new LinkedHashMap<>();
        for (Method m : Method.values()) {
            if (rtr.methods().containsKey(m)) {
                put(specs, timeout(m));
            }
        }
        put(specs, new PropertySpec.Builder(FAILOVER_MODE, PropertyType.ENUM).enumValues(FAILOVER_MODES)
                .defaultValue("NONE"));
        put(specs, PropertySpec.Builder.integer(RETRY_COUNT, 2, 0));
        put(specs, PropertySpec.Builder.integer(RETRY_INTERVAL, 300, 1));
        put(specs, PropertySpec.Builder.integer(THOROUGH_PROBE_INTERVAL, 60, 1));
        for (String name : List.of(PORT_LIST, NETWORK_RESOURCES_USED, RESOURCE_DEPENDENCIES,
                RESOURCE_DEPENDENCIES_WEAK, RESOURCE_DEPENDENCIES_RESTART, RESOURCE_DEPENDENCIES_OFFLINE_RESTART)) {
            put(specs, new PropertySpec.Builder(name, PropertyType.STRINGARRAY).defaultValue(""));
        }
        put(specs, new PropertySpec.Builder(R_DESCRIPTION, PropertyType.STRING).defaultValue(""));
        put(specs, new PropertySpec.Builder(TYPE_VERSION, PropertyType.STRING).defaultValue(rtr.version())
                .queryOnly());

        for (PropertyDecl decl : rtr.properties()) {
            String key = key(decl.name());
            PropertySpec.Builder b = specs.get(key);
            if (decl.extension()) {
                specs.remove(key);
                b = new PropertySpec.Builder(decl.name(), decl.type().orElseThrow());
                specs.put(key, b);
            } else if (b == null) {
                b = conditional(decl);
                specs.put(key, b);
            }
            b.refine(decl, origin);
        }
        List<PropertySpec> built = new ArrayList<>();
        specs.values().forEach(b -> built.add(b.build()));
        return new ResourceSchema(rtr.fullName(), new PropertyTable("a property of " + rtr.fullName(), built));
    }

    /** A system-defined entry for a property that exists only when declared. */
    private static PropertySpec.Builder conditional(PropertyDecl decl) {
        for (Method m : Method.values()) {
            if (m.timeoutProperty().equalsIgnoreCase(decl.name())) {
                return timeout(m);
            }
        }
        switch (key(decl.name())) {
            case "cheap_probe_interval":
                return new PropertySpec.Builder(CHEAP_PROBE_INTERVAL, PropertyType.INT).limit(Bound.MIN, 1)
                        .tunable(Tunable.WHEN_DISABLED);
            case "scalable":
                return new PropertySpec.Builder(SCALABLE, PropertyType.BOOLEAN).defaultValue("FALSE")
                        .tunable(Tunable.AT_CREATION);
            case "load_balancing_policy":
                return new PropertySpec.Builder(LOAD_BALANCING_POLICY, PropertyType.ENUM)
                        .enumValues(LOAD_BALANCING_POLICIES).defaultValue("LB_WEIGHTED").tunable(Tunable.AT_CREATION);
            case "load_balancing_weights":
                return new PropertySpec.Builder(LOAD_BALANCING_WEIGHTS, PropertyType.STRINGARRAY).defaultValue("");
            case "affinity_timeout":
                return PropertySpec.Builder.integer(AFFINITY_TIMEOUT, 0, 0);
            default:
                return new PropertySpec.Builder(decl.name(), decl.effectiveType().orElse(PropertyType.STRING))
                        .tunable(decl.effectiveTunable());
        }
    }

    private static PropertySpec.Builder timeout(Method m) {
        return PropertySpec.Builder.integer(m.timeoutProperty(), Method.DEFAULT_TIMEOUT_SECONDS, 1);
    }

    private static void put(Map<String, PropertySpec.Builder> specs, PropertySpec.Builder b) {
        specs.put(key(b.name()), b);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** @return the type's full name, e.g. {@code SUNW.hasam} */
    public String typeName() {
        return typeName;
    }

    /**
     * @return every property: method timeouts, the other standard properties, conditional and
     *         other system-defined entries, then extension properties in file order
     */
    public List<PropertySpec> properties() {
        return table.specs();
    }

    /**
     * @param name a property name, in any case
     * @return its schema, or empty when resources of this type have no such property
     */
    public Optional<PropertySpec> property(String name) {
        return table.find(name);
    }

    /** @return canonical names of the extension properties, in file order */
    public Set<String> extensionNames() {
        return table.extensionNames();
    }

    /**
     * @param name a property name, in any case
     * @return true when it is an extension property of this type
     */
    public boolean isExtension(String name) {
        return table.find(name).map(PropertySpec::extension).orElse(false);
    }

    /**
     * Validates the properties given to a new resource and fills in the rest from their defaults.
     *
     * @param given names (any case) and values as an operator writes them, checked in iteration order
     * @return every value, canonical; {@code changed} holds the names given
     * @throws PropertyException at the first unknown name, name given twice, query-only or
     *         NONE property set, invalid value, or required property missing
     */
    public ResolvedProperties validateCreate(Map<String, String> given) throws PropertyException {
        return table.create(given, values -> { });
    }

    /**
     * Validates changes to an existing resource's properties.
     *
     * @param current the resource's present values
     * @param changes names (any case) and new values, checked in iteration order
     * @param resourceDisabled whether the resource is disabled (allows WHEN_DISABLED properties)
     * @return the new values; {@code changed} holds the names whose value changed
     * @throws PropertyException at the first unknown name, name given twice, invalid value, or
     *         change its property's tunability does not allow now
     */
    public ResolvedProperties validateUpdate(PropertyValues current, Map<String, String> changes,
            boolean resourceDisabled) throws PropertyException {
        return table.update(current, changes, resourceDisabled, values -> { });
    }

    @Override
    public String toString() {
        return "ResourceSchema[" + typeName + ", " + table.specs().size() + " properties]";
    }
}
