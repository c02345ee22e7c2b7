package io.vigil.events.recovery;

import io.vigil.testing.MemoryStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmRecovery;
import io.vigil.api.rgm.ResourceGroupManager;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.rgm.ResourceState;
import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.PropertyValues;
import io.vigil.api.type.ResourceStatus;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import io.vigil.events.dispatch.AlarmRecord;
import io.vigil.events.dispatch.HandlerRun;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryRouterTest {

    @TempDir
    Path tmp;

    private final List<String> calls = new ArrayList<>();
    private final List<Alarm> raised = new ArrayList<>();
    private final List<Path> programsRun = new ArrayList<>();
    private final MemoryStore store = new MemoryStore();
    private final Policies policies = new Policies(store);
    private Instant now = Instant.parse("2026-11-22T04:00:00Z");
    private boolean giveoverRefused = true;
    private String programStatus = "ok";
    private Path basedir;
    private final List<RecoveryRouter.JavaRecovery> javaRecoveries = new ArrayList<>();

    @BeforeEach
    void basedir() throws Exception {
        basedir = tmp.resolve("rt");
        Path program = basedir.resolve("recovery/app/hung");
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ResourceGroupManager rgm() {
        ResourceInfo web = new ResourceInfo("web-rs", "web-rg", "TEST.web", PropertyValues.of(Map.of()), Set.of(),
                true, true, ResourceState.ONLINE, ResourceStatus.OK, "");
        ResourceInfo db = new ResourceInfo("db-rs", "db-rg", "TEST.db", PropertyValues.of(Map.of()), Set.of(),
                true, true, ResourceState.ONLINE, ResourceStatus.OK, "");
        ResourceInfo fs = new ResourceInfo("fs-rs", "fs-rg", "TEST.db", PropertyValues.of(Map.of(
                RecoveryRouter.RECOVERY_EVENTS, "filesys/diskfull, app/*")), Set.of(RecoveryRouter.RECOVERY_EVENTS),
                true, true, ResourceState.ONLINE, ResourceStatus.OK, "");
        return (ResourceGroupManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResourceGroupManager.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "resource":
                            return Optional.ofNullable(Map.of("web-rs", web, "db-rs", db, "fs-rs", fs).get((String) args[0]));
                        case "giveover":
                            calls.add("giveover " + args[0] + ": " + args[1]);
                            if (giveoverRefused) {
                                throw new RgmException("no other node to give group " + args[0] + " to");
                            }
                            return null;
                        case "restartResource":
                            calls.add("restart " + args[0]);
                            return db;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private ResourceTypeRegistry registry() {
        ResourceTypeInfo web = new ResourceTypeInfo("TEST.web", "1", "", ResourceTypeInfo.Kind.SCRIPT, "f", 0,
                Set.of(), "f", basedir.toString());
        ResourceTypeInfo db = new ResourceTypeInfo("TEST.db", "1", "", ResourceTypeInfo.Kind.JAVA, "b", 0,
                Set.of(), "b", "");
        return new ResourceTypeRegistry() {
            @Override
            public List<ResourceTypeInfo> types() {
                return List.of(db, web);
            }

            @Override
            public Optional<ResourceTypeInfo> find(String name) {
                return types().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
            }
        };
    }

    private RecoveryRouter router() {
        ResourceGroupManager m = rgm();
        ResourceTypeRegistry r = registry();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new RecoveryRouter(() -> Optional.of(m), () -> Optional.of(r), () -> javaRecoveries, policies,
                (record, program) -> {
                    programsRun.add(program);
                    return new HandlerRun(program.toString(), programStatus, programStatus.equals("ok") ? 0 : 1, 3, "");
                }, raised::add, clock);
    }

    private static AlarmRecord record(String cls, String event, String instance) throws Exception {
        var c = AlarmRecord.class.getDeclaredConstructor(long.class, Alarm.class, boolean.class);
        c.setAccessible(true);
        return c.newInstance(1L, Alarm.builder(cls, event).monitor("m").instance(instance).build(), false);
    }

    private static List<String> statuses(AlarmRecord r) {
        return r.runs().stream().map(HandlerRun::status).toList();
    }

    @Test
    void localRecoverySucceedsAndNothingMoreHappens() throws Exception {
        AlarmRecord r = record("app", "hung", "web-rs");
        RecoveryRouter router = router();
        assertTrue(router.applies(r.alarm()));
        router.recover(r);
        assertEquals(List.of(basedir.resolve("recovery/app/hung")), programsRun);
        assertEquals(List.of("ok", "recovered"), statuses(r));
        assertEquals(List.of(), calls);
        assertEquals(List.of(), raised);
    }

    @Test
    void failedLocalRecoveryRequestsGiveoverAndARefusalIsRecordedAndRaised() throws Exception {
        programStatus = "failed";
        AlarmRecord r = record("app", "hung", "web-rs");
        router().recover(r);
        assertEquals(1, calls.size());
        assertTrue(calls.get(0).startsWith("giveover web-rg: alarm app/hung for web-rs: local recovery failed"),
                calls.toString());
        assertEquals(List.of("failed", "local-failed", "failover-refused"), statuses(r));
        assertEquals(1, raised.size());
        assertEquals("vigil/failover_refused web-rs", raised.get(0).alarmClass() + "/" + raised.get(0).event() + " "
                + raised.get(0).instance());
    }

    @Test
    void acceptedGiveoverIsRecorded() throws Exception {
        programStatus = "timeout";
        giveoverRefused = false;
        AlarmRecord r = record("app", "hung", "web-rs");
        router().recover(r);
        assertEquals(List.of("timeout", "local-failed", "giveover"), statuses(r));
        assertEquals(List.of(), raised);
    }

    @Test
    void temporalRecoveryEscalatesOnTheAlarmAfterTheLimit() throws Exception {
        policies.set(Optional.of("web-rs"), Map.of("temporalrecovery", "2/10m"));
        RecoveryRouter router = router();
        for (int i = 0; i < 2; i++) {
            AlarmRecord r = record("app", "hung", "web-rs");
            router.recover(r);
            assertEquals(List.of("ok", "recovered"), statuses(r));
            now = now.plus(Duration.ofMinutes(1));
        }
        AlarmRecord third = record("app", "hung", "web-rs");
        router.recover(third);
        assertEquals(2, programsRun.size(), "no local recovery on the third alarm");
        assertEquals(List.of("failover-refused"), statuses(third));
        assertTrue(calls.get(0).contains("TemporalRecovery allows 2 local recoveries within PT10M"), calls.toString());
        now = now.plus(Duration.ofMinutes(10)); // both earlier attempts left the window
        AlarmRecord later = record("app", "hung", "web-rs");
        router.recover(later);
        assertEquals(List.of("ok", "recovered"), statuses(later));
    }

    @Test
    void policiesLocalRecoveryOffFailoverOffAndNotificationOnly() throws Exception {
        RecoveryRouter router = router();
        policies.set(Optional.empty(), Map.of("LocalRecovery", "off"));
        AlarmRecord r1 = record("app", "hung", "web-rs");
        router.recover(r1);
        assertEquals(List.of("failover-refused"), statuses(r1));
        policies.set(Optional.of("web-rs"), Map.of("Failover", "off"));
        AlarmRecord r2 = record("app", "hung", "web-rs");
        router.recover(r2);
        assertEquals(List.of("no-failover"), statuses(r2));
        assertEquals("recovery_failed", raised.get(raised.size() - 1).event());
        policies.set(Optional.of("web-rs"), Map.of("NotificationOnly", "on"));
        AlarmRecord r3 = record("app", "hung", "web-rs");
        router.recover(r3);
        assertEquals(List.of("notification-only"), statuses(r3));
        assertEquals(List.of(), programsRun);
        policies.remove(Optional.empty(), List.of("localrecovery"));
        policies.remove(Optional.of("web-rs"), List.of("Failover", "NotificationOnly"));
        assertEquals(new Policies.Effective(true, true, 0, Duration.ZERO, false), policies.effective("web-rs"));
    }

    @Test
    void badPolicyValuesAreRejectedWithWhatIsExpected() {
        assertEquals("policy Bogus is not known; expected one of [LocalRecovery, Failover, TemporalRecovery, "
                + "NotificationOnly]", assertThrows(IllegalArgumentException.class,
                        () -> policies.set(Optional.empty(), Map.of("Bogus", "on"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> policies.set(Optional.empty(), Map.of("Failover", "maybe"))).getMessage()
                .equals("Failover value maybe is not valid; expected on or off"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> policies.set(Optional.empty(), Map.of("TemporalRecovery", "3"))).getMessage()
                .startsWith("TemporalRecovery value 3 is not valid; expected N/T"));
    }

    @Test
    void javaTypeRecoversThroughItsServiceAndRestart() throws Exception {
        javaRecoveries.add(new RecoveryRouter.JavaRecovery("TEST.db", List.of("app/*"), (alarm, res) -> {
            calls.add("service " + res);
            return AlarmRecovery.Outcome.RESTART;
        }));
        AlarmRecord r = record("app", "slow", "db-rs");
        router().recover(r);
        assertEquals(List.of("service db-rs", "restart db-rs"), calls);
        assertEquals(List.of("recovered"), statuses(r));
    }

    @Test
    void noRecoveryWithoutADeclarationOrForVigilsOwnAlarms() throws Exception {
        RecoveryRouter router = router();
        assertFalse(router.applies(record("app", "other", "web-rs").alarm()), "no program for app/other");
        assertFalse(router.applies(record("app", "hung", "unknown-rs").alarm()), "no such resource");
        assertFalse(router.applies(record("vigil", "restart", "web-rs").alarm()));
        AlarmRecord r = record("app", "other", "web-rs");
        router.recover(r);
        assertEquals(List.of(), r.runs());
        assertEquals(List.of(), calls);
    }

    @Test
    void aTypeDeclaringRecoveryEventsInItsRtrIsRecoveredByARestart() throws Exception {
        RecoveryRouter router = router();
        assertFalse(router.applies(record("filesys", "badmount", "fs-rs").alarm()), "not declared");
        AlarmRecord r = record("filesys", "diskfull", "fs-rs");
        assertTrue(router.applies(r.alarm()));
        router.recover(r);
        assertEquals(List.of("restart fs-rs"), calls);
        assertEquals(List.of("recovered"), statuses(r));
        calls.clear();
        router.recover(record("app", "anything", "fs-rs"));
        assertEquals(List.of("restart fs-rs"), calls, "class/* declares every event of the class");
    }
}
