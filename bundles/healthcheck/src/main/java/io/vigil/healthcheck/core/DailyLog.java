package io.vigil.healthcheck.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@code logd} folder: one file per responder and day, {@code <name>-yyyyMMdd.log}, a line per
 * answer and per status change. Answers are buffered until {@link #flush()}, which a responder calls
 * whenever it runs out of work; status changes and problems are written at once.
 *
 * <p>It never throws: a file that cannot be written (a full disk, a folder gone or read-only) is
 * reported to {@code problems} once, the lines are dropped, and the next line tries again; when a
 * write succeeds again, that is reported too. Lines of the meantime are missing from the file.
 */
public final class DailyLog implements HealthLog, AutoCloseable {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** Opens a day's file for appending. */
    interface Opener {
        Writer open(Path file) throws IOException;
    }

    private final Path folder;
    private final String name;
    private final Clock clock;
    private final ZoneId zone;
    private final Consumer<String> problems;
    private final Opener opener;
    private LocalDate day;
    private BufferedWriter out;
    /** Whether the last write or flush failed: the failure was reported and the recovery is not yet. */
    private boolean failing;

    /**
     * @param folder the folder; created if missing
     * @param name the responder's name, the files' prefix
     * @param clock the time of each line and which day's file it goes to
     * @param problems told when writing the file fails, once until it works again, and when it does
     * @throws IOException if the folder cannot be created
     */
    public DailyLog(Path folder, String name, Clock clock, Consumer<String> problems) throws IOException {
        this(folder, name, clock, problems, file -> new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8));
    }

    DailyLog(Path folder, String name, Clock clock, Consumer<String> problems, Opener opener) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.name = name;
        this.clock = clock;
        this.zone = clock.getZone();
        this.problems = Objects.requireNonNull(problems, "problems");
        this.opener = opener;
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
            Path file = file(day);
            try {
                out.flush();
                succeeded(file);
            } catch (IOException e) {
                failed(file, e);
            }
        }
    }

    private void write(String text) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Path file = file(today);
        try {
            if (!today.equals(day)) {
                close();
                out = new BufferedWriter(opener.open(file));
                day = today;
            }
            out.write(now + " " + text);
            out.newLine();
        } catch (IOException e) {
            failed(file, e);
        }
    }

    private void failed(Path file, IOException e) {
        discard();
        if (!failing) {
            failing = true;
            problems.accept("cannot write " + file + " (" + e.getMessage() + "); its lines are dropped until it"
                    + " can be written again");
        }
    }

    private void succeeded(Path file) {
        if (failing) {
            failing = false;
            problems.accept("writes " + file + " again; the lines since the failure are missing from it");
        }
    }

    /** Drops the writer after a failure: what it still buffers cannot be written either. */
    private void discard() {
        BufferedWriter broken = out;
        out = null;
        day = null;
        if (broken != null) {
            try {
                broken.close();
            } catch (IOException e) {
                // closing releases the file even when the final flush fails, and that failure is the one reported
            }
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

    /** Writes out what is buffered and closes the file; a failure is reported, never thrown. */
    @Override
    public synchronized void close() {
        if (out != null) {
            Path file = file(day);
            BufferedWriter closing = out;
            out = null;
            day = null;
            try {
                closing.close();
                succeeded(file);
            } catch (IOException e) {
                failed(file, e);
            }
        }
    }
}
