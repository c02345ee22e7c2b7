package io.vigil.rgm.exec;

import io.vigil.api.command.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Writes test scripts and reads what they leave behind. */
final class Scripts {

    private Scripts() {
    }

    /** Writes {@code #!/bin/sh} plus the body to dir/name, mode 0755. */
    static Path script(Path dir, String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Single-quotes a path for a shell script. */
    static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Long> pids(Path p) {
        return lines(p).stream().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /** True while the process exists and is not a zombie. */
    static boolean running(long pid) {
        return ProcStat.read(pid).map(ProcStat::running).orElse(false);
    }
}
