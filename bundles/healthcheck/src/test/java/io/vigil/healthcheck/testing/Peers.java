package io.vigil.healthcheck.testing;

import io.vigil.healthcheck.core.Answer;
import io.vigil.healthcheck.core.HealthLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Client-side helpers for talking to a responder in tests, and a log that records what it is told. */
public final class Peers {

    /** Read timeout of test sockets: a bound far above any expected wait, so a hang fails instead of blocking. */
    public static final int READ_TIMEOUT_MS = 20_000;

    private Peers() {
    }

    /** @param address the responder @return a connected socket with {@link #READ_TIMEOUT_MS} */
    public static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, READ_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    /** Sends bytes and reads the whole answer, to EOF. */
    public static String exchange(InetSocketAddress address, String send) throws IOException {
        try (Socket s = connect(address)) {
            s.getOutputStream().write(send.getBytes(StandardCharsets.ISO_8859_1));
            return readAll(s);
        }
    }

    /** @param s a socket @return everything until EOF, as ISO-8859-1 */
    public static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A log that keeps what it was told. */
    public static final class RecordingLog implements HealthLog {
        public final List<String> changes = new CopyOnWriteArrayList<>();
        public final List<String> answers = new CopyOnWriteArrayList<>();
        public final List<String> problems = new CopyOnWriteArrayList<>();

        @Override
        public void changed(String responder, Answer before, Answer after) {
            changes.add(after.toString());
        }

        @Override
        public boolean logsAnswers() {
            return true;
        }

        @Override
        public void answered(String responder, SocketAddress peer, String received, Answer answer) {
            answers.add(received);
        }

        @Override
        public void problem(String responder, String message) {
            problems.add(message);
        }
    }
}
