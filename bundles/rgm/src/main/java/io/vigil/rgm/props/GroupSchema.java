package io.vigil.rgm.props;

import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.props.PropertySpec.Bound;
import io.vigil.rgm.rtr.PropertyType;
import io.vigil.rgm.rtr.Tunable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The properties of a resource group (spec §3), with their types, defaults and tunability.
 * Names match ignoring case; results use the spelling below.
 * <table>
 * <caption>Resource-group properties</caption>
 * <tr><th>Property</th><th>Type</th><th>Default</th><th>Bounds and rules</th><th>Tunable</th></tr>
 * <tr><td>{@code Nodelist}</td><td>STRINGARRAY</td><td>the local node</td>
 *     <td>ARRAY_MINSIZE 1; valid names, none twice</td><td>ANYTIME</td></tr>
 * <tr><td>{@code RG_mode}</td><td>ENUM Failover, Scalable</td><td>Failover</td>
 *     <td>Failover ⇒ Maximum_primaries = 1</td><td>AT_CREATION</td></tr>
 * <tr><td>{@code Maximum_primaries}</td><td>INT</td><td>1</td><td>MIN 1</td><td>ANYTIME</td></tr>
 * <tr><td>{@code Desired_primaries}</td><td>INT</td><td>1</td><td>MIN 0; at most Maximum_primaries</td>
 *     <td>ANYTIME</td></tr>
 * <tr><td>{@code Failback}</td><td>BOOLEAN</td><td>FALSE</td><td></td><td>ANYTIME</td></tr>
 * <tr><td>{@code Pingpong_interval}</td><td>INT (s)</td><td>3600</td><td>MIN 0</td><td>ANYTIME</td></tr>
 * <tr><td>{@code Auto_start_on_new_cluster}</td><td>BOOLEAN</td><td>TRUE</td><td></td><td>ANYTIME</td></tr>
 * <tr><td>{@code RG_dependencies}</td><td>STRINGARRAY</td><td>empty</td>
 *     <td>valid names, none twice, not the group itself</td><td>ANYTIME</td></tr>
 * <tr><td>{@code RG_description}</td><td>STRING</td><td>empty</td><td></td><td>ANYTIME</td></tr>
 * <tr><td>{@code Implicit_network_dependencies}</td><td>BOOLEAN</td><td>TRUE</td><td></td><td>ANYTIME</td></tr>
 * <tr><td>{@code Global_resources_used}</td><td>STRINGARRAY</td><td>{@code *}</td>
 *     <td>{@code *} (all) or empty (none)</td><td>ANYTIME</td></tr>
 * </table>
 * A valid name is letters, digits, {@code _}, {@code -} and {@code .}, and not {@code .} or
 * {@code ..} (as group names and cluster-store key segments). Whether the named nodes and groups
 * exist is for the caller to check. {@code RG_state} is state kept by the RGM, not a property
 * here; {@code RG_affinities}, {@code Load_factors}, {@code Priority} and
 * {@code Preemption_mode} are not supported yet.
 *
 * <p>Immutable and thread-safe.
 */
public final class GroupSchema {

    /** Ordered potential primaries. */
    public static final String NODELIST = "Nodelist";
    /** {@value #FAILOVER} or {@value #SCALABLE}. */
    public static final String RG_MODE = "RG_mode";
    /** Most nodes the group may be online on at once. */
    public static final String MAXIMUM_PRIMARIES = "Maximum_primaries";
    /** Nodes the group should be online on. */
    public static final String DESIRED_PRIMARIES = "Desired_primaries";
    /** Move back to a more preferred node when it joins. */
    public static final String FAILBACK = "Failback";
    /** Seconds during which a node where the group failed is avoided. */
    public static final String PINGPONG_INTERVAL = "Pingpong_interval";
    /** Bring the group online when the whole cluster starts. */
    public static final String AUTO_START_ON_NEW_CLUSTER = "Auto_start_on_new_cluster";
    /** Groups this one depends on. */
    public static final String RG_DEPENDENCIES = "RG_dependencies";
    /** Free text. */
    public static final String RG_DESCRIPTION = "RG_description";
    /** Network address resources start first and stop last. */
    public static final String IMPLICIT_NETWORK_DEPENDENCIES = "Implicit_network_dependencies";
    /** {@code *} (all global resources) or empty (none). */
    public static final String GLOBAL_RESOURCES_USED = "Global_resources_used";

    /** {@link #RG_MODE} of a group online on at most one node. */
    public static final String FAILOVER = "Failover";
    /** {@link #RG_MODE} of a group that may be online on several nodes. */
    public static final String SCALABLE = "Scalable";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String NAME_RULE = "letters, digits, '_', '-' and '.', not . or ..";

    private final String localNode;
    private final PropertyTable table;

