package io.vigil.monitor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static List<String> split(String line) {
        return CommandLine.split("Probe_command", line);
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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> split(line), line);
            assertTrue(e.getMessage().startsWith("Probe_command = \"" + line + "\" is not a valid command line: "),
                    e.getMessage());
        }
    }
}
