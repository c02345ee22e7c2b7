package io.vigil.healthcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.core.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GGHealthCheckTest {

    @TempDir
    Path dir;

    @Test
    void flagsOverrideTheFileWhichOverridesTheDefaults() throws Exception {
        Files.writeString(dir.resolve("GGHealthCheck.ini"),
                "[default]\nmode = S\nhost = 10.0.0.1\nport = 5000\nrepeat = 3\ninterval = 7\nclTimeout = 4\n");
        Settings s = GGHealthCheck.settings(Flags.parse("-c", "-hp", "6000", "-r", "-1", "-l", "/tmp/gg"), dir,
                Optional.empty());
        assertEquals('C', s.mode());
        assertEquals("10.0.0.1", s.host());
        assertEquals(6000, s.port());
        assertEquals(-1, s.repeat());
        assertEquals(Duration.ofSeconds(7), s.interval());
        assertEquals(Duration.ofSeconds(4), s.clTimeout());
        assertEquals(Path.of("/tmp/gg"), s.logd().orElseThrow());
        assertEquals(Duration.ofSeconds(10), s.svTimeout());
        assertEquals(Duration.ofSeconds(2), GGHealthCheck.settings(Flags.parse("-i", "2"), dir, Optional.empty()).interval());
    }

    @Test
    void theFileIsFoundInTheWorkingDirectoryThenInEtc() throws Exception {
        Path home = Files.createDirectories(dir.resolve("vigil/etc")).getParent();
        Files.writeString(home.resolve("etc/GGHealthCheck.ini"), "[default]\nport = 7001\n");
        Path work = Files.createDirectories(dir.resolve("work"));
        assertEquals(7001, GGHealthCheck.settings(Flags.parse(), work, Optional.of(home)).port());
        Files.writeString(work.resolve("GGHealthCheck.ini"), "[default]\nport = 7002\n");
        assertEquals(7002, GGHealthCheck.settings(Flags.parse(), work, Optional.of(home)).port());
        Path other = Files.writeString(dir.resolve("other.ini"), "[default]\nport = 7003\n");
        assertEquals(7003, GGHealthCheck.settings(Flags.parse("-f", other.toString()), work, Optional.of(home)).port());
    }

    @Test
    void badFlagsAreNamed() {
        assertEquals("unknown argument '-x'; expected -s, -c, -h, -hp, -i, -r, -l or -f",
                assertThrows(IllegalArgumentException.class, () -> Flags.parse("-x")).getMessage());
        assertEquals("-hp needs a value; expected -hp <port>",
                assertThrows(IllegalArgumentException.class, () -> Flags.parse("-hp")).getMessage());
        assertEquals("-s and -c exclude each other; expected one of them",
                assertThrows(IllegalArgumentException.class, () -> Flags.parse("-s", "-c")).getMessage());
    }

    @Test
    void badSettingsExitWithTheUsageStatusAndOneMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GGHealthCheck.run(new String[] {"-c", "-hp", "port"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, Optional.empty());
        assertEquals(GGHealthCheck.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "gghealthcheck: port = 'port' is invalid; expected an integer from 0 to 65535\nusage: gghealthcheck"));
    }

    @Test
    void theStandaloneServerRefusesAgentOnlySources() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GGHealthCheck.run(new String[] {"-s", "-hp", "0", "-f", write("[default]\ncommand = *rg:rg1\n")},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), dir,
                Optional.empty());
        assertEquals(GGHealthCheck.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "gghealthcheck: command = *rg:rg1 is answered by the Vigil agent only"), err.toString(StandardCharsets.UTF_8));
    }

    private String write(String text) {
        try {
            return Files.writeString(dir.resolve("x.ini"), text).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
