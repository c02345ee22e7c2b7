package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A script type end to end through the distribution: register its RTR file, create a group and
 * two dependent resources, bring them online and offline, change properties (Validate's veto and
 * Update), query and control them with the scha_* commands, restart the agent.
 */
public class ResourceGroupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> METHODS = List.of("start", "stop", "validate", "update", "init", "fini", "boot",
            "monitor_start", "monitor_stop");

    private Distribution dist;
    private Path type;

    @Before
    public void setUp() throws Exception {
        dist = Distribution.fresh("rg");
        type = Files.createDirectories(dist.home.resolve("demo-type"));
        Files.setPosixFilePermissions(type, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(type.resolve("bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String m : METHODS) {
            Path script = bin.resolve(m);
            // Each method records its arguments; Validate refuses Greeting=forbidden; Start records
            // what scha_resource_get answers, as a legacy agent script would ask.
            Files.writeString(script, "#!/bin/sh\n"
                    + "echo \"" + m + " $*\" >> '" + type + "/calls.log'\n"
                    + (m.equals("validate") ? "case \"$*\" in *Greeting=forbidden*) echo 'Greeting forbidden'; exit 1;; esac\n" : "")
                    + (m.equals("start") ? "echo \"greeting=$(scha_resource_get -O Greeting -R $2 -G $6)\" >> '" + type + "/calls.log'\n" : "")
                    + "echo \"" + m + " says hello to $2\"\n"
                    + "exit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(type.resolve("DEMO.svc.rtr"), "Resource_type = svc;\nVendor_id = DEMO;\nRT_version = \"1.0\";\n"
                + "RT_basedir = " + bin + ";\n"
                + METHODS.stream().map(m -> m + " = " + m + ";\n").reduce("", String::concat)
                + "{ PROPERTY = Start_timeout; MIN = 1; DEFAULT = 30; }\n"
                + "{ PROPERTY = Greeting; EXTENSION; STRING; DEFAULT = \"hi\"; TUNABLE = ANYTIME; }\n");
    }

    @After
    public void tearDown() {
        dist.close();
        assertTrue(dist.jvms().isEmpty());
    }

    private Distribution.Result ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals("bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    private List<String> calls() throws IOException {
        Path log = type.resolve("calls.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        Files.deleteIfExists(log);
        return lines;
    }

    private Distribution.Result scha(String command, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(dist.home.resolve("bin/" + command).toString()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            return new Distribution.Result(p.exitValue(), out);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void scriptTypeGroupAndResourcesEndToEnd() throws Exception {
        ok("start");
        ok("clrt", "register", type.resolve("DEMO.svc.rtr").toString());
        assertTrue(ok("clrt", "list").output().contains("DEMO.svc  1.0      SCRIPT"));
        ok("clrg", "create", "-p", "Pingpong_interval=600", "rg1");
        ok("clrs", "create", "-g", "rg1", "-t", "DEMO.svc", "-x", "Greeting=hello", "db");
        ok("clrs", "create", "-g", "rg1", "-t", "DEMO.svc", "-p", "Resource_dependencies=db", "web");
        List<String> created = calls();
        assertTrue(created.toString(), created.get(0).startsWith("validate -c -R db -T DEMO.svc -G rg1 -r "));
        assertTrue(created.toString(), created.get(0).contains(" -x Greeting=hello"));
        assertTrue(created.toString(), created.get(0).contains(" -g Pingpong_interval=600"));
        assertEquals("init -R db -T DEMO.svc -G rg1", created.get(1));

        assertTrue(ok("clrg", "online", "rg1").output().contains("rg1: ONLINE"));
        assertEquals(List.of("start -R db -T DEMO.svc -G rg1", "greeting=hello", "start -R web -T DEMO.svc -G rg1",
                "greeting=hi", "monitor_start -R db -T DEMO.svc -G rg1", "monitor_start -R web -T DEMO.svc -G rg1"),
                calls());
        assertTrue("method output is logged, tagged with resource and method",
                dist.log().contains("[db Start] start says hello to db"));
        String status = ok("clrs", "status").output();
        assertTrue(status, status.matches("(?s).*\\ndb +rg1 +DEMO\\.svc +ONLINE +OK +yes.*"));
        String json = ok("clrs", "show", "-o", "json", "web").output();
        assertTrue(json, json.contains("\"Resource_dependencies\" : \"db\""));

        // Property change: Validate vetoes, nothing stored; then a good one runs Update.
        Distribution.Result veto = dist.vigil("clrs", "set", "-x", "Greeting=forbidden", "db");
        assertEquals(1, veto.status());
        assertTrue(veto.output(), veto.output().contains("vetoed the change of [Greeting]: exit 1: Greeting forbidden"));
        assertEquals(List.of("validate -u -R db -T DEMO.svc -G rg1 -x Greeting=forbidden"), calls());
        ok("clrs", "set", "-x", "Greeting=bye", "db");
        assertEquals(List.of("validate -u -R db -T DEMO.svc -G rg1 -x Greeting=bye", "update -R db -T DEMO.svc -G rg1"),
                calls());

        // Bad input: one clear message, exit 1, nothing changed.
        Distribution.Result bad = dist.vigil("clrs", "set", "-p", "Retry_count=abc", "db");
        assertEquals(1, bad.status());
        assertTrue(bad.output(), bad.output().contains("Retry_count"));
        assertEquals(2, dist.vigil("clrs", "create", "-t", "DEMO.svc", "x").status());

        // The legacy commands, with Sun Cluster's exit codes.
        assertEquals(new Distribution.Result(0, "bye\n"), scha("scha_resource_get", "-O", "Greeting", "-R", "db", "-G", "rg1"));
        assertEquals(new Distribution.Result(0, "ONLINE\n"), scha("scha_resource_get", "-O", "RESOURCE_STATE", "-R", "web", "-G", "rg1"));
        assertEquals(0, scha("scha_resource_setstatus", "-R", "web", "-G", "rg1", "-s", "DEGRADED", "-m", "slow").status());
        assertEquals(new Distribution.Result(0, "DEGRADED\nslow\n"), scha("scha_resource_get", "-O", "STATUS", "-R", "web", "-G", "rg1"));
        assertEquals(14, scha("scha_resource_get", "-O", "Greeting", "-R", "nosuch", "-G", "rg1").status());
        assertEquals(0, scha("scha_control", "-O", "RESOURCE_RESTART", "-R", "web", "-G", "rg1").status());
        assertEquals(List.of("monitor_stop -R web -T DEMO.svc -G rg1", "stop -R web -T DEMO.svc -G rg1",
                "start -R web -T DEMO.svc -G rg1", "greeting=hi", "monitor_start -R web -T DEMO.svc -G rg1"), calls());
        Distribution.Result giveover = scha("scha_control", "-O", "GIVEOVER", "-R", "web", "-G", "rg1");
        assertEquals(16, giveover.status());
        assertTrue(giveover.output(), giveover.output().contains("cluster of one"));

        // An agent restart brings the group back: Boot, then the start sequence.
        ok("stop");
        ok("start");
        Await.until("rg1 is online again", TIMEOUT,
                () -> dist.vigil("clrg", "status", "rg1").output().matches("(?s).*\\nrg1 +ONLINE .*"));
        List<String> after = calls();
        assertTrue(after.toString(), after.containsAll(List.of("boot -R db -T DEMO.svc -G rg1",
                "boot -R web -T DEMO.svc -G rg1", "start -R db -T DEMO.svc -G rg1", "start -R web -T DEMO.svc -G rg1")));
        assertTrue(ok("clrt", "list").output().contains("DEMO.svc"));

        assertTrue(ok("clrg", "offline", "rg1").output().contains("rg1: OFFLINE"));
        assertEquals(List.of("monitor_stop -R web -T DEMO.svc -G rg1", "stop -R web -T DEMO.svc -G rg1",
                "monitor_stop -R db -T DEMO.svc -G rg1", "stop -R db -T DEMO.svc -G rg1"), calls());

        Distribution.Result inUse = dist.vigil("clrt", "unregister", "DEMO.svc");
        assertEquals(1, inUse.status());
        assertTrue(inUse.output(), inUse.output().contains("used by resources [db, web]"));
        ok("clrg", "delete", "-F", "rg1");
        ok("clrt", "unregister", "DEMO.svc");
        assertFalse(ok("clrt", "list").output().contains("DEMO.svc"));
    }

    @Test
    public void rtrFileDroppedIntoDeployRegistersTheType() throws Exception {
        ok("start");
        dist.drop(type.resolve("DEMO.svc.rtr"), "DEMO.svc.rtr");
        Await.until("DEMO.svc is listed", TIMEOUT, () -> dist.vigil("clrt", "list").output().contains("DEMO.svc"));
        ok("clrg", "create", "rg1");
        ok("clrs", "create", "-g", "rg1", "-t", "DEMO.svc", "r1");
        Files.delete(dist.deploy().resolve("DEMO.svc.rtr"));
        Await.until("the refusal is logged", TIMEOUT, () -> {
            try {
                return dist.log().contains("its resource type stays registered: resource type DEMO.svc is used by resources [r1]");
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(ok("clrt", "list").output().contains("DEMO.svc"));
        ok("clrs", "disable", "r1");
        ok("clrs", "delete", "r1");
        ok("clrt", "unregister", "DEMO.svc");
        dist.drop(type.resolve("DEMO.svc.rtr"), "DEMO.svc.rtr");
        Await.until("DEMO.svc is listed again", TIMEOUT, () -> dist.vigil("clrt", "list").output().contains("DEMO.svc"));
        Files.delete(dist.deploy().resolve("DEMO.svc.rtr"));
        Await.until("DEMO.svc is gone", TIMEOUT, () -> !dist.vigil("clrt", "list").output().contains("DEMO.svc"));
    }

    @Test
    public void aServiceUnderPmfIsAdoptedAfterAnAgentRestartAndRestartedWhenItDies() throws Exception {
        Path bin = type.resolve("bin");
        // A Sun-style agent: Start launches the service under PMF with the conventional tag, Stop stops it.
        Files.writeString(bin.resolve("start"), "#!/bin/sh\necho \"start $*\" >> '" + type + "/calls.log'\n"
                + "exec pmfadm -c \"$6,$2,0.svc\" -n 3 -t 10 /bin/sleep 1000\n");
        Files.writeString(bin.resolve("stop"), "#!/bin/sh\necho \"stop $*\" >> '" + type + "/calls.log'\n"
                + "pmfadm -q \"$6,$2,0.svc\" || exit 0\nexec pmfadm -s \"$6,$2,0.svc\" KILL\n");
        ok("start");
        ok("clrt", "register", type.resolve("DEMO.svc.rtr").toString());
        ok("clrg", "create", "rg1");
        ok("clrs", "create", "-g", "rg1", "-t", "DEMO.svc", "db");
        ok("clrg", "online", "rg1");
        String show = ok("pmf", "show", "rg1,db,0.svc").output();
        long pid = Long.parseLong(show.replaceAll("(?s).*pids: +(\\d+).*", "$1"));
        assertTrue(Distribution.running(pid));
        calls();

        ok("stop");
        assertTrue("the service outlives the agent", Distribution.running(pid));
        ok("start");
        Await.until("rg1 is online again", TIMEOUT,
                () -> dist.vigil("clrg", "status", "rg1").output().matches("(?s).*\\nrg1 +ONLINE .*"));
        List<String> after = calls();
        assertFalse("Start did not run again: " + after, after.stream().anyMatch(c -> c.startsWith("start ")));
        assertTrue(ok("clrs", "status", "db").output().contains("adopted after an agent restart"));
        assertTrue(ok("pmf", "show", "rg1,db,0.svc").output().contains("pids:              " + pid));

        // The adopted tree is still supervised: its death is noticed and it is restarted.
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        Await.until("the service is restarted under PMF", TIMEOUT, () -> {
            String s = dist.vigil("pmf", "show", "rg1,db,0.svc").output();
            return s.contains("RUNNING") && !s.contains("pids:              " + pid) && s.contains("retries:           1 of 3");
        });

        ok("clrg", "offline", "rg1");
        assertEquals(1, dist.vigil("pmfadm", "-q", "rg1,db,0.svc").status());
    }

    @Test
    public void aBuiltInTcpProbeNoticesAServiceThatIsGoneAndTheResourceIsRestarted() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.Assume.assumeTrue("python3 serves the probed port in this test", Files.isExecutable(python));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path bin = type.resolve("bin");
        // No monitor methods: the type names the built-in tcp probe through its properties.
        Files.writeString(bin.resolve("start"), "#!/bin/bash\necho \"start $*\" >> '" + type + "/calls.log'\n"
                + "pmfadm -c \"$6,$2,0.svc\" -n 0 " + python + " -m http.server " + port + " --bind 127.0.0.1 || exit 1\n"
                + "i=0; while [ $i -lt 100 ]; do (exec 3<>/dev/tcp/127.0.0.1/" + port + ") 2>/dev/null && exit 0; "
                + "i=$((i+1)); sleep 0.1; done; exit 1\n");
        Files.writeString(bin.resolve("stop"), "#!/bin/sh\necho \"stop $*\" >> '" + type + "/calls.log'\n"
                + "pmfadm -q \"$6,$2,0.svc\" || exit 0\nexec pmfadm -s \"$6,$2,0.svc\" KILL\n");
        Files.writeString(type.resolve("DEMO.web.rtr"), "Resource_type = web;\nVendor_id = DEMO;\nRT_version = \"1\";\n"
                + "RT_basedir = " + bin + ";\nStart = start;\nStop = stop;\n"
                + "{ PROPERTY = Thorough_probe_interval; MIN = 1; DEFAULT = 1; }\n"
                + "{ PROPERTY = Port_list; DEFAULT = " + port + "/tcp; }\n"
                + "{ PROPERTY = Probe_name; EXTENSION; STRING; DEFAULT = tcp; TUNABLE = ANYTIME; }\n"
                + "{ PROPERTY = Probe_timeout; EXTENSION; INT; MIN = 1; DEFAULT = 5; }\n");
        ok("start");
        ok("clrt", "register", type.resolve("DEMO.web.rtr").toString());
        ok("clrg", "create", "rg1");
        ok("clrs", "create", "-g", "rg1", "-t", "DEMO.web", "w1");
        ok("clrg", "online", "rg1");
        assertTrue(ok("clrs", "status", "w1").output().matches("(?s).*\\nw1 +rg1 +DEMO\\.web +ONLINE +OK .*"));
        calls();

        // The service goes away behind the RGM's back (and PMF is told not to restart it).
        ok("pmfadm", "-s", "rg1,w1,0.svc", "KILL");
        Await.until("the probe's failure restarts the resource", TIMEOUT, () -> {
            try {
                return Files.exists(type.resolve("calls.log"))
                        && Files.readAllLines(type.resolve("calls.log")).contains("start -R w1 -T DEMO.web -G rg1");
            } catch (IOException e) {
                return false;
            }
        });
        Await.until("the service answers again", TIMEOUT, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(dist.log(), dist.log().contains("Fault monitor of resource w1 started with the built-in probe tcp"));
        String verbose = ok("clrs", "status", "-v", "w1").output();
        assertTrue("the operator sees why it was restarted:\n" + verbose,
                verbose.contains("Probes of w1:") && verbose.matches("(?s).* 100 +connect to 127\\.0\\.0\\.1:" + port + " refused.*"));
        ok("clrg", "offline", "rg1");
    }
}
