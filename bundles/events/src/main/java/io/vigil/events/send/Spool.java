package io.vigil.events.send;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alarms waiting for dispatch, one file each: those {@code bin/sendevent} wrote while the agent
 * was not running, and those the dispatcher could not queue.
 *
 * <p>A spooled alarm is its sendevent option vector, each argument followed by a NUL byte, in a
 * file named {@code <epoch-nanos>-<writer>-<n>.alarm}; names sort in the order written. A file is
 * written under a hidden temporary name ({@code .*.tmp}), forced to disk and renamed, then the
 * directory is forced too: a file that has its final name is complete and survives a crash.
 * {@code bin/sendevent} writes the same format.
 *
 * <p>Overflow of the dispatch queue comes in bursts, so it is appended to <em>segments</em>
 * ({@link #append}): files {@code <epoch-nanos>-<writer>-<n>.alarms} of several alarms, each
 * written as its argument count, a NUL byte, then its arguments each followed by a NUL byte. A
 * segment is written under a hidden name and gets its final name when it holds its maximum of
 * alarms or is {@linkplain #closeSegment closed}; only then is it {@linkplain #pending pending}.
 *
 * <p>An alarm's fields may begin with annotations, which are not part of its option vector (an
 * option vector holds options only, each beginning with {@code -}): {@code @raised=<epoch-nanos>},
 * the time the alarm was raised, restored when it is dispatched; and {@code @handler=<path>}, a
 * handler run that could not be queued (all workers busy): only that handler program, relative to
 * the events directory, is to be run for it. Files written before annotations existed have none
 * and read as before.
 */
public final class Spool {

    /** Suffix of a spooled alarm. */
    public static final String SUFFIX = ".alarm";
    /** Suffix of a segment of overflowed alarms. */
    public static final String SEGMENT_SUFFIX = ".alarms";
    /** Annotation before an alarm's options: the time it was raised, epoch nanoseconds. */
    public static final String RAISED = "@raised=";
    /** Annotation before an alarm's options: the one handler program to run for it. */
    public static final String HANDLER = "@handler=";

    /**
     * One spooled alarm.
     *
     * @param argv its sendevent option vector, as handler programs receive it
     * @param raised when it was raised, if recorded
     * @param handler the one handler to run for it (relative to the events directory), if it is a
     *        deferred handler run rather than an alarm to dispatch
     */
    public record Entry(List<String> argv, Optional<Instant> raised, Optional<String> handler) {

        /** Copies the vector. */
        public Entry {
            argv = List.copyOf(argv);
        }

        /** @param argv an option vector without annotations @return its entry */
        public static Entry of(List<String> argv) {
            return new Entry(argv, Optional.empty(), Optional.empty());
        }

        /** @return the fields as spooled: the annotations, then the option vector */
        public List<String> fields() {
            List<String> out = new ArrayList<>(argv.size() + 2);
            raised.ifPresent(t -> out.add(RAISED + epochNanos(t)));
            handler.ifPresent(h -> out.add(HANDLER + h));
            out.addAll(argv);
            return out;
        }

        /**
         * @param fields the fields as spooled
         * @return the entry; a leading field that is not a valid annotation is left in the vector,
         *         whose parse then rejects it
         */
        static Entry parse(List<String> fields) {
            Optional<Instant> raised = Optional.empty();
            Optional<String> handler = Optional.empty();
            int i = 0;
            for (; i < fields.size(); i++) {
                String f = fields.get(i);
                Optional<Instant> time = f.startsWith(RAISED) && raised.isEmpty() ? epochNanos(f.substring(RAISED.length()))
                        : Optional.empty();
                if (time.isPresent()) {
                    raised = time;
                } else if (f.startsWith(HANDLER) && handler.isEmpty() && f.length() > HANDLER.length()) {
                    handler = Optional.of(f.substring(HANDLER.length()));
                } else {
                    break;
                }
            }
            return new Entry(fields.subList(i, fields.size()), raised, handler);
        }
    }

    private static Optional<Instant> epochNanos(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(digits);
            return Optional.of(Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L));
        } catch (NumberFormatException e) {
            return Optional.empty(); // beyond the year 2262: not a time this spool writes
        }
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private final Path dir;
    private final Path rejected;
    private final AtomicLong counter = new AtomicLong();
    private final String writer = "j" + ProcessHandle.current().pid();
    /** The open segment, its hidden name, its final name and its count; guarded by {@code this}. */
    private FileChannel segment;
    private Path segmentTemp;
    private Path segmentTarget;
    private int segmentAlarms;

    /**
     * @param dir the spool directory; created owner-only (0700) when missing
     * @throws IOException if it cannot be created
     */
    public Spool(Path dir) throws IOException {
        this.dir = dir;
        this.rejected = dir.resolve("rejected");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        adoptSegmentsOfDeadWriters();
    }

    /**
     * A segment still open when its agent died (hidden, another writer's) holds alarms that were
     * accepted: it is given its final name, so that it is pending. A last alarm cut short by the
     * death is left out when the segment is read.
     */
    private void adoptSegmentsOfDeadWriters() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".[0-9]*" + SEGMENT_SUFFIX + ".tmp")) {
            for (Path hidden : ds) {
                String name = hidden.getFileName().toString();
                String finalName = name.substring(1, name.length() - ".tmp".length());
                if (!finalName.contains("-" + writer + "-")) {
                    Files.move(hidden, dir.resolve(finalName), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    /** @return the spool directory */
    public Path dir() {
        return dir;
    }

    /**
     * Writes an alarm durably.
     *
     * @param argv its sendevent option vector
     * @return the file written
     * @throws IOException if it cannot be written; nothing is left behind under a final name
     */
    public Path write(List<String> argv) throws IOException {
        return write(argv, true);
    }

    /**
     * Writes an alarm, forced to disk or not. Unforced, it survives the agent's crash (the data is
     * in the kernel's cache) but not a power loss, like the alarms in the dispatch queue; the
     * dispatcher spools overflow so, to keep accepting alarms at the rate it queues them.
     *
     * @param argv its sendevent option vector
     * @param force whether to force file and directory to disk before returning
     * @return the file written
     * @throws IOException if it cannot be written; nothing is left behind under a final name
     */
    public Path write(List<String> argv, boolean force) throws IOException {
        return write(Entry.of(argv), force);
    }

    /**
     * Writes an alarm with its annotations, forced to disk or not ({@link #write(List, boolean)}).
     *
     * @param entry the alarm
     * @param force whether to force file and directory to disk before returning
     * @return the file written
     * @throws IOException if it cannot be written; nothing is left behind under a final name
     */
    public Path write(Entry entry, boolean force) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String a : entry.fields()) {
            sb.append(a).append('\0');
        }
        Path target = dir.resolve(name(SUFFIX));
        writeFile(target, sb.toString(), force, false);
        return target;
    }

    /**
     * Replaces a segment by the alarms of it that are still to be dispatched, under the same name
     * (so it keeps its place in the order); written under a hidden name, forced and renamed over it.
     *
     * @param segment a pending segment
     * @param remainder its alarms not yet dispatched, in order; not empty
     * @throws IOException if it cannot be rewritten; the segment is then unchanged
     */
    public void rewrite(Path segment, List<Entry> remainder) throws IOException {
        if (!segment.getFileName().toString().endsWith(SEGMENT_SUFFIX) || remainder.isEmpty()) {
            throw new IllegalArgumentException("only a segment can be rewritten, with at least one alarm: "
                    + segment + ", " + remainder.size() + " alarms");
        }
        StringBuilder sb = new StringBuilder();
        for (Entry e : remainder) {
            appendSegmentEntry(sb, e);
        }
        writeFile(segment, sb.toString(), true, true);
    }

    private void writeFile(Path target, String content, boolean force, boolean replace) throws IOException {
        Path temp = dir.resolve("." + target.getFileName() + "." + counter.incrementAndGet() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (force) {
            forceDirectory();
        }
    }

    private String name(String suffix) {
        java.time.Instant now = java.time.Instant.now();
        return String.format("%019d-%s-%d%s", now.getEpochSecond() * 1_000_000_000L + now.getNano(), writer,
                counter.incrementAndGet(), suffix);
    }

    /**
     * Appends an alarm to the open segment (opening one first when none is), without forcing it to
     * disk; the segment is closed once it holds {@code maxAlarms}.
     *
     * @param argv the alarm's sendevent option vector
     * @param maxAlarms how many alarms a segment holds at most
     * @throws IOException if it cannot be written
     */
    public void append(List<String> argv, int maxAlarms) throws IOException {
        append(Entry.of(argv), maxAlarms);
    }

    /**
     * Appends an alarm with its annotations to the open segment ({@link #append(List, int)}).
     *
     * @param entry the alarm
     * @param maxAlarms how many alarms a segment holds at most
     * @throws IOException if it cannot be written
     */
    public synchronized void append(Entry entry, int maxAlarms) throws IOException {
        if (segment == null) {
            segmentTarget = dir.resolve(name(SEGMENT_SUFFIX));
            segmentTemp = dir.resolve("." + segmentTarget.getFileName() + ".tmp");
            segment = FileChannel.open(segmentTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            segmentAlarms = 0;
        }
        StringBuilder sb = new StringBuilder();
        appendSegmentEntry(sb, entry);
        ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            segment.write(buf);
        }
        if (++segmentAlarms >= maxAlarms) {
            closeSegment();
        }
    }

    private static void appendSegmentEntry(StringBuilder sb, Entry entry) {
        List<String> fields = entry.fields();
        sb.append(fields.size()).append('\0');
        for (String a : fields) {
            sb.append(a).append('\0');
        }
    }

    /**
     * Gives the open segment, if any, its final name, so that it is pending.
     *
     * @throws IOException if it cannot be closed or renamed
     */
    public synchronized void closeSegment() throws IOException {
        if (segment == null) {
            return;
        }
        try {
            segment.close();
            Files.move(segmentTemp, segmentTarget, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            segment = null;
        }
    }

    /**
     * @return the spooled alarms and segments, oldest first
     * @throws IOException if the directory cannot be read
     */
    public List<Path> pending() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "[0-9]*{" + SUFFIX + "," + SEGMENT_SUFFIX + "}")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * @param file a spooled alarm or a segment
     * @return the option vector of each alarm in it, without annotations
     * @throws IOException if it cannot be read, or is truncated
     */
    public static List<List<String>> readAll(Path file) throws IOException {
        return readEntries(file).stream().map(Entry::argv).toList();
    }

    /**
     * @param file a spooled alarm or a segment
     * @return each alarm in it with its annotations
     * @throws IOException if it cannot be read, or is truncated
     */
    public static List<Entry> readEntries(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(SEGMENT_SUFFIX)) {
            return List.of(Entry.parse(readFields(file)));
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // Only whole fields count: a last one without its NUL was cut short by a crash.
        List<String> fields = text.isEmpty() ? List.of()
                : Arrays.asList(text.substring(0, text.lastIndexOf('\0') + 1).split("\0"));
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); ) {
            int n;
            try {
                n = Integer.parseInt(fields.get(i));
            } catch (NumberFormatException e) {
                throw new IOException(file + " is not a segment: \"" + fields.get(i) + "\" is not an argument count");
            }
            if (n < 0) {
                throw new IOException(file + " is not a segment: argument count " + n);
            }
            if (i + 1 + n > fields.size()) {
                break; // the last alarm, cut short by a crash while it was being spooled: never accepted
            }
            out.add(Entry.parse(fields.subList(i + 1, i + 1 + n)));
            i += 1 + n;
        }
        return out;
    }

    /**
     * @param file a spooled alarm
     * @return its option vector, without annotations
     * @throws IOException if it cannot be read
     */
    public static List<String> read(Path file) throws IOException {
        return Entry.parse(readFields(file)).argv();
    }

    private static List<String> readFields(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\0")) {
            throw new IOException(file + " is truncated: its last argument is not ended by a NUL byte");
        }
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    /**
     * Removes a spooled alarm once it is dispatched.
     *
     * @param file the alarm's file
     * @throws IOException if it cannot be removed
     */
    public void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * Moves an alarm that can never be dispatched (invalid options) to {@code rejected/}, where an
     * operator can read it.
     *
     * @param file the alarm's file
     * @return where it now is
     * @throws IOException if it cannot be moved
     */
    public Path reject(Path file) throws IOException {
        Files.createDirectories(rejected);
        return Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
