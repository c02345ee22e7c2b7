package io.vigil.pmf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The native shim {@code vigil-pmf-run} (source: {@code src/main/c/vigil-pmf-run.c}, which
 * describes its protocol), built for the build machine's architecture into the bundle at
 * {@code OSGI-INF/native/linux-<os.arch>/}. Before it can run it is copied out of the bundle.
 */
final class Shim {

    static final String NAME = "vigil-pmf-run";

    private Shim() {
    }

    /** @return the shim's resource in this bundle for this machine */
    static String resource() {
        return "OSGI-INF/native/linux-" + System.getProperty("os.arch") + "/" + NAME;
    }

    /**
     * Copies the shim into a directory (mode 0700), replacing the copy there if it differs. The
     * copy is replaced by rename, so shims still running from the old file are not disturbed.
     *
     * @param binDir the directory
     * @return the executable
     * @throws IOException if this is not Linux, the bundle has no shim for this architecture, or
     *     it cannot be written
     */
    static Path install(Path binDir) throws IOException {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new IOException("the process monitor runs on Linux only; this is " + os);
        }
        byte[] bytes;
        try (InputStream in = Shim.class.getClassLoader().getResourceAsStream(resource())) {
            if (in == null) {
                throw new IOException("this bundle has no " + NAME + " for linux-" + System.getProperty("os.arch")
                        + " (expected resource " + resource() + "); rebuild the pmf bundle on this architecture");
            }
            bytes = in.readAllBytes();
        }
        Path target = binDir.resolve(NAME);
        if (Files.isRegularFile(target) && Files.isExecutable(target)
                && Arrays.equals(Files.readAllBytes(target), bytes)) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            return target;
        }
        Path temp = binDir.resolve("." + NAME + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx------"));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
