package io.vigil.shell.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The admin socket's wire format, shared by the agent and {@code bin/vigil}.
 *
 * <p>Request: one command line in UTF-8, ended by a newline, at most {@value #MAX_REQUEST} bytes.
 * Response: the command's output in UTF-8, then a NUL byte, the exit status in decimal and a
 * newline; then the agent closes the connection. One command per connection.
 *
 * <p>This class uses only the JDK: the shell bundle's jar doubles as the client's class path.
 */
public final class AdminProtocol {

    /** Largest request line accepted, in bytes. */
    public static final int MAX_REQUEST = 64 * 1024;

    /** The command succeeded. */
    public static final int OK = 0;
    /** The command ran and failed. */
    public static final int FAILED = 1;
    /** The command line was not understood (unknown command, bad request). */
    public static final int USAGE = 2;
    /** No agent answers on the socket. */
    public static final int NOT_RUNNING = 3;
    /** The connection was refused: the peer is neither the agent's user nor root. */
    public static final int REFUSED = 77;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private AdminProtocol() {
    }

    /** A command's output and exit status. */
    public record Response(String output, int status) {
    }

    /**
     * Reads one request line.
     *
     * @param in the connection's input
     * @return the command line, without its newline
     * @throws IOException if the line is longer than {@value #MAX_REQUEST} bytes, is not ended by a
     *         newline, or contains a NUL byte; the message says which
     */
    public static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("request ended before its newline; expected one command line ended by \\n");
            }
            if (b == 0) {
                throw new IOException("request contains a NUL byte; expected one line of UTF-8 text");
            }
            if (line.size() >= MAX_REQUEST) {
                throw new IOException("request is longer than " + MAX_REQUEST + " bytes; expected one command line");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes a request line.
     *
     * @param out the connection's output
     * @param commandLine the command line; must not contain a newline
     * @throws IOException on a write failure
     */
    public static void writeRequest(OutputStream out, String commandLine) throws IOException {
        if (commandLine.indexOf('\n') >= 0 || commandLine.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a command line cannot contain a newline or NUL byte");
        }
        out.write((commandLine + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Writes a response; NUL bytes in the output are dropped so the trailer stays unambiguous.
     *
     * @param out the connection's output
     * @param response output and status
     * @throws IOException on a write failure
     */
    public static void writeResponse(OutputStream out, Response response) throws IOException {
        out.write(response.output().replace("\0", "").getBytes(StandardCharsets.UTF_8));
        out.write(("\0" + response.status() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads a response up to the end of the connection.
     *
     * @param in the connection's input
     * @return the output and status
     * @throws IOException if the connection ended without a status trailer
     */
    public static Response readResponse(InputStream in) throws IOException {
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int nul = all.lastIndexOf('\0');
        if (nul < 0 || !all.endsWith("\n")) {
            throw new IOException("the agent closed the connection without an exit status");
        }
        try {
            return new Response(all.substring(0, nul), Integer.parseInt(all.substring(nul + 1, all.length() - 1)));
        } catch (NumberFormatException e) {
            throw new IOException("the agent sent a malformed exit status: " + all.substring(nul + 1).trim());
        }
    }

    /**
     * Joins arguments into one Gogo command line, quoting those that need it, so that
     * {@code bin/vigil clrt show "a b"} reaches the command as two arguments.
     *
     * @param args the arguments
     * @return the command line
     */
    public static String commandLine(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String arg : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (PLAIN.matcher(arg).matches()) {
                sb.append(arg);
            } else {
                sb.append('\'').append(arg.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            }
        }
        return sb.toString();
    }
}
