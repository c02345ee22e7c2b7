package io.vigil.rgm.engine;

import io.vigil.api.type.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The RGM tests' script type {@code TEST.app}: one shell script per callback method, as the test writes it. */
final class ScriptTypes {

    /** The twelve methods' script names. */
    static final List<String> METHODS = Arrays.stream(Method.values()).map(m -> m.name().toLowerCase(Locale.ROOT))
            .toList();

    private ScriptTypes() {
    }

    /**
     * Writes {@code <dir>/bin/<method>} for every method and {@code <dir>/TEST.app.rtr} naming them.
     *
     * @param dir where
     * @param body the script after {@code #!/bin/sh}, by method name
     * @param properties the RTR's property declarations
     * @return the RTR file
     */
    static Path write(Path dir, Function<String, String> body, String properties) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String m : METHODS) {
            Path script = bin.resolve(m);
            Files.writeString(script, "#!/bin/sh\n" + body.apply(m));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path rtr = dir.resolve("TEST.app.rtr");
        Files.writeString(rtr, "Resource_type = app;\nVendor_id = TEST;\nRT_version = \"1\";\n"
                + "RT_basedir = " + bin + ";\n"
                + METHODS.stream().map(m -> m + " = " + m + ";\n").reduce("", String::concat) + properties);
        return rtr;
    }
}
