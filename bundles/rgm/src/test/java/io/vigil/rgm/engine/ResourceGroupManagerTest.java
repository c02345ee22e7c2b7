package io.vigil.rgm.engine;

import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.ResourceStatus;
import io.vigil.rgm.exec.ProcessRunner;
import io.vigil.rgm.exec.ProgramCheck;
import io.vigil.rgm.registry.TypeRegistry;
import io.vigil.testing.FakeMembership;
import io.vigil.testing.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * The RGM with a script type whose twelve methods are real shell scripts that record their calls
 * and fail or hang on demand.
 */
class ResourceGroupManagerTest {


    @TempDir
    Path dir;

    private final MemoryStore store = new MemoryStore();
    /** What the test pretends runs under PMF: "group,resource" to what runs. */
    private final Map<String, Supervision.Running> supervised = new java.util.concurrent.ConcurrentHashMap<>();
    private final Supervision supervision = (g, r) -> supervised.getOrDefault(g + "," + r, Supervision.Running.NOTHING);
    private TypeRegistry registry;
    private ResourceGroupManagerImpl rgm;

    @BeforeEach
    void setUp() throws Exception {
        ScriptTypes.write(dir, m -> "d='" + dir + "'\n"
                + "echo \"" + m + " $*\" >> \"$d/calls.log\"\n"
                + "if [ -f \"$d/fail." + m + "\" ]; then echo \"told to fail\"; exit 3; fi\n"
                + "if [ -f \"$d/hang." + m + "\" ]; then exec sleep 100; fi\n"
                + "exit 0\n",
                "{ PROPERTY = Start_timeout; MIN = 1; DEFAULT = 30; }\n"
                + "{ PROPERTY = Stop_timeout; MIN = 1; DEFAULT = 30; }\n"
                + "{ PROPERTY = Failover_mode; DEFAULT = NONE; TUNABLE = ANYTIME; }\n"
                + "{ PROPERTY = Level; EXTENSION; INT; MIN = 1; MAX = 10; DEFAULT = 5; TUNABLE = ANYTIME; }\n"
                + "{ PROPERTY = Fixed; EXTENSION; STRING; DEFAULT = \"a\"; TUNABLE = AT_CREATION; }\n");
        rgm = newManager();
        rgm.registerType(dir.resolve("TEST.app.rtr"));
    }

    /** The methods leave nothing holding their output, so its end comes at once; a loaded machine may be slow to read it. */
    private static final Duration PATIENT_DRAIN = Duration.ofSeconds(10);

    private ResourceGroupManagerImpl newManager() throws RgmException {
        return newManager(Optional.empty());
    }

    private ResourceGroupManagerImpl newManager(Optional<List<String>> fence) throws RgmException {
        registry = new TypeRegistry(0);
        var workers = Executors.newCachedThreadPool();
        Runners runners = new Runners(workers, new JavaMethodRunner(workers, Clock.systemUTC()),
                new ScriptMethodRunner(new ProcessRunner(PATIENT_DRAIN), ProgramCheck.currentUid(), Duration.ofMillis(300), Optional.empty()));
        ClusterPlane single = new ClusterPlane(store, new FakeMembership(store.nodeName()), false, Clock.systemUTC());
        ResourceGroupManagerImpl m = new ResourceGroupManagerImpl(registry, new ConfigRepository(store),
                new SchemaRules(store.nodeName()), runners, fence, Runners::runCommand, supervision, single,
                Optional.empty(), Duration.ofSeconds(60), Duration.ZERO);
        m.load();
        return m;
    }

    @AfterEach
    void tearDown() {
        rgm.close();
    }

