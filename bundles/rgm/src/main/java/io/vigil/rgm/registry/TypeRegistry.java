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
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of resource types. Java types arrive and leave with their {@link ResourceType}
 * services (a whiteboard), each described by the RTR file its bundle ships; script types are
 * registered from RTR files. Two providers of one name are both kept, and the one registered
 * first is the type until it leaves.
 */
@Component(service = {ResourceTypeRegistry.class, TypeRegistry.class}, immediate = true)
public final class TypeRegistry implements ResourceTypeRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TypeRegistry.class);

    /** Registration order: Java services by service id, script types after every service. */
    private final Map<Long, RegisteredType> byOrder = new ConcurrentHashMap<>();
    private final Map<String, Long> scriptOrder = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final long bundleId;
    private long nextScriptOrder = Long.MAX_VALUE / 2;

    /** @param context the component's bundle context, to name the registering bundle of script types */
    @Activate
    public TypeRegistry(org.osgi.framework.BundleContext context) {
        this.bundleId = context.getBundle().getBundleId();
    }

    /**
     * A registry outside a framework (tests, tools): script types only.
     *
     * @param bundleId the id shown as the registering bundle of script types
     */
    public TypeRegistry(long bundleId) {
        this.bundleId = bundleId;
    }

    /**
     * @param listener told the name of every type that arrives or leaves
     */
    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** @param listener a listener added before */
    public void removeListener(Consumer<String> listener) {
        listeners.remove(listener);
    }

    private void changed(String name) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(name);
            } catch (RuntimeException e) {
                LOG.error("Type listener failed for {}: {}", name, e.toString());
            }
        }
    }

    @Reference(service = ResourceType.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindResourceType(ResourceType service, ServiceReference<ResourceType> ref) {
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        Bundle bundle = ref.getBundle();
        if (bundle == null) {
            return; // unregistered while we were told of it
        }
        try {
            RegisteredType type = describe(service, ref, bundle);
            add(serviceId, type);
        } catch (RtrException | IOException | IllegalArgumentException e) {
            LOG.error("Resource type service {} of bundle {} is not registered: {}", serviceId, bundle.getSymbolicName(),
                    e.getMessage());
        }
    }

    void unbindResourceType(ServiceReference<ResourceType> ref) {
        RegisteredType gone = byOrder.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone != null) {
            LOG.info("Resource type {} from {} unregistered", gone.name(), gone.info().provider());
            changed(gone.name());
        }
    }

    private void add(long order, RegisteredType type) {
        Optional<RegisteredType> existing = active(type.name());
        byOrder.put(order, type);
        if (existing.isPresent()) {
            LOG.warn("Resource type {} from {} is already provided by {}; the new one stays inactive while that one is registered",
                    type.name(), type.info().provider(), existing.get().info().provider());
        } else {
            LOG.info("Resource type {} {} registered from {} (methods {})", type.name(), type.info().version(),
                    type.info().provider(), type.info().methods());
            changed(type.name());
        }
    }

    private static RegisteredType describe(ResourceType service, ServiceReference<ResourceType> ref, Bundle bundle)
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
                ResourceTypeInfo.Kind.JAVA, provider, bundle.getBundleId(), rtr.methods().keySet(), location,
                rtr.rtBasedir().orElse("")), rtr,
                Optional.of(service));
    }

    /**
     * Registers a script type from an RTR file.
     *
     * @param file the RTR file
     * @return the registered type
     * @throws RtrException if the file is not a valid RTR file
     * @throws IOException if it cannot be read
     * @throws IllegalStateException if a type of that name is already registered
     */
    public synchronized RegisteredType registerScript(Path file) throws RtrException, IOException {
        Path absolute = file.toAbsolutePath().normalize();
        RtrFile rtr = RtrParser.parse(absolute);
        Optional<RegisteredType> existing = active(rtr.fullName());
        if (existing.isPresent()) {
            throw new IllegalStateException("resource type " + rtr.fullName() + " is already registered from "
                    + existing.get().info().provider() + "; unregister it first");
        }
        RegisteredType type = new RegisteredType(new ResourceTypeInfo(rtr.fullName(), rtr.version(), rtr.description(),
                ResourceTypeInfo.Kind.SCRIPT, absolute.toString(), bundleId, rtr.methods().keySet(), absolute.toString(),
                rtr.rtBasedir().orElse("")),
                rtr, Optional.empty());
        long order = nextScriptOrder++;
        scriptOrder.put(key(rtr.fullName()), order);
        add(order, type);
        return type;
    }

    /**
     * Removes a script type.
     *
     * @param name the type's name
     * @return the type removed, or empty if no script type has that name
     */
    public synchronized Optional<RegisteredType> unregisterScript(String name) {
        Long order = scriptOrder.remove(key(name));
        if (order == null) {
            return Optional.empty();
        }
        RegisteredType gone = byOrder.remove(order);
        LOG.info("Resource type {} from {} unregistered", gone.name(), gone.info().provider());
        changed(gone.name());
        return Optional.of(gone);
    }

    /**
     * @param name a type's name, any case
     * @return the active registration of that name
     */
    public Optional<RegisteredType> active(String name) {
        return byOrder.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .filter(t -> t.name().equalsIgnoreCase(name))
                .findFirst();
    }

    @Override
    public List<ResourceTypeInfo> types() {
        Set<String> seen = new HashSet<>();
        return byOrder.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().info())
                .filter(i -> seen.add(key(i.name())))
                .sorted(Comparator.comparing(i -> key(i.name())))
                .toList();
    }

    @Override
    public Optional<ResourceTypeInfo> find(String name) {
        return active(name).map(RegisteredType::info);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
