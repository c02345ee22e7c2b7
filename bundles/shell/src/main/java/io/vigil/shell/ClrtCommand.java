package io.vigil.shell;

import io.vigil.api.type.Method;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code clrt}: resource types, as Sun Cluster's {@code clresourcetype} shows them. */
@Component(service = ClrtCommand.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=clrt"
})
public final class ClrtCommand {

    private final ResourceTypeRegistry registry;

    /** @param registry the registered types */
    @Activate
    public ClrtCommand(@Reference ResourceTypeRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param subcommand {@code list}
     * @return the table of registered types
     */
    @Descriptor("list the registered resource types: clrt list")
    public String clrt(@Descriptor("list") String subcommand) {
        if (subcommand.equals("show")) {
            throw new UsageException("clrt show needs a type name; expected clrt show <type>");
        }
        requireSubcommand(subcommand, "list");
        Table table = new Table("NAME", "VERSION", "KIND", "PROVIDER", "METHODS");
        for (ResourceTypeInfo t : registry.types()) {
            table.row(t.name(), t.version(), t.kind(), t.provider(), t.methods().size());
        }
        return table.toString();
    }

    /**
     * @param subcommand {@code show}
     * @param type a type's full name
     * @return the type's details
     */
    @Descriptor("show one resource type: clrt show <type>")
    public String clrt(@Descriptor("show") String subcommand, @Descriptor("type name, Vendor_id.Resource_type") String type) {
        requireSubcommand(subcommand, "show");
        ResourceTypeInfo t = registry.find(type).orElseThrow(() -> new IllegalArgumentException(
                "resource type " + type + " is not registered; registered: "
                        + registry.types().stream().map(ResourceTypeInfo::name).collect(Collectors.joining(", ", "[", "]"))));
        String methods = t.methods().stream().sorted().map(Method::rtrName).collect(Collectors.joining(", "));
        return "Resource type:  " + t.name() + "\n"
                + "  Version:      " + t.version() + "\n"
                + "  Description:  " + t.description() + "\n"
                + "  Kind:         " + t.kind() + "\n"
                + "  Provider:     " + t.provider() + " (bundle " + t.bundleId() + ")\n"
                + "  RTR file:     " + t.rtrLocation() + "\n"
                + "  Methods:      " + methods + "\n";
    }

    private static void requireSubcommand(String given, String expected) {
        if (!given.equals(expected)) {
            throw new UsageException("unknown clrt subcommand '" + given + "'; expected clrt list or clrt show <type>");
        }
    }
}
