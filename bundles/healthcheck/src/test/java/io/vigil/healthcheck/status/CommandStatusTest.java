package io.vigil.healthcheck.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.vigil.testing.Processes.running;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testing.Await;
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
import java.util.function.BooleanSupplier;
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
    void aHangingCommandIsKilledWithItsChildrenAtItsTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path hang = script("hang", "sleep 600 & echo $! > " + pidFile + "; wait", "rwxr-xr-x");
        try (CommandStatus s = new CommandStatus(hang.toString(), LONG, Duration.ofMillis(300), "t",
                hungOnceWritten(pidFile))) {
            Health h = s.check();
            assertEquals(Health.down("command timed out after 300 ms and was killed"), h);
        }
        // written before the run counted as hung: the child was forked before the command was killed
        long child = Long.parseLong(Files.readString(pidFile).strip());
        boolean killed = awaitCondition(() -> !running(child));
        if (!killed) {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly); // not left for 600 s
        }
        assertTrue(killed, "the command's child " + child + " was still running " + LONG.toSeconds()
                + " s after the command was killed; expected it killed with it");
    }

    @Test
    void aTimedOutCommandsOrphansAndWhatIgnoresSigtermAreKilledToo() throws Exception {
        // the subshell exits at once, so its sleep is an orphan no descendant list finds; the command
        // itself ignores SIGTERM and needs SIGKILL after the grace
        Path pidFile = dir.resolve("orphan.pid");
        Path hang = script("orphaning", "trap '' TERM\n( sleep 600 & echo $! > " + pidFile + " )\nwhile :; do sleep 1; done",
                "rwxr-xr-x");
        try (CommandStatus s = new CommandStatus(hang.toString(), LONG, Duration.ofMillis(300), "t",
                hungOnceWritten(pidFile))) {
            assertEquals(Health.down("command timed out after 300 ms and was killed"), s.check());
        }
        long orphan = Long.parseLong(Files.readString(pidFile).strip());
        boolean killed = awaitCondition(() -> !running(orphan));
        if (!killed) {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly); // not left for 600 s
        }
        assertTrue(killed, "the orphaned sleep " + orphan + " outlived the command; expected its session killed");
    }

    /**
     * A waiter for a command that writes a line to {@code file} and then hangs: it lets the real
     * timeout start only once the line is there, so the run times out with its child forked
     * however slowly the shell starts. Fails if the command ends first, or writes nothing within
     * {@link #LONG}.
     */
    private static CommandStatus.Waiter hungOnceWritten(Path file) {
        return (process, timeout) -> {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (!hasLine(file)) {
                // the short wait for the process is the polling interval, and notices an early end
                if (process.waitFor(10, TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the command ended with status " + process.exitValue()
                            + " before writing a line to " + file + "; expected it to write one and hang");
                }
                if (System.nanoTime() - deadline > 0) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new AssertionError("the command wrote no line to " + file + " within " + LONG.toSeconds()
                            + " s; expected it to write one and hang");
                }
            }
            return CommandStatus.PROCESS_WAIT.waitFor(process, timeout);
        };
    }

    private static boolean hasLine(Path file) {
        try {
            return Files.readString(file).matches("\\d+\n");
        } catch (IOException e) {
            return false; // not written yet
        }
    }

    /**
     * Waits until {@code condition} holds, at most {@link #LONG}; the wait ends as soon as it holds.
     *
     * @return whether it held in time
     */
    private static boolean awaitCondition(BooleanSupplier condition) {
        return Await.within(LONG, condition);
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
        assertEquals("command \"x 'open\" is not a valid command line: its ' at 3 is not closed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CommandStatus.split("/bin/check | grep UP"));
        assertTrue(e.getMessage().startsWith("command \"/bin/check | grep UP\" is not a valid command line: its "
                + "unquoted | at 12 needs a shell"), e.getMessage());
    }
}
