package io.vigil.api.type;

import java.util.Objects;
import java.util.Set;

/**
 * What the registry knows of one registered resource type.
 *
 * @param name full name, {@code Vendor_id.Resource_type} (just {@code Resource_type} when the
 *        RTR file has no {@code Vendor_id})
 * @param version the {@code RT_version}, or empty when the RTR file has none
 * @param description the {@code RT_description}, or empty
 * @param kind whether the methods are Java code or programs
 * @param provider where the type came from: the providing bundle's symbolic name and version for a
 *        Java type, the RTR file's path for a script type
 * @param bundleId id of the providing bundle; for a script type, of the bundle that registered it
 * @param methods the callback methods the RTR file declares
 * @param rtrLocation where the RTR text was read from
 * @param rtBasedir the RTR file's {@code RT_basedir}, or empty when it has none
 */
public record ResourceTypeInfo(String name, String version, String description, Kind kind, String provider,
        long bundleId, Set<Method> methods, String rtrLocation, String rtBasedir) {

    /** How a type's methods are implemented. */
    public enum Kind {
        /** A {@link ResourceType} service. */
        JAVA,
        /** Programs named in an RTR file (implemented from issue #3 on). */
        SCRIPT
    }

    /** Checks that no component is null and copies the method set. */
    public ResourceTypeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(rtrLocation, "rtrLocation");
        Objects.requireNonNull(rtBasedir, "rtBasedir");
        methods = Set.copyOf(methods);
    }

    /**
     * A type whose RTR file has no {@code RT_basedir} (the 1.0 constructor).
     *
     * @param name full name
     * @param version the {@code RT_version}
     * @param description the {@code RT_description}
     * @param kind Java or script
     * @param provider where the type came from
     * @param bundleId id of the providing bundle
     * @param methods the declared callback methods
     * @param rtrLocation where the RTR text was read from
     */
    public ResourceTypeInfo(String name, String version, String description, Kind kind, String provider,
            long bundleId, Set<Method> methods, String rtrLocation) {
        this(name, version, description, kind, provider, bundleId, methods, rtrLocation, "");
    }
}
