package io.vigil.rgm.exec;

import io.vigil.api.type.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The argument vector and environment of one call of a script type's method program, built
 * exactly as Sun Cluster builds them (legacy spec §4.1).
 *
 * <p><b>Arguments.</b> Every method but Validate:
 * <pre>{@code <program> -R <resource> -T <type> -G <group>}</pre>
 * Validate:
 * <pre>{@code <program> -c|-u -R <resource> -T <type> -G <group> [-r prop=val]... [-x prop=val]... [-g prop=val]...}</pre>
 * With {@code -c} (creation) every system-defined property of the resource is passed as
 * {@code -r}, every extension property as {@code -x} and every property of its group as
 * {@code -g}; with {@code -u} (update) only the properties being changed. Each {@code prop=val} is
 * one argument, so values may hold spaces and {@code =}; properties keep the iteration order of
 * the maps given (pass a {@code LinkedHashMap} or {@code TreeMap}). Array values are passed as the
 * caller formats them (Sun Cluster uses comma-separated lists). Zones ({@code -Z}) and per-node
 * values ({@code -X}) are not supported.
 *
 * <p><b>Environment.</b> The program does not inherit the agent's environment. It gets
 * <ul>
 *   <li>the fixed base {@link #BASE_ENVIRONMENT}: {@code PATH=/usr/sbin:/usr/bin:/sbin:/bin} and
 *       {@code LANG=C};</li>
 *   <li>{@code VIGIL_RESOURCE}, {@code VIGIL_TYPE}, {@code VIGIL_GROUP}: the names passed with
 *       {@code -R}, {@code -T}, {@code -G};</li>
 *   <li>{@code VIGIL_METHOD}: the method's RTR name, e.g. {@code Monitor_start};</li>
 *   <li>one variable per property: {@code VIGIL_R_<NAME>} for a system-defined property,
 *       {@code VIGIL_X_<NAME>} for an extension property, {@code VIGIL_G_<NAME>} for a property of
 *       the resource group. {@code <NAME>} is the property name in upper case (Sun Cluster property
 *       names ignore case) with every character outside {@code [A-Z0-9_]} replaced by {@code _}:
 *       {@code Start_timeout} gives {@code VIGIL_R_START_TIMEOUT}, {@code Confdir-list} gives
 *       {@code VIGIL_X_CONFDIR_LIST}. When two names of one kind map to the same variable, the
 *       first wins and a warning is logged.</li>
 * </ul>
 * The environment always carries all the properties the caller passed as current values; for
 * Validate it carries the values being proposed: for {@code -c} all of them, for {@code -u} the
 * current values with the changed ones laid over them (the arguments still list only the changed
 * ones).
 */
public final class MethodCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MethodCommand.class);

    /** The environment every method program starts from. */
    public static final Map<String, String> BASE_ENVIRONMENT;

    static {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        base.put("LANG", "C");
        BASE_ENVIRONMENT = Collections.unmodifiableMap(base);
    }

    /** Which kind of Validate call: creation or update. */
    public enum ValidateMode {
        /** {@code -c}: the resource is being created; all properties are passed. */
        CREATE("-c"),
        /** {@code -u}: the resource's properties are being changed; only changed ones are passed. */
        UPDATE("-u");

        private final String flag;

        ValidateMode(String flag) {
            this.flag = flag;
        }

        /** @return {@code -c} or {@code -u} */
        public String flag() {
            return flag;
        }
    }

    /**
     * Property values of a resource, by kind, each in the order they should be passed. Names must
     * be non-empty and hold neither {@code =} nor NUL; values must not hold NUL. Immutable copies
     * of the maps are kept.
     *
     * @param system system-defined resource properties ({@code -r}, {@code VIGIL_R_})
     * @param extension extension properties ({@code -x}, {@code VIGIL_X_})
     * @param group properties of the resource group ({@code -g}, {@code VIGIL_G_})
     */
    public record PropertyValues(Map<String, String> system, Map<String, String> extension,
            Map<String, String> group) {

        private static final PropertyValues EMPTY = new PropertyValues(Map.of(), Map.of(), Map.of());

        /** Copies and checks the maps. */
        public PropertyValues {
            system = copy("system", system);
            extension = copy("extension", extension);
            group = copy("group", group);
        }

        /** @return values with no properties at all */
        public static PropertyValues empty() {
            return EMPTY;
        }

        private PropertyValues overlay(PropertyValues top) {
            return new PropertyValues(merge(system, top.system), merge(extension, top.extension),
                    merge(group, top.group));
        }

        private static Map<String, String> merge(Map<String, String> base, Map<String, String> top) {
            Map<String, String> m = new LinkedHashMap<>(base);
            m.putAll(top);
            return m;
        }

        private static Map<String, String> copy(String kind, Map<String, String> m) {
            Objects.requireNonNull(m, kind);
            Map<String, String> c = new LinkedHashMap<>();
            m.forEach((name, value) -> {
                if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("bad " + kind + " property name " + quote(name)
                            + "; expected a non-empty name without '=' or NUL");
                }
                if (value == null || value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("bad value of " + kind + " property " + name + ": "
                            + (value == null ? "null" : "contains NUL") + "; expected a string without NUL");
                }
                c.put(name, value);
            });
            return Collections.unmodifiableMap(c);
        }
    }

    private final Path program;
    private final Method method;
    private final ValidateMode validateMode;
    private final List<String> argv;
    private final Map<String, String> environment;

    private MethodCommand(Path program, Method method, ValidateMode validateMode, String resource, String type,
            String group, PropertyValues passed, PropertyValues environmentValues) {
        this.program = Objects.requireNonNull(program, "program");
        this.method = method;
        this.validateMode = validateMode;
        checkName("resource", resource);
        checkName("type", type);
        checkName("group", group);

        List<String> a = new ArrayList<>();
        a.add(program.toString());
        if (validateMode != null) {
            a.add(validateMode.flag());
        }
        a.add("-R");
        a.add(resource);
        a.add("-T");
        a.add(type);
        a.add("-G");
        a.add(group);
        if (passed != null) {
            passed.system().forEach((k, v) -> { a.add("-r"); a.add(k + "=" + v); });
            passed.extension().forEach((k, v) -> { a.add("-x"); a.add(k + "=" + v); });
            passed.group().forEach((k, v) -> { a.add("-g"); a.add(k + "=" + v); });
        }
        this.argv = List.copyOf(a);

        Map<String, String> env = new LinkedHashMap<>(BASE_ENVIRONMENT);
        env.put("VIGIL_RESOURCE", resource);
        env.put("VIGIL_TYPE", type);
        env.put("VIGIL_GROUP", group);
        env.put("VIGIL_METHOD", method.rtrName());
        putAll(env, "VIGIL_R_", environmentValues.system());
        putAll(env, "VIGIL_X_", environmentValues.extension());
        putAll(env, "VIGIL_G_", environmentValues.group());
        this.environment = Collections.unmodifiableMap(env);
    }

    /**
     * A call of any method but Validate: {@code <program> -R <resource> -T <type> -G <group>}.
     *
     * @param program the method program, an absolute path (see {@link ProgramCheck})
     * @param method the method; not {@link Method#VALIDATE}
     * @param resource the resource's name
     * @param type the resource type's name
     * @param group the resource group's name
     * @param properties the resource's current property values, for the environment only
     * @return the command
     * @throws IllegalArgumentException for Validate or an empty name
     */
    public static MethodCommand call(Path program, Method method, String resource, String type, String group,
            PropertyValues properties) {
        Objects.requireNonNull(method, "method");
        if (method == Method.VALIDATE) {
            throw new IllegalArgumentException(
                    "Validate takes -c or -u and properties; expected validateCreate or validateUpdate");
        }
        return new MethodCommand(program, method, null, resource, type, group, null,
                Objects.requireNonNull(properties, "properties"));
    }

    /**
     * Validate at creation: {@code <program> -c -R .. -T .. -G ..} followed by every system
     * ({@code -r}), extension ({@code -x}) and group ({@code -g}) property.
     *
     * @param program the Validate program, an absolute path
     * @param resource the resource's name
     * @param type the resource type's name
     * @param group the resource group's name
     * @param proposed all property values of the resource to be created, and of its group
     * @return the command
     */
    public static MethodCommand validateCreate(Path program, String resource, String type, String group,
            PropertyValues proposed) {
        Objects.requireNonNull(proposed, "proposed");
        return new MethodCommand(program, Method.VALIDATE, ValidateMode.CREATE, resource, type, group, proposed,
                proposed);
    }

    /**
     * Validate before an update: {@code <program> -u -R .. -T .. -G ..} followed by the changed
     * properties only.
     *
     * @param program the Validate program, an absolute path
     * @param resource the resource's name
     * @param type the resource type's name
     * @param group the resource group's name
     * @param current the current values (environment only)
     * @param changed the new values of the properties being changed (arguments and environment)
     * @return the command
     */
    public static MethodCommand validateUpdate(Path program, String resource, String type, String group,
            PropertyValues current, PropertyValues changed) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(changed, "changed");
        return new MethodCommand(program, Method.VALIDATE, ValidateMode.UPDATE, resource, type, group, changed,
                current.overlay(changed));
    }

    /** @return the method program */
    public Path program() {
        return program;
    }

    /** @return the method called */
    public Method method() {
        return method;
    }

    /** @return {@code -c} or {@code -u} for Validate; empty for other methods */
    public Optional<ValidateMode> validateMode() {
        return Optional.ofNullable(validateMode);
    }

    /** @return the argument vector, the program first; immutable */
    public List<String> argv() {
        return argv;
    }

    /** @return the program's whole environment, in a stable order; immutable */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The environment variable of a property.
     *
     * @param prefix {@code VIGIL_R_}, {@code VIGIL_X_} or {@code VIGIL_G_}
     * @param property the property's name
     * @return the prefix followed by the name in upper case with characters outside
     *     {@code [A-Z0-9_]} replaced by {@code _}
     */
    public static String environmentName(String prefix, String property) {
        StringBuilder b = new StringBuilder(prefix);
        String upper = property.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            b.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return b.toString();
    }

    private static void putAll(Map<String, String> env, String prefix, Map<String, String> properties) {
        Map<String, String> from = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            String var = environmentName(prefix, name);
            String earlier = from.putIfAbsent(var, name);
            if (earlier == null) {
                env.put(var, value);
            } else {
                LOG.warn("Properties {} and {} both map to environment variable {}; passing only {}",
                        earlier, name, var, earlier);
            }
        });
    }

    private static void checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad " + what + " name " + quote(name)
                    + "; expected a non-empty name without NUL");
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\0", "\\0") + "\"";
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
