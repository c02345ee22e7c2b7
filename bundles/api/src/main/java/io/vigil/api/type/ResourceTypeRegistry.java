package io.vigil.api.type;

import java.util.List;
import java.util.Optional;

/**
 * The registered resource types, as the RGM knows them. Provided by the RGM bundle as a service.
 *
 * <p>A view only: types are registered by installing a bundle with a {@link ResourceType} service
 * or (from issue #3 on) an RTR file.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ResourceTypeRegistry {

    /** @return every registered type, ordered by name */
    List<ResourceTypeInfo> types();

    /**
     * @param name a type's full name, {@code Vendor_id.Resource_type}, in any case
     * @return the type, or empty when none has that name
     */
    Optional<ResourceTypeInfo> find(String name);
}
