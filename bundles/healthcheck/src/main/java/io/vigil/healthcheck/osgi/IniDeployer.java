package io.vigil.healthcheck.osgi;

import io.vigil.healthcheck.core.IniFile;
import io.vigil.healthcheck.core.Settings;
import java.io.File;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a responder for each {@code GGHealthCheck.ini} (section {@code default}, GGHealthCheck's
 * keys) that FileInstall finds in {@code deploy/} or {@code etc/}; restarts it when the file changes
 * and stops it when the file is deleted. {@code GGHealthCheck.ini} names the responder
 * {@code GGHealthCheck}; {@code GGHealthCheck-web.ini} names it {@code web}.
 */
@Component(service = ArtifactInstaller.class)
public final class IniDeployer implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(IniDeployer.class);
    private static final Pattern NAME = Pattern.compile("(?i)GGHealthCheck(?:-([A-Za-z0-9_.-]+))?\\.ini");

    private final HealthChecks checks;
    private final BiConsumer<File, String> refused;

    /** @param checks the agent's responders */
    @Activate
    public IniDeployer(@Reference HealthChecks checks) {
        this(checks, (artifact, why) -> LOG.error("{} was not deployed: {}", artifact, why));
    }

    /**
     * @param checks the agent's responders
     * @param refused told of each file that starts no responder, and why
     */
    IniDeployer(HealthChecks checks, BiConsumer<File, String> refused) {
        this.checks = checks;
        this.refused = refused;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.isFile() && NAME.matcher(artifact.getName()).matches();
    }

    /** @param artifact a file that {@link #canHandle} @return its responder's name */
    static String responderName(File artifact) {
        Matcher m = NAME.matcher(artifact.getName());
        if (!m.matches()) {
            throw new IllegalArgumentException(artifact + " is not named GGHealthCheck.ini or GGHealthCheck-<name>.ini");
        }
        return m.group(1) == null ? "GGHealthCheck" : m.group(1);
    }

    private static String origin(File artifact) {
        return "file " + artifact.getAbsoluteFile().toPath().normalize();
    }

    @Override
    public void install(File artifact) {
        try {
            checks.start(Settings.of(responderName(artifact), IniFile.read(artifact.toPath())), origin(artifact));
        } catch (IllegalArgumentException | IOException e) {
            refused.accept(artifact, e.getMessage());
        }
    }

    @Override
    public void update(File artifact) {
        checks.stop(responderName(artifact), origin(artifact));
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        checks.stop(responderName(artifact), origin(artifact));
    }
}
