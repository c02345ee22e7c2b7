package io.vigil.shell;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.RgmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code clrg}: resource groups, as Sun Cluster's {@code clresourcegroup}. {@code status} shows
 * where in the cluster each group is placed; {@code switch} and {@code evacuate} move groups
 * between nodes.
 */
@Component(service = ClrgCommand.class, property = {"osgi.command.scope=vigil", "osgi.command.function=clrg"})
public final class ClrgCommand {

    static final String USAGE = "clrg create [-p name=value]... <group> | delete [-F] <group> | manage <group> | "
            + "unmanage <group> | online <group>...|+ | offline <group>...|+ | restart <group> | set -p name=value... <group> | "
            + "switch -n <node> <group>... | evacuate -n <node> | "
            + "show [-o json] [<group>] | status [-o json] [<group>] | list [-o json]";

    static final String SWITCH_USAGE = "clrg switch -n <node> <group>...";
    static final String EVACUATE_USAGE = "clrg evacuate -n <node>";

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
            case "switch":
                return switchover(rest);
            case "evacuate": {
                Args a = Args.parse(EVACUATE_USAGE, Set.of(), Set.of("-n"), Set.of(), rest);
                String node = a.required("-n", "the node to evacuate");
                if (!a.operands().isEmpty()) {
                    throw new UsageException("clrg evacuate takes no group (it moves every group placed on the node), got "
                            + a.operands() + "; usage: " + EVACUATE_USAGE);
                }
                List<GroupLocation> moved = rgm.evacuate(node);
                if (moved.isEmpty()) {
                    return "No resource group was placed on " + node + "\n";
                }
                StringBuilder out = new StringBuilder();
                moved.forEach(l -> out.append("Resource group ").append(l.group()).append(" evacuated from ").append(node)
                        .append(": ").append(where(l)).append('\n'));
                return out.toString();
            }
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
                Map<String, GroupLocation> locations = locations(a);
                if (a.json()) {
                    return Views.json(gs.stream().map(g -> {
                        Map<String, Object> view = Views.group(g);
                        GroupLocation l = locations.get(g.name());
                        view.put("location", l == null ? null : Views.location(l));
                        return view;
                    }).toList());
                }
                Table t = new Table("GROUP", "STATE", "NODE", "WANTED", "RESOURCES", "MESSAGE");
                gs.forEach(g -> t.row(g.name(), g.state(), node(locations.get(g.name())),
                        g.wantedOnline() ? "online" : "offline", String.join(",", g.resources()),
                        message(g, locations.get(g.name()))));
                return t.toString();
            }
            default:
                throw new UsageException("unknown clrg subcommand '" + sub + "'; usage: " + USAGE);
        }
    }

    /**
     * Switches the groups to the node one after the other, in the order given; the first refusal
     * ends the command, naming the groups switched before it and those not attempted.
     */
    private String switchover(List<String> rest) throws RgmException {
        Args a = Args.parse(SWITCH_USAGE, Set.of(), Set.of("-n"), Set.of(), rest);
        String node = a.required("-n", "the node to switch to");
        List<String> groups = a.operands();
        if (groups.isEmpty()) {
            throw new UsageException("at least one group name is required; usage: " + SWITCH_USAGE);
        }
        Set<String> seen = new HashSet<>();
        for (String g : groups) {
            if (!seen.add(g.toLowerCase(Locale.ROOT))) {
                throw new UsageException("resource group " + g + " is given twice; usage: " + SWITCH_USAGE);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            GroupLocation l;
            try {
                l = rgm.switchover(group, node);
            } catch (RgmException e) {
                String switched = i == 0 ? "" : "; switched before it: " + String.join(", ", groups.subList(0, i));
                String skipped = i == groups.size() - 1 ? ""
                        : "; not attempted: " + String.join(", ", groups.subList(i + 1, groups.size()));
                throw new RgmException("resource group " + group + " was not switched to " + node + ": "
                        + e.getMessage() + switched + skipped, e);
            }
            out.append("Resource group ").append(l.group()).append(" switched to ").append(node).append(": ")
                    .append(where(l)).append('\n');
        }
        return out.toString();
    }

    /** @return the selected groups' locations by group name, in any case */
    private Map<String, GroupLocation> locations(Args a) {
        Map<String, GroupLocation> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        var name = a.optionalOperand("group name");
        if (name.isPresent()) {
            rgm.location(name.get()).ifPresent(l -> out.put(l.group(), l));
        } else {
            rgm.locations().forEach(l -> out.put(l.group(), l));
        }
        return out;
    }

    /**
     * The NODE column: each node the group is placed on with the state it reports there
     * ({@code n1=ONLINE}; the bare name before its first report), then in parentheses the nodes it
     * is not placed on that still report it other than OFFLINE: the old node during a move, or one
     * left in ERROR_STOP_FAILED. {@code -} when it is nowhere.
     */
    static String node(GroupLocation l) {
        if (l == null) {
            return "-";
        }
        List<String> placed = l.placedOn().stream()
                .map(n -> l.states().containsKey(n) ? n + "=" + l.states().get(n) : n).toList();
        List<String> elsewhere = new TreeMap<>(l.states()).entrySet().stream()
                .filter(e -> !l.placedOn().contains(e.getKey()) && e.getValue() != GroupState.OFFLINE
                        && e.getValue() != GroupState.UNMANAGED)
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        String out = String.join(",", placed);
        if (!elsewhere.isEmpty()) {
            out += (out.isEmpty() ? "" : " ") + "(" + String.join(",", elsewhere) + ")";
        }
        return out.isEmpty() ? "-" : out;
    }

    /** The MESSAGE column: the group's message here, and why it runs on fewer nodes than it wants. */
    private static String message(GroupInfo g, GroupLocation l) {
        if (l == null || l.reason().isEmpty() || g.message().contains(l.reason())) {
            return g.message();
        }
        return g.message().isEmpty() ? l.reason() : g.message() + "; " + l.reason();
    }

    /** @return each node the group is placed on with the state it reports there, and why it is short of nodes */
    static String where(GroupLocation l) {
        String where = l.placedOn().isEmpty() ? "placed nowhere"
                : l.placedOn().stream().map(n -> l.states().containsKey(n) ? l.states().get(n) + " on " + n
                        : "placed on " + n + ", no report from it yet").collect(Collectors.joining(", "));
        return where + (l.reason().isEmpty() ? "" : " (" + l.reason() + ")");
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
