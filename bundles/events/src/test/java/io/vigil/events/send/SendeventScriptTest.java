package io.vigil.events.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.api.alarm.Alarm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's {@code bin/sendevent} spooling while the agent is not running (a stand-in {@code bin/vigil}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendeventScriptTest {

    /** The script in the source tree, from this module's directory. */
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir"))
            .resolve("../../runtime/src/main/dist/bin/sendevent").normalize();

    @TempDir
    Path tmp;

    private Path home() throws IOException {
        assumeTrue(Files.isRegularFile(SCRIPT), "bin/sendevent not found at " + SCRIPT);
        Path bin = Files.createDirectories(tmp.resolve("home/bin"));
        Files.copy(SCRIPT, bin.resolve("sendevent"));
        Files.writeString(bin.resolve("vigil"), "#!/bin/sh\nexit 75\n"); // the agent is not running
        for (String p : List.of("sendevent", "vigil")) {
            Files.setPosixFilePermissions(bin.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return tmp.resolve("home");
    }

    private Spool.Entry sendevent(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/sendevent").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("VIGIL_DATA", home.resolve("data").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("alarm spooled"), out);
        Spool spool = new Spool(home.resolve("data/events/spool"));
        List<Path> pending = spool.pending();
        assertEquals(1, pending.size());
        List<Spool.Entry> entries = Spool.readEntries(pending.get(0));
        spool.remove(pending.get(0));
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    @Test
    void spooledAlarmKeepsTheTimeItWasRaisedBesideItsUnchangedOptions() throws Exception {
        Path home = home();
        Instant before = Instant.now();
        Spool.Entry e = sendevent(home, "-C", "app", "-E", "hung", "-m", "probe", "-n", "web-rs", "-x", "two words");
        Instant after = Instant.now();
        assertEquals(List.of("-C", "app", "-E", "hung", "-m", "probe", "-n", "web-rs", "-x", "two words"), e.argv());
        assertEquals(Optional.empty(), e.handler());
        Instant raised = e.raised().orElseThrow(() -> new AssertionError("no raise time spooled"));
        assertTrue(!raised.isBefore(before.minusMillis(1)) && !raised.isAfter(after.plusMillis(1)),
                raised + " not within " + before + " .. " + after);
        Alarm parsed = SendEventArgs.parse(e.argv(), ZoneOffset.UTC, e.raised());
        assertEquals(raised, parsed.time(), "restored at dispatch, not the time of dispatch");
    }

    @Test
    void anAlarmGivingItsOwnTimeKeepsIt() throws Exception {
        Spool.Entry e = sendevent(home(), "-C", "app", "-E", "hung", "-m", "probe", "-n", "x", "-T", "1700000000");
        assertEquals(Optional.empty(), e.raised(), "-T is the alarm's time, as when the agent runs");
        assertEquals(Instant.ofEpochSecond(1_700_000_000L),
                SendEventArgs.parse(e.argv(), ZoneOffset.UTC, e.raised()).time());
    }
}
