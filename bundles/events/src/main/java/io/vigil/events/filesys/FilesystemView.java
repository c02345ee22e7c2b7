package io.vigil.events.filesys;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the filesys monitor sees of the file systems: usage and the mount table. */
public interface FilesystemView {

    /**
     * One line of the mount table.
     *
     * @param device the mounted device
     * @param mountPoint where it is mounted
     * @param type the file system type
     * @param options its mount options
     */
    record Mount(String device, String mountPoint, String type, Set<String> options) {
    }

    /**
     * @param mountPoint a mount point
     * @return the percentage of its space in use (as {@code df} counts it: used / (used + available))
     * @throws IOException if it cannot be read
     */
    double usedPercent(Path mountPoint) throws IOException;

    /**
     * @return the mount table
     * @throws IOException if it cannot be read
     */
    List<Mount> mounts() throws IOException;

    /**
     * The system's view: {@link FileStore} space and a mount table file.
     *
     * @param mountTable e.g. {@code /proc/self/mounts}
     * @return the view
     */
    static FilesystemView system(Path mountTable) {
        return new FilesystemView() {
            @Override
            public double usedPercent(Path mountPoint) throws IOException {
                FileStore store = Files.getFileStore(mountPoint);
                long total = store.getTotalSpace();
                long used = total - store.getUnallocatedSpace();
                long avail = store.getUsableSpace();
                return used + avail == 0 ? 0 : 100.0 * used / (used + avail);
            }

            @Override
            public List<Mount> mounts() throws IOException {
                return parseMountTable(Files.readAllLines(mountTable));
            }
        };
    }

    /**
     * Parses {@code /proc/mounts} / {@code /etc/mtab} lines: device, mount point, type, options;
     * octal escapes ({@code \040} for a space) are decoded.
     *
     * @param lines the lines
     * @return the mounts, in order
     */
    static List<Mount> parseMountTable(List<String> lines) {
        List<Mount> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[0].startsWith("#")) {
                continue;
            }
            out.add(new Mount(unescape(f[0]), unescape(f[1]), f[2], new LinkedHashSet<>(List.of(f[3].split(",")))));
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
