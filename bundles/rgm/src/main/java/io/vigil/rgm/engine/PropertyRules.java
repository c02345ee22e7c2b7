package io.vigil.rgm.engine;

import io.vigil.api.rgm.RgmException;
import io.vigil.rgm.registry.RegisteredType;
import java.util.Map;
import java.util.Set;

/** Validation of resource and group properties against their schemas. */
interface PropertyRules {

    /**
     * @param values every property's value, canonical names, defaults filled in
     * @param changed the names whose values differ from before (every name on creation)
     */
    record Resolved(Map<String, String> values, Set<String> changed) {
    }

    Resolved createResource(RegisteredType type, Map<String, String> given) throws RgmException;

    Resolved updateResource(RegisteredType type, Map<String, String> current, Map<String, String> changes,
            boolean disabled) throws RgmException;

    Resolved createGroup(String group, Map<String, String> given) throws RgmException;

    Resolved updateGroup(String group, Map<String, String> current, Map<String, String> changes) throws RgmException;
}
