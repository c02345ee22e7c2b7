package io.vigil.api.rgm;

import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import java.util.Objects;
import java.util.Set;

/**
 * A resource as the RGM sees it now.
 *
 * @param name the resource's name
 * @param group its group's name
 * @param type its type's full name
 * @param properties its properties, standard and extension, defaults filled in
 * @param extensionProperties which of the properties are extension properties
 * @param enabled whether it is enabled (On_off_switch)
 * @param monitored whether its fault monitor should run (Monitored_switch)
 * @param state its state on this node
 * @param status its fault-monitor status
 * @param statusMessage the status message ({@code Status_msg}), possibly empty
 */
public record ResourceInfo(String name, String group, String type, PropertyValues properties,
        Set<String> extensionProperties, boolean enabled, boolean monitored, ResourceState state,
        ResourceStatus status, String statusMessage) {

    /** Checks for nulls and copies the set. */
    public ResourceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusMessage, "statusMessage");
        extensionProperties = Set.copyOf(extensionProperties);
    }
}
