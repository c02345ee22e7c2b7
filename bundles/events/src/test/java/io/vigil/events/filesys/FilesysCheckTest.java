package io.vigil.events.filesys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.api.alarm.Alarm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilesysCheckTest {

    private final Map<String, Double> usage = new HashMap<>();
    private final List<FilesystemView.Mount> mounts = new ArrayList<>();

    private final FilesystemView view = new FilesystemView() {
        @Override
        public double usedPercent(Path mountPoint) throws IOException {
            Double u = usage.get(mountPoint.toString());
            if (u == null) {
                throw new IOException(mountPoint + " does not exist");
            }
            return u;
        }

        @Override
        public List<Mount> mounts() {
            return mounts;
        }
    };

    private static List<String> describe(List<Alarm> alarms) {
        return alarms.stream().map(a -> a.alarmClass() + "/" + a.event() + " " + a.instance() + " "
                + a.attributes().get("severity")).toList();
    }

    @Test
    void diskfullWarnsThenErrsOnceEachAndAgainAfterRecovering() {
        FilesysCheck check = new FilesysCheck(view);
        List<String> watched = List.of("/var", "/data");
        usage.put("/var", 50.0);
        usage.put("/data", 90.0);
        assertEquals(List.of("filesys/diskfull /data WARNING"), describe(check.check(watched, 90, 95, List.of())));
        assertEquals(List.of(), check.check(watched, 90, 95, List.of()), "no repeat while unchanged");
        usage.put("/data", 97.5);
        List<Alarm> err = check.check(watched, 90, 95, List.of());
        assertEquals(List.of("filesys/diskfull /data ERROR"), describe(err));
        assertEquals("/data is 97.5% full (error threshold 95%)", err.get(0).attributes().get("problemText"));
        usage.put("/data", 10.0);
        assertEquals(List.of(), check.check(watched, 90, 95, List.of()));
        usage.put("/data", 96.0);
        assertEquals(List.of("filesys/diskfull /data ERROR"), describe(check.check(watched, 90, 95, List.of())));
    }

    @Test
    void badmountWhenMissingOrWithoutExpectedOptions() {
        FilesysCheck check = new FilesysCheck(view);
        mounts.addAll(FilesystemView.parseMountTable(List.of(
                "/dev/sda1 / ext4 rw,relatime 0 0",
                "/dev/sdb1 /srv/my\\040data xfs ro,noatime 0 0")));
        List<FilesysCheck.Expected> expected = List.of(FilesysCheck.Expected.parse("/srv/my data:rw"),
                FilesysCheck.Expected.parse("/export"), FilesysCheck.Expected.parse("/"));
        List<Alarm> alarms = check.check(List.of(), 90, 95, expected);
        assertEquals(List.of("filesys/badmount /srv/my data ERROR", "filesys/badmount /export ERROR"), describe(alarms));
        assertEquals("/srv/my data is mounted with options ro,noatime, without expected rw",
                alarms.get(0).attributes().get("problemText"));
        assertEquals("/export is not mounted", alarms.get(1).attributes().get("problemText"));
        assertEquals(List.of(), check.check(List.of(), 90, 95, expected), "no repeat while unchanged");
        mounts.add(new FilesystemView.Mount("nfs:/x", "/export", "nfs", Set.of("rw")));
        assertEquals(List.of(), check.check(List.of(), 90, 95, expected));
        mounts.remove(mounts.size() - 1);
        assertEquals(List.of("filesys/badmount /export ERROR"), describe(check.check(List.of(), 90, 95, expected)));
    }

    @Test
    void unreadableWatchedMountPointIsReportedOnceWithItsReason() {
        FilesysCheck check = new FilesysCheck(view);
        List<String> watched = List.of("/var", "/gone");
        usage.put("/var", 50.0);
        List<Alarm> alarms = check.check(watched, 90, 95, List.of());
        assertEquals(List.of("filesys/badmount /gone ERROR"), describe(alarms));
        assertEquals("/gone is watched for diskfull but its usage cannot be read: /gone does not exist",
                alarms.get(0).attributes().get("problemText"));
        assertEquals(List.of(), check.check(watched, 90, 95, List.of()), "no repeat while unchanged");
        usage.put("/gone", 10.0);
        assertEquals(List.of(), check.check(watched, 90, 95, List.of()), "readable again: nothing raised");
        usage.remove("/gone");
        assertEquals(List.of("filesys/badmount /gone ERROR"), describe(check.check(watched, 90, 95, List.of())));
    }

    @Test
    void unreadableMountPointThatIsExpectedButMissingIsReportedOnce() {
        FilesysCheck check = new FilesysCheck(view);
        List<Alarm> alarms = check.check(List.of("/export"), 90, 95, List.of(FilesysCheck.Expected.parse("/export")));
        assertEquals(List.of("filesys/badmount /export ERROR"), describe(alarms));
        assertEquals("/export is not mounted", alarms.get(0).attributes().get("problemText"));
    }

    @Test
    void expectedMountMustBeAbsolute() {
        assertEquals("expected mount \"srv:rw\" is not valid; expected an absolute path, optionally followed by "
                + ":option,option", assertThrows(IllegalArgumentException.class,
                        () -> FilesysCheck.Expected.parse("srv:rw")).getMessage());
    }

    @Test
    void systemViewReadsARealFileSystem() throws IOException {
        double used = FilesystemView.system(Path.of("/proc/self/mounts")).usedPercent(Path.of("/"));
        assertEquals(true, used >= 0 && used <= 100, "usage " + used);
        assertEquals(true, FilesystemView.system(Path.of("/proc/self/mounts")).mounts().stream()
                .anyMatch(m -> m.mountPoint().equals("/")));
    }
}
