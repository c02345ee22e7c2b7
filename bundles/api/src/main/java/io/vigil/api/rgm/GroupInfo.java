package io.vigil.api.rgm;

import io.vigil.api.type.PropertyValues;
import java.util.List;
import java.util.Objects;

/**
 * A resource group as the RGM sees it now.
 *
 * @param name the group's name
 * @param properties its properties (Nodelist, RG_mode, Maximum_primaries, ...), defaults filled in
 * @param state its state on this node
 * @param wantedOnline whether the operator wants it online (the reconciler's target)
 * @param resources its resources' names, in the order they were created
 * @param message why it is in its state, when that needs saying (e.g. "no other node to relocate to")
 */
public record GroupInfo(String name, PropertyValues properties, GroupState state, boolean wantedOnline,
        List<String> resources, String message) {

    /** Checks for nulls and copies the list. */
    public GroupInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        resources = List.copyOf(resources);
    }
}
