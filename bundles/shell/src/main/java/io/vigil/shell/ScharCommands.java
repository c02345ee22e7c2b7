package io.vigil.shell;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.ResourceStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Sun Cluster query and control commands that agent scripts call: {@code scha_resource_get},
 * {@code scha_resourcegroup_get}, {@code scha_resource_setstatus} and {@code scha_control}. They
 * exit with the {@code scha_err_t} codes of the originals.
 *
 * <p>The numeric values follow {@code scha_err.h} as commonly published (NOERR 0, NOMEM 1,
 * HANDLE 2, INVAL 3, TAG 4, RECONF 5, ACCESS 6, SEQID 7, DEPEND 8, STATE 9, METHOD 10, NODE 11,
 * RG 12, RT 13, RSRC 14, PROP 15, CHECKS 16, RSTATUS 17, INTERNAL 18); the compatibility spec marks
 * all but 0 as unconfirmed.
 */
@Component(service = ScharCommands.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=scha_resource_get",
    "osgi.command.function=scha_resourcegroup_get",
    "osgi.command.function=scha_resource_setstatus",
    "osgi.command.function=scha_control"
})
public final class ScharCommands {

    static final int INVAL = 3;
    static final int TAG = 4;
    static final int STATE = 9;
    static final int RG = 12;
    static final int RSRC = 14;
    static final int PROP = 15;
    static final int CHECKS = 16;
    static final int RSTATUS = 17;
    static final int INTERNAL = 18;

    private final ResourceGroupManager rgm;

    /** @param rgm the resource group manager */
    @Activate
    public ScharCommands(@Reference ResourceGroupManager rgm) {
        this.rgm = rgm;
    }

    private static CommandStatusException fail(int status, String message) {
        return new CommandStatusException(status, message);
    }

    private static Args parse(String usage, Set<String> valued, String... args) {
        try {
            return Args.parse(usage, Set.of(), valued, Set.of(), Arrays.asList(args));
        } catch (UsageException e) {
            throw fail(INVAL, e.getMessage());
        }
    }

    private ResourceInfo resource(Args a) {
        String name = a.value("-R").orElseThrow(() -> fail(INVAL, "-R <resource> is required"));
        ResourceInfo r = rgm.resource(name).orElseThrow(() -> fail(RSRC, "resource " + name + " does not exist"));
        a.value("-G").filter(g -> !g.equalsIgnoreCase(r.group())).ifPresent(g -> {
            throw fail(RG, "resource " + name + " is in group " + r.group() + ", not " + g);
        });
        return r;
    }

    private GroupInfo group(Args a) {
        String name = a.value("-G").orElseThrow(() -> fail(INVAL, "-G <group> is required"));
        return rgm.group(name).orElseThrow(() -> fail(RG, "resource group " + name + " does not exist"));
    }

