package io.vigil.shell;

import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.RgmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code clrs}: resources, as Sun Cluster's {@code clresource}. */
@Component(service = ClrsCommand.class, property = {"osgi.command.scope=vigil", "osgi.command.function=clrs"})
public final class ClrsCommand {

    static final String USAGE = "clrs create -g <group> -t <type> [-d] [-p name=value]... [-x name=value]... <resource> | "
            + "delete [-F] <resource> | enable <resource> | disable <resource> | monitor <resource> | "
            + "unmonitor <resource> | set [-p name=value]... [-x name=value]... <resource> | "
            + "clear -f STOP_FAILED <resource> | restart <resource> | show [-o json] [<resource>] | "
            + "status [-v] [-o json] [-g <group>] [<resource>] | list [-o json] [-g <group>]";

    private final ResourceGroupManager rgm;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FaultMonitors monitors;

    /** @param rgm the resource group manager */
    @Activate
    public ClrsCommand(@Reference ResourceGroupManager rgm) {
        this.rgm = rgm;
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     * @throws RgmException when the RGM refuses
     */
    @Descriptor("administer resources: " + USAGE)
    public String clrs(@Descriptor("subcommand and arguments") String... args) throws RgmException {
        if (args.length == 0) {
            throw new UsageException("clrs needs a subcommand; usage: " + USAGE);
        }
        String sub = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (sub) {
            case "create": {
                Args a = Args.parse("clrs create -g <group> -t <type> [-d] [-p name=value]... [-x name=value]... <resource>",
                        Set.of("-d"), Set.of("-g", "-t"), Set.of("-p", "-x", "-y"), rest);
                ResourceInfo r = rgm.createResource(a.operand("resource name"), a.required("-g", "the group"),
                        a.required("-t", "the type"), a.properties("-p", "-y", "-x"), a.flag("-d"));
                return "Resource " + r.name() + " created: " + r.state() + "\n";
            }
            case "delete": {
                Args a = Args.parse("clrs delete [-F] <resource>", Set.of("-F"), Set.of(), Set.of(), rest);
                rgm.deleteResource(a.operand("resource name"), a.flag("-F"));
                return "Resource " + a.operand("resource name") + " deleted\n";
            }
            case "enable":
                return line(rgm.enable(one("clrs enable <resource>", rest)));
            case "disable":
                return line(rgm.disable(one("clrs disable <resource>", rest)));
            case "monitor":
                return line(rgm.monitor(one("clrs monitor <resource>", rest)));
            case "unmonitor":
                return line(rgm.unmonitor(one("clrs unmonitor <resource>", rest)));
            case "restart":
                return line(rgm.restartResource(one("clrs restart <resource>", rest)));
            case "set": {
                Args a = Args.parse("clrs set [-p name=value]... [-x name=value]... <resource>", Set.of(), Set.of(),
                        Set.of("-p", "-x", "-y"), rest);
                Map<String, String> p = a.properties("-p", "-y", "-x");
                if (p.isEmpty()) {
                    throw new UsageException("clrs set needs at least one -p or -x name=value");
                }
                return line(rgm.setResource(a.operand("resource name"), p));
            }
            case "clear": {
                Args a = Args.parse("clrs clear -f STOP_FAILED <resource>", Set.of(), Set.of("-f"), Set.of(), rest);
                return line(rgm.clear(a.operand("resource name"), a.required("-f", "the error flag")));
            }
            case "show": {
                Args a = Args.parse("clrs show [-o json] [-g <group>] [<resource>]", Set.of(), Set.of("-o", "-g"),
                        Set.of(), rest);
                List<ResourceInfo> rs = selected(a);
                if (a.json()) {
                    return Views.json(rs.stream().map(Views::resource).toList());
                }
                StringBuilder sb = new StringBuilder();
                rs.forEach(r -> sb.append(Views.text("Resource: " + r.name(), Views.resource(r))));
                return sb.toString();
            }
            case "status":
            case "list": {
                Args a = Args.parse("clrs " + sub + " [-v] [-o json] [-g <group>] [<resource>]", Set.of("-v"),
                        Set.of("-o", "-g"), Set.of(), rest);
                List<ResourceInfo> rs = selected(a);
                boolean verbose = a.flag("-v");
                if (a.json()) {
                    return Views.json(rs.stream().map(r -> {
                        var view = Views.resource(r);
                        if (verbose) {
                            view.put("probes", probes(r.name()).stream().map(Views::probe).toList());
                        }
                        return view;
                    }).toList());
                }
                Table t = new Table("RESOURCE", "GROUP", "TYPE", "STATE", "STATUS", "ENABLED", "MESSAGE");
                rs.forEach(r -> t.row(r.name(), r.group(), r.type(), r.state(), r.status(),
                        r.enabled() ? "yes" : "no", r.statusMessage()));
                StringBuilder out = new StringBuilder(t.toString());
                if (verbose) {
                    for (ResourceInfo r : rs) {
                        List<FaultMonitors.ProbeRecordView> probes = probes(r.name());
                        out.append("\nProbes of ").append(r.name()).append(probes.isEmpty() ? ": none recorded\n" : ":\n");
                        if (!probes.isEmpty()) {
                            Table pt = new Table("TIME", "DURATION", "SCORE", "MESSAGE");
                            probes.forEach(pr -> pt.row(pr.time(), pr.duration().toMillis() + " ms", pr.score(),
                                    pr.message()));
                            out.append(pt.toString().indent(2));
                        }
                    }
                }
                return out.toString();
            }
            default:
                throw new UsageException("unknown clrs subcommand '" + sub + "'; usage: " + USAGE);
        }
    }

    /** The fault monitor's probe records of a resource; none when no monitor service runs. */
    private List<FaultMonitors.ProbeRecordView> probes(String resource) {
        FaultMonitors fm = monitors;
        return fm == null ? List.of() : fm.history(resource);
    }

    private List<ResourceInfo> selected(Args a) throws RgmException {
        var name = a.optionalOperand("resource name");
        if (name.isPresent()) {
            return List.of(rgm.resource(name.get()).orElseThrow(() -> new RgmException("resource " + name.get()
                    + " does not exist")));
        }
        var group = a.value("-g");
        return rgm.resources().stream().filter(r -> group.isEmpty() || r.group().equalsIgnoreCase(group.get())).toList();
    }

    private static String one(String usage, List<String> rest) {
        return Args.parse(usage, Set.of(), Set.of(), Set.of(), rest).operand("resource name");
    }

    private static String line(ResourceInfo r) {
        return "Resource " + r.name() + ": " + r.state() + ", status " + r.status()
                + (r.statusMessage().isEmpty() ? "" : " (" + r.statusMessage() + ")") + "\n";
    }
}
