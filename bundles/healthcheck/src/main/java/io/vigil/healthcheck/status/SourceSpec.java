package io.vigil.healthcheck.status;

import java.util.Locale;
import java.util.regex.Pattern;

/** A responder's {@code command}, parsed: which status source it names. */
public sealed interface SourceSpec {

    /** Every form of {@code command}, for messages. */
    String SYNTAX = "a command line, " + AgentStatus.COMMAND + ", " + ClusterStatus.COMMAND + ", "
            + RgmStatus.GROUP_PREFIX + "<group>, " + RgmStatus.GROUP_PREFIX + "<group>" + GroupClusterStatus.SUFFIX
            + " or " + RgmStatus.RESOURCE_PREFIX + "<resource>";

    /** GGHealthCheck 2.1's {@code *GGAPS}, which watched a Windows service. */
    String GGAPS = "*GGAPS";

    /** A group or resource name, as the RGM accepts it. */
    Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,254}");

    /** {@code *agent}: the agent (or standalone responder) runs. */
    record Agent() implements SourceSpec {
    }

    /** {@code *cluster}: this node is an UP member of the cluster. */
    record Cluster() implements SourceSpec {
    }

    /**
     * {@code *rg:<group>} or {@code *rg:<group>@cluster}.
     *
     * @param name the group
     * @param anyNode whether it is UP while the group is ONLINE on any live node, not only this one
     */
    record Group(String name, boolean anyNode) implements SourceSpec {
    }

    /**
     * {@code *rs:<resource>}.
     *
     * @param name the resource
     */
    record Resource(String name) implements SourceSpec {
    }

    /**
     * A command line whose exit status 0 means UP.
     *
     * @param line the command line
     */
    record CommandLine(String line) implements SourceSpec {
    }

    /** @return whether only the Vigil agent can answer it (not a standalone responder) */
    default boolean agentOnly() {
        return !(this instanceof Agent || this instanceof CommandLine);
    }

    /**
     * @param command a configured {@code command}; the {@code *} forms in any case
     * @return what it names
     * @throws IllegalArgumentException naming the command, what is wrong with it and every valid form
     */
    static SourceSpec parse(String command) {
        String upper = command.strip().toUpperCase(Locale.ROOT);
        if (!upper.startsWith("*")) {
            return new CommandLine(command);
        }
        if (upper.equals(AgentStatus.COMMAND.toUpperCase(Locale.ROOT))) {
            return new Agent();
        }
        if (upper.equals(ClusterStatus.COMMAND.toUpperCase(Locale.ROOT))) {
            return new Cluster();
        }
        if (upper.equals(GGAPS)) {
            throw new IllegalArgumentException("command = " + GGAPS + " is not supported: it watched GG's APS service;"
                    + " expected " + RgmStatus.RESOURCE_PREFIX + "<resource> for a resource that runs the service, or a"
                    + " command line");
        }
        boolean group = upper.startsWith(RgmStatus.GROUP_PREFIX.toUpperCase(Locale.ROOT));
        if (!group && !upper.startsWith(RgmStatus.RESOURCE_PREFIX.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("command = " + command + " is unknown; expected " + SYNTAX);
        }
        String what = group ? "group" : "resource";
        String name = command.strip().substring(RgmStatus.GROUP_PREFIX.length());
        boolean anyNode = false;
        int at = name.indexOf('@');
        if (at >= 0) {
            String scope = name.substring(at);
            if (!scope.equalsIgnoreCase(GroupClusterStatus.SUFFIX)) {
                throw invalid(command, "'" + scope + "' is not a scope; the only one is " + GroupClusterStatus.SUFFIX);
            }
            if (!group) {
                throw invalid(command, "a resource has no " + GroupClusterStatus.SUFFIX + " form (it runs where its"
                        + " group runs: use " + RgmStatus.GROUP_PREFIX + "<group>" + GroupClusterStatus.SUFFIX + ")");
            }
            name = name.substring(0, at);
            anyNode = true;
        }
        if (name.isEmpty()) {
            throw invalid(command, "the " + what + " name is missing");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid(command, "'" + name + "' is not a " + what + " name (a letter, then at most 254 letters,"
                    + " digits, '_', '.' or '-')");
        }
        return group ? new Group(name, anyNode) : new Resource(name);
    }

    private static IllegalArgumentException invalid(String command, String problem) {
        return new IllegalArgumentException("command = " + command + " is invalid: " + problem + "; expected " + SYNTAX);
    }
}
