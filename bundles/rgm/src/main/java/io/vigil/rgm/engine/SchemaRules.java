package io.vigil.rgm.engine;

import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import io.vigil.rgm.props.GroupSchema;
import io.vigil.rgm.props.PropertyException;
import io.vigil.rgm.props.ResolvedProperties;
import io.vigil.rgm.props.ResourceSchema;
import io.vigil.rgm.registry.RegisteredType;
import io.vigil.rgm.rtr.RtrFile;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** {@link PropertyRules} from the RTR-derived resource schemas and the group schema. */
final class SchemaRules implements PropertyRules {

    private final GroupSchema groups;
    private final Map<RtrFile, ResourceSchema> schemas = Collections.synchronizedMap(new WeakHashMap<>());

    SchemaRules(String localNode) {
        this.groups = GroupSchema.of(localNode);
    }

    private ResourceSchema schema(RegisteredType type) {
        return schemas.computeIfAbsent(type.rtr(), ResourceSchema::of);
    }

    private static Resolved resolved(ResolvedProperties p) {
        return new Resolved(p.values().asMap(), p.changed());
    }

    @Override
    public Resolved createResource(RegisteredType type, Map<String, String> given) throws RgmException {
        try {
            return resolved(schema(type).validateCreate(given));
        } catch (PropertyException e) {
            throw new RgmException(e.getMessage(), e);
        }
    }

    @Override
    public Resolved updateResource(RegisteredType type, Map<String, String> current, Map<String, String> changes,
            boolean disabled) throws RgmException {
        try {
            return resolved(schema(type).validateUpdate(PropertyValues.of(current), changes, disabled));
        } catch (PropertyException e) {
            throw new RgmException(e.getMessage(), e);
        }
    }

    @Override
    public Resolved createGroup(String group, Map<String, String> given) throws RgmException {
        try {
            return resolved(groups.validateCreate(group, given));
        } catch (PropertyException e) {
            throw new RgmException(e.getMessage(), e);
        }
    }

    @Override
    public Resolved updateGroup(String group, Map<String, String> current, Map<String, String> changes)
            throws RgmException {
        try {
            return resolved(groups.validateUpdate(group, PropertyValues.of(current), changes));
        } catch (PropertyException e) {
            throw new RgmException(e.getMessage(), e);
        }
    }
}
