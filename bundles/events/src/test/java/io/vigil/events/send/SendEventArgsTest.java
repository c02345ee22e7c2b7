package io.vigil.events.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendEventArgsTest {

    private static final List<String> REQUIRED = List.of("-C", "filesys", "-E", "diskfull", "-m", "df", "-n", "/var");

    private static Alarm parse(List<String> args) {
        return SendEventArgs.parse(args, ZoneOffset.UTC);
    }

    private static List<String> with(String... more) {
        List<String> out = new java.util.ArrayList<>(REQUIRED);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void everyOptionFillsItsField() {
        Alarm a = parse(with("-c", "fs", "-i", "42", "-t", "261122043015", "-s", "ERROR", "-o", "-z", "-w",
                "-a", "alarm", "-P", "space", "-p", "28", "-d", "95.5", "-x", "disk is full", "-S", "node1",
                "-O", "/tmp/out"));
        assertEquals("filesys", a.alarmClass());
        assertEquals("diskfull", a.event());
        assertEquals("df", a.monitor());
        assertEquals("/var", a.instance());
        assertEquals(Instant.parse("2026-11-22T04:30:15Z"), a.time());
        assertEquals(Map.ofEntries(Map.entry(AlarmEvents.OBJECT_CLASS, "fs"), Map.entry(AlarmEvents.ID, "42"),
                Map.entry(AlarmEvents.EVENT_TIME, "261122043015"), Map.entry(AlarmEvents.SEVERITY, "ERROR"),
                Map.entry(AlarmEvents.FLAG_O, "true"), Map.entry(AlarmEvents.FLAG_Z, "true"),
                Map.entry(AlarmEvents.FLAG_W, "true"), Map.entry(AlarmEvents.ALARM_TYPE, "alarm"),
                Map.entry(AlarmEvents.PROBLEM_TYPE, "space"), Map.entry(AlarmEvents.PROBLEM_CODE, "28"),
                Map.entry(AlarmEvents.PROBLEM_DATA, "95.5"), Map.entry(AlarmEvents.PROBLEM_TEXT, "disk is full"),
                Map.entry(AlarmEvents.SYSTEM, "node1"), Map.entry(AlarmEvents.OUTFILE, "/tmp/out")), a.attributes());
    }

    @Test
    void timestampSetsTheTime() {
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), parse(with("-T", "1800000000")).time());
    }

    @Test
    void attachedValuesAndGroupedFlags() {
        Alarm a = parse(List.of("-Capp", "-Ehung", "-mprobe", "-nweb-rs", "-oz", "-sWARNING"));
        assertEquals("app", a.alarmClass());
        assertEquals("web-rs", a.instance());
        assertEquals("true", a.attributes().get(AlarmEvents.FLAG_O));
        assertEquals("true", a.attributes().get(AlarmEvents.FLAG_Z));
        assertEquals("WARNING", a.attributes().get(AlarmEvents.SEVERITY));
    }

    @Test
    void argvIsTheCanonicalOptionVector() {
        List<String> args = with("-x", "text with spaces", "-s", "ERROR", "-w");
        Alarm a = parse(args);
        assertEquals(List.of("-C", "filesys", "-E", "diskfull", "-m", "df", "-n", "/var", "-s", "ERROR", "-w",
                "-x", "text with spaces"), SendEventArgs.argv(a));
        assertEquals(a.attributes(), parse(SendEventArgs.argv(a)).attributes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "E", "m", "n"})
    void eachRequiredOptionIsRequired(String letter) {
        List<String> args = new java.util.ArrayList<>(REQUIRED);
        int i = args.indexOf("-" + letter);
        args.remove(i + 1);
        args.remove(i);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertTrue(e.getMessage().startsWith("option -" + letter + " ("), e.getMessage());
        assertTrue(e.getMessage().contains("is required; usage: sendevent -C class"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "..", ".", "with space", "", "x\u00e9"})
    void invalidClassNamesAreRejected(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("-C", name, "-E", "e", "-m", "m", "-n", "n")));
        assertTrue(e.getMessage().contains("class (-C)") || e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void invalidEventNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("-C", "c", "-E", "x/../../bin", "-m", "m", "-n", "n")));
        assertTrue(e.getMessage().contains("event (-E) \"x/../../bin\" is not valid"), e.getMessage());
    }

    @Test
    void badInputGetsOneClearMessage() {
        assertEquals("unknown option -q; usage: " + SendEventArgs.USAGE,
                assertThrows(IllegalArgumentException.class, () -> parse(with("-q"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("-s")))
                .getMessage().startsWith("option -s (severity) needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("-C", "again")))
                .getMessage().startsWith("option -C is given twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("stray")))
                .getMessage().startsWith("unexpected operand \"stray\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("-t", "261399000000")))
                .getMessage().startsWith("option -t \"261399000000\" is not a time; expected YYMMDDHHMMSS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("-T", "soon")))
                .getMessage().startsWith("option -T \"soon\" is not a timestamp"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(with("-T", "1", "-t", "261122043015")))
                .getMessage().startsWith("options -t and -T both give the time"));
    }
}
