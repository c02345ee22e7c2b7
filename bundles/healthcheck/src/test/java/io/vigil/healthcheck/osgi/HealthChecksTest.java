package io.vigil.healthcheck.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.NodeState;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import io.vigil.healthcheck.core.Settings;
import io.vigil.healthcheck.server.HealthCheck;
import io.vigil.healthcheck.testing.FakeRgm;
import io.vigil.healthcheck.testing.Peers;
import io.vigil.testing.FakeMembership;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    void everyRgmAndAgentSourceAnswersDownAtOnceWhileThisNodeIsCutOff() throws Exception {
        Map<String, GroupLocation> locations = new ConcurrentHashMap<>(
                Map.of("rg1", FakeRgm.location("rg1", "node-b", "ONLINE")));
        FakeMembership membership = new FakeMembership("node-a").others("node-b");
        checks.bindMembership(membership);
        checks.bindRgm(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK, locations));
        HealthCheck rg = start("rg", "*rg:rg1", "haproxy-agent");
        HealthCheck rs = start("rs", "*rs:db", "haproxy-agent");
        HealthCheck agent = start("agent", "*agent", "gghealthcheck");
        HealthCheck cluster = start("cluster", "*cluster", "haproxy-agent");
        HealthCheck anyNode = start("any", "*rg:rg1@cluster", "haproxy-agent");
        for (HealthCheck c : List.of(rg, rs, cluster, anyNode)) {
            assertEquals("100% ready up\n", Peers.exchange(c.address(), ""), c.settings().name());
        }
        assertEquals("x\nserver = UP", Peers.exchange(agent.address(), "x\n"));

        membership.state(NodeState.DOWN);
        checks.handleEvent(new Event(ClusterEvents.SESSION_LOST, Map.of(ClusterEvents.NODE, "node-a")));
        for (HealthCheck c : List.of(rg, rs, cluster, anyNode)) {
            assertEquals("100% ready down #cluster session lost\n", Peers.exchange(c.address(), ""), c.settings().name());
        }
        assertEquals("x\nserver = DOWN", Peers.exchange(agent.address(), "x\n"));

        membership.state(NodeState.UP);
        checks.handleEvent(new Event(ClusterEvents.SESSION_CONNECTED, Map.of(ClusterEvents.NODE, "node-a")));
        locations.put("rg1", FakeRgm.location("rg1", "node-b", "OFFLINE"));
        checks.handleEvent(new Event(RgmEvents.GROUP_LOCATION, Map.of(RgmEvents.GROUP, "rg1")));
        assertEquals("100% ready down #group rg1 is ONLINE on no live node: node-b OFFLINE\n",
                Peers.exchange(anyNode.address(), ""));
        assertEquals("100% ready up\n", Peers.exchange(rg.address(), ""));
        assertEquals("100% ready up\n", Peers.exchange(cluster.address(), ""));

        membership.state(NodeState.SUSPENDED);
        checks.handleEvent(new Event(ClusterEvents.SESSION_SUSPENDED, Map.of(ClusterEvents.NODE, "node-a")));
        assertEquals("100% ready down #cluster session suspended\n", Peers.exchange(rs.address(), ""));
        checks.unbindMembership(membership);
        assertEquals("100% ready up\n", Peers.exchange(rs.address(), ""), "no membership service: nothing to fence by");
        assertEquals("100% ready down #the cluster membership is not available\n", Peers.exchange(cluster.address(), ""));
        checks.stop("any", "test");
        assertEquals(Set.of("agent", "cluster", "rg", "rs"), checks.running().keySet());
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
        List<String> refused = new CopyOnWriteArrayList<>();
        IniDeployer deployer = new IniDeployer(checks, (file, why) -> refused.add(file + ": " + why));
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
        assertEquals(List.of(), refused);
        // a bad file starts nothing; the error is reported, naming the file, the line and the key
        Files.writeString(ini.toPath(), "[default]\nsql3 = /x\n");
        deployer.install(ini);
        assertTrue(checks.running().isEmpty());
        assertEquals(List.of(ini + ": " + ini + " line 2: key 'sql3' is not supported: " + Settings.UNSUPPORTED.get("sql3")),
                refused);
        assertEquals("GGHealthCheck", IniDeployer.responderName(new File("GGHealthCheck.ini")));
    }

    @Test
    void aSourceThatFailsOnAnEventDoesNotKeepItFromTheOthers() throws Exception {
        Map<String, GroupLocation> locations = new ConcurrentHashMap<>(
                Map.of("rg1", FakeRgm.location("rg1", "node-b", "ONLINE")));
        checks.bindMembership(new FakeMembership("node-a").others("node-b"));
        checks.bindRgm(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK, locations));
        HealthCheck here = start("here", "*rg:rg1", "haproxy-agent");
        HealthCheck anyNode = start("any", "*rg:rg1@cluster", "haproxy-agent");
        assertEquals("100% ready up\n", Peers.exchange(anyNode.address(), ""));
        locations.put("rg1", FakeRgm.location("rg1", "node-b", "OFFLINE"));
        // "here" is first to get it and cannot parse the state; "any" must still see the group's change
        checks.handleEvent(new Event(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1",
                RgmEvents.STATE, "NO_SUCH_STATE", RgmEvents.PREVIOUS, "ONLINE", RgmEvents.MESSAGE, "")));
        assertEquals("100% ready down #group rg1 is ONLINE on no live node: node-b OFFLINE\n",
                Peers.exchange(anyNode.address(), ""));
        assertEquals("100% ready up\n", Peers.exchange(here.address(), ""), "a malformed event changes nothing");
        checks.handleEvent(new Event(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1",
                RgmEvents.STATE, "OFFLINE", RgmEvents.PREVIOUS, "ONLINE", RgmEvents.MESSAGE, "")));
        assertEquals("100% ready down #group rg1 is OFFLINE\n", Peers.exchange(here.address(), ""),
                "the failing source still takes the next event");
    }

    @Test
    void statusOfAResponderThatStopsMeanwhileIsStillAnswered() throws Exception {
        HealthCheck c = start("lb", "*agent", "gghealthcheck");
        HealthChecks.Running snapshot = checks.running("lb");
        checks.stop("lb", "test");
        String status = HcCommand.status("lb", snapshot);
        assertTrue(status.contains("Origin:     test\n"), status);
        assertTrue(status.contains("Address:    " + c.address() + "\n"), status);
        assertEquals("no responder named 'lb'; expected one of: (none configured)",
                assertThrows(IllegalArgumentException.class, () -> new HcCommand(checks).hc("status", "lb")).getMessage());
    }
}
