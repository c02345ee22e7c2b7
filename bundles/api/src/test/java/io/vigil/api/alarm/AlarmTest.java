package io.vigil.api.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlarmTest {

    @Test
    void buildsWithTopicAndAttributes() {
        Alarm a = Alarm.builder("filesys", "diskfull").monitor("df").instance("/var")
                .time(Instant.EPOCH).attribute("severity", "ERROR").build();
        assertEquals("vigil/event/filesys/diskfull", a.topic());
        assertEquals("/var", a.instance());
        assertEquals("df", a.monitor());
        assertEquals("ERROR", a.attributes().get("severity"));
        assertEquals(Instant.EPOCH, a.time());
    }

    @Test
    void dotsReadAsUnderscoresInTheTopicOnly() {
        Alarm a = Alarm.builder("app.db", "conn.lost").monitor("m").instance("i").build();
        assertEquals("vigil/event/app_db/conn_lost", a.topic());
        assertEquals("app.db", a.alarmClass());
        assertEquals(AlarmEvents.TOPIC_PREFIX + "app_db/conn_lost", a.topic());
    }

    @Test
    void optionsFollowTheLifeKeeperSynopsis() {
        assertEquals("CEmncitTsozwaPpdxSO", AlarmEvents.OPTIONS.stream().map(o -> String.valueOf(o.option()))
                .reduce("", String::concat));
        assertEquals(4, AlarmEvents.OPTIONS.stream().filter(AlarmEvents.Option::required).count());
    }

    @Test
    void namesThatCouldLeaveTheEventsDirectoryAreRejected() {
        for (String bad : new String[] {"..", ".", "a/b", "", "x y", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Alarm.builder(bad, "e"));
            assertTrue(e.getMessage().contains("class (-C)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Alarm.builder("c", "../../bin"));
    }

    @Test
    void monitorAndInstanceAreRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Alarm.builder("c", "e").instance("i").build());
        assertTrue(e.getMessage().contains("monitor (-m)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Alarm.builder("c", "e").monitor("m").build());
    }
}
