package io.vigil.healthcheck.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.api.rgm.GroupState;
import io.vigil.api.rgm.RgmEvents;
import io.vigil.api.type.ResourceStatus;
import io.vigil.healthcheck.core.Health;
import io.vigil.healthcheck.testing.FakeRgm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RgmStatusTest {

    private static final List<String> OK_DEGRADED = List.of("OK", "DEGRADED");

    private final List<Health> changes = new ArrayList<>();

    @Test
    void aGroupIsUpWhileOnlineAndGoesDownAtItsEvent() {
        RgmStatus s = new RgmStatus("*rg:rg1", OK_DEGRADED);
        s.start(changes::add);
        s.reset(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.DEGRADED));
        assertEquals(Health.up("group rg1 is ONLINE"), s.current());

        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "PENDING_OFFLINE",
                RgmEvents.PREVIOUS, "ONLINE", RgmEvents.MESSAGE, ""));
        assertEquals(Health.down("group rg1 is PENDING_OFFLINE"), s.current());
        assertEquals(java.time.Instant.EPOCH, s.changedAt(), "the time of the event that changed it");
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "other", RgmEvents.STATE, "ONLINE"));
        assertEquals(Health.down("group rg1 is PENDING_OFFLINE"), s.current());
        java.util.Map<String, Object> offline = FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "OFFLINE");
        offline.put(RgmEvents.TIME, 5000L);
        s.onEvent(RgmEvents.GROUP_STATE, offline);
        assertEquals(Health.down("group rg1 is OFFLINE"), s.current());
        assertEquals(java.time.Instant.EPOCH, s.changedAt(), "still DOWN: the time it turned DOWN stays");
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.STATE, "ONLINE"));
        assertEquals(List.of(Health.up("group rg1 is ONLINE"), Health.down("group rg1 is PENDING_OFFLINE"),
                Health.down("group rg1 is OFFLINE"), Health.up("group rg1 is ONLINE")), changes);
    }

    @Test
    void aFaultedResourceTakesItsGroupDownAndADisabledOneDoesNot() {
        RgmStatus s = new RgmStatus("*rg:rg1", OK_DEGRADED);
        s.reset(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK));
        s.onEvent(RgmEvents.RESOURCE_STATUS, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.RESOURCE, "web",
                RgmEvents.STATUS, "FAULTED", RgmEvents.PREVIOUS, "OK"));
        assertEquals(Health.down("group rg1 is ONLINE, but resource web has Status FAULTED"), s.current());
        s.onEvent(RgmEvents.RESOURCE_STATUS, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.RESOURCE, "web",
                RgmEvents.STATUS, "OFFLINE"));
        assertEquals(Health.up("group rg1 is ONLINE"), s.current());
    }

    @Test
    void upStatusesAreConfigurable() {
        RgmStatus strict = new RgmStatus("*rs:db", List.of("OK"));
        strict.reset(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.DEGRADED, ResourceStatus.OK));
        assertEquals(Health.down("resource db is ONLINE, Status DEGRADED"), strict.current());
        RgmStatus lenient = new RgmStatus("*rs:db", OK_DEGRADED);
        lenient.reset(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.DEGRADED, ResourceStatus.OK));
        assertEquals(Health.up("resource db is ONLINE, Status DEGRADED"), lenient.current());
        lenient.onEvent(RgmEvents.RESOURCE_STATE, FakeRgm.event(RgmEvents.GROUP, "rg1", RgmEvents.RESOURCE, "db",
                RgmEvents.STATE, "STOPPING"));
        assertEquals(Health.down("resource db is STOPPING, Status DEGRADED"), lenient.current());
    }

    @Test
    void unknownNamesAndAMissingRgmAreDown() {
        RgmStatus s = new RgmStatus("*rg:nope", OK_DEGRADED);
        assertEquals(Health.down("the resource group manager is not running"), s.current());
        s.reset(FakeRgm.rgm(GroupState.ONLINE, ResourceStatus.OK, ResourceStatus.OK));
        assertEquals(Health.down("group nope does not exist"), s.current());
        s.onEvent(RgmEvents.GROUP_STATE, FakeRgm.event(RgmEvents.GROUP, "nope", RgmEvents.STATE, "ONLINE"));
        assertEquals(Health.up("group nope is ONLINE"), s.current());
        s.reset(null);
        assertEquals(Health.down("the resource group manager is not running"), s.current());
    }

    @Test
    void badStatusesAndCommandsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RgmStatus("*rg:rg1", List.of("OK", "FINE")));
        assertEquals("upStatuses: 'FINE' is not a resource Status; expected some of OK,DEGRADED,FAULTED,UNKNOWN,OFFLINE",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RgmStatus("*rg:", OK_DEGRADED));
        assertEquals("command = *rg: is invalid: the group name is missing; expected " + SourceSpec.SYNTAX, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RgmStatus("*rg:rg1@cluster", OK_DEGRADED));
        assertEquals("command = *rg:rg1@cluster names no group or resource of this node; expected *rg:<group> or"
                + " *rs:<resource>", e.getMessage());
    }
}
