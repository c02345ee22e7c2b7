package io.vigil.monitor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.vigil.testing.Processes.running;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.CommandLine;
import io.vigil.api.probe.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandProbeTest {

    private static final Duration TIME = Duration.ofSeconds(5);

    private final CommandProbe probe = new CommandProbe();

    @TempDir
    Path tmp;

    private ProbeResult probe(Duration timeLeft, String command, String... more) throws InterruptedException {
        Map<String, String> properties = new HashMap<>();
        properties.put("Probe_command", command);
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return probe.probe(FixedContext.of(timeLeft, properties));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 100", "100, 100", "201, 201", "7, 100"})
    void exitCodesAreScored(int exit, int score) throws Exception {
        ProbeResult r = probe(TIME, "sh -c 'exit " + exit + "'");
        assertEquals(score, r.score(), r.message());
        assertTrue(r.message().startsWith("sh -c exit " + exit + " exited " + exit), r.message());
    }

    @Test
    void otherExitsScoreProbeFailureScore() throws Exception {
        assertEquals(30, probe(TIME, "sh -c 'exit 1'", "Probe_failure_score", "30").score());
        assertEquals(0, probe(TIME, "sh -c 'exit 1'", "Probe_failure_score", "0").score());
        assertEquals(100, probe(TIME, "sh -c 'exit 100'", "Probe_failure_score", "30").score(), "100 stays 100");
        ProbeResult bad = probe(TIME, "true", "Probe_failure_score", "150");
        assertEquals(100, bad.score());
        assertEquals("Probe_failure_score = 150 is out of range; expected 0..100, or 201 to fail over now",
                bad.message());
    }

    @Test
    void theMessageEndsWithTheLastLineOfOutput() throws Exception {
        ProbeResult r = probe(TIME, "sh -c 'echo checking $VIGIL_RESOURCE in $VIGIL_GROUP; "
                + "echo \"port closed\" >&2; exit 1'");
        assertEquals(100, r.score());
        assertTrue(r.message().endsWith(" exited 1: port closed"), r.message());
        ProbeResult env = probe(TIME, "sh -c 'echo $VIGIL_RESOURCE/$VIGIL_GROUP'");
        assertEquals(0, env.score());
        assertTrue(env.message().endsWith(" exited 0: web/web-rg"), env.message());
    }

    @Test
    void aSignalIsReportedAsSuch() throws Exception {
        ProbeResult r = probe(TIME, "sh -c 'kill -TERM $$'");
        assertEquals(100, r.score());
        assertEquals("sh -c kill -TERM $$ was killed by signal 15", r.message());
    }

    @Test
    void aMissingProgramIsAFailure() throws Exception {
        ProbeResult r = probe(TIME, "/no/such/probe-program --check");
        assertEquals(100, r.score());
        assertTrue(r.message().startsWith("/no/such/probe-program --check exited 127:"), r.message());
        assertTrue(r.message().contains("No such file"), r.message());
    }

    @Test
    void aHangingCommandIsKilledAtTheTimeoutWithItsChildren() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        long start = System.nanoTime();
        ProbeResult r = probe(Duration.ofMillis(800), "sh -c 'sleep 300 & echo $! > " + pidFile + "; wait'");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 760 ms; killed 2 processes with SIGKILL"), r.message());
        assertTrue(millis >= 760 && millis < 5000, millis + " ms");
        long child = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        assertFalse(running(child), "the background sleep " + child + " outlived the probe");
    }

    /** A command that traps {@code signal}, writing {@code note} to a file, and waits for a long sleep. */
    private String trapping(String signal, Path note) {
        return "sh -c 'trap \"echo caught " + signal + " > " + note + "; exit 3\" " + signal + "; sleep 300 & wait'";
    }

    @Test
    void byDefaultATimedOutCommandGetsSigkillAndCannotCleanUp() throws Exception {
        Path note = tmp.resolve("note");
        ProbeResult r = probe(Duration.ofMillis(800), trapping("TERM", note));
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 760 ms; killed 2 processes with SIGKILL"), r.message());
        assertFalse(Files.exists(note), "SIGKILL cannot be trapped");
    }

    /**
     * Runs a command with a short budget and a grace far longer than any machine needs to run a
     * trap: a command that ends on the signal ends the wait at once, so the test costs only the budget.
     */
    private ProbeResult runWithGrace(String command, KillSignal signal) throws InterruptedException {
        return CommandProbe.run(CommandLine.split(command), Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofMillis(500), Duration.ofSeconds(20), 100, signal);
    }

    @Test
    void aTermKillSignalLetsATimedOutCommandCleanUp() throws Exception {
        Path note = tmp.resolve("note");
        ProbeResult r = runWithGrace(trapping("TERM", note), KillSignal.TERM);
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 500 ms; sent SIGTERM to 2 processes"), r.message());
        assertFalse(r.message().contains("SIGKILL"), r.message());
        assertEquals("caught TERM", Files.readString(note, StandardCharsets.US_ASCII).strip());
    }

    @Test
    void theGraceCoversProcessesThatEndAfterTheCommand() throws Exception {
        // the command ends at once on TERM; its child takes 300 ms to clean up and is not "still running"
        Path child = tmp.resolve("child.sh");
        Path note = tmp.resolve("note");
        Files.writeString(child, "trap 'sleep 0.3; echo cleaned up > " + note + "; exit 0' TERM\nsleep 300 & wait\n");
        ProbeResult r = runWithGrace("sh -c 'trap \"exit 3\" TERM; sh " + child + " & wait'", KillSignal.TERM);
        assertTrue(r.message().contains(" timed out after 500 ms; sent SIGTERM to 3 processes"), r.message());
        assertFalse(r.message().contains("SIGKILL"), r.message());
        assertEquals("cleaned up", Files.readString(note, StandardCharsets.US_ASCII).strip());
    }

    @Test
    void otherKillSignalsAreSentThroughTheKillProgram() throws Exception {
        Path note = tmp.resolve("note");
        ProbeResult r = runWithGrace(trapping("USR1", note), KillSignal.USR1);
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 500 ms; sent SIGUSR1 to 2 processes"), r.message());
        assertFalse(r.message().contains("SIGKILL"), r.message());
        assertEquals("caught USR1", Files.readString(note, StandardCharsets.US_ASCII).strip());
    }

    @Test
    void probeKillSignalIsReadByNameInAnyCase() throws Exception {
        // the command ignores the signal, so the outcome does not depend on how fast it would react
        ProbeResult r = probe(Duration.ofSeconds(1), "sh -c 'trap \"\" USR1; sleep 300 & wait'",
                "Probe_kill_signal", "sigusr1");
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 950 ms; sent SIGUSR1 to 2 processes, then SIGKILL to 2 "
                + "still running after 50 ms"), r.message());
    }

    @Test
    void whatIgnoresTheKillSignalGetsSigkillAfterTheRestOfTheTime() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        ProbeResult r = probe(Duration.ofSeconds(2), "sh -c 'trap \"\" TERM; sleep 300 & echo $! > " + pidFile
                + "; wait'", "Probe_kill_signal", "SIGTERM");
        assertEquals(100, r.score());
        assertTrue(r.message().contains(" timed out after 1900 ms; sent SIGTERM to 2 processes, then SIGKILL to 2 "
                + "still running after 100 ms"), r.message());
        long child = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        assertFalse(running(child), "the background sleep " + child + " outlived the probe");
    }

    @Test
    void anUnknownKillSignalFailsNamingTheAcceptedOnes() throws Exception {
        for (String bad : new String[] {"FOO", "9", "SIGSTOP"}) {
            ProbeResult r = probe(TIME, "true", "Probe_kill_signal", bad);
            assertEquals(100, r.score(), bad);
            assertEquals("Probe_kill_signal = \"" + bad + "\" is not a signal name; expected one of HUP, INT, QUIT, "
                    + "ABRT, KILL, USR1, USR2, ALRM, TERM (SIG prefix optional)", r.message());
        }
        assertEquals(0, probe(TIME, "true", "Probe_kill_signal", "kill").score());
    }

    @Test
    void processesLeftRunningAfterAnExitAreKilled() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        ProbeResult r = probe(TIME, "sh -c 'sleep 300 & echo $! > " + pidFile + "'");
        assertEquals(0, r.score(), r.message());
        long child = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        assertFalse(running(child), "the background sleep " + child + " outlived the probe");
    }

    @Test
    void noTimeLeftIsAPartialFailure() throws Exception {
        ProbeResult r = probe(Duration.ZERO, "true");
        assertEquals(50, r.score());
        assertEquals("no time left to run true", r.message());
    }

    @Test
    void aMissingOrShellOnlyCommandLineFailsClearly() throws Exception {
        ProbeResult none = probe.probe(FixedContext.of(TIME, Map.of()));
        assertEquals(100, none.score());
        assertEquals("web has no Probe_command; expected the command line to run", none.message());
        ProbeResult pipe = probe(TIME, "ps -e | grep xfs");
        assertEquals(100, pipe.score());
        assertTrue(pipe.message().startsWith("Probe_command = \"ps -e | grep xfs\" is not a valid command line: "
                + "its unquoted | at 7 needs a shell"), pipe.message());
    }

}
