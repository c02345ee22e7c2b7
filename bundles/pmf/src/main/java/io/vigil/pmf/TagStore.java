package io.vigil.pmf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.api.pmf.PmfException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PMF's state directory, owner-only (0700):
 * <pre>
 * pmf.lock            held while a process monitor uses the directory
 * bin/vigil-pmf-run   the shim, extracted from the bundle
 * tags/&lt;tag&gt;.json     each supervised tag ({@link TagRecord}), written atomically
 * sock/&lt;tag&gt;.sock     each running tree's notify socket, made by its shim
 * log/&lt;tag&gt;.log       each tag's output: its programs' stdout and stderr, its shims' and action's
 * </pre>
 * A tag too long for a file name, or whose socket path would exceed the {@value #MAX_SOCKET_PATH}
 * bytes a Unix socket address holds, is named by a hash ({@link Tags#fileName}); the tag itself
 * is always read from the record, never from a file name.
 */
final class TagStore implements Closeable {

    /** The longest path a Unix socket address holds (sun_path less its terminating zero). */
    static final int MAX_SOCKET_PATH = 107;

    private static final Logger LOG = LoggerFactory.getLogger(TagStore.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final String RECORD = ".json";
    private static final String TEMP = ".tmp";
    private static final int SOCKET_HASH_DIGITS = 32;

    private final Path dir;
    private final Path tags;
    private final Path sockets;
    private final Path logs;
    private final FileChannel lock;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private TagStore(Path dir, FileChannel lock) {
        this.dir = dir;
        this.tags = dir.resolve("tags");
        this.sockets = dir.resolve("sock");
        this.logs = dir.resolve("log");
        this.lock = lock;
    }

    /**
     * Opens a state directory: creates it and its folders owner-only if need be, and locks it.
     *
     * @param directory the directory
     * @return the open store
     * @throws IOException if it cannot be created, is in use by another process monitor, or its
     *     path is too long for the sockets under it
     */
    static TagStore open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        int longest = dir.resolve("sock").resolve(Tags.hashed("x", SOCKET_HASH_DIGITS) + ".sock").toString()
                .getBytes(StandardCharsets.UTF_8).length;
        if (longest > MAX_SOCKET_PATH) {
            throw new IOException("PMF state directory " + dir + " is too long: the Unix sockets under it would need "
                    + longest + " bytes; expected a directory whose path is at most "
                    + (dir.toString().getBytes(StandardCharsets.UTF_8).length - (longest - MAX_SOCKET_PATH))
                    + " bytes long (set state.dir in configuration " + ProcessMonitorImpl.PID + ")");
        }
        ownerOnlyDirectory(dir);
        FileChannel channel = FileChannel.open(dir.resolve("pmf.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OWNER_ONLY_FILE);
        try {
            if (!tryLock(channel)) {
                throw new IOException("PMF state directory " + dir + " is in use by another process monitor (it holds "
                        + dir.resolve("pmf.lock") + "); expected one agent per directory");
            }
            TagStore store = new TagStore(dir, channel);
            for (Path sub : List.of(store.tags, store.sockets, store.logs, store.bin())) {
                ownerOnlyDirectory(sub);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false; // held by this JVM
        }
    }

    private static void ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile
            }
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
    }

    Path directory() {
        return dir;
    }

    Path bin() {
        return dir.resolve("bin");
    }

    /** @return where the shim of a tag's tree listens */
    Path socket(String tag) {
        Path plain = sockets.resolve(tag + ".sock");
        if (plain.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return plain;
        }
        return sockets.resolve(Tags.hashed(tag, SOCKET_HASH_DIGITS) + ".sock");
    }

    /** @return a tag's log file */
    Path log(String tag) {
        return logs.resolve(Tags.fileName(tag) + ".log");
    }

    private Path record(String tag) {
        return tags.resolve(Tags.fileName(tag) + RECORD);
    }

    /**
     * Reads every tag's record. A record that cannot be read is reported and left as it is.
     *
     * @return the records
     * @throws IOException if the folder cannot be listed
     */
    List<TagRecord> loadAll() throws IOException {
        List<TagRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tags)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(RECORD + TEMP)) {
                    Files.deleteIfExists(file); // a write that did not finish; the record before it stands
                    continue;
                }
                if (!name.endsWith(RECORD)) {
                    continue;
                }
                try {
                    TagRecord r = mapper.readValue(Files.readAllBytes(file), TagRecord.class);
                    r.spec();
                    Tags.check(r.tag());
                    if (!record(r.tag()).equals(file)) {
                        throw new IllegalArgumentException("it holds tag " + r.tag() + ", which belongs in "
                                + record(r.tag()).getFileName());
                    }
                    records.add(r);
                } catch (IOException | RuntimeException | PmfException e) {
                    LOG.error("PMF tag file {} is not valid and is ignored (left as it is): {}", file, e.getMessage());
                }
            }
        }
        return records;
    }

    /**
     * Writes a tag's record durably: temp file, fsync, rename over the old one, fsync of the folder.
     *
     * @param r the record
     * @throws IOException if it could not be written; the old record stands
     */
    void save(TagRecord r) throws IOException {
        Path live = record(r.tag());
        Path temp = live.resolveSibling(live.getFileName() + TEMP);
        byte[] bytes = mapper.writeValueAsBytes(r);
        try {
            Files.deleteIfExists(temp);
            try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OWNER_ONLY_FILE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            force(tags);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("PMF tag file " + live + " could not be written: " + e, e);
        }
    }

    /**
     * @param tag a tag
     * @throws IOException if its record exists and cannot be removed
     */
    void delete(String tag) throws IOException {
        if (Files.deleteIfExists(record(tag))) {
            force(tags);
        }
    }

    private static void force(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
