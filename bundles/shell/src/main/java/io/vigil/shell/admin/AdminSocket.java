package io.vigil.shell.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The admin socket as a component: {@code bin/vigil <command>} reaches the Gogo shell through it.
 */
@Component(service = {}, immediate = true, configurationPid = AdminSocket.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AdminSocket.Config.class)
public final class AdminSocket {

    /** Configuration PID. */
    public static final String PID = "io.vigil.shell.admin";

    /** Framework property naming the agent's data directory; the socket defaults to vigil.sock in it. */
    public static final String DATA_DIR_PROPERTY = "vigil.data";

    @ObjectClassDefinition(name = "Vigil admin socket",
            description = "The Unix domain socket through which bin/vigil runs shell commands in the agent. "
                    + "It is created owner-only (0600); only the agent's own user and root may connect.")
    public @interface Config {
        @AttributeDefinition(name = "Socket path",
                description = "Path of the socket. Empty: vigil.sock in the agent's data directory "
                        + "(framework property vigil.data).")
        String path() default "";

        @AttributeDefinition(name = "Workers", description = "How many commands may run at once.", min = "1", max = "64")
        int workers() default 4;
    }

    private final AdminServer server;

    /**
     * Binds the socket.
     *
     * @param context the bundle context, for the data directory
     * @param processor Gogo's command processor
     * @param config the configuration
     * @throws IOException if the socket cannot be created
     */
    @Activate
    public AdminSocket(BundleContext context, @Reference CommandProcessor processor, Config config) throws IOException {
        this.server = new AdminServer(socketPath(context, config), new GogoCommandRunner(processor), agentUid(),
                config.workers());
    }

    static Path socketPath(BundleContext context, Config config) {
        if (!config.path().isBlank()) {
            return Path.of(config.path());
        }
        String data = context.getProperty(DATA_DIR_PROPERTY);
        return Path.of(data == null || data.isBlank() ? "data" : data, "vigil.sock");
    }

    /**
     * The effective uid of this process: the owner of {@code /proc/self}.
     *
     * @return the uid
     * @throws IOException if it cannot be read
     */
    static long agentUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
    }
}
