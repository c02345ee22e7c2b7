package io.vigil.rgm.rtr;

import io.vigil.api.type.Method;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A parsed RTR file: the resource-type properties, the upgrade directives and the paramtable.
 * Immutable; built by {@link RtrParser}.
 */
public final class RtrFile {

    /** {@code Init_nodes} value meaning the nodes that can master the resource group (the default). */
    public static final String RG_PRIMARIES = "RG_PRIMARIES";
    /** {@code Init_nodes} value meaning the nodes where the type is installed. */
    public static final String RT_INSTALLED_NODES = "RT_INSTALLED_NODES";
    /** {@code API_version} when the file declares none. */
    public static final int DEFAULT_API_VERSION = 2;

    private final String source;
    private final String resourceType;
    private final String vendorId;
    private final String version;
    private final String description;
    private final String rtBasedir;
    private final Map<Method, String> methods;
    private final Map<String, List<String>> typeProperties;
    private final boolean failover;
    private final boolean singleInstance;
    private final int apiVersion;
    private final String initNodes;
    private final List<String> pkglist;
    private final boolean upgradeAware;
    private final List<UpgradeFrom> upgradeFrom;
    private final List<PropertyDecl> properties;
    private final Map<String, PropertyDecl> propertyIndex;

    RtrFile(String source, Map<String, List<String>> typeProperties, Map<Method, String> methods,
            boolean upgradeAware, List<UpgradeFrom> upgradeFrom, List<PropertyDecl> properties) {
        this.source = source;
        TreeMap<String, List<String>> tp = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        typeProperties.forEach((k, v) -> tp.put(k, List.copyOf(v)));
        this.typeProperties = Collections.unmodifiableMap(tp);
        this.methods = methods.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(methods));
        this.resourceType = single("Resource_type").orElseThrow();
        this.vendorId = single("Vendor_id").orElse(null);
        this.version = single("RT_version").orElse("");
        this.description = single("RT_description").orElse("");
        this.rtBasedir = single("RT_basedir").orElse(null);
        this.failover = flag("Failover");
        this.singleInstance = flag("Single_instance");
        this.apiVersion = single("API_version").map(Integer::parseInt).orElse(DEFAULT_API_VERSION);
        this.initNodes = single("Init_nodes").map(RtrFile::normalizeInitNodes).orElse(RG_PRIMARIES);
        this.pkglist = tp.getOrDefault("Pkglist", List.of());
        this.upgradeAware = upgradeAware;
        this.upgradeFrom = List.copyOf(upgradeFrom);
        this.properties = List.copyOf(properties);
        TreeMap<String, PropertyDecl> idx = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (PropertyDecl p : this.properties) {
            idx.put(p.name(), p);
        }
        this.propertyIndex = Collections.unmodifiableMap(idx);
    }

    private Optional<String> single(String key) {
        List<String> v = typeProperties.get(key);
        return v == null ? Optional.empty() : Optional.of(v.isEmpty() ? "" : v.get(0));
    }

    private static String normalizeInitNodes(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        return "RG_NODELIST".equals(upper) ? RG_PRIMARIES : upper;
    }

    private boolean flag(String key) {
        return single(key).map("TRUE"::equalsIgnoreCase).orElse(false);
    }

    /** @return the file name or path the parser was given */
    public String source() {
        return source;
    }

    /** @return the {@code Resource_type}, e.g. {@code hasam} */
    public String resourceType() {
        return resourceType;
    }

    /** @return the {@code Vendor_id}, e.g. {@code SUNW} */
    public Optional<String> vendorId() {
        return Optional.ofNullable(vendorId);
    }

    /** @return {@code Vendor_id.Resource_type}, or just {@code Resource_type} without a vendor */
    public String fullName() {
        return vendorId == null ? resourceType : vendorId + "." + resourceType;
    }

    /** @return the {@code RT_version}, or {@code ""} */
    public String version() {
        return version;
    }

    /** @return the {@code RT_description}, or {@code ""} */
    public String description() {
        return description;
    }

    /** @return the {@code RT_basedir} */
    public Optional<String> rtBasedir() {
        return Optional.ofNullable(rtBasedir);
    }

    /** @return the declared callback methods and their program paths as written */
    public Map<Method, String> methods() {
        return methods;
    }

    /**
     * The program of a method, completed with {@code RT_basedir} when the path is relative.
     * A relative path stays as written when the file has no {@code RT_basedir}.
     *
     * @param method a callback method
     * @return the path, or empty when the file does not declare the method
     */
    public Optional<String> resolveMethod(Method method) {
        String path = methods.get(method);
        if (path == null) {
            return Optional.empty();
        }
        if (path.startsWith("/") || rtBasedir == null) {
            return Optional.of(path);
        }
        return Optional.of(rtBasedir.endsWith("/") ? rtBasedir + path : rtBasedir + "/" + path);
    }

    /**
     * The timeout of a method: the {@code DEFAULT} of its {@code <Method>_timeout} entry, else
     * {@link Method#DEFAULT_TIMEOUT_SECONDS}.
     *
     * @param method a callback method
     * @return seconds
     */
    public int methodTimeout(Method method) {
        return property(method.timeoutProperty()).flatMap(PropertyDecl::defaultValue)
                .map(Integer::parseInt).orElse(Method.DEFAULT_TIMEOUT_SECONDS);
    }

    /**
     * Every resource-type property of the file, methods included, with its values as written
     * ({@code ["TRUE"]} for a bare {@code NAME;}). Keys are in canonical case (e.g.
     * {@code RT_version}), looked up ignoring case, and iterate alphabetically.
     *
     * @return the resource-type properties
     */
    public Map<String, List<String>> typeProperties() {
        return typeProperties;
    }

    /** @return {@code Failover}; false when not declared */
    public boolean failover() {
        return failover;
    }

    /** @return {@code Single_instance}; false when not declared */
    public boolean singleInstance() {
        return singleInstance;
    }

    /** @return {@code API_version}; {@value #DEFAULT_API_VERSION} when not declared */
    public int apiVersion() {
        return apiVersion;
    }

    /**
     * The {@code Init_nodes} value in upper case: {@link #RG_PRIMARIES} (the default; also for the
     * later spelling {@code RG_NODELIST}) or {@link #RT_INSTALLED_NODES}.
     *
     * @return the Init_nodes value
     */
    public String initNodes() {
        return initNodes;
    }

    /** @return the {@code Pkglist} values; empty when not declared */
    public List<String> pkglist() {
        return pkglist;
    }

    /** @return true when the file has the {@code #$upgrade} directive */
    public boolean upgradeAware() {
        return upgradeAware;
    }

    /** @return the {@code #$upgrade_from} directives in file order */
    public List<UpgradeFrom> upgradeFrom() {
        return upgradeFrom;
    }

    /** @return the paramtable entries in file order */
    public List<PropertyDecl> properties() {
        return properties;
    }

    /**
     * Finds a paramtable entry, ignoring case.
     *
     * @param name a property name
     * @return the entry, or empty when the file declares none by that name
     */
    public Optional<PropertyDecl> property(String name) {
        return Optional.ofNullable(propertyIndex.get(name));
    }

    @Override
    public String toString() {
        return "RtrFile[" + fullName() + (version.isEmpty() ? "" : ":" + version) + ", methods=" + methods.keySet()
                + ", " + properties.size() + " properties, source=" + source + "]";
    }
}
