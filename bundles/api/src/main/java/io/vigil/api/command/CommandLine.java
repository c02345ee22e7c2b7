package io.vigil.api.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell does for simple quoting, without running
 * a shell: blanks separate words; {@code '...'} is literal; inside {@code "..."} a backslash
 * escapes {@code "}, {@code \}, {@code $} and {@code `}; outside quotes a backslash escapes any
 * character. There is no expansion, redirection or pipeline: an unquoted {@code | & ; < > ( ) $ `},
 * and a {@code $} or {@code `} not escaped within double quotes, is refused, so that a line
 * written for a shell fails clearly instead of running something else. Write {@code sh -c '...'}
 * to use a shell.
 */
public final class CommandLine {

    /**
     * A line that is not a valid command line. Its message is {@code "<line>" is not a valid
     * command line: <problem>}; callers prefix where the line came from.
     */
    public static final class InvalidCommandLine extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String problem;

        InvalidCommandLine(String line, String problem) {
            super("\"" + line + "\" is not a valid command line: " + problem);
            this.problem = problem;
        }

        /** @return what is wrong, e.g. {@code its ' at 3 is not closed} */
        public String problem() {
            return problem;
        }
    }

    private static final String SHELL_ONLY = "|&;<>()$`";

    private CommandLine() {
    }

    /**
     * @param line the command line
     * @return the words; at least one
     * @throws InvalidCommandLine if the line is empty, has an unterminated quote or a trailing
     *     backslash, or uses shell syntax
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw invalid(line, "its ' at " + (i + 1) + " is not closed");
                }
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw invalid(line, "it ends with a backslash");
                }
                word.append(line.charAt(++i));
            } else if (SHELL_ONLY.indexOf(c) >= 0) {
                throw invalid(line, "its unquoted " + c + " at " + (i + 1)
                        + " needs a shell, and the command is not run through one; write sh -c '...' to use one");
            } else {
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw invalid(line, "it is empty");
        }
        return List.copyOf(words);
    }

    /** Appends the double-quoted part starting at {@code open}; returns the index of the closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                c = line.charAt(++i);
            } else if (c == '$' || c == '`') {
                throw invalid(line, "its " + c + " at " + (i + 1) + " (in double quotes) needs a shell, "
                        + "and the command is not run through one; quote it with ' or \\, or write sh -c '...'");
            }
            word.append(c);
        }
        throw invalid(line, "its \" at " + (open + 1) + " is not closed");
    }

    private static InvalidCommandLine invalid(String line, String problem) {
        return new InvalidCommandLine(line, problem);
    }
}
