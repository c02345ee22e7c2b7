package io.vigil.healthcheck.osgi;

import io.vigil.healthcheck.core.AdminState;
import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.server.HealthCheck;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hc}: the agent's health check responders. {@code drain}, {@code maint} and {@code ready}
 * set what HAProxy's agent-check is told (and turn GGHealthCheck's answer DOWN while not ready)
 * without touching the service; a DOWN health is still answered DOWN after {@code ready}.
 */
@Component(service = HcCommand.class, property = {"osgi.command.scope=vigil", "osgi.command.function=hc"})
public final class HcCommand {

    static final String USAGE = "hc list | status <name> | drain <name> | maint <name> | ready <name> | weight <name> <percent>";

    private final HealthChecks checks;

    /** @param checks the agent's responders */
    @Activate
    public HcCommand(@Reference HealthChecks checks) {
        this.checks = checks;
    }

    /**
     * @param args the subcommand and its arguments
     * @return the output
     */
    @Descriptor("health check responders: " + USAGE)
    public String hc(@Descriptor("subcommand and arguments") String... args) {
        String sub = args.length == 0 ? "" : args[0];
        switch (sub) {
            case "list":
                expect(args, 1, "hc list");
                return list();
            case "status":
                expect(args, 2, "hc status <name>");
                return status(args[1], checks.running(args[1]));
            case "drain":
            case "maint":
            case "ready": {
                expect(args, 2, "hc " + sub + " <name>");
                HealthCheck c = checks.get(args[1]);
                c.admin(AdminState.valueOf(sub.toUpperCase(Locale.ROOT)));
                return args[1] + ": " + c.answer() + "\n";
            }
            case "weight": {
                expect(args, 3, "hc weight <name> <percent>");
                HealthCheck c = checks.get(args[1]);
                int percent;
                try {
                    percent = Integer.parseInt(args[2].endsWith("%") ? args[2].substring(0, args[2].length() - 1) : args[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("weight '" + args[2] + "' is not a number; expected 0 to 100 (percent)", e);
                }
                c.weight(percent);
                return args[1] + ": " + c.answer() + "\n";
            }
            default:
                throw new IllegalArgumentException((sub.isEmpty() ? "hc needs a subcommand" : "unknown hc subcommand '" + sub + "'")
                        + "; expected " + USAGE);
        }
    }

    private static void expect(String[] args, int count, String usage) {
        if (args.length != count) {
            throw new IllegalArgumentException("wrong number of arguments; expected " + usage);
        }
    }

    private String list() {
        StringBuilder sb = new StringBuilder();
        String format = "%-16s %-28s %-14s %-6s %-6s %s%n";
        sb.append(String.format(format, "NAME", "ADDRESS", "PROTOCOL", "ANSWER", "ADMIN", "SOURCE"));
        for (Map.Entry<String, HealthChecks.Running> e : checks.running().entrySet()) {
            HealthCheck c = e.getValue().check();
            Answer a = c.answer();
            sb.append(String.format(format, e.getKey(), c.address(), c.settings().protocol(),
                    a.serverUp() ? "UP" : "DOWN", a.admin().word(), c.source().describe()));
        }
        return sb.toString();
    }

    /** Formats one snapshot: it stays valid if the responder stops meanwhile. */
    static String status(String name, HealthChecks.Running r) {
        HealthCheck c = r.check();
        Answer a = c.answer();
        return "Name:       " + name + "\n"
                + "Origin:     " + r.origin() + "\n"
                + "Address:    " + c.address() + "\n"
                + "Protocol:   " + c.settings().protocol() + "\n"
                + "Source:     " + c.source().describe() + "\n"
                + "Health:     " + a.health() + "\n"
                + "Changed:    " + c.source().changedAt() + "\n"
                + "Admin:      " + a.admin().word() + "\n"
                + "Weight:     " + a.weight() + "%\n"
                + "Answer:     " + (a.serverUp() ? Answer.UP : Answer.DOWN) + "\n"
                + "Agent line: " + new String(a.agentLine(), java.nio.charset.StandardCharsets.US_ASCII).strip() + "\n"
                + "Answered:   " + c.answered() + "\n";
    }
}
