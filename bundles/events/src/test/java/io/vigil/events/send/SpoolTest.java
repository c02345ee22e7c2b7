package io.vigil.events.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void truncatedFileIsReported() throws IOException {
        Path f = tmp.resolve("1-x-1.alarm");
        Files.writeString(f, "-C\0fil");
        assertTrue(assertThrows(IOException.class, () -> Spool.read(f)).getMessage().contains("truncated"));
    }
}
