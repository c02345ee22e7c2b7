package io.vigil.healthcheck.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import io.vigil.healthcheck.core.IniFile;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.server.HealthCheck;
import io.vigil.healthcheck.testing.FakeRgm;
import io.vigil.healthcheck.testing.Peers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

class HealthChecksTest {

    private final HealthChecks checks = new HealthChecks();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        checks.deactivate();
    }

    private HealthCheck start(String name, String command, String protocol) throws Exception {
        return checks.start(Settings.of(name, Map.of("port", "0", "command", command, "protocol", protocol)), "test");
    }

    @Test
    void aGroupSourceFollowsTheRgmsEvents() throws Exception {
        HealthCheck c = start("web", "*rg:rg1", "gghealthcheck");
        assertEquals("x\nserver = DOWN", Peers.exchange(c.address(), "x\n"));
        checks.bindRgm(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK));
        assertEquals("x\nserver = UP", Peers.exchange(c.address(), "x\n"));
        checks.handleEvent(new Event(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1",
                RgmEvents.STATE, "PENDING_OFFLINE", RgmEvents.PREVIOUS, "ONLINE", RgmEvents.MESSAGE, "")));
        assertEquals("x\nserver = DOWN", Peers.exchange(c.address(), "x\n"));
        assertEquals("group rg1 is PENDING_OFFLINE", c.answer().health().reason());
    }

    @Test
    void theHcCommandDrainsAndReportsWithoutTouchingTheService() throws Exception {
        HealthCheck c = start("lb", "*agent", "haproxy-agent");
        HcCommand hc = new HcCommand(checks);
        assertTrue(hc.hc("drain", "lb").startsWith("lb: server = DOWN [UP (the Vigil agent is running), drain, 100%]"));
        hc.hc("weight", "lb", "30%");
        assertEquals("30% drain up\n", Peers.exchange(c.address(), ""));
        String status = hc.hc("status", "lb");
        assertTrue(status.contains("Agent line: 30% drain up\n"), status);
        assertTrue(status.contains("Origin:     test\n"), status);
        hc.hc("ready", "lb");
        assertEquals("30% ready up\n", Peers.exchange(c.address(), ""));
        assertTrue(hc.hc("list").lines().anyMatch(l -> l.matches("lb +/127\\.0\\.0\\.1:\\d+ +haproxy-agent +UP +ready +\\*agent")),
                hc.hc("list"));
        assertEquals("no responder named 'nope'; expected one of: lb",
                assertThrows(IllegalArgumentException.class, () -> hc.hc("drain", "nope")).getMessage());
        assertEquals("unknown hc subcommand 'kill'; expected " + HcCommand.USAGE,
                assertThrows(IllegalArgumentException.class, () -> hc.hc("kill", "lb")).getMessage());
    }

    @Test
    void namesAreUniqueAndClientsAreRefused() throws Exception {
        start("a", "*agent", "gghealthcheck");
        assertEquals("a responder named a already runs, from test; expected a unique name",
                assertThrows(IllegalArgumentException.class, () -> start("a", "*agent", "gghealthcheck")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> checks.start(
                Settings.of("c", Map.of("mode", "C")), "test")).getMessage().startsWith("mode = C is a client"));
        assertEquals(List.of("a"), List.copyOf(checks.running().keySet()));
    }

    @Test
    void iniFilesStartChangeAndStopResponders() throws Exception {
        IniDeployer deployer = new IniDeployer(checks);
        File ini = Files.writeString(dir.resolve("GGHealthCheck-web.ini"), "[default]\nport = 0\ncommand = *agent\n").toFile();
        assertTrue(deployer.canHandle(ini));
        assertTrue(!deployer.canHandle(Files.writeString(dir.resolve("other.ini"), "").toFile()));
        deployer.install(ini);
        HealthCheck first = checks.get("web");
        assertEquals("x\nserver = UP", Peers.exchange(first.address(), "x\n"));
        Files.writeString(ini.toPath(), "[default]\nport = 0\nprotocol = haproxy-agent\n");
        deployer.update(ini);
        assertEquals("100% ready up\n", Peers.exchange(checks.get("web").address(), ""));
        deployer.uninstall(ini);
        assertTrue(checks.running().isEmpty());
        // a bad file starts nothing; the error is logged
        Files.writeString(ini.toPath(), "[default]\nsql3 = /x\n");
        deployer.install(ini);
        assertTrue(checks.running().isEmpty());
        assertEquals("GGHealthCheck", IniDeployer.responderName(new File("GGHealthCheck.ini")));
        assertTrue(IniFile.SECTION.equals("default"));
    }
}
