package io.vigil.rgm.exec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A method program that must not run: it is missing, not an executable regular file, writable by
 * others, owned by a user other than root or the agent's, or in a directory others could change.
 * Thrown by {@link ProgramCheck#check}; the method counts as failed without having run.
 *
 * <p>The message names the program and the rule it breaks, e.g.
 * {@code /opt/x/start is group-writable (mode rwxrwxr-x); expected a program writable only by its
 * owner}.
 */
public final class MethodRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path program;

    /**
     * Creates the exception.
     *
     * @param program the program that was refused, as the caller named it
     * @param message the full message, starting with the program's path
     */
    public MethodRefusedException(Path program, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.program = Objects.requireNonNull(program, "program");
    }

    /** @return the program that was refused, as the caller named it */
    public Path program() {
        return program;
    }
}
