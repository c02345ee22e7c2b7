package io.vigil.shell.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {

    @TempDir
    Path dir;

    private AdminServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private AdminServer start(CommandRunner runner, long agentUid) throws IOException {
        server = new AdminServer(dir.resolve("data/vigil.sock"), runner, agentUid, 2);
        return server;
    }

    private int client(String... command) {
        return AdminClient.run(dir.resolve("data/vigil.sock"), List.of(command),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void socketIsOwnerOnlyAndNoTemporaryIsLeft() throws IOException {
        start(line -> new AdminProtocol.Response("", 0), AdminSocket.agentUid());
        Path sock = dir.resolve("data/vigil.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        try (var files = Files.list(dir.resolve("data"))) {
            assertEquals(List.of(sock), files.toList());
        }
    }

    @Test
    void commandOutputAndStatusReachTheClient() throws IOException {
        start(line -> new AdminProtocol.Response("ran [" + line + "]\n", line.startsWith("fail") ? 1 : 0),
                AdminSocket.agentUid());
        assertEquals(0, client("clrt", "show", "a b"), err.toString(StandardCharsets.UTF_8));
        assertEquals("ran [clrt show 'a b']\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, client("fail"));
    }

    @Test
    void commandsRunConcurrently() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        start(line -> {
            bothInside.countDown();
            try {
                return new AdminProtocol.Response(bothInside.await(10, TimeUnit.SECONDS) ? "together\n" : "alone\n", 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new AdminProtocol.Response("interrupted\n", 1);
            }
        }, AdminSocket.agentUid());
        Thread other = new Thread(() -> client("one"));
        other.start();
        assertEquals(0, client("two"));
        other.join();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("together"));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("alone"));
    }

    @Test
    void peerOfAnotherUidIsRefusedAndNothingRuns() throws Exception {
        long me = AdminSocket.agentUid();
        AtomicBoolean ran = new AtomicBoolean();
        CommandRunner runner = line -> {
            ran.set(true);
            return new AdminProtocol.Response("", 0);
        };
        if (me != 0) {
            // Not root: pretend the agent runs as another user, so this test's uid is foreign.
            start(runner, me + 1);
            assertEquals(AdminProtocol.REFUSED, client("status"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("permission denied"));
            assertFalse(ran.get());
            return;
        }
        // Root: connect as nobody (65534) through a socket opened wide on purpose, so that only
        // the peer-credential check stands in the way.
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "setpriv(1) is needed to connect as another uid");
        start(runner, 4242);
        Path sock = dir.resolve("data/vigil.sock");
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // The client's classes, copied where nobody can read them whatever the checkout's permissions.
        Path built = Path.of(AdminClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path classes = dir.resolve("client");
        Path pkg = Path.of("io", "vigil", "shell", "admin");
        Files.createDirectories(classes.resolve(pkg));
        try (var files = Files.list(built.resolve(pkg))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("Admin")).toList()) {
                Files.copy(f, classes.resolve(pkg).resolve(f.getFileName()));
            }
        }
        try (var tree = Files.walk(classes)) {
            for (Path f : tree.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Process p = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes.toString(),
                AdminClient.class.getName(), sock.toString(), "status").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(AdminProtocol.REFUSED, p.exitValue(), output);
        assertTrue(output.contains("uid 65534 is neither the agent's uid 4242 nor root"), output);
        assertFalse(ran.get());
    }

    @Test
    void noAgentMeansNotRunning() {
        assertEquals(AdminProtocol.NOT_RUNNING, client("status"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not running"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void staleSocketIsReplacedButALiveAgentIsNot() throws IOException {
        start(line -> new AdminProtocol.Response("first\n", 0), AdminSocket.agentUid());
        IOException e = assertThrows(IOException.class,
                () -> new AdminServer(dir.resolve("data/vigil.sock"), line -> null, 0, 1));
        assertTrue(e.getMessage().contains("another agent already answers"), e.getMessage());
        assertEquals(0, client("x"));

        // A socket file left by a killed agent: nothing listens behind it.
        server.close();
        server = null;
        Path sock = dir.resolve("data/vigil.sock");
        try (var s = org.newsclub.net.unix.AFUNIXServerSocket.newInstance()) {
            s.setDeleteOnClose(false);
            s.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock));
        start(line -> new AdminProtocol.Response("second\n", 0), AdminSocket.agentUid());
        out.reset();
        assertEquals(0, client("x"));
        assertEquals("second\n", out.toString(StandardCharsets.UTF_8));
    }
}
