package io.vigil.events.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path tmp;

    @Test
    void writtenAlarmsReadBackInOrderAndTempFilesAreIgnored() throws IOException {
        Spool spool = new Spool(tmp.resolve("spool"));
        Path first = spool.write(List.of("-C", "a", "-x", "two words\nand a line"));
        Path second = spool.write(List.of("-C", "b"));
        Files.writeString(spool.dir().resolve(".123-s1-1.alarm.tmp"), "-C\0half");
        assertEquals(List.of(first, second), spool.pending());
        assertEquals(List.of("-C", "a", "-x", "two words\nand a line"), Spool.read(first));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(spool.dir())));
        spool.remove(first);
        assertEquals(List.of(second), spool.pending());
    }

    @Test
    void segmentsHoldSeveralAlarmsAndArePendingOnceClosed() throws IOException {
        Spool spool = new Spool(tmp.resolve("spool"));
        spool.append(List.of("-C", "a", "-x", ""), 3);
        spool.append(List.of("-C", "b"), 3);
        assertEquals(List.of(), spool.pending(), "an open segment is not pending");
        spool.append(List.of("-C", "c"), 3);
        assertEquals(1, spool.pending().size(), "full at 3: closed");
        spool.append(List.of("-C", "d"), 3);
        spool.closeSegment();
        List<Path> pending = spool.pending();
        assertEquals(2, pending.size());
        assertTrue(pending.get(0).toString().endsWith(Spool.SEGMENT_SUFFIX));
        assertEquals(List.of(List.of("-C", "a", "-x", ""), List.of("-C", "b"), List.of("-C", "c")),
                Spool.readAll(pending.get(0)));
        assertEquals(List.of(List.of("-C", "d")), Spool.readAll(pending.get(1)));
    }

    @Test
    void segmentLeftOpenByADeadAgentIsAdoptedWithoutItsCutShortAlarm() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("spool"));
        Files.writeString(dir.resolve(".0001795000000000000000-j1-1.alarms.tmp"), "2\0-C\0a\0" + "4\0-C\0b\0-E");
        Spool spool = new Spool(dir);
        List<Path> pending = spool.pending();
        assertEquals(1, pending.size());
        assertEquals(List.of(List.of("-C", "a")), Spool.readAll(pending.get(0)));
    }

    @Test
    void annotationsRoundTripOutsideTheOptionVector() throws IOException {
        Spool spool = new Spool(tmp.resolve("spool"));
        Instant raised = Instant.parse("2021-03-04T05:06:07.000000089Z");
        Path single = spool.write(new Spool.Entry(List.of("-C", "a", "-n", "x"), Optional.of(raised), Optional.empty()),
                false);
        spool.append(new Spool.Entry(List.of("-C", "b"), Optional.of(raised), Optional.of("b/e/h")), 5);
        spool.append(List.of("-C", "c"), 5);
        spool.closeSegment();
        assertEquals(List.of(new Spool.Entry(List.of("-C", "a", "-n", "x"), Optional.of(raised), Optional.empty())),
                Spool.readEntries(single));
        assertEquals(List.of("-C", "a", "-n", "x"), Spool.read(single), "the option vector holds no annotation");
        Path segment = spool.pending().get(1);
        assertEquals(List.of(new Spool.Entry(List.of("-C", "b"), Optional.of(raised), Optional.of("b/e/h")),
                Spool.Entry.of(List.of("-C", "c"))), Spool.readEntries(segment));
    }

    @Test
    void filesOfTheOldFormatReadAsBeforeAndABadAnnotationStaysInTheVector() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("spool"));
        Files.writeString(dir.resolve("1-s1-1.alarm"), "-C\0app\0-x\0@raised=12\0");
        Files.writeString(dir.resolve("2-j1-1.alarms"), "2\0-C\0a\0" + "3\0@raised=soon\0-C\0b\0");
        assertEquals(List.of(Spool.Entry.of(List.of("-C", "app", "-x", "@raised=12"))),
                Spool.readEntries(dir.resolve("1-s1-1.alarm")), "an option's value is never an annotation");
        assertEquals(List.of(Spool.Entry.of(List.of("-C", "a")), Spool.Entry.of(List.of("@raised=soon", "-C", "b"))),
                Spool.readEntries(dir.resolve("2-j1-1.alarms")));
    }

    @Test
    void segmentIsRewrittenWithItsRemainderUnderTheSameName() throws IOException {
        Spool spool = new Spool(tmp.resolve("spool"));
        Path before = spool.write(List.of("-C", "first"));
        for (String c : List.of("a", "b", "c")) {
            spool.append(List.of("-C", c), 10);
        }
        spool.closeSegment();
        Path segment = spool.pending().get(1);
        Path after = spool.write(List.of("-C", "last"));
        spool.rewrite(segment, List.of(Spool.Entry.of(List.of("-C", "c"))));
        assertEquals(List.of(before, segment, after), spool.pending(), "it keeps its place");
        assertEquals(List.of(List.of("-C", "c")), Spool.readAll(segment));
        assertThrows(IllegalArgumentException.class, () -> spool.rewrite(before, List.of(Spool.Entry.of(List.of("-C", "x")))));
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        Path f = tmp.resolve("1-x-1.alarm");
        Files.writeString(f, "-C\0fil");
        assertTrue(assertThrows(IOException.class, () -> Spool.read(f)).getMessage().contains("truncated"));
    }
}
