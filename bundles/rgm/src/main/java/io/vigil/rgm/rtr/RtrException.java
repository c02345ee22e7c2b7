package io.vigil.rgm.rtr;

import java.util.Objects;

/**
 * An error in an RTR file: where it is and what is wrong.
 *
 * <p>The message reads {@code <source>:<line>:<column>: found <what>, expected <what>} for syntax
 * errors and {@code <source>:<line>:<column>: <problem>; expected <expectation>} for semantic ones.
 * Lines and columns start at 1; a tab counts as one column.
 */
public final class RtrException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String detail;

    /**
     * Creates an error.
     *
     * @param source the file name or path, used only in the message
     * @param line 1-based line
     * @param column 1-based column
     * @param detail the message after the location
     */
    public RtrException(String source, int line, int column, String detail) {
        super(Objects.requireNonNull(source, "source") + ":" + line + ":" + column + ": " + detail);
        this.source = source;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    static RtrException found(String source, int line, int column, String found, String expected) {
        return new RtrException(source, line, column, "found " + found + ", expected " + expected);
    }

    static RtrException problem(String source, int line, int column, String problem, String expectation) {
        return new RtrException(source, line, column, problem + "; expected " + expectation);
    }

    /** @return the file name or path given to the parser */
    public String source() {
        return source;
    }

    /** @return the 1-based line of the error */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the error */
    public int column() {
        return column;
    }

    /** @return the message without the {@code source:line:column: } prefix */
    public String detail() {
        return detail;
    }
}