    private List<String> calls() throws IOException {
        Path log = dir.resolve("calls.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        Files.deleteIfExists(log);
        return lines;
    }

    private void fail(String method) throws IOException {
        Files.writeString(dir.resolve("fail." + method), "");
    }

    private void hang(String method) throws IOException {
        Files.writeString(dir.resolve("hang." + method), "");
    }

    private void heal() throws IOException {
        for (String m : ScriptTypes.METHODS) {
            Files.deleteIfExists(dir.resolve("fail." + m));
            Files.deleteIfExists(dir.resolve("hang." + m));
        }
    }

    private String call(String method, String resource) {
        return method + " -R " + resource + " -T TEST.app -G rg";
    }

    @Test
    void everyChangeIsPostedAsAnEventInTheOrderItHappened() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        rgm.notifier = (topic, p) -> events.add(topic.substring(RgmEvents.TOPIC_PREFIX.length()) + " "
                + p.getOrDefault(RgmEvents.RESOURCE, p.get(RgmEvents.GROUP)) + " "
                + p.getOrDefault(RgmEvents.PREVIOUS, "") + ">" + p.getOrDefault(RgmEvents.STATE,
                        p.getOrDefault(RgmEvents.STATUS, p.getOrDefault(RgmEvents.OUTCOME, p.get(RgmEvents.METHOD)))));
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        events.clear();
        rgm.online("rg");
        assertEquals(List.of("group/STATE rg OFFLINE>PENDING_ONLINE", "resource/STATE db OFFLINE>STARTING",
                "resource/STATUS db OFFLINE>UNKNOWN", "resource/STATE db STARTING>ONLINE_NOT_MONITORED",
                "resource/STATUS db UNKNOWN>OK", "resource/STATE db ONLINE_NOT_MONITORED>ONLINE",
                "group/STATE rg PENDING_ONLINE>ONLINE"), events);

        events.clear();
        fail("start");
        rgm.restartResource("db");
        assertTrue(events.contains("resource/METHOD_FAILED db >START"), events.toString());
        assertTrue(events.contains("resource/STATE db STARTING>START_FAILED"), events.toString());
        assertEquals("resource/RESTART db >failed", events.stream().filter(e -> e.contains("RESTART")).findFirst()
                .orElseThrow());
        assertTrue(events.contains("group/STATE rg ONLINE>ONLINE_FAULTED"), events.toString());

        events.clear();
        RgmException refused = assertThrows(RgmException.class, () -> rgm.giveover("rg", "probe scored 201"));
        assertTrue(refused.getMessage().contains("no other node"), refused.getMessage());
        assertEquals(List.of("group/GIVEOVER rg >refused"), events);
        assertTrue(rgm.group("rg").orElseThrow().message().contains("probe scored 201"));
        heal();
        rgm.offline("rg");
        assertThrows(RgmException.class, () -> rgm.giveover("rg", "x"), "an offline group cannot be given over");
    }

