package io.vigil.shell.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.vigil.shell.CommandStatusException;
import io.vigil.shell.UsageException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command line in a fresh Gogo session, as the interactive shell would. */
final class GogoCommandRunner implements CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(GogoCommandRunner.class);

    private final CommandProcessor processor;

    GogoCommandRunner(CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public AdminProtocol.Response run(String commandLine) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        int status;
        try {
            Object result = session.execute(commandLine);
            if (result != null) {
                String text = String.valueOf(session.format(result, Converter.INSPECT));
                out.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
            }
            status = AdminProtocol.OK;
        } catch (Exception e) {
            status = e instanceof CommandStatusException s ? s.status()
                    : isUsageError(e) ? AdminProtocol.USAGE : AdminProtocol.FAILED;
            if (!(e instanceof CommandStatusException s && s.getMessage().isEmpty())) {
                out.println("Error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            if (status == AdminProtocol.FAILED) {
                LOG.info("Admin command failed: {}: {}", commandLine, e.toString());
            }
        } finally {
            session.close();
        }
        out.flush();
        return new AdminProtocol.Response(buffer.toString(StandardCharsets.UTF_8), status);
    }

    private static boolean isUsageError(Exception e) {
        // org.apache.felix.gogo.runtime.CommandNotFoundException: Gogo's "no such command"
        return e instanceof UsageException || e.getClass().getSimpleName().equals("CommandNotFoundException");
    }
}
