package io.vigil.healthcheck.status;

import io.vigil.healthcheck.core.Settings;

/** Chooses the status source that a responder's {@code command} names. */
public final class Sources {

    private Sources() {
    }

    /**
     * @param settings the responder's settings
     * @param agent what {@code *agent} reports as running
     * @param inAgent whether the Vigil agent runs the responder: then the sources that only it can
     *        answer are allowed, each is an {@link AgentSource} for the agent to feed, and all but
     *        command lines and {@code *cluster} are {@link Fenced}
     * @return the source, not started
     * @throws IllegalArgumentException if the command is unknown, unsupported or unavailable here,
     *         or its program is unusable
     */
    public static StatusSource create(Settings settings, String agent, boolean inAgent) {
        String command = settings.command();
        SourceSpec spec = SourceSpec.parse(command);
        if (spec.agentOnly() && !inAgent) {
            throw new IllegalArgumentException("command = " + command + " is answered by the Vigil agent only;"
                    + " expected a command line or " + AgentStatus.COMMAND + " here (configure the responder in the"
                    + " agent's etc/ or deploy/)");
        }
        if (spec instanceof SourceSpec.CommandLine) {
            return new CommandStatus(command, settings.svSleep(), settings.commandTimeout(), settings.name());
        }
        if (spec instanceof SourceSpec.Cluster) {
            return new ClusterStatus();
        }
        StatusSource source;
        if (spec instanceof SourceSpec.Group g && g.anyNode()) {
            source = new GroupClusterStatus(g.name());
        } else if (spec instanceof SourceSpec.Agent) {
            source = new AgentStatus(agent);
        } else {
            source = new RgmStatus(command, settings.upStatuses());
        }
        return inAgent ? new Fenced(source) : source;
    }
}