    @Test
    void aFaultMonitorThePmfGaveUpOnLeavesTheResourceMonitorFailed() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.online("rg");
        rgm.treeDied("rg,db,0.mon", 2, true); // restarted by the PMF: nothing changes
        rgm.treeDied("rg,db,0.svc", 3, false); // the service: the fault monitor's business
        rgm.treeDied("rg,nosuch,0.mon", 3, false);
        assertEquals(ResourceState.ONLINE, rgm.resource("db").orElseThrow().state());
        rgm.treeDied("rg,db,0.mon", 3, false);
        rgm.setGroup("rg", Map.of()); // runs on the group's executor, after the listener's task
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.MONITOR_FAILED, db.state());
        assertTrue(db.statusMessage().contains("fault monitor rg,db,0.mon gave up after 3 restarts"), db.statusMessage());
        rgm.restart("rg");
        assertEquals(ResourceState.ONLINE, rgm.resource("db").orElseThrow().state(), "a restart starts the monitor again");
    }

    @Test
    void onlineAndOfflineRunTheMethodsInDependencyOrderWithTheirArguments() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.createResource("web", "rg", "TEST.app", Map.of("Resource_dependencies", "db", "Level", "7"), false);
        List<String> created = calls();
        assertTrue(created.get(0).startsWith("validate -c -R db -T TEST.app -G rg -r "), created.get(0));
        assertTrue(created.get(0).contains(" -x Level=5"), created.get(0));
        assertTrue(created.get(0).contains(" -g Nodelist=node1"), created.get(0));
        assertEquals(call("init", "db"), created.get(1));
        assertTrue(created.get(2).contains(" -x Level=7"), created.get(2));
        assertEquals(call("init", "web"), created.get(3));

        GroupInfo g = rgm.online("rg");
        assertEquals(GroupState.ONLINE, g.state());
        assertEquals(List.of(call("prenet_start", "db"), call("prenet_start", "web"), call("start", "db"),
                call("start", "web"), call("monitor_start", "db"), call("monitor_start", "web")), calls());
        ResourceInfo web = rgm.resource("web").orElseThrow();
        assertEquals(ResourceState.ONLINE, web.state());
        assertEquals(ResourceStatus.OK, web.status());

        assertEquals(GroupState.OFFLINE, rgm.offline("rg").state());
        assertEquals(List.of(call("monitor_stop", "web"), call("stop", "web"), call("monitor_stop", "db"),
                call("stop", "db"), call("postnet_stop", "web"), call("postnet_stop", "db")), calls());
        assertEquals(ResourceState.OFFLINE, rgm.resource("db").orElseThrow().state());
    }

    @Test
    void startFailureUnderNoneLeavesStartFailedAndDependentsDown() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.createResource("web", "rg", "TEST.app", Map.of("Resource_dependencies", "db"), false);
        fail("start");
        GroupInfo g = rgm.online("rg");
        assertEquals(GroupState.ONLINE_FAULTED, g.state());
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.START_FAILED, db.state());
        assertEquals(ResourceStatus.FAULTED, db.status());
        assertTrue(db.statusMessage().startsWith("Start failed: exit 3"), db.statusMessage());
        ResourceInfo web = rgm.resource("web").orElseThrow();
        assertEquals(ResourceState.OFFLINE, web.state());
        assertTrue(web.statusMessage().contains("depends on db, which is not online"), web.statusMessage());
        assertTrue(g.message().contains("Failover_mode NONE: no recovery action"), g.message());
    }

    @Test
    void startFailureUnderSoftSaysThereIsNowhereToGo() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Failover_mode", "soft"), false);
        assertEquals("SOFT", rgm.resource("db").orElseThrow().properties().getString("Failover_mode"));
        fail("prenet_start");
        GroupInfo g = rgm.online("rg");
        assertEquals(GroupState.ONLINE_FAULTED, g.state());
        assertTrue(g.message().contains("Failover_mode SOFT relocates group rg, but there is no other node"), g.message());
        assertEquals(ResourceState.START_FAILED, rgm.resource("db").orElseThrow().state());
    }

    @Test
    void startTimeoutIsAFailureAndKillsTheMethod() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Start_timeout", "1"), false);
        hang("start");
        rgm.online("rg");
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.START_FAILED, db.state());
        assertTrue(db.statusMessage().contains("timed out after 1s"), db.statusMessage());
    }

    @Test
    void stopFailureBlocksUntilCleared() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.online("rg");
        fail("stop");
        GroupInfo g = rgm.offline("rg");
        assertEquals(GroupState.ERROR_STOP_FAILED, g.state());
        assertEquals(ResourceState.STOP_FAILED, rgm.resource("db").orElseThrow().state());
        assertTrue(g.message().contains("clrs clear -f STOP_FAILED db"), g.message());
        RgmException e = assertThrows(RgmException.class, () -> rgm.online("rg"));
        assertTrue(e.getMessage().contains("resource db is STOP_FAILED"), e.getMessage());
        heal();
        assertThrows(RgmException.class, () -> rgm.clear("db", "START_FAILED"));
        rgm.clear("db", "STOP_FAILED");
        assertEquals(GroupState.OFFLINE, rgm.group("rg").orElseThrow().state());
        assertEquals(GroupState.ONLINE, rgm.online("rg").state());
    }

    @Test
    void validateVetoesAndNothingIsStored() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        Map<String, ?> before = store.snapshot();
        fail("validate");
        RgmException e = assertThrows(RgmException.class, () -> rgm.setResource("db", Map.of("Level", "9")));
        assertTrue(e.getMessage().contains("vetoed the change of [Level]"), e.getMessage());
        assertEquals(before, store.snapshot());
        assertEquals("5", rgm.resource("db").orElseThrow().properties().getString("Level"));
        e = assertThrows(RgmException.class, () -> rgm.createResource("other", "rg", "TEST.app", Map.of(), false));
        assertTrue(e.getMessage().contains("refused its creation"), e.getMessage());
        assertTrue(rgm.resource("other").isEmpty());
        assertEquals(before, store.snapshot());
    }

    @Test
    void propertyChangesValidateWithTheChangedOnlyThenUpdateWhenOnline() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.online("rg");
        calls();
        rgm.setResource("db", Map.of("level", "9"));
        assertEquals(List.of("validate -u -R db -T TEST.app -G rg -x Level=9", call("update", "db")), calls());
        assertEquals("9", rgm.resource("db").orElseThrow().properties().getString("Level"));

        RgmException e = assertThrows(RgmException.class, () -> rgm.setResource("db", Map.of("Level", "11")));
        assertTrue(e.getMessage().contains("Level"), e.getMessage());
        e = assertThrows(RgmException.class, () -> rgm.setResource("db", Map.of("Fixed", "b")));
        assertTrue(e.getMessage().contains("Fixed"), e.getMessage());
        assertEquals(List.of(), calls(), "a refused change runs no method");
    }

    @Test
    void aFailedStoreWriteChangesNothing() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        store.failNextCommit = "disk full";
        RgmException e = assertThrows(RgmException.class, () -> rgm.setResource("db", Map.of("Level", "9")));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("5", rgm.resource("db").orElseThrow().properties().getString("Level"));
    }

    @Test
    void aRestartedManagerBootsAndBringsBackWhatWasWantedOnline() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Level", "3"), false);
        rgm.online("rg");
        rgm.close();
        calls();

        rgm = newManager();
        assertEquals("3", rgm.resource("db").orElseThrow().properties().getString("Level"));
        assertTrue(registry.find("TEST.app").isPresent(), "the script type is registered again from the store");
        rgm.bootAll();
        // bootAll is asynchronous: wait on the group's executor by running a no-op through it.
        rgm.setGroup("rg", Map.of());
        assertEquals(GroupState.ONLINE, rgm.group("rg").orElseThrow().state());
        assertEquals(List.of(call("boot", "db"), call("prenet_start", "db"), call("start", "db"),
                call("monitor_start", "db")), calls());
    }

    @Test
    void typesInUseCannotBeUnregisteredAndEnabledResourcesCannotBeDeleted() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        RgmException e = assertThrows(RgmException.class, () -> rgm.unregisterType("TEST.app"));
        assertTrue(e.getMessage().contains("used by resources [db]"), e.getMessage());
        e = assertThrows(RgmException.class, () -> rgm.deleteResource("db", false));
        assertTrue(e.getMessage().contains("disable it first"), e.getMessage());
        e = assertThrows(RgmException.class, () -> rgm.deleteGroup("rg", false));
        assertTrue(e.getMessage().contains("has resources [db]"), e.getMessage());
        rgm.disable("db");
        rgm.deleteResource("db", false);
        rgm.unregisterType("TEST.app");
        assertTrue(registry.find("TEST.app").isEmpty());
        rgm.deleteGroup("rg", false);
        assertTrue(store.snapshot().isEmpty(), "everything is gone from the store: " + store.snapshot());
    }

    @Test
    void disableStopsAndEnableStartsInAnOnlineGroup() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.createResource("web", "rg", "TEST.app", Map.of("Resource_dependencies", "db"), false);
        rgm.online("rg");
        RgmException e = assertThrows(RgmException.class, () -> rgm.disable("db"));
        assertTrue(e.getMessage().contains("enabled resources [web] depend on db"), e.getMessage());
        calls();
        assertEquals(ResourceState.OFFLINE, rgm.disable("web").state());
        assertEquals(List.of(call("monitor_stop", "web"), call("stop", "web"), call("postnet_stop", "web")), calls());
        assertEquals(ResourceState.ONLINE, rgm.enable("web").state());
        assertEquals(List.of(call("prenet_start", "web"), call("start", "web"), call("monitor_start", "web")), calls());
        assertEquals(ResourceState.ONLINE_NOT_MONITORED, rgm.unmonitor("web").state());
        assertEquals(ResourceState.ONLINE, rgm.monitor("web").state());
        calls();
        assertEquals(ResourceState.ONLINE, rgm.restartResource("web").state());
        assertEquals(List.of(call("monitor_stop", "web"), call("stop", "web"), call("start", "web"),
                call("monitor_start", "web")), calls());
    }

    @Test
    void badInputIsRefusedWithTheReason() throws Exception {
        assertTrue(assertThrows(RgmException.class, () -> rgm.createGroup("1bad", Map.of())).getMessage()
                .contains("is not valid; expected a letter"));
        rgm.createGroup("rg", Map.of());
        assertTrue(assertThrows(RgmException.class, () -> rgm.createGroup("RG", Map.of())).getMessage()
                .contains("already exists"));
        assertTrue(assertThrows(RgmException.class, () -> rgm.createResource("x", "rg", "NO.type", Map.of(), false))
                .getMessage().contains("resource type NO.type is not registered"));
        assertTrue(assertThrows(RgmException.class, () -> rgm.createResource("x", "nogroup", "TEST.app", Map.of(),
                false)).getMessage().contains("resource group nogroup does not exist"));
        assertTrue(assertThrows(RgmException.class, () -> rgm.createResource("x", "rg", "TEST.app",
                Map.of("Resource_dependencies", "x"), false)).getMessage().contains("depends on itself"));
        assertTrue(rgm.resource("x").isEmpty());
        rgm.createResource("x", "rg", "TEST.app", Map.of(), false);
        assertTrue(assertThrows(RgmException.class, () -> rgm.createResource("X", "rg", "TEST.app", Map.of(), false))
                .getMessage().contains("already exists"));
    }

    /** Each failing method under each Failover_mode: the resource's and the group's state, and the message. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} fails under {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "prenet_start, NONE,         START_FAILED, ONLINE_FAULTED,    no recovery action",
        "prenet_start, SOFT,         START_FAILED, ONLINE_FAULTED,    no other node to relocate to",
        "prenet_start, HARD,         START_FAILED, ONLINE_FAULTED,    no other node to relocate to",
        "prenet_start, RESTART_ONLY, START_FAILED, ONLINE_FAULTED,    no recovery action",
        "prenet_start, LOG_ONLY,     START_FAILED, ONLINE_FAULTED,    no recovery action",
        "start,        NONE,         START_FAILED, ONLINE_FAULTED,    no recovery action",
        "start,        SOFT,         START_FAILED, ONLINE_FAULTED,    no other node to relocate to",
        "start,        HARD,         START_FAILED, ONLINE_FAULTED,    no other node to relocate to",
        "start,        RESTART_ONLY, START_FAILED, ONLINE_FAULTED,    no recovery action",
        "start,        LOG_ONLY,     START_FAILED, ONLINE_FAULTED,    no recovery action",
        "monitor_start, NONE,        MONITOR_FAILED, ONLINE,          ''",
        "monitor_stop, NONE,         STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "monitor_stop, HARD,         STOP_FAILED,  ERROR_STOP_FAILED, no fence command is configured",
        "stop,         NONE,         STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "stop,         SOFT,         STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "stop,         HARD,         STOP_FAILED,  ERROR_STOP_FAILED, no fence command is configured",
        "stop,         RESTART_ONLY, STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "stop,         LOG_ONLY,     STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "postnet_stop, NONE,         STOP_FAILED,  ERROR_STOP_FAILED, clrs clear -f STOP_FAILED db",
        "postnet_stop, HARD,         STOP_FAILED,  ERROR_STOP_FAILED, no fence command is configured",
    })
    void failoverModeMatrix(String method, String mode, ResourceState resourceState, GroupState groupState,
            String message) throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Failover_mode", mode), false);
        boolean stopping = method.contains("stop");
        if (stopping) {
            rgm.online("rg");
        }
        fail(method);
        GroupInfo g = stopping ? rgm.offline("rg") : rgm.online("rg");
        assertEquals(resourceState, rgm.resource("db").orElseThrow().state());
        assertEquals(groupState, g.state());
        assertTrue(g.message().contains(message), g.message());
    }

    @Test
    void timeoutsCountAsFailuresOfStopToo() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Stop_timeout", "1"), false);
        rgm.online("rg");
        hang("stop");
        assertEquals(GroupState.ERROR_STOP_FAILED, rgm.offline("rg").state());
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.STOP_FAILED, db.state());
        assertTrue(db.statusMessage().contains("Stop failed: timed out after 1s"), db.statusMessage());
    }

    @Test
    void hardRunsTheFenceCommandWhenAStopFails() throws Exception {
        Path fence = dir.resolve("bin/fence");
        Files.writeString(fence, "#!/bin/sh\necho fenced > '" + dir + "/fenced'\n");
        Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwxr-xr-x"));
        rgm.close();
        rgm = newManager(Optional.of(List.of(fence.toString())));
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of("Failover_mode", "HARD"), false);
        rgm.online("rg");
        fail("stop");
        GroupInfo g = rgm.offline("rg");
        assertEquals(GroupState.ERROR_STOP_FAILED, g.state());
        assertTrue(g.message().contains("Failover_mode HARD runs the fence command (it succeeded)"), g.message());
        assertEquals("fenced\n", Files.readString(dir.resolve("fenced")));
    }

    @Test
    void aWritableMethodProgramIsRefusedWithTheRuleBroken() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        Files.setPosixFilePermissions(dir.resolve("bin/start"), PosixFilePermissions.fromString("rwxrwxr-x"));
        rgm.online("rg");
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.START_FAILED, db.state());
        assertTrue(db.statusMessage().contains("refused to run: " + dir.resolve("bin/start") + " is group-writable"),
                db.statusMessage());
        assertFalse(calls().stream().anyMatch(c -> c.startsWith("start ")), "the refused program did not run");
    }

    @Test
    void aRestartedManagerAdoptsWhatStillRunsUnderPmfInsteadOfStartingItAgain() throws Exception {
        rgm.createGroup("rg", Map.of());
        rgm.createResource("db", "rg", "TEST.app", Map.of(), false);
        rgm.createResource("web", "rg", "TEST.app", Map.of(), false);
        rgm.createResource("app", "rg", "TEST.app", Map.of(), false);
        rgm.online("rg");
        rgm.close();
        calls();

        supervised.put("rg,db", Supervision.Running.SERVICE_AND_MONITOR);
        supervised.put("rg,web", Supervision.Running.SERVICE);
        rgm = newManager();
        rgm.bootAll();
        rgm.setGroup("rg", Map.of()); // waits for the boot on the group's executor
        assertEquals(GroupState.ONLINE, rgm.group("rg").orElseThrow().state());
        List<String> after = calls();
        assertFalse(after.contains(call("start", "db")), after.toString());
        assertFalse(after.contains(call("monitor_start", "db")), after.toString());
        assertFalse(after.contains(call("start", "web")), after.toString());
        assertTrue(after.contains(call("monitor_start", "web")), "web's monitor did not run: started again " + after);
        assertTrue(after.contains(call("start", "app")), "app ran nothing under PMF: started " + after);
        ResourceInfo db = rgm.resource("db").orElseThrow();
        assertEquals(ResourceState.ONLINE, db.state());
        assertEquals("adopted after an agent restart", db.statusMessage());
    }

    @Test
    void aTypeWithoutMonitorMethodsUsesTheBuiltInProbeItsPropertiesName() throws Exception {
        Files.writeString(dir.resolve("TEST.probed.rtr"), "Resource_type = probed;\nVendor_id = TEST;\n"
                + "RT_basedir = " + dir.resolve("bin") + ";\nStart = start;\nStop = stop;\n"
                + "{ PROPERTY = Probe_name; EXTENSION; STRING; DEFAULT = tcp; TUNABLE = ANYTIME; }\n");
        rgm.registerType(dir.resolve("TEST.probed.rtr"));
        List<String> monitorCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean answers = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.vigil.api.probe.FaultMonitors fake = new io.vigil.api.probe.FaultMonitors() {
            @Override public void start(String resource, String probe) {
                if (probe.equals("nosuch")) {
                    throw new IllegalArgumentException("probe nosuch is not registered; known: [tcp]");
                }
                monitorCalls.add("start " + resource + " " + probe);
            }
            @Override public void stop(String resource) { monitorCalls.add("stop " + resource); }
            @Override public boolean isRunning(String resource) { return false; }
            @Override public List<ProbeRecordView> history(String resource) { return List.of(); }
            @Override public ServiceWait awaitService(String resource, String probe, Duration timeout) {
                monitorCalls.add("await " + resource + " " + probe);
                assertTrue(timeout.compareTo(Duration.ofMinutes(59)) > 0 && timeout.compareTo(Duration.ofHours(1)) <= 0,
                        "Start_timeout (default 3600 s) less the time Start took: " + timeout);
                return answers.get() ? new ServiceWait(true, "connected")
                        : new ServiceWait(false, "connection refused");
            }
        };
        rgm.monitors = () -> Optional.of(fake);
        rgm.createGroup("rg", Map.of());
        rgm.createResource("p1", "rg", "TEST.probed", Map.of(), false);
        rgm.online("rg");
        assertEquals(ResourceState.ONLINE, rgm.resource("p1").orElseThrow().state());
        rgm.offline("rg");
        assertEquals(List.of("await p1 tcp", "start p1 tcp", "stop p1"), monitorCalls);

        answers.set(false);
        rgm.online("rg");
        ResourceInfo silent = rgm.resource("p1").orElseThrow();
        assertEquals(ResourceState.START_FAILED, silent.state());
        assertTrue(silent.statusMessage().contains("did not answer its probe tcp within Start_timeout"), silent.statusMessage());
        assertTrue(silent.statusMessage().contains("connection refused"), silent.statusMessage());
        rgm.offline("rg");
        answers.set(true);

        rgm.setResource("p1", Map.of("Probe_name", "nosuch"));
        rgm.online("rg");
        ResourceInfo p1 = rgm.resource("p1").orElseThrow();
        assertEquals(ResourceState.MONITOR_FAILED, p1.state());
        assertTrue(p1.statusMessage().contains("probe nosuch is not registered"), p1.statusMessage());
    }
}
