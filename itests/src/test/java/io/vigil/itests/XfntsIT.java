package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * SUNW.xfnts end to end through the distribution, with the stand-in font server of its bundle: the
 * jar dropped into deploy/ of a running agent registers the type; a resource of it goes online
 * (xfs under PMF, Start waiting until it answers); a SIGKILLed server is restarted by the PMF; a
 * SIGSTOPped one fails its probe and the fault monitor restarts the resource (Status DEGRADED,
 * then back); once Retry_count is spent a giveover is asked for and refused, there being no other
 * node (Status FAULTED); offline leaves no process; removing the jar removes the type.
 */
public class XfntsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path XFNTS_JAR = Path.of(System.getProperty("vigil.itest.bundles", "target/bundles"),
            "io.vigil.types.xfnts.jar");
    /** The stand-in font server and check command, kept with the bundle's own tests. */
    private static final Path STAND_INS = Path.of(System.getProperty("vigil.itest.xfnts.standin",
            "../bundles/types/xfnts/src/test/standin"));
    private static final String TAG = "xfs-rg,xfs1,0.svc";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Distribution dist;
    private Path standIns;
    private Path conf;
    private int port;

    @Before
    public void setUp() throws Exception {
        dist = Distribution.fresh("xfnts");
        standIns = Files.createDirectories(dist.home.resolve("xfnts"));
        for (String program : List.of("fake-xfs", "fake-xfsinfo")) {
            Path p = Files.copy(STAND_INS.resolve(program), standIns.resolve(program),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        conf = Files.createDirectories(standIns.resolve("conf"));
        Files.writeString(conf.resolve("fontserver.cfg"), "clone-self = off\ncatalogue = " + standIns + "\n");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
    }

    @After
    public void tearDown() {
        if (dist == null) {
            return;
        }
        dist.close();
        assertTrue(dist.jvms().isEmpty());
        if (standIns == null) {
            return;
        }
        // A test that failed half way may leave its stand-in server running under PMF (services outlive the agent).
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(standIns.toString()))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private Distribution.Result ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals("bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    /** The resource as {@code clrs status -o json} shows it. */
    private JsonNode resource() {
        try {
            return JSON.readTree(ok("clrs", "status", "-o", "json", "xfs1").output()).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean is(String state, String status) {
        JsonNode r = resource();
        return r.get("state").asText().equals(state) && r.get("status").asText().equals(status);
    }

    /** The one pid of the running xfs tree, from {@code pmf show}; -1 while it is not running. */
    private long serverPid() {
        Distribution.Result r = dist.vigil("pmf", "show", TAG);
        Matcher m = Pattern.compile("pids: +(\\d+)").matcher(r.output());
        return r.status() == 0 && r.output().contains("RUNNING") && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Whether the server answers the stand-in check, run as the probe runs it. */
    private boolean answers() {
        try {
            Process p = new ProcessBuilder(standIns.resolve("fake-xfsinfo").toString(), "-server", "127.0.0.1:" + port)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor());
    }

    /** Waits until the restart the fault monitor made is over: the service answers and Status is OK again. */
    private long awaitBackOnline(String what) {
        Await.until(what, TIMEOUT, () -> is("ONLINE", "OK") && serverPid() > 0 && answers());
        return serverPid();
    }

    private int restartsByTheFaultMonitor() throws IOException {
        return dist.log().split("Fault monitor restarted xfs1", -1).length - 1;
    }

    @Test
    public void xfntsHotDeployedSupervisedRestartedGivenOverAndRemoved() throws Exception {
        ok("start");
        assertFalse(ok("clrt", "list").output().contains("SUNW.xfnts"));
        dist.drop(XFNTS_JAR, "xfnts.jar");
        Await.until("SUNW.xfnts is registered", TIMEOUT,
                () -> dist.vigil("clrt", "list").output().contains("SUNW.xfnts"));
        String show = ok("clrt", "show", "SUNW.xfnts").output();
        assertTrue(show, show.contains("JAVA") && show.contains("Monitor_check"));

        ok("clrg", "create", "xfs-rg");
        // Validate vetoes a configuration directory without fontserver.cfg: nothing is created.
        Distribution.Result veto = dist.vigil("clrs", "create", "-g", "xfs-rg", "-t", "SUNW.xfnts",
                "-p", "Port_list=" + port + "/tcp", "-x", "Confdir_list=" + standIns,
                "-x", "Xfs_program=" + standIns.resolve("fake-xfs"),
                "xfs1");
        assertEquals(veto.output(), 1, veto.status());
        assertTrue(veto.output(), veto.output().contains(standIns.resolve("fontserver.cfg")
                + " (fontserver.cfg in the first entry of Confdir_list) does not exist"));
        ok("clrs", "create", "-g", "xfs-rg", "-t", "SUNW.xfnts", "-p", "Port_list=" + port + "/tcp",
                "-p", "Thorough_probe_interval=1", "-p", "Retry_count=2", "-p", "Retry_interval=600",
                "-x", "Confdir_list=" + conf, "-x", "Xfs_program=" + standIns.resolve("fake-xfs"),
                "-x", "Check_command=" + standIns.resolve("fake-xfsinfo") + " -server %host:%port",
                // each probe starts python3 (fake-xfsinfo): a loaded machine must not make one overrun
                "-x", "Probe_timeout=6", "xfs1");

        // Online: Start returns once the server answers.
        assertTrue(ok("clrg", "online", "xfs-rg").output().contains("xfs-rg: ONLINE"));
        assertTrue("the server answers as soon as Start has returned", answers());
        assertTrue(is("ONLINE", "OK"));
        long first = serverPid();
        assertTrue(first > 0);

        // SIGKILL: the PMF restarts the tree at once; the fault monitor counts the death (restart 1 of 2).
        signal("KILL", first);
        Await.until("the PMF restarts the server", TIMEOUT, () -> {
            long pid = serverPid();
            return pid > 0 && pid != first;
        });
        Await.until("the fault monitor's restart after the death is over", TIMEOUT, () -> {
            try {
                return restartsByTheFaultMonitor() == 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long second = awaitBackOnline("the server answers again after its death");
        String verbose = ok("clrs", "status", "-v", "xfs1").output();
        assertTrue(verbose, verbose.contains("process tree died: " + TAG));

        // SIGSTOP: connects still succeed, the check times out; the fault monitor restarts it (restart 2 of 2).
        signal("STOP", second);
        Await.until("Status DEGRADED while the fault monitor restarts the stopped server", TIMEOUT,
                () -> resource().get("status").asText().equals("DEGRADED"));
        long third = awaitBackOnline("the server answers again after the restart");
        assertNotEquals(second, third);
        Await.until("the stopped server is gone (Stop continued it, then SIGTERM)", TIMEOUT,
                () -> !Distribution.running(second));
        verbose = ok("clrs", "status", "-v", "xfs1").output();
        assertTrue(verbose, verbose.matches("(?s).* 100 +font server check failed: \\S*fake-xfsinfo "
                + "-server 127\\.0\\.0\\.1:" + port + " timed out after .*"));
        assertEquals(2, restartsByTheFaultMonitor());

        // Stopped again: Retry_count is spent, so a giveover is asked for, and refused: there is no other node.
        signal("STOP", third);
        JsonNode faulted = Await.value("Status FAULTED saying there is no other node", TIMEOUT, this::resource,
                r -> r.get("status").asText().equals("FAULTED"));
        assertTrue(faulted.toString(), faulted.get("statusMessage").asText().matches("(?i).*no other node.*"));
        assertEquals("ONLINE", faulted.get("state").asText());
        assertEquals("no third restart: the giveover was asked for instead", 2, restartsByTheFaultMonitor());
        signal("CONT", third);
        assertEquals("continued, the same server answers again", third,
                awaitBackOnline("the continued server answers"));

        // A property change: Validate vetoes a bad one; a good one reaches the PMF and the fault monitor (Update).
        Distribution.Result bad = dist.vigil("clrs", "set", "-x", "Check_command=xfsinfo -server %host:%port", "xfs1");
        assertEquals(bad.output(), 1, bad.status());
        assertTrue(bad.output(),
                bad.output().contains("Check_command names \"xfsinfo\", which is not an absolute path"));
        ok("clrs", "set", "-p", "Retry_count=3", "-x", "Probe_timeout=7", "xfs1");
        assertTrue(ok("pmf", "show", TAG).output().matches("(?s).*retries: +\\d+ of 3.*"));
        assertTrue(dist.log(), dist.log().contains(
                "Fault monitor of xfs1 started: probe SUNW.xfnts every 1 s under Probe_timeout 7 s"));

        // Offline: Stop leaves no process behind.
        assertTrue(ok("clrg", "offline", "xfs-rg").output().contains("xfs-rg: OFFLINE"));
        assertEquals(1, dist.vigil("pmfadm", "-q", TAG).status());
        Await.until("the server is gone", TIMEOUT, () -> !Distribution.running(third));
        assertFalse(answers());

        // Removing the jar removes the type, once no resource uses it.
        ok("clrs", "disable", "xfs1");
        ok("clrs", "delete", "xfs1");
        ok("clrg", "delete", "xfs-rg");
        Files.delete(dist.deploy().resolve("xfnts.jar"));
        Await.until("SUNW.xfnts is gone", TIMEOUT, () -> !dist.vigil("clrt", "list").output().contains("SUNW.xfnts"));
    }
}
