package io.vigil.types.xfnts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.api.probe.ProbeResult;
import io.vigil.monitor.probe.CommandProbe;
import io.vigil.monitor.probe.TcpProbe;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the real X font server: xfs started with the command line Start uses, probed with
 * the real xfsinfo. Runs only where xfs is on the PATH. Debian 12 no longer packages xfs, so
 * {@code .ci/run} cannot install it: unlike other interop tests, this one skips under CI=true too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XfsInteropTest {

    /** Probe_timeout of a probe of the stopped server, which uses all of it. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Probe_timeout of the probes that end by themselves (refused, or answered): only used up on a failure. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final XfntsProbe probe = new XfntsProbe(new TcpProbe(), new CommandProbe());

    static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    @Test
    void theRealFontServerAnswersTheProbeAndAStoppedOneFailsIt() throws Exception {
        Optional<Path> xfs = onPath("xfs");
        assumeTrue(xfs.isPresent(), "xfs is not on the PATH, so the interop test with the real font server is "
                + "skipped; Debian 12 no longer packages xfs and .ci/run cannot install it, so it is skipped under "
                + "CI=true too (the stand-in font server covers the type everywhere)");
        Optional<Path> xfsinfo = onPath("xfsinfo");
        if (xfsinfo.isEmpty()) {
            assertNotEquals("true", System.getenv("CI"), "xfs is installed but xfsinfo is not, under CI=true where "
                    + ".ci/run installs it (x11-xfs-utils)");
            assumeTrue(false, "xfsinfo is not on the PATH (apt-get install x11-xfs-utils): interop test skipped");
        }
        Path fonts = Files.createDirectories(tmp.resolve("fonts"));
        Files.writeString(fonts.resolve("fonts.dir"), "0\n");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("fontserver.cfg"), "clone-self = off\nuse-syslog = off\nerror-file = "
                + tmp.resolve("xfs-errors.log") + "\ncatalogue = " + fonts + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> properties = Map.of(XfsSettings.CONFDIR_LIST, conf.toString(),
                XfsSettings.PORT_LIST, port + "/tcp", XfsSettings.XFS_PROGRAM, xfs.get().toString(),
                XfsSettings.CHECK_COMMAND, xfsinfo.get() + " -server %host:%port");
        XfsSettings settings = XfsSettings.read(io.vigil.api.type.PropertyValues.of(properties));
        assertEquals(List.of(), settings.fileProblems());

        Process server = new ProcessBuilder(settings.xfsCommand()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("xfs.out").toFile()).start();
        try {
            ProbeResult r = probeUntilHealthy(properties, server);
            assertEquals(ProbeResult.HEALTHY, r.score(), r.message());

            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(server.pid())).start().waitFor());
            ProbeResult stopped = probe.probe(XfntsProbeTest.Context.of(properties, PROBE_TIMEOUT));
            assertEquals(ProbeResult.COMPLETE_FAILURE, stopped.score(), stopped.message());
            assertTrue(stopped.message().contains(" timed out after "), stopped.message());
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Probes until xfs answers (it needs a moment to start), failing with what was seen last. */
    private ProbeResult probeUntilHealthy(Map<String, String> properties, Process server) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        ProbeResult last;
        do {
            last = probe.probe(XfntsProbeTest.Context.of(properties, ANSWER_TIMEOUT));
            if (last.isHealthy() || !server.isAlive()) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        } while (System.nanoTime() < deadline);
        assertTrue(server.isAlive(), "xfs ended: " + Files.readString(tmp.resolve("xfs.out")));
        return last;
    }
}
