package io.vigil.cluster.local;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's directory: the live document {@value #LIVE}, the one it replaced {@value #PREVIOUS}, the
 * temp file {@value #TEMP} of a write in progress and the lock {@value #LOCK} held while the store is open.
 *
 * <p>{@link #save} keeps this invariant: after a crash at any moment, {@value #LIVE} is a complete document,
 * the old one or the new one. The new document is written whole to the temp file and forced to disk, then
 * renamed over the live file (an atomic replace), then the directory is forced so the rename itself is durable.
 */
final class StoreFile implements Closeable {

    static final String LIVE = "store.json";
    static final String TEMP = "store.json.tmp";
    static final String PREVIOUS = "store.json.prev";
    static final String LOCK = "store.lock";

    private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;
    private final Path live;
    private final Path temp;
    private final Path previous;
    private final FileChannel lockChannel;
    private final StoreDocument document = new StoreDocument();

    private StoreFile(Path directory, FileChannel lockChannel) {
        this.directory = directory;
        this.live = directory.resolve(LIVE);
        this.temp = directory.resolve(TEMP);
        this.previous = directory.resolve(PREVIOUS);
        this.lockChannel = lockChannel;
    }

    /**
     * Opens a store directory: creates it owner-only if need be, locks it against a second agent and removes
     * the temp file a crash may have left.
     *
     * @param directory the directory
     * @return the open directory
     * @throws IOException if it cannot be created or locked, or is in use
     */
    static StoreFile open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            force(dir.getParent());
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
        Path lockFile = dir.resolve(LOCK);
        FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                OWNER_ONLY_FILE);
        try {
            if (!tryLock(channel)) {
                throw new IOException("cluster store directory " + dir + " is in use by another agent (it holds "
                        + lockFile + "); expected one agent per directory");
            }
            StoreFile file = new StoreFile(dir, channel);
            if (Files.deleteIfExists(file.temp)) {
                LOG.info("Removed {}, left by a write that did not finish; the store is as it was before it",
                        file.temp);
            }
            return file;
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

    /** @return the live document's path */
    Path live() {
        return live;
    }

    /**
     * Reads the live document.
     *
     * @return its contents, or empty when the store was never written
     * @throws IOException if it cannot be read or is not a valid document, naming the file and what is wrong;
     *         the file is left as it is
     */
    Optional<Snapshot> load() throws IOException {
        if (!Files.exists(live)) {
            if (Files.exists(previous)) {
                throw new IOException("cluster store file " + live + " is missing but " + previous
                        + " is there; expected both or neither. Restore " + LIVE + " (e.g. from " + PREVIOUS
                        + ", the state before the last commit) or remove both to start empty");
            }
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(live);
        } catch (IOException e) {
            throw new IOException("cluster store file " + live + " cannot be read: " + e, e);
        }
        try {
            return Optional.of(document.read(bytes));
        } catch (IllegalArgumentException e) {
            throw new IOException("cluster store file " + live + " is not a valid store document: " + e.getMessage()
                    + ". It is left as it is; repair it, or replace it with " + previous
                    + " (the state before the last commit) if that is there", e);
        }
    }

    /**
     * Writes a new state durably in place of the live document, keeping the replaced one as
     * {@value #PREVIOUS}.
     *
     * @param state the new state
     * @throws IOException if it could not be written; the live document is the old one
     * @throws UncertainWriteException if the new document replaced the live one but the directory could not be
     *         forced: a crash may bring back either
     */
    void save(Snapshot state) throws IOException {
        byte[] bytes = document.write(state);
        try {
            Files.deleteIfExists(temp);
            try (FileChannel out = FileChannel.open(temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY_FILE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            if (Files.exists(live)) {
                Files.deleteIfExists(previous);
                Files.createLink(previous, live);
            }
            Files.move(temp, live, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw new IOException("cluster store " + live + " could not be written (revision " + state.revision()
                    + "): " + e, e);
        }
        try {
            force(directory);
        } catch (IOException e) {
            throw new UncertainWriteException("cluster store " + live + " holds revision " + state.revision()
                    + " but its directory could not be forced to disk (" + e
                    + "); a crash may bring back the revision before", e);
        }
    }

    private static void force(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void deleteQuietly(Path path, IOException cause) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    /** A write reached the live file, but may not survive a crash. */
    static final class UncertainWriteException extends IOException {

        private static final long serialVersionUID = 1L;

        UncertainWriteException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
