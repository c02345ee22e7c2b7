package io.vigil.rgm.registry;

import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.rgm.rtr.RtrFile;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered type: its public description, its parsed RTR schema, and for a Java type the
 * service that implements its methods.
 *
 * @param info what clrt shows
 * @param rtr the parsed RTR file
 * @param java the implementation of a Java type; empty for a script type
 */
public record RegisteredType(ResourceTypeInfo info, RtrFile rtr, Optional<ResourceType> java) {

    /** Checks for nulls. */
    public RegisteredType {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(rtr, "rtr");
        Objects.requireNonNull(java, "java");
    }

    /** @return the type's full name */
    public String name() {
        return info.name();
    }
}
