package io.vigil.itests.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A trivial script resource type for cluster tests, {@code TEST.journal}: its Start and Stop append one line,
 * {@code <node> start <resource>} or {@code <node> stop <resource>}, to a journal file shared by all agents on this
 * machine (one {@code write} with {@code O_APPEND} each, so lines never mix and their order is the order of the
 * calls). The node is the {@code node.name} of the agent that runs the method: the method finds its agent among its
 * ancestor processes (the JVM whose command line carries {@code -Dvigil.home=}) and reads that agent's
 * {@code etc/io.vigil.cluster.cfg}, since a method's environment carries no node name.
 *
 * <p>The folder and programs are mode 755: the RGM refuses method programs that are group- or world-writable.
 */
public final class JournalType {

    /** The type's name as {@code clrs create -t} takes it. */
    public static final String NAME = "TEST.journal";

    private final Path dir;
    private final Path journal;

    private JournalType(Path dir) {
        this.dir = dir;
        this.journal = dir.resolve("journal.log");
    }

    /**
     * Writes the programs and the RTR file into a new folder.
     *
     * @param dir the folder to create
     * @return the type
     */
    public static JournalType create(Path dir) throws IOException {
        JournalType type = new JournalType(dir);
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        for (Path d : List.of(dir, bin)) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String method : List.of("start", "stop")) {
            Path program = bin.resolve(method);
            Files.writeString(program, "#!/bin/sh\n"
                    + "# Usage (as the RGM calls it): " + method + " -R <resource> -T <type> -G <group>\n"
                    + "p=$PPID\nhome=\n"
                    + "while [ -z \"$home\" ] && [ \"${p:-1}\" -gt 1 ]; do\n"
                    + "  home=$(tr '\\0' '\\n' < /proc/$p/cmdline 2>/dev/null | sed -n 's/^-Dvigil\\.home=//p')\n"
                    + "  [ -n \"$home\" ] || p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status 2>/dev/null)\n"
                    + "done\n"
                    + "[ -n \"$home\" ] || { echo 'no Vigil agent among the ancestors of this method' >&2; exit 1; }\n"
                    + "node=$(sed -n 's/^node\\.name *= *//p' \"$home/etc/io.vigil.cluster.cfg\")\n"
                    + "[ -n \"$node\" ] || { echo \"no node.name in $home/etc/io.vigil.cluster.cfg\" >&2; exit 1; }\n"
                    + "echo \"$node " + method + " $2\" >> '" + type.journal + "'\n");
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(type.rtr(), "Resource_type = journal;\nVendor_id = TEST;\nRT_version = \"1\";\n"
                + "RT_basedir = " + bin + ";\nStart = start;\nStop = stop;\n");
        return type;
    }

    /** @return the RTR file, for {@code clrt register} */
    public Path rtr() {
        return dir.resolve("TEST.journal.rtr");
    }

    /** @return the journal's lines so far, oldest first */
    public List<String> journal() {
        try {
            return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + journal, e);
        }
    }

    /**
     * @param resources resource names
     * @return the journal's lines about those resources, oldest first
     */
    public List<String> journal(List<String> resources) {
        return journal().stream().filter(l -> resources.contains(l.substring(l.lastIndexOf(' ') + 1))).toList();
    }
}
