package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The built distribution as a process: bin/vigil start, commands through the admin socket, hot
 * deploy into deploy/, and stop with no JVM left behind.
 */
public class DistributionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path SAMPLE_JAR = Path.of(System.getProperty("vigil.itest.bundles", "target/bundles"),
            "io.vigil.itests.sampletype.jar");

    private Distribution dist;

    @Before
    public void copyDistribution() throws Exception {
        dist = Distribution.fresh("dist");
    }

    @After
    public void stopAgent() {
        dist.close();
        assertTrue("no JVM is left behind", dist.jvms().isEmpty());
    }

    private Distribution.Result ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals("bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    /** The ACTIVE SINCE column of `status`, by bundle name, for Vigil's own bundles. */
    private Map<String, String> activeSince() {
        Map<String, String> since = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^ +\\d+ +ACTIVE +(\\S+) +(io\\.vigil\\.\\S+) ").matcher(ok("status").output());
        while (m.find()) {
            since.put(m.group(2), m.group(1));
        }
        return since;
    }

    @Test
    public void startDeployUndeployStop() throws Exception {
        Distribution.Result started = ok("start");
        assertTrue(started.output(), started.output().contains("started (pid "));
        long pid = dist.pid().orElseThrow();
        assertTrue(Distribution.running(pid));

        Distribution.Result status = ok("status");
        assertTrue(status.output(), status.output().startsWith("vigil: running (pid " + pid + ")"));
        assertTrue(status.output(), status.output().contains("Resource types:  0"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dist.data().resolve("vigil.sock"))));
        assertFalse(ok("clrt", "list").output().contains("VIGIL.sample"));
        Map<String, String> before = activeSince();
        java.util.Set<String> shipped;
        try (var jars = Files.list(dist.home.resolve("system"))) {
            shipped = jars.map(j -> j.getFileName().toString()).filter(n -> n.startsWith("io.vigil."))
                    .map(n -> n.substring(0, n.length() - ".jar".length())).collect(java.util.stream.Collectors.toSet());
        }
        assertEquals("every Vigil bundle shipped in system/ is active: " + before, shipped, before.keySet());

        dist.drop(SAMPLE_JAR, "sample.jar");
        Await.until("VIGIL.sample is listed", TIMEOUT,
                () -> dist.vigil("clrt", "list").output().contains("VIGIL.sample"));
        String show = ok("clrt", "show", "VIGIL.sample").output();
        assertTrue(show, show.contains("Methods:      Start, Stop, Validate"));

        Files.delete(dist.deploy().resolve("sample.jar"));
        Await.until("VIGIL.sample is gone", TIMEOUT,
                () -> !dist.vigil("clrt", "list").output().contains("VIGIL.sample"));
        assertEquals("deploying and removing a plugin restarted none of Vigil's bundles", before, activeSince());
        assertTrue(dist.log().contains("Resource type VIGIL.sample 1.0 registered"));

        Distribution.Result stopped = ok("stop");
        assertTrue(stopped.output(), stopped.output().contains("stopped (pid " + pid + ")"));
        assertFalse("the JVM is gone when stop returns", Distribution.running(pid));
        assertFalse(Files.exists(dist.data().resolve("vigil.sock")));
    }

    @Test
    public void corruptJarIsReportedAndTheAgentKeepsRunning() throws Exception {
        ok("start");
        Path garbage = Files.writeString(dist.home.resolve("garbage.bin"), "this is not a jar");
        dist.drop(garbage, "broken-plugin.jar");
        Await.until("the broken jar is reported in the log", TIMEOUT, () -> {
            try {
                return dist.log().contains("broken-plugin.jar was not installed: it is not a readable jar");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        ok("version");
        // The agent still deploys good plugins next to the broken one.
        dist.drop(SAMPLE_JAR, "sample.jar");
        Await.until("VIGIL.sample is listed", TIMEOUT,
                () -> dist.vigil("clrt", "list").output().contains("VIGIL.sample"));
    }

    @Test
    public void badInputAndAnAgentThatIsNotRunning() {
        Distribution.Result noArgs = dist.vigil();
        assertEquals(2, noArgs.status());
        assertTrue(noArgs.output(), noArgs.output().contains("usage: vigil run"));

        Distribution.Result notRunning = dist.vigil("clrt", "list");
        assertEquals(3, notRunning.status());
        assertEquals(1, notRunning.output().strip().lines().count());
        assertTrue(notRunning.output(), notRunning.output().contains("the agent is not running"));
        Distribution.Result status = dist.vigil("status");
        assertEquals(3, status.status());
        assertEquals("vigil: not running\n", status.output());

        ok("start");
        Distribution.Result unknown = dist.vigil("frobnicate", "now");
        assertEquals(2, unknown.status());
        assertTrue(unknown.output(), unknown.output().contains("Command not found: frobnicate"));
        assertTrue(unknown.output(), unknown.output().contains("usage: vigil run"));
        Distribution.Result badSub = dist.vigil("clrt", "bogus");
        assertEquals(2, badSub.status());
        assertTrue(badSub.output(), badSub.output().contains("unknown clrt subcommand 'bogus'; expected clrt list [-o json] | clrt show"));
        Distribution.Result missing = dist.vigil("clrt", "show", "NO.such");
        assertEquals(1, missing.status());
        assertTrue(missing.output(), missing.output().contains("resource type NO.such is not registered"));

        Distribution.Result again = ok("start");
        assertTrue(again.output(), again.output().contains("already running"));
        assertEquals(1, dist.jvms().size());
    }

    @Test
    public void runInTheForegroundIsHeadlessWithoutATerminalAndStopsOnTerm() throws Exception {
        Process run = new ProcessBuilder(dist.home.resolve("bin/vigil").toString(), "run")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dist.home.resolve("run.out").toFile())
                .start();
        try {
            Await.until("the foreground agent answers", TIMEOUT, () -> dist.vigil("version").status() == 0);
            assertEquals("bin/vigil run execs the JVM in place", run.pid(), (long) dist.pid().orElseThrow());
            assertTrue(ok("status").output().startsWith("vigil: running (pid " + run.pid() + ")"));
            Distribution.Result second = dist.vigil("run");
            assertEquals(1, second.status());
            assertTrue(second.output(), second.output().contains("already running"));
            // No terminal: stdin at EOF must not stop the agent (gogo.jline would, if it were interactive).
            assertTrue(run.isAlive());
        } finally {
            run.destroy(); // SIGTERM, as an init system stops it
        }
        assertTrue("the agent exits on SIGTERM", run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse("the admin socket is removed", Files.exists(dist.data().resolve("vigil.sock")));
        assertEquals(3, dist.vigil("status").status());
    }
}
