package io.vigil.pgpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthKeyTest {

    @TempDir
    Path tmp;

    @Test
    void aKeyFileReadableByItsOwnerOnlyIsRead() throws Exception {
        Path f = tmp.resolve("key");
        Files.writeString(f, "s3cr3t\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AuthKey k = AuthKey.load("", f.toString()).orElseThrow();
        assertEquals("s3cr3t", k.reveal());
        assertTrue(k.matches("s3cr3t"));
        assertFalse(k.matches("s3cr3"));
        assertFalse(k.matches(null));
        assertFalse(k.toString().contains("s3cr3t"));
    }

    @Test
    void aGroupOrWorldReadableKeyFileIsRefused() throws Exception {
        Path f = tmp.resolve("key");
        Files.writeString(f, "s3cr3t\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuthKey.load("", f.toString()));
        assertTrue(e.getMessage().contains("readable by group or others") && !e.getMessage().contains("s3cr3t"),
                e.getMessage());
    }

    @Test
    void badSettingsAreRefusedClearly() throws Exception {
        assertEquals(Optional.empty(), AuthKey.load("", ""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthKey.load("a", "/x")).getMessage()
                .contains("both"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthKey.load("", tmp.resolve("none").toString()))
                .getMessage().contains("cannot be read"));
        Path empty = tmp.resolve("empty");
        Files.writeString(empty, "\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthKey.load("", empty.toString()))
                .getMessage().contains("empty"));
    }

    @Test
    void socketPathsAreBuiltAndChecked() {
        assertEquals(Path.of("/run/pg/.s.PGPOOLWD_CMD.9000"), SocketPaths.of("/run/pg", 9000));
        assertThrows(IllegalArgumentException.class, () -> SocketPaths.of(" ", 9000));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SocketPaths.of("/x", 0)).getMessage()
                .contains("1..65535"));
    }

    @Test
    void theClientRefusesWhatBreaksARealWatchdogBeforeConnecting() {
        WatchdogClient c = new WatchdogClient(tmp.resolve("nothing-here"), Optional.empty(),
                io.vigil.pgpool.codec.Dialect.PGPOOL, java.time.Duration.ofSeconds(1), 1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.exchange(io.vigil.pgpool.codec.WdPacket.empty((byte) '0')));
        assertTrue(e.getMessage().contains("REGISTER"), e.getMessage());
        for (String json : new String[] {"{}", "{\"NodeID\":-1,\"x\":[]}", ""}) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> c.exchange(io.vigil.pgpool.codec.WdPacket.request((byte) '3', json)));
            assertTrue(e.getMessage().contains("crashes a real watchdog"), e.getMessage());
        }
    }
}
