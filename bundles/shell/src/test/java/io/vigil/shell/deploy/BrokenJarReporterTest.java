package io.vigil.shell.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokenJarReporterTest {

    @TempDir
    Path dir;

    private final BrokenJarReporter reporter = new BrokenJarReporter();

    private Path jar(String name, String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().put(new Attributes.Name("Bundle-SymbolicName"), bsn);
        }
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return p;
    }

    @Test
    void garbageIsClaimedWithTheReason() throws IOException {
        Path p = Files.writeString(dir.resolve("corrupt.jar"), "not a zip");
        assertTrue(reporter.canHandle(p.toFile()));
        assertTrue(BrokenJarReporter.problem(p.toFile()).orElseThrow().contains("not a readable jar"));
    }

    @Test
    void jarWithoutSymbolicNameIsClaimed() throws IOException {
        Path p = jar("plain.jar", null);
        assertTrue(reporter.canHandle(p.toFile()));
        assertTrue(BrokenJarReporter.problem(p.toFile()).orElseThrow().contains("no Bundle-SymbolicName"));
    }

    @Test
    void bundlesAndOtherFilesAreLeftToFileInstall() throws IOException {
        assertFalse(reporter.canHandle(jar("good.jar", "com.example.good").toFile()));
        assertFalse(reporter.canHandle(Files.writeString(dir.resolve("x.cfg"), "a=b").toFile()));
    }
}
