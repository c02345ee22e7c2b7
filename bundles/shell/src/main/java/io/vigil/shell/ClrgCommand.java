package io.vigil.shell;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code clrg}: resource groups, as Sun Cluster's {@code clresourcegroup}. */
@Component(service = ClrgCommand.class, property = {"osgi.command.scope=vigil", "osgi.command.function=clrg"})
public final class ClrgCommand {

    static final String USAGE = "clrg create [-p name=value]... <group> | delete [-F] <group> | manage <group> | "
            + "unmanage <group> | online <group>...|+ | offline <group>...|+ | restart <group> | set -p name=value... <group> | "
            + "show [-o json] [<group>] | status [-o json] [<group>] | list [-o json]";

    private final ResourceGroupManager rgm;

    /** @param rgm the resource group manager */
    @Activate
    public ClrgCommand(@Reference ResourceGroupManager rgm) {
        this.rgm = rgm;
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     * @throws RgmException when the RGM refuses
     */
    @Descriptor("administer resource groups: " + USAGE)
    public String clrg(@Descriptor("subcommand and arguments") String... args) throws RgmException {
        if (args.length == 0) {
            throw new UsageException("clrg needs a subcommand; usage: " + USAGE);
        }
        String sub = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (sub) {
            case "create": {
                Args a = Args.parse("clrg create [-p name=value]... <group>", Set.of(), Set.of(), Set.of("-p"), rest);
                GroupInfo g = rgm.createGroup(a.operand("group name"), a.properties("-p"));
                return "Resource group " + g.name() + " created\n";
            }
            case "delete": {
                Args a = Args.parse("clrg delete [-F] <group>", Set.of("-F"), Set.of(), Set.of(), rest);
                rgm.deleteGroup(a.operand("group name"), a.flag("-F"));
                return "Resource group " + a.operand("group name") + " deleted\n";
            }
            case "manage":
                rgm.manage(one("clrg manage <group>", rest));
                return "";
            case "unmanage":
                rgm.unmanage(one("clrg unmanage <group>", rest));
                return "";
            case "online":
                return each("clrg online <group>... | +", rest, rgm::online);
            case "offline":
                return each("clrg offline <group>... | +", rest, rgm::offline);
            case "restart":
                return line(rgm.restart(one("clrg restart <group>", rest)));
            case "set": {
                Args a = Args.parse("clrg set -p name=value... <group>", Set.of(), Set.of(), Set.of("-p"), rest);
                Map<String, String> p = a.properties("-p");
                if (p.isEmpty()) {
                    throw new UsageException("clrg set needs at least one -p name=value");
                }
                return line(rgm.setGroup(a.operand("group name"), p));
            }
            case "show": {
                Args a = Args.parse("clrg show [-o json] [<group>]", Set.of(), Set.of("-o"), Set.of(), rest);
                List<GroupInfo> gs = selected(a);
                if (a.json()) {
                    return Views.json(gs.stream().map(Views::group).toList());
                }
                StringBuilder sb = new StringBuilder();
                gs.forEach(g -> sb.append(Views.text("Resource group: " + g.name(), Views.group(g))));
                return sb.toString();
            }
            case "status":
            case "list": {
                Args a = Args.parse("clrg " + sub + " [-o json] [<group>]", Set.of(), Set.of("-o"), Set.of(), rest);
                List<GroupInfo> gs = selected(a);
                if (a.json()) {
                    return Views.json(gs.stream().map(Views::group).toList());
                }
                Table t = new Table("GROUP", "STATE", "WANTED", "RESOURCES", "MESSAGE");
                gs.forEach(g -> t.row(g.name(), g.state(), g.wantedOnline() ? "online" : "offline",
                        String.join(",", g.resources()), g.message()));
                return t.toString();
            }
            default:
                throw new UsageException("unknown clrg subcommand '" + sub + "'; usage: " + USAGE);
        }
    }

    /** An operation on one group. */
    @FunctionalInterface
    private interface GroupOperation {
        GroupInfo apply(String group) throws RgmException;
    }

    /**
     * Applies an operation to the named groups, or to every group for {@code +} (Sun Cluster's
     * wildcard), in parallel: each group has its own executor in the RGM. Every group is tried;
     * the first failure is reported after all have settled.
     */
    private String each(String usage, List<String> rest, GroupOperation op) throws RgmException {
        List<String> names = Args.parse(usage, Set.of(), Set.of(), Set.of(), rest).operands();
        if (names.isEmpty()) {
            throw new UsageException("a group name (or + for all) is required; usage: " + usage);
        }
        if (names.equals(List.of("+"))) {
            names = rgm.groups().stream().map(GroupInfo::name).toList();
        }
        List<CompletableFuture<String>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(names.size(), 32)));
        try {
            for (String name : names) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return line(op.apply(name));
                    } catch (RgmException e) {
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            StringBuilder out = new StringBuilder();
            RgmException first = null;
            for (var f : results) {
                try {
                    out.append(f.join());
                } catch (CompletionException e) {
                    if (first == null && e.getCause() instanceof RgmException r) {
                        first = r;
                    } else if (first == null) {
                        first = new RgmException(String.valueOf(e.getCause()), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw new RgmException(out + first.getMessage(), first);
            }
            return out.toString();
        } finally {
            pool.shutdown();
        }
    }

    private List<GroupInfo> selected(Args a) throws RgmException {
        var name = a.optionalOperand("group name");
        if (name.isEmpty()) {
            return rgm.groups();
        }
        return List.of(rgm.group(name.get()).orElseThrow(() -> new RgmException("resource group " + name.get()
                + " does not exist")));
    }

    private static String one(String usage, List<String> rest) {
        return Args.parse(usage, Set.of(), Set.of(), Set.of(), rest).operand("group name");
    }

    private static String line(GroupInfo g) {
        return "Resource group " + g.name() + ": " + g.state() + (g.message().isEmpty() ? "" : " (" + g.message() + ")")
                + "\n";
    }
}
