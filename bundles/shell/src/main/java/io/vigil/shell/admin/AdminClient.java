package io.vigil.shell.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of {@code bin/vigil <command ...>}: sends one command line to the agent's admin
 * socket, prints its output and exits with its status. Runs on the plain JDK, outside OSGi.
 *
 * <p>Usage: {@code java -cp io.vigil.shell.jar io.vigil.shell.admin.AdminClient <socket> <command> [args...]}.
 * Exit status: the command's, or {@value AdminProtocol#NOT_RUNNING} when no agent answers.
 */
public final class AdminClient {

    private AdminClient() {
    }

    /**
     * @param args the socket path, then the command and its arguments
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: AdminClient <socket> <command> [args...]");
            System.exit(AdminProtocol.USAGE);
        }
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(Path.of(args[0]), Arrays.asList(args).subList(1, args.length), stdout, System.err));
    }

    /**
     * Runs one command.
     *
     * @param socket the admin socket
     * @param command the command and its arguments
     * @param out where the output goes
     * @param err where "not running" and protocol errors go
     * @return the exit status
     */
    public static int run(Path socket, List<String> command, PrintStream out, PrintStream err) {
        AdminProtocol.Response response;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                err.println("vigil: the agent is not running (no answer on " + socket + ": " + e.getMessage() + ")");
                return AdminProtocol.NOT_RUNNING;
            }
            OutputStream to = Channels.newOutputStream(channel);
            InputStream from = Channels.newInputStream(channel);
            try {
                AdminProtocol.writeRequest(to, AdminProtocol.commandLine(command));
            } catch (IOException refusedBeforeReading) {
                // The agent may answer (a refusal) and close before reading the request.
            }
            response = AdminProtocol.readResponse(from);
        } catch (IOException e) {
            err.println("vigil: " + e.getMessage());
            return AdminProtocol.FAILED;
        }
        out.print(response.output());
        out.flush();
        return response.status();
    }
}
