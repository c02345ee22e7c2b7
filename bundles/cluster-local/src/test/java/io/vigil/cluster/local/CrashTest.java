package io.vigil.cluster.local;

import static io.vigil.cluster.local.LocalClusterStoreTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.StoreEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that commits in a tight loop ({@link CrashChild}) with SIGKILL at random moments, and checks
 * after each kill that the store opens holding exactly one whole commit: the last one the child saw return, or
 * the one it had in flight.
 *
 * <p>A killed process leaves its writes in the page cache, so this tests atomicity and recovery, not what a
 * power cut does to unforced data.
 */
class CrashTest {

    private static final int ROUNDS = 20;
    private static final int KEYS = 5;
    /** The exit status of a process ended by SIGKILL. */
    private static final int KILLED = 128 + 9;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aStoreKilledAtRandomMomentsOpensWithTheLastCommitOrTheOneInFlight() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path dir = tmp.resolve("cluster");
        long verified = 0;
        int cutShort = 0;
        int inFlight = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            // -1: kill while the child may still be starting or opening the store
            int commitsBeforeKill = random.nextInt(60) - 1;
            String context = "seed " + seed + ", round " + round + ", kill after " + commitsBeforeKill + " commits";
            Path stderr = tmp.resolve("child-" + round + ".err");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), Integer.toString(KEYS))
                    .redirectError(stderr.toFile())
                    .start();

            long reported = verified;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                if (commitsBeforeKill >= 0) {
                    assertEquals("open " + verified, readLine(out, stderr, context), context);
                    for (int i = 0; i < commitsBeforeKill; i++) {
                        reported = Long.parseLong(readLine(out, stderr, context));
                    }
                }
                // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe,
                // losing the revisions the child printed that we have not read yet
                child.toHandle().destroyForcibly();
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    reported = line.startsWith("open ") ? Long.parseLong(line.substring(5)) : Long.parseLong(line);
                }
            }
            assertEquals(KILLED, child.waitFor(), context + ": the child was not killed: " + Files.readString(stderr));

            cutShort += Files.exists(dir.resolve(StoreFile.TEMP)) ? 1 : 0;
            long revision = checkWhole(dir, context);
            assertTrue(revision >= reported && revision <= reported + 1,
                    context + ": revision " + revision + ", expected " + reported + " (the last commit the child saw"
                            + " return) or " + (reported + 1) + " (the one in flight)");
            assertFalse(Files.exists(dir.resolve(StoreFile.TEMP)), context + ": the temp file was not removed");
            checkPrevious(dir, revision, context + ", " + StoreFile.PREVIOUS);
            inFlight += revision == reported + 1 ? 1 : 0;
            verified = revision;
        }
        System.out.printf("CrashTest: %d kills (seed %d): %d cut a write short, %d came after the last commit's rename "
                + "but before the child saw it return; revision %d%n", ROUNDS, seed, cutShort, inFlight, verified);
    }

    private static String readLine(BufferedReader out, Path stderr, String context) throws IOException {
        String line = out.readLine();
        assertNotNull(line, context + ": the child ended early: " + Files.readString(stderr));
        return line;
    }

    /**
     * Opens a store and checks that it holds one whole commit of {@link CrashChild}.
     *
     * @return its revision
     */
    private static long checkWhole(Path dir, String context) throws IOException {
        LocalClusterStore store = new LocalClusterStore(dir, CrashChild.NODE);
        try {
            long revision = store.revision();
            String expected = Long.toString(revision);
            for (int i = 0; i < KEYS; i++) {
                Optional<StoreEntry> entry = store.get(CrashChild.KEY_PREFIX + i);
                if (revision == 0) {
                    assertTrue(entry.isEmpty(), context);
                    continue;
                }
                assertEquals(expected, text(entry.orElseThrow()), context + ": key " + i);
                assertEquals(revision, entry.orElseThrow().version(), context + ": version of key " + i);
            }
            Optional<StoreEntry> odd = store.get(CrashChild.ODD_KEY);
            assertEquals(revision % 2 == 1, odd.isPresent(), context + ": " + CrashChild.ODD_KEY + " at " + revision);
            if (odd.isPresent()) {
                assertEquals(expected, text(odd.get()), context);
                assertEquals(1, odd.get().version(), context);
            }
            assertEquals(revision == 0 ? 0 : KEYS + (int) (revision % 2), store.list("").size(), context);
            return revision;
        } finally {
            store.close();
        }
    }

    /** The previous document, when there is one, is a whole commit too: the one before, or (cut short) the same. */
    private void checkPrevious(Path dir, long revision, String context) throws IOException {
        Path previous = dir.resolve(StoreFile.PREVIOUS);
        if (!Files.exists(previous)) {
            return;
        }
        Path copy = Files.createTempDirectory(tmp, "previous");
        Files.copy(previous, copy.resolve(StoreFile.LIVE));
        long before = checkWhole(copy, context);
        assertTrue(List.of(revision - 1, revision).contains(before),
                context + ": revision " + before + ", expected " + (revision - 1) + " or " + revision);
    }
}
