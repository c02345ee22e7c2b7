package io.vigil.healthcheck.cli;

import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * GGHealthCheck's client: connects, sends {@value #REQUEST}, reads the answer to the end, prints
 * it with a timestamp; {@code repeat} times ({@code -1}: for ever), starting checks at least
 * {@code interval} apart and pausing at least {@code clSleep} after each disconnect.
 * {@code clTimeout} bounds the connect, the send and every read.
 */
public final class Client {

    /** Exit status: the last answer was UP. */
    public static final int UP = 0;
    /** Exit status: the last answer was DOWN (or HAProxy's down, maint, fail or stopped). */
    public static final int DOWN = 1;
    /** Exit status: the last check got no answer. */
    public static final int NO_ANSWER = 2;

    /** What the client sends: GGHealthCheck echoes it in front of the status. */
    public static final String REQUEST = "GGHealthCheck\n";

    private static final int MAX_ANSWER = 4096;
    private static final Set<String> AGENT_NOT_UP = Set.of("down", "maint", "fail", "stopped");

    /** How the client waits between checks. */
    @FunctionalInterface
    public interface Pause {
        /** @param d how long @throws InterruptedException if interrupted */
        void sleep(Duration d) throws InterruptedException;
    }

    private final Settings settings;
    private final PrintStream out;
    private final Clock clock;
    private final Pause pause;

    /**
     * @param settings host, port, interval, repeat, clSleep and clTimeout are used
     * @param out where answers are printed
     * @param clock the timestamps, and how long a check took
     * @param pause how to wait between checks
     */
    public Client(Settings settings, PrintStream out, Clock clock, Pause pause) {
        this.settings = settings;
        this.out = out;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Runs the checks.
     *
     * @return {@link #UP}, {@link #DOWN} or {@link #NO_ANSWER}, for the last check
     * @throws InterruptedException if interrupted while pausing
     */
    public int run() throws InterruptedException {
        int status = NO_ANSWER;
        for (long i = 0; settings.repeat() < 0 || i < settings.repeat(); i++) {
            long started = clock.millis();
            try {
                String answer = check();
                status = isUp(answer) ? UP : DOWN;
                out.println(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " " + answer.replace("\r", "").replace('\n', ' ').strip());
            } catch (IOException e) {
                status = NO_ANSWER;
                out.println(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " no answer: " + e.getMessage());
            }
            out.flush();
            if (settings.repeat() < 0 || i + 1 < settings.repeat()) {
                Duration spent = Duration.ofMillis(clock.millis() - started);
                Duration rest = settings.interval().minus(spent);
                pause.sleep(rest.compareTo(settings.clSleep()) > 0 ? rest : settings.clSleep());
            }
        }
        return status;
    }

    /**
     * One check.
     *
     * @return the whole answer
     * @throws IOException if there was no answer within clTimeout
     */
    public String check() throws IOException {
        int timeout = (int) Math.max(1, settings.clTimeout().toMillis());
        InetAddress host = settings.host().isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(settings.host());
        InetSocketAddress address = new InetSocketAddress(host, settings.port());
        try (Socket s = new Socket()) {
            s.connect(address, timeout);
            s.setSoTimeout(timeout);
            s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[MAX_ANSWER];
            int length = 0;
            for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
            }
            if (length == 0) {
                throw new IOException(address + " closed the connection without answering");
            }
            return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer from " + address + " within " + timeout + " ms", e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().contains(address.toString()) ? e
                    : new IOException(address + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param answer an answer of GGHealthCheck's protocol or an HAProxy agent line
     * @return whether it says UP
     */
    public static boolean isUp(String answer) {
        String a = answer.strip();
        if (a.endsWith(Answer.UP)) {
            return true;
        }
        if (a.endsWith(Answer.DOWN)) {
            return false;
        }
        for (String word : a.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            int hash = word.indexOf('#');
            if (AGENT_NOT_UP.contains(hash < 0 ? word : word.substring(0, hash))) {
                return false;
            }
        }
        return !a.isEmpty();
    }
}