    private GroupSchema(String localNode) {
        this.localNode = localNode;
        this.table = new PropertyTable("a resource-group property", List.of(
                new PropertySpec.Builder(NODELIST, PropertyType.STRINGARRAY).defaultValue(localNode)
                        .limit(Bound.ARRAY_MINSIZE, 1).rule(names("node")).build(),
                new PropertySpec.Builder(RG_MODE, PropertyType.ENUM).enumValues(List.of(FAILOVER, SCALABLE))
                        .defaultValue(FAILOVER).tunable(Tunable.AT_CREATION).build(),
                integer(MAXIMUM_PRIMARIES, 1, 1),
                integer(DESIRED_PRIMARIES, 1, 0),
                bool(FAILBACK, false),
                integer(PINGPONG_INTERVAL, 3600, 0),
                bool(AUTO_START_ON_NEW_CLUSTER, true),
                new PropertySpec.Builder(RG_DEPENDENCIES, PropertyType.STRINGARRAY).defaultValue("")
                        .rule(names("group")).build(),
                new PropertySpec.Builder(RG_DESCRIPTION, PropertyType.STRING).defaultValue("").build(),
                bool(IMPLICIT_NETWORK_DEPENDENCIES, true),
                new PropertySpec.Builder(GLOBAL_RESOURCES_USED, PropertyType.STRINGARRAY).defaultValue("*")
                        .rule(e -> e.isEmpty() || e.equals(List.of("*")) ? null
                                : "is not * (all global resources) or \"\" (none)").build()));
    }

    /**
     * @param localNode this node's name: the default {@code Nodelist}
     * @return the schema
     * @throws IllegalArgumentException if the name is not a {@linkplain #isValidName valid name}
     */
    public static GroupSchema of(String localNode) {
        if (!isValidName(localNode)) {
            throw new IllegalArgumentException("local node name \"" + localNode + "\" is not valid; expected "
                    + NAME_RULE);
        }
        return new GroupSchema(localNode);
    }

    /**
     * @param name a node or group name
     * @return true when it is letters, digits, {@code _}, {@code -} and {@code .}, and not
     *         {@code .} or {@code ..}
     */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    private static PropertySpec.ValueRule names(String what) {
        return elements -> {
            Set<String> seen = new HashSet<>();
            for (String e : elements) {
                if (!isValidName(e)) {
                    return "has " + PropertySpec.show(e) + ", which is not a valid " + what + " name (expected "
                            + NAME_RULE + ")";
                }
                if (!seen.add(e)) {
                    return "names " + e + " twice";
                }
            }
            return null;
        };
    }

    private static PropertySpec integer(String name, int dflt, int min) {
        return PropertySpec.Builder.integer(name, dflt, min).build();
    }

    private static PropertySpec bool(String name, boolean dflt) {
        return new PropertySpec.Builder(name, PropertyType.BOOLEAN).defaultValue(dflt ? "TRUE" : "FALSE").build();
    }

    /** @return the local node, the default {@code Nodelist} */
    public String localNode() {
        return localNode;
    }

    /** @return every group property, in the order of the table above */
    public List<PropertySpec> properties() {
        return table.specs();
    }

    /**
     * @param name a property name, in any case
     * @return its schema, or empty when groups have no such property
     */
    public Optional<PropertySpec> property(String name) {
        return table.find(name);
    }

    /**
     * Validates the properties given to a new group and fills in the rest from their defaults.
     *
     * @param group the new group's name (it may not depend on itself)
     * @param given names (any case) and values as an operator writes them, checked in iteration order
     * @return every value, canonical; {@code changed} holds the names given
     * @throws PropertyException at the first unknown name, name given twice, invalid value, or
     *         broken rule between properties
     */
    public ResolvedProperties validateCreate(String group, Map<String, String> given) throws PropertyException {
        return table.create(given, values -> crossCheck(group, values));
    }

    /**
     * Validates changes to an existing group's properties.
     *
     * @param group the group's name
     * @param current its present values
     * @param changes names (any case) and new values, checked in iteration order
     * @return the new values; {@code changed} holds the names whose value changed
     * @throws PropertyException at the first unknown name, name given twice, invalid value, change
     *         of {@code RG_mode}, or broken rule between properties
     */
    public ResolvedProperties validateUpdate(String group, PropertyValues current, Map<String, String> changes)
            throws PropertyException {
        return table.update(current, changes, false, values -> crossCheck(group, values));
    }

    private static void crossCheck(String group, PropertyValues values) throws PropertyException {
        Objects.requireNonNull(group, "group");
        List<String> dependencies = values.getStringArray(RG_DEPENDENCIES);
        if (dependencies.contains(group)) {
            throw new PropertyException(RG_DEPENDENCIES, RG_DEPENDENCIES + " = " + values.getString(RG_DEPENDENCIES)
                    + " names the group " + group + " itself; a group cannot depend on itself");
        }
        int maximum = values.getInt(MAXIMUM_PRIMARIES);
        if (FAILOVER.equals(values.getString(RG_MODE)) && maximum != 1) {
            throw new PropertyException(MAXIMUM_PRIMARIES, MAXIMUM_PRIMARIES + " = " + maximum + " is not allowed"
                    + " with " + RG_MODE + " = " + FAILOVER + "; a failover group has one primary (expected 1)");
        }
        int desired = values.getInt(DESIRED_PRIMARIES);
        if (desired > maximum) {
            throw new PropertyException(DESIRED_PRIMARIES, DESIRED_PRIMARIES + " = " + desired + " is above "
                    + MAXIMUM_PRIMARIES + " = " + maximum);
        }
    }

    @Override
    public String toString() {
        return "GroupSchema[local node " + localNode + "]";
    }
}
