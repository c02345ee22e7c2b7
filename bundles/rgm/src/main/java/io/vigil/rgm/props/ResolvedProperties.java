package io.vigil.rgm.props;

import io.vigil.api.type.PropertyValues;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of a validated creation or change: every value of the resource or group, and what
 * the call set.
 *
 * @param values every property with its canonical value, defaults filled in
 * @param changed canonical names of the properties this call set: at creation those the caller
 *        gave, on update those whose value really changed (empty when nothing did); in the
 *        caller's order. These are what Validate {@code -u} is given.
 * @param extensionNames canonical names of the extension properties (Validate {@code -x}); all
 *        others are standard ({@code -r} for a resource, {@code -g} for a group)
 */
public record ResolvedProperties(PropertyValues values, Set<String> changed, Set<String> extensionNames) {

    /** Checks for nulls and copies the sets, keeping their order. */
    public ResolvedProperties {
        Objects.requireNonNull(values, "values");
        changed = Collections.unmodifiableSet(new LinkedHashSet<>(changed));
        extensionNames = Collections.unmodifiableSet(new LinkedHashSet<>(extensionNames));
    }

    /**
     * @param name a property name, in any case
     * @return true when it is an extension property
     */
    public boolean isExtension(String name) {
        return extensionNames.stream().anyMatch(name::equalsIgnoreCase);
    }
}
