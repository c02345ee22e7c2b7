package io.vigil.healthcheck.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.healthcheck.core.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandStatusTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path script(String name, String body, String mode) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void exitStatusZeroIsUpAnythingElseDownWithTheFirstLine() throws IOException {
        Path ok = script("ok", "echo all fine; echo second line", "rwxr-xr-x");
        try (CommandStatus s = new CommandStatus(ok.toString(), LONG, LONG, "t")) {
            assertEquals(Health.up("all fine"), s.check());
        }
        Path bad = script("bad", "echo 'db refused' >&2; exit 3", "rwx------");
        try (CommandStatus s = new CommandStatus(bad + " --verbose", LONG, LONG, "t")) {
            assertEquals(Health.down("command exited with status 3: db refused"), s.check());
        }
    }

    @Test
    void aHangingCommandIsKilledWithItsChildrenAtItsTimeout() throws IOException {
        Path pidFile = dir.resolve("child.pid");
        Path hang = script("hang", "sleep 600 & echo $! > " + pidFile + "; wait", "rwxr-xr-x");
        try (CommandStatus s = new CommandStatus(hang.toString(), LONG, Duration.ofMillis(300), "t")) {
            Health h = s.check();
            assertEquals(Health.down("command timed out after 300 ms and was killed"), h);
        }
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true), "the command's child was killed too");
    }

    @Test
    void theScheduleReportsChangesOnly() throws Exception {
        Path flag = dir.resolve("healthy");
        Path check = script("check", "test -e " + flag, "rwxr-xr-x");
        BlockingQueue<Health> changes = new ArrayBlockingQueue<>(10);
        try (CommandStatus s = new CommandStatus(check.toString(), Duration.ofMillis(20), LONG, "t")) {
            assertFalse(s.current().up());
            s.start(changes::add);
            assertEquals(Health.down("command exited with status 1"), changes.poll(20, TimeUnit.SECONDS));
            Files.createFile(flag);
            assertEquals(Health.up("command exited with status 0"), changes.poll(20, TimeUnit.SECONDS));
            assertEquals(Health.up("command exited with status 0"), s.current());
            Files.delete(flag);
            assertEquals(Health.down("command exited with status 1"), changes.poll(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void anExceptionInARunTurnsTheStatusDownAndTheScheduleGoesOn() throws Exception {
        Path flag = dir.resolve("healthy");
        Path check = script("check", "test -e " + flag, "rwxr-xr-x");
        BlockingQueue<Health> changes = new ArrayBlockingQueue<>(10);
        AtomicBoolean first = new AtomicBoolean(true);
        try (CommandStatus s = new CommandStatus(check.toString(), Duration.ofMillis(20), LONG, "t")) {
            s.start(h -> {
                if (first.getAndSet(false)) {
                    throw new IllegalStateException("the log is gone");
                }
                changes.add(h);
            });
            Health failed = Health.down("the status check failed: java.lang.IllegalStateException: the log is gone");
            assertEquals(failed, changes.poll(20, TimeUnit.SECONDS));
            assertEquals(Health.down("command exited with status 1"), changes.poll(20, TimeUnit.SECONDS),
                    "the schedule is still running");
            Files.createFile(flag);
            assertEquals(Health.up("command exited with status 0"), changes.poll(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void unusableProgramsAreRefusedWithTheReason() throws IOException {
        Path writable = script("writable", "exit 0", "rwxrwxr-x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CommandStatus(writable.toString(), LONG, LONG, "t"));
        assertEquals("command program " + writable + " is group- or world-writable (rwxrwxr-x); refused, expected it"
                + " writable by its owner only", e.getMessage());
        Path plain = script("plain", "exit 0", "rw-r--r--");
        e = assertThrows(IllegalArgumentException.class, () -> new CommandStatus(plain.toString(), LONG, LONG, "t"));
        assertEquals("command program " + plain + " is not executable; expected mode 755 or stricter", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CommandStatus("no-such-program-here", LONG, LONG, "t"));
        assertEquals("command program 'no-such-program-here' does not exist on PATH; expected an executable file", e.getMessage());
    }

    @Test
    void commandLinesSplitOnBlanksOutsideQuotes() {
        assertEquals(List.of("/bin/check", "-n", "a b", "c d", ""), CommandStatus.split("/bin/check  -n 'a b' \"c d\" ''"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandStatus.split("x 'open"));
        assertEquals("command 'x 'open' has an unclosed '; expected matching quotes", e.getMessage());
    }
}
