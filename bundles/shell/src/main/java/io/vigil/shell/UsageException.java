package io.vigil.shell;

/**
 * A command line that a command does not understand: an unknown subcommand or missing operand.
 * {@code bin/vigil} exits with status 2 for it, as for an unknown command.
 */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what was expected */
    public UsageException(String message) {
        super(message);
    }
}
