package io.vigil.rgm.registry;

import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import io.vigil.rgm.rtr.RtrException;
import io.vigil.rgm.rtr.RtrFile;
import io.vigil.rgm.rtr.RtrParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of resource types: a whiteboard of {@link ResourceType} services, each described
 * by the RTR file its bundle ships. A type arrives and leaves with its service; two providers of
 * one name are both kept, and the one registered first is the type until it leaves.
 */
@Component(service = ResourceTypeRegistry.class, immediate = true)
public final class TypeRegistry implements ResourceTypeRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TypeRegistry.class);

    /** Registered types by service id: the lowest id of a name is the active provider. */
    private final Map<Long, RegisteredType> byService = new ConcurrentHashMap<>();

    @Reference(service = ResourceType.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindResourceType(ServiceReference<ResourceType> ref) {
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        Bundle bundle = ref.getBundle();
        if (bundle == null) {
            return; // unregistered while we were told of it
        }
        try {
            RegisteredType type = describe(ref, bundle);
            Optional<ResourceTypeInfo> existing = find(type.info().name());
            byService.put(serviceId, type);
            if (existing.isPresent()) {
                LOG.warn("Resource type {} from {} is already provided by {}; the new one stays inactive while that one is registered",
                        type.info().name(), type.info().provider(), existing.get().provider());
            } else {
                LOG.info("Resource type {} {} registered from {} (methods {})", type.info().name(),
                        type.info().version(), type.info().provider(), type.info().methods());
            }
        } catch (RtrException | IOException | IllegalArgumentException e) {
            LOG.error("Resource type service {} of bundle {} is not registered: {}", serviceId, bundle.getSymbolicName(),
                    e.getMessage());
        }
    }

    void unbindResourceType(ServiceReference<ResourceType> ref) {
        RegisteredType gone = byService.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone != null) {
            LOG.info("Resource type {} from {} unregistered", gone.info().name(), gone.info().provider());
        }
    }

    private static RegisteredType describe(ServiceReference<ResourceType> ref, Bundle bundle)
            throws RtrException, IOException {
        Object path = ref.getProperty(ResourceType.RTR);
        if (!(path instanceof String) || ((String) path).isBlank()) {
            throw new IllegalArgumentException("service property " + ResourceType.RTR
                    + " is missing; expected the path of the type's RTR file inside the bundle");
        }
        URL entry = bundle.getEntry((String) path);
        if (entry == null) {
            throw new IllegalArgumentException("RTR file " + path + " named by " + ResourceType.RTR
                    + " is not in the bundle");
        }
        String location = bundle.getSymbolicName() + ":" + path;
        String text;
        try (InputStream in = entry.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RtrFile rtr = RtrParser.parse(location, text);
        String provider = bundle.getSymbolicName() + " " + bundle.getVersion();
        return new RegisteredType(new ResourceTypeInfo(rtr.fullName(), rtr.version(), rtr.description(),
                ResourceTypeInfo.Kind.JAVA, provider, bundle.getBundleId(), rtr.methods().keySet(), location), rtr);
    }

    @Override
    public List<ResourceTypeInfo> types() {
        return byService.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().info())
                .filter(distinctByName())
                .sorted(Comparator.comparing(i -> i.name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    @Override
    public Optional<ResourceTypeInfo> find(String name) {
        return byService.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().info())
                .filter(i -> i.name().equalsIgnoreCase(name))
                .findFirst();
    }

    private static java.util.function.Predicate<ResourceTypeInfo> distinctByName() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return i -> seen.add(i.name().toLowerCase(Locale.ROOT));
    }

    /** A registered type: its public description and its parsed RTR schema. */
    record RegisteredType(ResourceTypeInfo info, RtrFile rtr) {
    }
}
