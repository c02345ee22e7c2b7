package io.vigil.rgm.exec;

import static io.vigil.rgm.exec.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgramCheckTest {

    @TempDir
    Path tmp;

    private long uid;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        uid = ProgramCheck.currentUid();
        dir = tmp.toRealPath();
    }

    private static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private String refusal(Path program) {
        return refusal(program, uid);
    }

    private static String refusal(Path program, long agentUid) {
        MethodRefusedException e = assertThrows(MethodRefusedException.class,
                () -> ProgramCheck.check(program, agentUid));
        assertEquals(program, e.program());
        return e.getMessage();
    }

    @Test
    void acceptsAnOwnerOnlyWritableExecutable() {
        Path p = script(dir, "start", "exit 0");
        assertDoesNotThrow(() -> ProgramCheck.check(p, uid));
    }

    @Test
    void refusesARelativePath() {
        assertEquals("bin/start is not an absolute path; expected the absolute path of a program",
                refusal(Path.of("bin/start")));
    }

    @Test
    void refusesAMissingProgram() {
        Path p = dir.resolve("nothing");
        assertEquals(p + " does not exist; expected an executable program", refusal(p));
    }

    @Test
    void refusesAProgramWithoutExecutePermission() throws IOException {
        Path p = script(dir, "start", "exit 0");
        chmod(p, "rw-r--r--");
        assertEquals(p + " is not executable (mode rw-r--r--); expected a program with execute permission",
                refusal(p));
    }

    @Test
    void refusesADirectory() throws IOException {
        Path p = Files.createDirectory(dir.resolve("start"));
        assertEquals(p + " is a directory; expected a regular file", refusal(p));
    }

    @ParameterizedTest
    @CsvSource({"rwxrwxr-x, group-writable", "rwxr-xrwx, world-writable", "rwxrwxrwx, group- and world-writable"})
    void refusesAProgramOthersCanWrite(String perms, String what) throws IOException {
        Path p = script(dir, "start", "exit 0");
        chmod(p, perms);
        assertEquals(p + " is " + what + " (mode " + perms + "); expected a program writable only by its owner",
                refusal(p));
    }

    @Test
    void checksTheTargetOfASymbolicLink() throws IOException {
        Path target = script(dir, "real-start", "exit 0");
        chmod(target, "rwxrwxrwx");
        Path link = Files.createSymbolicLink(dir.resolve("start"), target);
        assertEquals(link + " (resolved to " + target + ") is group- and world-writable (mode rwxrwxrwx); "
                + "expected a program writable only by its owner", refusal(link));

        chmod(target, "rwxr-xr-x");
        assertDoesNotThrow(() -> ProgramCheck.check(link, uid));
    }

    @Test
    void refusesADanglingSymbolicLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("start"), dir.resolve("gone"));
        assertEquals(link + " is a symbolic link to " + dir.resolve("gone")
                + ", which does not exist; expected an executable program", refusal(link));
    }

    @Test
    void refusesAProgramOwnedByAnotherUser() throws IOException {
        assumeTrue(uid == 0, "chown needs root");
        Path p = script(dir, "start", "exit 0");
        Files.setAttribute(p, "unix:uid", 65534);
        assertEquals(p + " is owned by uid 65534; expected a program owned by root (uid 0)", refusal(p, 0));
        assertEquals(p + " is owned by uid 65534; expected a program owned by root (uid 0) or the agent's user "
                + "(uid 1000)", refusal(p, 1000));
        // owned by the agent's own user: fine
        assertDoesNotThrow(() -> ProgramCheck.check(p, 65534));
    }

    @Test
    void refusesAProgramInAWorldWritableDirectory() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        chmod(open, "rwxrwxrwx");
        Path p = script(open, "start", "exit 0");
        assertEquals(p + " is in directory " + open + ", which is group- and world-writable (mode rwxrwxrwx) and "
                + "not sticky; expected directories that only " + owners() + " can write to, or sticky ones like /tmp",
                refusal(p));
    }

    @Test
    void acceptsAProgramInAStickyDirectoryOwnedByRootOrTheAgent() throws IOException {
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path p = script(sticky, "start", "exit 0");
        assertDoesNotThrow(() -> ProgramCheck.check(p, uid));
    }

    @Test
    void refusesASymbolicLinkLyingInAWorldWritableDirectory() throws IOException {
        Path good = script(dir, "real-start", "exit 0");
        Path open = Files.createDirectory(dir.resolve("open"));
        chmod(open, "rwxrwx-wx");
        Path link = Files.createSymbolicLink(open.resolve("start"), good);
        assertEquals(link + " (resolved to " + good + ") is in directory " + open + ", which is group- and "
                + "world-writable (mode rwxrwx-wx) and not sticky; expected directories that only " + owners()
                + " can write to, or sticky ones like /tmp", refusal(link));
    }

    @Test
    void refusesAProgramInADirectoryOwnedByAnotherUser() throws IOException {
        assumeTrue(uid == 0, "chown needs root");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        Path p = script(theirs, "start", "exit 0");
        assertEquals(p + " is in directory " + theirs + ", which is owned by uid 65534; expected directories "
                + "owned by root (uid 0)", refusal(p, 0));
    }

    private String owners() {
        return uid == 0 ? "root (uid 0)" : "root (uid 0) or the agent's user (uid " + uid + ")";
    }

    @Test
    void modeStringShowsSpecialBits() {
        assertEquals("rwxrwxrwt", ProgramCheck.modeString(01777));
        assertEquals("rwsr-Sr-T", ProgramCheck.modeString(07744));
        assertEquals("r--------", ProgramCheck.modeString(0400));
    }
}
