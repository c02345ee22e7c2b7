package io.vigil.shell.deploy;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims the jars in {@code deploy/} that cannot be bundles (not a readable jar, or no
 * {@code Bundle-SymbolicName}) and reports each once in the log, naming the file. FileInstall
 * otherwise skips such a file silently and retries it on every scan.
 */
@Component(service = ArtifactInstaller.class)
public final class BrokenJarReporter implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(BrokenJarReporter.class);

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && problem(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        LOG.error("{} was not installed: {}", artifact, problem(artifact).orElse("it is not a valid bundle"));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("{} (not a valid bundle) was removed from the deploy folder", artifact);
    }

    /**
     * @param jar a file in the deploy folder
     * @return why it cannot be installed as a bundle, or empty when it can
     */
    static Optional<String> problem(File jar) {
        if (jar.isDirectory()) {
            return Optional.empty(); // an exploded bundle: FileInstall jars it up itself
        }
        try (JarFile file = new JarFile(jar)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.of("it has no META-INF/MANIFEST.MF; expected an OSGi bundle");
            }
            String bsn = manifest.getMainAttributes().getValue(new Attributes.Name("Bundle-SymbolicName"));
            if (bsn == null || bsn.isBlank()) {
                return Optional.of("its manifest has no Bundle-SymbolicName; expected an OSGi bundle");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("it is not a readable jar (" + e.getMessage() + "); expected an OSGi bundle");
        }
    }
}
