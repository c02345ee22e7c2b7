package io.vigil.events.rgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmService;
import io.vigil.api.rgm.RgmEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class RgmAlarmsTest {

    private final List<Alarm> sent = new ArrayList<>();
    private final RgmAlarms handler = new RgmAlarms((AlarmService) sent::add);

    private void post(String topic, String... kv) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        p.put(RgmEvents.TIME, 1_800_000_000_000L);
        handler.handleEvent(new Event(topic, p));
    }

    private String last() {
        Alarm a = sent.get(sent.size() - 1);
        return a.alarmClass() + "/" + a.event() + " " + a.instance() + " " + a.attributes().get("severity");
    }

    @Test
    void rgmEventsBecomeVigilAlarms() {
        post(RgmEvents.GROUP_STATE, "group", "web-rg", "state", "ONLINE_FAULTED", "previous", "ONLINE", "message", "x");
        assertEquals("vigil/group_state web-rg ERROR", last());
        assertEquals("group web-rg ONLINE -> ONLINE_FAULTED: x", sent.get(0).attributes().get("problemText"));
        assertEquals(Instant.ofEpochMilli(1_800_000_000_000L), sent.get(0).time());
        post(RgmEvents.GROUP_STATE, "group", "web-rg", "state", "ONLINE", "previous", "PENDING_ONLINE");
        assertEquals("vigil/group_state web-rg INFO", last());
        post(RgmEvents.GROUP_GIVEOVER, "group", "web-rg", "outcome", "refused", "reason", "r", "message", "m");
        assertEquals("vigil/giveover web-rg ERROR", last());
        post(RgmEvents.RESOURCE_STATE, "group", "g", "resource", "web-rs", "state", "START_FAILED", "previous", "STARTING");
        assertEquals("vigil/start_failed web-rs ERROR", last());
        post(RgmEvents.RESOURCE_STATE, "group", "g", "resource", "web-rs", "state", "STOP_FAILED", "previous", "STOPPING");
        assertEquals("vigil/stop_failed web-rs ERROR", last());
        post(RgmEvents.RESOURCE_RESTART, "group", "g", "resource", "web-rs", "outcome", "ok", "reason", "probe");
        assertEquals("vigil/restart web-rs WARNING", last());
        post(RgmEvents.RESOURCE_STATUS, "group", "g", "resource", "web-rs", "status", "FAULTED", "message", "gave up");
        assertEquals("vigil/resource_faulted web-rs ERROR", last());
        post(RgmEvents.METHOD_FAILED, "group", "g", "resource", "web-rs", "method", "STOP", "message", "exit 1");
        assertEquals("vigil/method_failed web-rs ERROR", last());
        assertEquals("STOP", sent.get(sent.size() - 1).attributes().get("problemType"));
        assertEquals(8, sent.size());
    }

    @Test
    void routineChangesRaiseNothing() {
        post(RgmEvents.RESOURCE_STATE, "group", "g", "resource", "r", "state", "ONLINE", "previous", "STARTING");
        post(RgmEvents.RESOURCE_STATUS, "group", "g", "resource", "r", "status", "OK");
        post("vigil/rgm/other/THING", "group", "g");
        assertTrue(sent.isEmpty(), sent.toString());
    }
}
