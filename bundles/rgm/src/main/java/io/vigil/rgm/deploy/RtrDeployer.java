package io.vigil.rgm.deploy;

import io.vigil.api.rgm.RgmException;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.rgm.engine.ResourceGroupManagerImpl;
import java.io.File;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers script types from {@code .rtr} files dropped into {@code deploy/}, and unregisters a
 * type when its file is deleted (refused, with the reason in the log, while resources of the type
 * exist: the type then stays registered).
 */
@Component(service = ArtifactInstaller.class)
public final class RtrDeployer implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(RtrDeployer.class);

    private final ResourceGroupManagerImpl rgm;

    /** @param rgm the resource group manager */
    @Activate
    public RtrDeployer(@Reference ResourceGroupManagerImpl rgm) {
        this.rgm = rgm;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.isFile() && artifact.getName().endsWith(".rtr");
    }

    @Override
    public void install(File artifact) {
        try {
            ResourceTypeInfo t = rgm.registerType(artifact.toPath());
            LOG.info("{} deployed: resource type {} {}", artifact, t.name(), t.version());
        } catch (RgmException e) {
            LOG.error("{} was not deployed: {}", artifact, e.getMessage());
        }
    }

    @Override
    public void update(File artifact) {
        String location = artifact.toPath().toAbsolutePath().normalize().toString();
        try {
            rgm.unregisterTypeFrom(location);
        } catch (RgmException e) {
            LOG.error("{} changed, but its type stays as it was: {}", artifact, e.getMessage());
            return;
        }
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        String location = artifact.toPath().toAbsolutePath().normalize().toString();
        try {
            rgm.unregisterTypeFrom(location);
            LOG.info("{} removed: its resource type is unregistered", artifact);
        } catch (RgmException e) {
            LOG.error("{} was removed, but its resource type stays registered: {}", artifact, e.getMessage());
        }
    }
}
