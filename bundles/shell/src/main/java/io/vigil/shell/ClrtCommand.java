package io.vigil.shell;

import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.Method;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code clrt}: resource types, as Sun Cluster's {@code clresourcetype}. */
@Component(service = ClrtCommand.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=clrt"
})
public final class ClrtCommand {

    static final String USAGE = "clrt list [-o json] | clrt show [-o json] <type> | clrt register <file.rtr> | "
            + "clrt unregister <type>";

    private final ResourceTypeRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ResourceGroupManager rgm;

    /** @param registry the registered types */
    @Activate
    public ClrtCommand(@Reference ResourceTypeRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     * @throws RgmException when the RGM refuses a registration change
     */
    @Descriptor("resource types: " + USAGE)
    public String clrt(@Descriptor("subcommand and arguments") String... args) throws RgmException {
        if (args.length == 0) {
            throw new UsageException("clrt needs a subcommand; expected " + USAGE);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "list": {
                Args a = Args.parse("clrt list [-o json]", Set.of(), Set.of("-o"), Set.of(), rest);
                if (!a.operands().isEmpty()) {
                    throw new UsageException("clrt list takes no operand; expected clrt list [-o json]");
                }
                if (a.json()) {
                    return Views.json(registry.types().stream().map(Views::type).toList());
                }
                Table table = new Table("NAME", "VERSION", "KIND", "PROVIDER", "METHODS");
                for (ResourceTypeInfo t : registry.types()) {
                    table.row(t.name(), t.version(), t.kind(), t.provider(), t.methods().size());
                }
                return table.toString();
            }
            case "show": {
                Args a = Args.parse("clrt show [-o json] <type>", Set.of(), Set.of("-o"), Set.of(), rest);
                if (a.operands().isEmpty()) {
                    throw new UsageException("clrt show needs a type name; expected clrt show <type>");
                }
                ResourceTypeInfo t = find(a.operand("type name"));
                return a.json() ? Views.json(Views.type(t)) : show(t);
            }
            case "register": {
                Args a = Args.parse("clrt register <file.rtr>", Set.of(), Set.of(), Set.of(), rest);
                ResourceTypeInfo t = manager().registerType(a.operand("RTR file"));
                return "Resource type " + t.name() + " " + t.version() + " registered from " + t.rtrLocation() + "\n";
            }
            case "unregister": {
                Args a = Args.parse("clrt unregister <type>", Set.of(), Set.of(), Set.of(), rest);
                manager().unregisterType(a.operand("type name"));
                return "Resource type " + a.operand("type name") + " unregistered\n";
            }
            default:
                throw new UsageException("unknown clrt subcommand '" + args[0] + "'; expected " + USAGE);
        }
    }

    private ResourceGroupManager manager() throws RgmException {
        ResourceGroupManager m = rgm;
        if (m == null) {
            throw new RgmException("the resource group manager is not active; see the log");
        }
        return m;
    }

    private ResourceTypeInfo find(String type) {
        return registry.find(type).orElseThrow(() -> new IllegalArgumentException(
                "resource type " + type + " is not registered; registered: "
                        + registry.types().stream().map(ResourceTypeInfo::name).collect(Collectors.joining(", ", "[", "]"))));
    }

    private static String show(ResourceTypeInfo t) {
        String methods = t.methods().stream().sorted().map(Method::rtrName).collect(Collectors.joining(", "));
        return "Resource type:  " + t.name() + "\n"
                + "  Version:      " + t.version() + "\n"
                + "  Description:  " + t.description() + "\n"
                + "  Kind:         " + t.kind() + "\n"
                + "  Provider:     " + t.provider() + " (bundle " + t.bundleId() + ")\n"
                + "  RTR file:     " + t.rtrLocation() + "\n"
                + "  Methods:      " + methods + "\n";
    }
}
