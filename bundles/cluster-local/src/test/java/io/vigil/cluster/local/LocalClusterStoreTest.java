package io.vigil.cluster.local;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.ANY;
import static io.vigil.api.cluster.StoreOperation.delete;
import static io.vigil.api.cluster.StoreOperation.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreKeys;
import io.vigil.api.cluster.StoreOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compare-and-set, atomic commits, listing, key syntax and reloading of the local store. */
class LocalClusterStoreTest {

    @TempDir
    Path tmp;

    private Path dir;
    private LocalClusterStore store;

    @BeforeEach
    void open() throws IOException {
        dir = tmp.resolve("cluster");
        store = new LocalClusterStore(dir, "node-1");
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(StoreEntry e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    private StoreEntry only(StoreOperation op) throws Exception {
        List<StoreEntry> written = store.commit(List.of(op));
        assertEquals(1, written.size());
        return written.get(0);
    }

    @Test
    void anEmptyStoreHasRevisionZeroAndNoKeys() {
        assertEquals(0, store.revision());
        assertEquals("node-1", store.nodeName());
        assertTrue(store.get("groups/a").isEmpty());
        assertEquals(List.of(), store.list(""));
        assertFalse(Files.exists(dir.resolve(StoreFile.LIVE)), "nothing is written before the first commit");
    }

    @Test
    void absentCreatesAtVersionOneAndRefusesAnExistingKey() throws Exception {
        StoreEntry created = only(put("groups/a", bytes("one"), ABSENT));
        assertEquals(new StoreEntry("groups/a", bytes("one"), 1), created);
        assertEquals(created, store.get("groups/a").orElseThrow());

        StoreConflictException e = assertThrows(StoreConflictException.class,
                () -> store.commit(List.of(put("groups/a", bytes("two"), ABSENT))));
        assertEquals("groups/a", e.key());
        assertEquals("key groups/a was expected absent but is at version 1; nothing was committed", e.getMessage());
        assertEquals("one", text(store.get("groups/a").orElseThrow()));
        assertEquals(1, store.revision());
    }

    @Test
    void anExactVersionMustMatch() throws Exception {
        only(put("groups/a", bytes("one"), ABSENT));
        assertEquals(2, only(put("groups/a", bytes("two"), 1)).version());

        StoreConflictException stale = assertThrows(StoreConflictException.class,
                () -> store.commit(List.of(put("groups/a", bytes("three"), 1))));
        assertEquals("key groups/a was expected at version 1 but is at version 2; nothing was committed",
                stale.getMessage());
        StoreConflictException missing = assertThrows(StoreConflictException.class,
                () -> store.commit(List.of(put("groups/b", bytes("x"), 4))));
        assertEquals("key groups/b was expected at version 4 but is absent; nothing was committed",
                missing.getMessage());
        assertEquals("two", text(store.get("groups/a").orElseThrow()));
        assertEquals(2, store.revision());
    }

    @Test
    void anyWritesWhateverTheVersion() throws Exception {
        assertEquals(1, only(put("k", bytes("1"), ANY)).version());
        assertEquals(2, only(put("k", bytes("2"), ANY)).version());
        store.commit(List.of(delete("k", ANY)));
        assertTrue(store.get("k").isEmpty());
        store.commit(List.of(delete("k", ANY)));
        assertEquals(4, store.revision(), "a delete of an absent key with ANY is still a commit");
    }

    @Test
    void aDeleteChecksItsVersionAndARecreatedKeyStartsAgainAtOne() throws Exception {
        only(put("k", bytes("1"), ABSENT));
        only(put("k", bytes("2"), 1));
        assertThrows(StoreConflictException.class, () -> store.commit(List.of(delete("k", 1))));
        assertEquals(List.of(), store.commit(List.of(delete("k", 2))));
        assertTrue(store.get("k").isEmpty());
        assertEquals(1, only(put("k", bytes("3"), ABSENT)).version());
    }

    @Test
    void aMultiKeyCommitWhoseLastStepConflictsAppliesNothing() throws Exception {
        store.commit(List.of(put("a", bytes("a1"), ABSENT), put("b", bytes("b1"), ABSENT), put("c", bytes("c1"), ABSENT)));
        byte[] fileBefore = Files.readAllBytes(dir.resolve(StoreFile.LIVE));

        StoreConflictException e = assertThrows(StoreConflictException.class, () -> store.commit(List.of(
                put("a", bytes("a2"), 1), delete("b", 1), put("d", bytes("d1"), ABSENT), put("c", bytes("c2"), 7))));
        assertEquals("c", e.key());

        assertEquals(1, store.revision());
        assertEquals(List.of("a1", "b1", "c1"), store.list("").stream().map(LocalClusterStoreTest::text).toList());
        assertArrayEquals(fileBefore, Files.readAllBytes(dir.resolve(StoreFile.LIVE)));
    }

    @Test
    void aMultiKeyCommitAppliesEveryStepAndReturnsThePutsInOrder() throws Exception {
        store.commit(List.of(put("a", bytes("a1"), ABSENT), put("b", bytes("b1"), ABSENT)));
        List<StoreEntry> written = store.commit(List.of(
                put("z", bytes("z1"), ABSENT), delete("a", 1), put("b", bytes("b2"), 1)));
        assertEquals(List.of(new StoreEntry("z", bytes("z1"), 1), new StoreEntry("b", bytes("b2"), 2)), written);
        assertEquals(List.of("b", "z"), store.list("").stream().map(StoreEntry::key).toList());
        assertEquals(2, store.revision());
    }

    @Test
    void aCommittedValueIsCopied() throws Exception {
        byte[] value = bytes("before");
        only(put("k", value, ABSENT));
        value[0] = 'X';
        assertEquals("before", text(store.get("k").orElseThrow()));
    }

    @Test
    void anEmptyCommitChangesNothing() throws Exception {
        assertEquals(List.of(), store.commit(List.of()));
        assertEquals(0, store.revision());
    }

    @Test
    void listReturnsThePrefixedKeysInKeyOrder() throws Exception {
        store.commit(List.of(put("groups/web", bytes(""), ABSENT), put("groups/db", bytes(""), ABSENT),
                put("groups-old/x", bytes(""), ABSENT), put("resources/web/ip", bytes(""), ABSENT),
                put("groups/db/extra", bytes(""), ABSENT), put("group", bytes(""), ABSENT)));

        assertEquals(List.of("groups/db", "groups/db/extra", "groups/web"), keys("groups/"));
        assertEquals(List.of("group", "groups-old/x", "groups/db", "groups/db/extra", "groups/web"), keys("group"));
        assertEquals(List.of("group", "groups-old/x", "groups/db", "groups/db/extra", "groups/web", "resources/web/ip"),
                keys(""));
        assertEquals(List.of(), keys("types/"));
        assertEquals(List.of(), keys("zzz"));
    }

    private List<String> keys(String prefix) {
        return store.list(prefix).stream().map(StoreEntry::key).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"                | it is empty",
        "/groups           | segment 1 is empty",
        "groups/           | segment 2 is empty",
        "groups//web       | segment 2 is empty",
        "groups/./web      | segment 2 is '.'",
        "groups/..         | segment 2 is '..'",
        "groups/web rg     | segment 2 contains ' '",
        "groups/web:rg     | segment 2 contains ':'",
        "grüppe            | segment 1 contains the character U+00FC",
    })
    void anInvalidKeyIsRefusedWithWhatIsWrong(String key, String problem) {
        String expected = "key \"" + key + "\" is not valid: " + problem + "; expected " + StoreKeys.KEY_SYNTAX;
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.get(key)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> store.commit(List.of(put("ok", bytes(""), ANY), put(key, bytes(""), ANY)))).getMessage());
        assertEquals(0, store.revision());
    }

    @Test
    void aKeyOfMoreThan1024CharactersIsRefused() throws Exception {
        String longest = "k".repeat(1024);
        only(put(longest, bytes(""), ABSENT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.get(longest + "k"));
        assertTrue(e.getMessage().contains("is not valid: it is 1025 characters long;"), e.getMessage());
    }

    @Test
    void aKeyTwiceInOneCommitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.commit(List.of(
                put("a", bytes(""), ANY), put("b", bytes(""), ANY), delete("a", ANY))));
        assertEquals("key a appears twice in one commit (operations 1 and 3); expected each key at most once",
                e.getMessage());
        assertEquals(0, store.revision());
    }

    @Test
    void everyCommitCountsOneRevision() throws Exception {
        for (int i = 1; i <= 5; i++) {
            store.commit(List.of(put("k" + i, bytes(""), ABSENT), put("counter", bytes("" + i), ANY)));
            assertEquals(i, store.revision());
        }
        assertThrows(StoreConflictException.class, () -> store.commit(List.of(put("k1", bytes(""), ABSENT))));
        assertEquals(5, store.revision(), "a refused commit counts nothing");
        assertEquals(5, store.get("counter").orElseThrow().version());
    }

    @Test
    void aReopenedStoreHasEverythingCommitted() throws Exception {
        store.commit(List.of(put("groups/a", bytes("a"), ABSENT), put("groups/b", new byte[] {0, -1, 10, 13}, ABSENT)));
        store.commit(List.of(put("groups/a", bytes("a2"), 1), delete("groups/b", 1), put("types/x", bytes("x"), ABSENT)));
        List<StoreEntry> before = store.list("");
        store.close();

        store = new LocalClusterStore(dir, "node-1");
        assertEquals(2, store.revision());
        assertEquals(before, store.list(""));
        assertEquals(2, store.get("groups/a").orElseThrow().version());
        assertEquals(2, only(put("types/x", bytes("x2"), 1)).version());
    }

    @Test
    void aReopenedStoreWrittenByAnotherNodeNameTakesTheNewName() throws Exception {
        only(put("k", bytes(""), ABSENT));
        store.close();
        store = new LocalClusterStore(dir, "node-2");
        assertEquals("node-2", store.nodeName());
        assertEquals(1, store.revision());
    }

    @Test
    void aClosedStoreRefusesCommits() throws Exception {
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.commit(List.of(put("k", bytes(""), ANY))));
        assertEquals("cluster store " + dir.toAbsolutePath().resolve(StoreFile.LIVE) + " is closed", e.getMessage());
    }

    @Test
    void aFailedWriteAppliesNothing() throws Exception {
        only(put("k", bytes("1"), ABSENT));
        Path blocker = dir.resolve(StoreFile.TEMP);
        Files.createDirectories(blocker.resolve("in-the-way"));

        IOException e = assertThrows(IOException.class, () -> store.commit(List.of(put("k", bytes("2"), 1))));
        assertTrue(e.getMessage().startsWith("cluster store " + dir.toAbsolutePath().resolve(StoreFile.LIVE)
                + " could not be written (revision 2): "), e.getMessage());
        assertEquals(1, store.revision());
        assertEquals("1", text(store.get("k").orElseThrow()));

        Files.delete(blocker.resolve("in-the-way"));
        assertEquals(2, only(put("k", bytes("2"), 1)).version());
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNothing() throws Exception {
        only(put("counter", bytes("0"), ABSENT));
        int threads = 8;
        int increments = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> conflicts = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                conflicts.add(pool.submit(() -> {
                    start.await();
                    int lost = 0;
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            StoreEntry e = store.get("counter").orElseThrow();
                            long next = Long.parseLong(text(e)) + 1;
                            try {
                                store.commit(List.of(put("counter", bytes(Long.toString(next)), e.version())));
                                break;
                            } catch (StoreConflictException c) {
                                lost++;
                            }
                        }
                    }
                    return lost;
                }));
            }
            start.countDown();
            for (Future<Integer> f : conflicts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = threads * increments;
        assertEquals(Integer.toString(total), text(store.get("counter").orElseThrow()));
        assertEquals(total + 1, store.get("counter").orElseThrow().version());
        assertEquals(total + 1, store.revision());
    }

    @Test
    void theDirectoryDefaultsToClusterInTheDataDirectory() {
        assertEquals(Path.of("/var/lib/vigil/cluster"), LocalClusterStore.directory("", "/var/lib/vigil"));
        assertEquals(Path.of("data/cluster"), LocalClusterStore.directory("", null));
        assertEquals(Path.of("data/cluster"), LocalClusterStore.directory(" ", ""));
        assertEquals(Path.of("/srv/store"), LocalClusterStore.directory("/srv/store", "/var/lib/vigil"));
    }

    @Test
    void theNodeNameDefaultsToTheHostNameAndMustBeOneSegment() throws Exception {
        assertFalse(LocalClusterStore.nodeName("").isBlank());
        assertEquals("node-7", LocalClusterStore.nodeName(" node-7 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalClusterStore(tmp.resolve("other"), "node/7"));
        assertEquals("node name \"node/7\" is not valid: it contains '/'; expected letters, digits, '_', "
                + "'-' and '.' (but not '.' or '..'), e.g. node-1 (set node.name in configuration io.vigil.cluster.local)",
                e.getMessage());
    }
}
