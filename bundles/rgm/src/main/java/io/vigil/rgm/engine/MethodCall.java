package io.vigil.rgm.engine;

import io.vigil.api.type.Method;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ValidateMode;
import io.vigil.rgm.registry.RegisteredType;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One callback method to run: which type, method and resource, with what properties and under
 * what timeout.
 *
 * @param type the resource's type
 * @param method the method
 * @param resource the resource's name
 * @param group the group's name
 * @param properties the resource's properties (proposed ones during Validate)
 * @param extensionNames which of them are extension properties
 * @param groupProperties the group's properties
 * @param validateMode CREATE or UPDATE during Validate
 * @param changed the changed names (update), or every name (create)
 * @param timeout the method's timeout
 * @param status receives Status/Status_msg changes made by the method
 */
record MethodCall(RegisteredType type, Method method, String resource, String group, PropertyValues properties,
        Set<String> extensionNames, PropertyValues groupProperties, Optional<ValidateMode> validateMode,
        Set<String> changed, Duration timeout, BiConsumer<ResourceStatus, String> status) {

    /** @return {@code Method res (type, group)} for messages */
    String describe() {
        return method.rtrName() + " of " + resource;
    }
}