    private static String lines(String value, boolean array) {
        if (!array) {
            return value + "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (String v : value.split(",")) {
            if (!v.isEmpty()) {
                sb.append(v.trim()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * @param args {@code -O <optag> -R <resource> [-G <group>] [<extension property>]}
     * @return the value(s), one per line
     */
    @Descriptor("query a resource: scha_resource_get -O <optag> -R <resource> [-G <group>] [<extension property>]")
    public String scha_resource_get(String... args) {
        Args a = parse("scha_resource_get -O <optag> -R <resource> [-G <group>]", Set.of("-O", "-R", "-G"), args);
        String tag = a.value("-O").orElseThrow(() -> fail(INVAL, "-O <optag> is required"));
        ResourceInfo r = resource(a);
        switch (tag.toUpperCase(Locale.ROOT)) {
            case "RESOURCE_STATE":
                return r.state().name() + "\n";
            case "STATUS":
                return r.status().name() + "\n" + r.statusMessage() + "\n";
            case "ON_OFF_SWITCH":
                return (r.enabled() ? "ENABLED" : "DISABLED") + "\n";
            case "MONITORED_SWITCH":
                return (r.monitored() ? "ENABLED" : "DISABLED") + "\n";
            case "TYPE":
                return r.type() + "\n";
            case "GROUP":
                return r.group() + "\n";
            case "EXTENSION": {
                String prop = a.optionalOperand("extension property").orElseThrow(
                        () -> fail(INVAL, "-O Extension needs the extension property's name after the options"));
                if (!r.extensionProperties().stream().anyMatch(prop::equalsIgnoreCase)) {
                    throw fail(PROP, prop + " is not an extension property of " + r.name());
                }
                return lines(r.properties().getString(prop), true);
            }
            default:
                String value = r.properties().find(tag).orElseThrow(() -> fail(TAG, "optag " + tag
                        + " is not a property or query tag of resource " + r.name()));
                return lines(value, value.contains(","));
        }
    }

    /**
     * @param args {@code -O <optag> -G <group>}
     * @return the value(s), one per line
     */
    @Descriptor("query a resource group: scha_resourcegroup_get -O <optag> -G <group>")
    public String scha_resourcegroup_get(String... args) {
        Args a = parse("scha_resourcegroup_get -O <optag> -G <group>", Set.of("-O", "-G"), args);
        String tag = a.value("-O").orElseThrow(() -> fail(INVAL, "-O <optag> is required"));
        GroupInfo g = group(a);
        switch (tag.toUpperCase(Locale.ROOT)) {
            case "RG_STATE":
                return g.state().name() + "\n";
            case "RESOURCE_LIST":
                return lines(String.join(",", g.resources()), true);
            default:
                String value = g.properties().find(tag).orElseThrow(() -> fail(TAG, "optag " + tag
                        + " is not a property or query tag of resource group " + g.name()));
                return lines(value, tag.equalsIgnoreCase("Nodelist") || tag.equalsIgnoreCase("RG_dependencies")
                        || value.contains(","));
        }
    }

    /**
     * @param args {@code -R <resource> -G <group> -s <status> [-m <message>]}
     * @return nothing
     */
    @Descriptor("set a resource's status: scha_resource_setstatus -R <resource> -G <group> -s OK|DEGRADED|FAULTED|UNKNOWN|OFFLINE [-m <message>]")
    public String scha_resource_setstatus(String... args) {
        Args a = parse("scha_resource_setstatus -R <resource> -G <group> -s <status> [-m <message>]",
                Set.of("-R", "-G", "-s", "-m"), args);
        ResourceInfo r = resource(a);
        String s = a.value("-s").orElseThrow(() -> fail(INVAL, "-s <status> is required"));
        ResourceStatus status;
        try {
            status = ResourceStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail(RSTATUS, "status " + s + " is not one of OK, DEGRADED, FAULTED, UNKNOWN, OFFLINE");
        }
        try {
            rgm.setStatus(r.name(), status, a.value("-m").orElse(""));
        } catch (RgmException e) {
            throw fail(RSRC, e.getMessage());
        }
        return "";
    }

    /**
     * @param args {@code -O RESOURCE_RESTART|RESTART|GIVEOVER|CHECK_GIVEOVER|CHECK_RESTART -R <resource> -G <group>}
     * @return nothing
     */
    @Descriptor("request a restart or giveover: scha_control -O RESOURCE_RESTART|RESTART|GIVEOVER|CHECK_GIVEOVER|CHECK_RESTART -R <resource> -G <group>")
    public String scha_control(String... args) {
        Args a = parse("scha_control -O <optag> -R <resource> -G <group>", Set.of("-O", "-R", "-G"), args);
        String tag = a.value("-O").orElseThrow(() -> fail(INVAL, "-O <optag> is required")).toUpperCase(Locale.ROOT);
        ResourceInfo r = resource(a);
        GroupInfo g = rgm.group(r.group()).orElseThrow(() -> fail(RG, "resource group " + r.group() + " does not exist"));
        String mode = r.properties().find("Failover_mode").orElse("NONE").toUpperCase(Locale.ROOT);
        boolean online = switch (g.state()) {
            case ONLINE, ONLINE_FAULTED -> true;
            default -> false;
        };
        if (!online) {
            throw fail(STATE, "resource group " + g.name() + " is " + g.state() + ", not online on this node");
        }
        try {
            switch (tag) {
                case "RESOURCE_RESTART":
                    if (mode.equals("LOG_ONLY")) {
                        throw fail(CHECKS, "Failover_mode LOG_ONLY of " + r.name() + " allows no restart");
                    }
                    rgm.restartResource(r.name());
                    return "";
                case "RESTART":
                case "CHECK_RESTART":
                    if (mode.equals("RESTART_ONLY") || mode.equals("LOG_ONLY")) {
                        throw fail(CHECKS, "Failover_mode " + mode + " of " + r.name() + " allows no group restart");
                    }
                    if (tag.equals("RESTART")) {
                        rgm.restart(g.name());
                    }
                    return "";
                case "GIVEOVER":
                case "CHECK_GIVEOVER":
                    if (mode.equals("RESTART_ONLY") || mode.equals("LOG_ONLY")) {
                        throw fail(CHECKS, "Failover_mode " + mode + " of " + r.name() + " allows no giveover");
                    }
                    throw fail(CHECKS, "no other node can take resource group " + g.name() + " over: this agent is a "
                            + "cluster of one (Nodelist " + g.properties().find("Nodelist").orElse("") + ")");
                default:
                    throw fail(TAG, "optag " + tag + " is not one of RESOURCE_RESTART, RESTART, GIVEOVER, "
                            + "CHECK_GIVEOVER, CHECK_RESTART");
            }
        } catch (RgmException e) {
            throw fail(INTERNAL, e.getMessage());
        }
    }
}
