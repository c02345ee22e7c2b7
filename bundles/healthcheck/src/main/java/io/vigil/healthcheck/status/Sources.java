package io.vigil.healthcheck.status;

import io.vigil.healthcheck.core.Settings;
import java.util.Locale;
import java.util.function.Function;

/** Chooses the status source that a responder's {@code command} names. */
public final class Sources {

    /** GGHealthCheck 2.1's {@code *GGAPS}, which watched a Windows service. */
    public static final String GGAPS = "*GGAPS";

    private Sources() {
    }

    /**
     * @param settings the responder's settings
     * @param agent what {@code *agent} reports as running
     * @param rgm makes {@code *rg:}/{@code *rs:} sources; null where there is no agent
     * @return the source, not started
     * @throws IllegalArgumentException if the command is unknown, unsupported or unavailable here,
     *         or its program is unusable
     */
    public static StatusSource create(Settings settings, String agent, Function<Settings, StatusSource> rgm) {
        String command = settings.command();
        if (command.equalsIgnoreCase(AgentStatus.COMMAND)) {
            return new AgentStatus(agent);
        }
        if (command.toUpperCase(Locale.ROOT).startsWith(RgmStatus.GROUP_PREFIX.toUpperCase(Locale.ROOT))
                || command.toUpperCase(Locale.ROOT).startsWith(RgmStatus.RESOURCE_PREFIX.toUpperCase(Locale.ROOT))) {
            if (rgm == null) {
                throw new IllegalArgumentException("command = " + command + " is answered by the Vigil agent only;"
                        + " expected a command line or *agent here (configure the responder in the agent's etc/ or deploy/)");
            }
            return rgm.apply(settings);
        }
        if (command.equalsIgnoreCase(GGAPS)) {
            throw new IllegalArgumentException("command = " + GGAPS + " is not supported: it watched GG's APS service;"
                    + " expected *rs:<resource> for a resource that runs the service, or a command line");
        }
        if (command.startsWith("*")) {
            throw new IllegalArgumentException("command = " + command + " is unknown; expected a command line, "
                    + AgentStatus.COMMAND + ", " + RgmStatus.GROUP_PREFIX + "<group> or " + RgmStatus.RESOURCE_PREFIX + "<resource>");
        }
        return new CommandStatus(command, settings.svSleep(), settings.commandTimeout(), settings.name());
    }
}
