package io.vigil.healthcheck.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The {@code logd} folder: one file per responder and day, {@code <name>-yyyyMMdd.log}, a line per
 * answer and per status change. Answers are buffered until {@link #flush()}, which a responder calls
 * whenever it runs out of work; status changes and problems are written at once.
 */
public final class DailyLog implements HealthLog, AutoCloseable {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Path folder;
    private final String name;
    private final Clock clock;
    private final ZoneId zone;
    private LocalDate day;
    private BufferedWriter out;

    /**
     * @param folder the folder; created if missing
     * @param name the responder's name, the files' prefix
     * @param clock the time of each line and which day's file it goes to
     * @throws IOException if the folder cannot be created
     */
    public DailyLog(Path folder, String name, Clock clock) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.name = name;
        this.clock = clock;
        this.zone = clock.getZone();
    }

    /** @param date a day @return the file of that day */
    public Path file(LocalDate date) {
        return folder.resolve(name + "-" + DAY.format(date) + ".log");
    }

    @Override
    public synchronized void changed(String responder, Answer before, Answer after) {
        write("status " + before + " -> " + after);
        flush();
    }

    @Override
    public boolean logsAnswers() {
        return true;
    }

    @Override
    public synchronized void answered(String responder, SocketAddress peer, String received, Answer answer) {
        write("answer " + peer + " " + quoted(received) + " " + (answer.serverUp() ? Answer.UP : Answer.DOWN));
    }

    @Override
    public synchronized void problem(String responder, String message) {
        write("problem " + message);
        flush();
    }

    @Override
    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file(day), e);
            }
        }
    }

    private void write(String text) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        try {
            if (!today.equals(day)) {
                close();
                out = Files.newBufferedWriter(file(today), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                day = today;
            }
            out.write(now + " " + text);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(today), e);
        }
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file(day), e);
            } finally {
                out = null;
                day = null;
            }
        }
    }
}
