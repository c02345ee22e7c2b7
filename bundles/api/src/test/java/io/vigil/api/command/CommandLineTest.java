package io.vigil.api.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static List<String> split(String line) {
        return CommandLine.split(line);
    }

    @Test
    void splitsLikeAShell() {
        assertEquals(List.of("xfsinfo", "-server", "localhost:7100"), split("  xfsinfo\t-server localhost:7100 "));
        assertEquals(List.of("sh", "-c", "echo $HOME | wc"), split("sh -c 'echo $HOME | wc'"));
        assertEquals(List.of("a b", "c\"d", "e\\f", "$x"), split("\"a b\" \"c\\\"d\" 'e\\f' \"\\$x\""));
        assertEquals(List.of("a b", "'", "ab"), split("a\\ b \\' a''b"));
        assertEquals(List.of(""), split("''"));
    }

    @Test
    void refusesWhatNeedsAShellOrIsIncomplete() {
        for (String line : List.of("", "   ", "a 'b", "a \"b", "a\\", "a > b", "a; b", "$(x)", "a \"$HOME\"", "`x`")) {
            CommandLine.InvalidCommandLine e = assertThrows(CommandLine.InvalidCommandLine.class, () -> split(line), line);
            assertEquals("\"" + line + "\" is not a valid command line: " + e.problem(), e.getMessage());
        }
    }

    @Test
    void theProblemNamesWhatAndWhere() {
        assertEquals("its ' at 3 is not closed", problem("a 'b"));
        assertEquals("its \" at 3 is not closed", problem("a \"b"));
        assertEquals("it ends with a backslash", problem("a\\"));
        assertEquals("it is empty", problem("  "));
        assertEquals("its unquoted | at 7 needs a shell, and the command is not run through one; write sh -c '...' "
                + "to use one", problem("ps -e | grep xfs"));
        assertEquals("its $ at 4 (in double quotes) needs a shell, and the command is not run through one; quote it "
                + "with ' or \\, or write sh -c '...'", problem("a \"$HOME\""));
    }

    private static String problem(String line) {
        return assertThrows(CommandLine.InvalidCommandLine.class, () -> split(line)).problem();
    }
}
