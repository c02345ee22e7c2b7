package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The health check responder in the built distribution: configured by a GGHealthCheck.ini dropped
 * into deploy/ and by a factory configuration in etc/, answering from a resource group's state,
 * drained with hc; and bin/gghealthcheck standalone (-s with a command, -c with its exit codes).
 */
public class HealthcheckIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Distribution dist;
    private final List<Process> processes = new ArrayList<>();

    @Before
    public void copyDistribution() throws Exception {
        dist = Distribution.fresh("hc");
    }

    @After
    public void stopEverything() {
        processes.forEach(Process::destroyForcibly);
        dist.close();
        assertTrue("no JVM is left behind", dist.jvms().isEmpty());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a string and reads the whole answer; empty when refused or closed without one. */
    static String check(int port, String send) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private Distribution.Result ok(String... args) {
        Distribution.Result r = dist.vigil(args);
        assertEquals("bin/vigil " + String.join(" ", args) + " said:\n" + r.output(), 0, r.status());
        return r;
    }

    private Path resource(String name) throws IOException {
        try (var in = HealthcheckIT.class.getResourceAsStream("/healthcheck/" + name)) {
            return Files.write(dist.home.resolve(name), in.readAllBytes());
        }
    }

    @Test
    public void iniAndFactoryConfigurationAnswerFromAGroup() throws Exception {
        int web = freePort();
        int lb = freePort();
        ok("start");
        Path ini = Files.writeString(resource("GGHealthCheck-web.ini"),
                Files.readString(dist.home.resolve("GGHealthCheck-web.ini")).replace("@PORT@", Integer.toString(web)));
        dist.drop(ini, "GGHealthCheck-web.ini");
        Files.writeString(dist.home.resolve("etc/io.vigil.healthcheck-lb.cfg"),
                "port = " + lb + "\nprotocol = haproxy-agent\ncommand = *rg:rg1\nweight = 80\n");
        Await.until("both responders are listed", TIMEOUT, () -> {
            String list = dist.vigil("hc", "list").output();
            return list.contains("web ") && list.contains("lb ");
        });
        assertEquals("PING\nserver = DOWN", check(web, "PING\n"));
        assertEquals("80% ready down #group rg1 does not exist\n", check(lb, ""));

        ok("clrg", "create", "rg1");
        ok("clrg", "online", "rg1");
        Await.until("web answers UP", TIMEOUT, () -> check(web, "PING\n").equals("PING\nserver = UP"));
        assertEquals("80% ready up\n", check(lb, ""));

        ok("hc", "drain", "lb");
        assertEquals("80% drain up\n", check(lb, ""));
        assertEquals("PING\nserver = UP", check(web, "PING\n"));
        String status = ok("hc", "status", "lb").output();
        assertTrue(status, status.contains("Origin:     configuration io.vigil.healthcheck~lb"));

        ok("clrg", "offline", "rg1");
        Await.until("web answers DOWN", TIMEOUT, () -> check(web, "PING\n").equals("PING\nserver = DOWN"));
        ok("hc", "ready", "lb");
        assertEquals("a manual ready does not mask the offline group", "80% ready down #group rg1 is OFFLINE\n", check(lb, ""));

        Distribution.Result unknown = dist.vigil("hc", "drain", "nope");
        assertEquals(1, unknown.status());
        assertTrue(unknown.output(), unknown.output().contains("no responder named 'nope'; expected one of: lb, web"));

        Files.delete(dist.deploy().resolve("GGHealthCheck-web.ini"));
        Await.until("web is gone", TIMEOUT, () -> !dist.vigil("hc", "list").output().contains("web "));
        assertEquals("", check(web, "PING\n"));
        assertTrue(dist.log().contains("Health check web stopped"));
    }

    @Test
    public void iniFilesInEtcWorkAndABadOneIsReportedWithTheKeyItNames() throws Exception {
        int port = freePort();
        ok("start");
        // etc/ is watched too; files are written under a name FileInstall ignores, then renamed
        Path good = Files.writeString(dist.home.resolve("etc/.good"), "[default]\nport = " + port + "\ncommand = *agent\n");
        Files.move(good, dist.home.resolve("etc/GGHealthCheck.ini"));
        Await.until("the responder of etc/GGHealthCheck.ini answers", TIMEOUT,
                () -> check(port, "hi\n").equals("hi\nserver = UP"));

        Path bad = Files.writeString(dist.home.resolve("etc/.bad"), "[default]\nport = 0\nsql3 = /var/gg/session.db\n");
        Files.move(bad, dist.home.resolve("etc/GGHealthCheck-bad.ini"));
        Await.until("the bad file is reported", TIMEOUT, () -> {
            try {
                return dist.log().contains("GGHealthCheck-bad.ini line 3: key 'sql3' is not supported");
            } catch (IOException e) {
                return false;
            }
        });
        String list = ok("hc", "list").output();
        assertTrue(list, list.contains("GGHealthCheck "));
        assertFalse(list, list.contains("bad "));
    }

    @Test
    public void standaloneResponderAndClientExitCodes() throws Exception {
        int port = freePort();
        Path flag = dist.home.resolve("healthy");
        Path script = dist.home.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\ntest -e '" + flag + "' || { echo 'no flag'; exit 1; }\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logd = dist.home.resolve("gglog");
        Path ini = Files.writeString(dist.home.resolve("GGHealthCheck.ini"), "[default]\nmode = C\nport = 1\n"
                + "svSleep = 0.1\nsvTimeout = 5\ncommand = " + script + "\nlogd = " + logd + "\n");
        Process server = new ProcessBuilder(dist.home.resolve("bin/gghealthcheck").toString(), "-s", "-hp",
                Integer.toString(port), "-f", ini.toString()).redirectErrorStream(true)
                .redirectOutput(dist.home.resolve("server.out").toFile()).start();
        processes.add(server);

        Await.until("the standalone responder answers DOWN", TIMEOUT,
                () -> check(port, "x\n").equals("x\nserver = DOWN"));
        Distribution.Result down = client("-c", "-hp", Integer.toString(port), "-r", "1", "-f", ini.toString());
        assertEquals(down.output(), 1, down.status());
        assertTrue(down.output(), down.output().matches("\\S+Z GGHealthCheck server = DOWN\n"));

        Files.createFile(flag);
        Await.until("the standalone responder answers UP", TIMEOUT, () -> check(port, "x\n").equals("x\nserver = UP"));
        Distribution.Result up = client("-c", "-hp", Integer.toString(port), "-r", "2", "-i", "0", "-f", ini.toString());
        assertEquals(up.output(), 0, up.status());
        assertEquals(up.output(), 2, up.output().lines().filter(l -> l.endsWith("GGHealthCheck server = UP")).count());

        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        Distribution.Result none = client("-c", "-hp", Integer.toString(port), "-r", "1", "-f", ini.toString());
        assertEquals(none.output(), 2, none.status());
        assertTrue(none.output(), none.output().contains(" no answer: "));
        String log = Files.readString(Files.list(logd).findFirst().orElseThrow());
        assertTrue(log, log.contains("answer /127.0.0.1:"));
        assertTrue(log, log.contains("status server = DOWN [DOWN (command exited with status 1: no flag)"));

        Distribution.Result usage = client("-c", "-r", "zero");
        assertEquals(3, usage.status());
        assertTrue(usage.output(), usage.output().startsWith("gghealthcheck: repeat = 'zero' is invalid"));
    }

    private Distribution.Result client(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.home.resolve("bin/gghealthcheck").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dist.home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Distribution.Result(p.exitValue(), out);
    }
}
