package io.vigil.events.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.events.EventsView;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.HandlerRun;
import io.vigil.events.recovery.Policies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code sendevent} (LifeKeeper's flags) and {@code events} (list, handlers, policy),
 * scope {@code vigil}; {@code bin/vigil} runs them over the admin socket.
 */
@Component(service = EventsCommands.class, property = {
    "osgi.command.scope=vigil",
    "osgi.command.function=sendevent",
    "osgi.command.function=events"
})
public final class EventsCommands {

    static final String USAGE = "events list [-n count] [-o json] | events handlers [-o json] | "
            + "events policy [-r resource] [-o json] | events policy set [-r resource] Name=value... | "
            + "events policy remove [-r resource] Name...";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EventsView events;

    /** @param events the events service */
    @Activate
    public EventsCommands(@Reference EventsView events) {
        this.events = events;
    }

    /**
     * @param args the sendevent options
     * @return what became of the alarm
     */
    @Descriptor("raise an alarm: sendevent -C class -E event -m monitor -n instance [options]")
    public String sendevent(@Descriptor("LifeKeeper sendevent options") String... args) {
        long seq = events.sendevent(Arrays.asList(args));
        return seq > 0 ? "alarm " + seq + " accepted\n" : "alarm spooled: the dispatch queue is full\n";
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     * @throws IOException if the handler directory or the policies cannot be read or written
     */
    @Descriptor("alarms, their handlers and the recovery policies: " + USAGE)
    public String events(@Descriptor("subcommand and arguments") String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("events needs a subcommand; expected " + USAGE);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "list":
                return list(Options.parse("events list [-n count] [-o json]", Set.of("-n", "-o"), rest));
            case "handlers":
                return handlers(Options.parse("events handlers [-o json]", Set.of("-o"), rest));
            case "policy":
                return policy(rest);
            default:
                throw new IllegalArgumentException("unknown events subcommand '" + args[0] + "'; expected " + USAGE);
        }
    }

    private String list(Options o) {
        o.noOperands();
        int n = o.intValue("-n", 20);
        List<AlarmRecord> all = events.recent();
        List<AlarmRecord> shown = all.subList(Math.max(0, all.size() - n), all.size());
        if (o.json()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (AlarmRecord r : shown) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", r.sequence());
                m.put("time", r.alarm().time().toString());
                m.put("class", r.alarm().alarmClass());
                m.put("event", r.alarm().event());
                m.put("monitor", r.alarm().monitor());
                m.put("instance", r.alarm().instance());
                m.put("attributes", r.alarm().attributes());
                m.put("spooled", r.fromSpool());
                r.deferredHandler().ifPresent(h -> m.put("deferredRunOf", h));
                m.put("handlers", r.runs().stream().map(EventsCommands::run).toList());
                out.add(m);
            }
            return json(out);
        }
        StringBuilder sb = new StringBuilder(String.format("%-6s %-24s %-28s %-20s %s%n", "SEQ", "TIME",
                "CLASS/EVENT", "INSTANCE", "HANDLERS"));
        for (AlarmRecord r : shown) {
            sb.append(String.format("%-6d %-24s %-28s %-20s %d%s%n", r.sequence(), r.alarm().time(),
                    r.alarm().alarmClass() + "/" + r.alarm().event(), r.alarm().instance(), r.runs().size(),
                    r.fromSpool() ? " (spooled)" : "")
                    + r.deferredHandler().map(h -> " (deferred run of " + h + ")").orElse(""));
            for (HandlerRun h : r.runs()) {
                sb.append(String.format("         %-9s %5d ms  exit %-4s %s%s%n", h.status(), h.durationMillis(),
                        h.exitCode() < 0 ? "-" : Integer.toString(h.exitCode()), h.handler(),
                        h.message().isEmpty() ? "" : ": " + firstLine(h.message())));
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> run(HandlerRun h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handler", h.handler());
        m.put("status", h.status());
        m.put("exitCode", h.exitCode());
        m.put("durationMillis", h.durationMillis());
        m.put("message", h.message());
        return m;
    }

    private String handlers(Options o) throws IOException {
        o.noOperands();
        Map<String, List<Path>> programs = events.programHandlers();
        if (o.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, List<String>> p = new LinkedHashMap<>();
            programs.forEach((k, v) -> p.put(k, v.stream().map(Path::toString).toList()));
            m.put("programs", p);
            m.put("bundles", events.bundleHandlers());
            m.put("recovery", events.recoveryHandlers());
            return json(m);
        }
        StringBuilder sb = new StringBuilder("Handler programs:\n");
        programs.forEach((k, v) -> v.forEach(p -> sb.append("  ").append(k).append("  ").append(p).append('\n')));
        sb.append("EventAdmin handlers:\n");
        events.bundleHandlers().forEach(h -> sb.append("  ").append(h.get("topics")).append("  ")
                .append(h.get("bundle")).append('\n'));
        sb.append("Recovery services:\n");
        events.recoveryHandlers().forEach(h -> sb.append("  ").append(h.get("type")).append("  ")
                .append(h.get("events")).append('\n'));
        return sb.toString();
    }

    private String policy(List<String> rest) throws IOException {
        Policies policies = events.policies();
        String action = rest.isEmpty() || rest.get(0).startsWith("-") ? "show" : rest.get(0);
        List<String> tail = action.equals("show") ? rest : rest.subList(1, rest.size());
        switch (action) {
            case "show": {
                Options o = Options.parse("events policy [-r resource] [-o json]", Set.of("-r", "-o"), tail);
                o.noOperands();
                Optional<String> resource = o.value("-r");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scope", resource.map(r -> "resource " + r).orElse("node"));
                m.put("set", policies.get(resource));
                m.put("node", policies.get(Optional.empty()));
                m.put("defaults", Policies.defaults());
                if (o.json()) {
                    return json(m);
                }
                StringBuilder sb = new StringBuilder();
                Map<String, String> own = policies.get(resource);
                Map<String, String> node = policies.get(Optional.empty());
                for (String name : Policies.names()) {
                    String value = own.containsKey(name) ? own.get(name) + (resource.isPresent() ? " (resource)" : " (node)")
                            : node.containsKey(name) ? node.get(name) + " (node)"
                            : Policies.defaults().get(name) + " (default)";
                    sb.append(String.format("%-18s %s%n", name, value));
                }
                return sb.toString();
            }
            case "set": {
                Options o = Options.parse("events policy set [-r resource] Name=value...", Set.of("-r"), tail);
                Map<String, String> changes = new LinkedHashMap<>();
                for (String op : o.operands()) {
                    int eq = op.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("policy " + op + " is not Name=value; expected e.g. "
                                + "LocalRecovery=off or TemporalRecovery=3/30m");
                    }
                    changes.put(op.substring(0, eq), op.substring(eq + 1));
                }
                if (changes.isEmpty()) {
                    throw new IllegalArgumentException("events policy set needs Name=value; policies: " + Policies.names());
                }
                policies.set(o.value("-r"), changes);
                return "policies set for " + o.value("-r").map(r -> "resource " + r).orElse("this node") + ": "
                        + changes + "\n";
            }
            case "remove": {
                Options o = Options.parse("events policy remove [-r resource] Name...", Set.of("-r"), tail);
                if (o.operands().isEmpty()) {
                    throw new IllegalArgumentException("events policy remove needs a policy name; policies: "
                            + Policies.names());
                }
                policies.remove(o.value("-r"), o.operands());
                return "policies removed for " + o.value("-r").map(r -> "resource " + r).orElse("this node") + ": "
                        + o.operands() + "\n";
            }
            default:
                throw new IllegalArgumentException("unknown events policy action '" + action + "'; expected " + USAGE);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " …";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Options with one value each ({@code -o json}) and operands. */
    record Options(String usage, Map<String, String> values, List<String> operands) {

        static Options parse(String usage, Set<String> valued, List<String> args) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> operands = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("-") && a.length() > 1) {
                    if (!valued.contains(a)) {
                        throw new IllegalArgumentException("unknown option " + a + "; usage: " + usage);
                    }
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("option " + a + " needs a value; usage: " + usage);
                    }
                    if (values.put(a, args.get(++i)) != null) {
                        throw new IllegalArgumentException("option " + a + " is given twice; usage: " + usage);
                    }
                } else {
                    operands.add(a);
                }
            }
            return new Options(usage, values, operands);
        }

        Optional<String> value(String option) {
            return Optional.ofNullable(values.get(option));
        }

        void noOperands() {
            if (!operands.isEmpty()) {
                throw new IllegalArgumentException("unexpected " + operands + "; usage: " + usage);
            }
        }

        int intValue(String option, int fallback) {
            String v = values.get(option);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("option " + option + " " + v + " is not a count; expected a whole "
                    + "number of 0 or more; usage: " + usage);
        }

        boolean json() {
            String o = values.getOrDefault("-o", "table");
            if (!o.equals("json") && !o.equals("table")) {
                throw new IllegalArgumentException("output format " + o + " is not known; expected -o json or -o table");
            }
            return o.equals("json");
        }
    }
}
