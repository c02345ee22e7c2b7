package io.vigil.cluster.zk;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.ANY;
import static io.vigil.api.cluster.StoreOperation.delete;
import static io.vigil.api.cluster.StoreOperation.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.cluster.ClusterEvents;
import io.vigil.api.cluster.ClusterStore;
import io.vigil.api.cluster.StoreConflictException;
import io.vigil.api.cluster.StoreEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store on a real ZooKeeper server: versions, compare-and-set, atomic commits, snapshots, fencing. */
class ZkClusterStoreTest {

    private static ZkTestCluster zk;
    private static Events events1;
    private static ZkCluster node1;
    private static ZkCluster node2;
    private ClusterStore store;
    private ClusterStore other;

    @BeforeAll
    static void startServer() throws Exception {
        zk = new ZkTestCluster();
        events1 = new Events();
        node1 = zk.start("node-1", events1);
        node2 = zk.start("node-2", new Events());
    }

    @AfterAll
    static void stopServer() throws Exception {
        zk.close();
    }

    @BeforeEach
    void emptyStore() throws Exception {
        store = node1.store();
        other = node2.store();
        for (StoreEntry e : store.list("")) {
            store.commit(List.of(delete(e.key(), ANY)));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<StoreEntry> e) {
        return new String(e.orElseThrow().value(), StandardCharsets.UTF_8);
    }

    @Test
    void versionsCountFromOneAndTheRevisionCountsCommits() throws Exception {
        long revision = store.revision();
        List<StoreEntry> first = store.commit(List.of(put("groups/web-rg", bytes("a"), ABSENT)));
        assertEquals(1, first.get(0).version());
        List<StoreEntry> second = store.commit(List.of(put("groups/web-rg", bytes("b"), 1)));
        assertEquals(2, second.get(0).version());
        assertEquals(revision + 2, store.revision());
        assertEquals("b", text(other.get("groups/web-rg")), "the other node reads the same value");
        assertEquals(2, other.get("groups/web-rg").orElseThrow().version());
        assertEquals(revision + 2, other.revision());
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() throws Exception {
        store.commit(List.of(put("k", bytes("one"), ABSENT)));
        other.commit(List.of(put("k", bytes("two"), 1)));
        long revision = store.revision();

        StoreConflictException stale = assertThrows(StoreConflictException.class,
                () -> store.commit(List.of(put("k", bytes("three"), 1))));
        assertEquals("k", stale.key());
        assertEquals("key k was expected at version 1 but is at version 2; nothing was committed", stale.getMessage());

        StoreConflictException exists = assertThrows(StoreConflictException.class,
                () -> store.commit(List.of(put("k", bytes("four"), ABSENT))));
        assertEquals("key k was expected absent but is at version 2; nothing was committed", exists.getMessage());

        assertEquals("two", text(store.get("k")));
        assertEquals(revision, store.revision());
    }

    @Test
    void aCommitIsAppliedWholeOrNotAtAll() throws Exception {
        store.commit(List.of(put("groups/a", bytes("a1"), ABSENT), put("groups/c", bytes("c1"), ABSENT)));
        long revision = store.revision();

        StoreConflictException e = assertThrows(StoreConflictException.class, () -> store.commit(List.of(
                put("groups/a", bytes("a2"), 1),
                put("groups/b", bytes("b1"), ABSENT),
                delete("groups/c", 1),
                put("groups/d", bytes("d1"), 7))));
        assertEquals("groups/d", e.key());
        assertEquals("a1", text(store.get("groups/a")));
        assertTrue(store.get("groups/b").isEmpty());
        assertEquals("c1", text(store.get("groups/c")));
        assertEquals(revision, store.revision());

        List<StoreEntry> written = store.commit(List.of(
                put("groups/a", bytes("a2"), 1), put("groups/b", bytes("b1"), ABSENT), delete("groups/c", 1)));
        assertEquals(List.of("groups/a@2", "groups/b@1"), written.stream().map(StoreEntry::toString)
                .map(s -> s.substring(0, s.indexOf(' '))).toList());
        assertEquals(revision + 1, store.revision());
        assertTrue(other.get("groups/c").isEmpty());
    }

    @Test
    void deletesHonourTheirExpectedVersion() throws Exception {
        store.commit(List.of(put("x", bytes("1"), ABSENT)));
        assertThrows(StoreConflictException.class, () -> store.commit(List.of(delete("x", 2))));
        assertThrows(StoreConflictException.class, () -> store.commit(List.of(delete("x", ABSENT))));
        store.commit(List.of(delete("x", 1)));
        assertTrue(store.get("x").isEmpty());
        store.commit(List.of(delete("x", ANY), delete("never", ABSENT)));
        assertThrows(StoreConflictException.class, () -> store.commit(List.of(delete("x", 1))));
    }

    @Test
    void anyOverwritesWhateverIsThere() throws Exception {
        store.commit(List.of(put("y", bytes("1"), ANY)));
        other.commit(List.of(put("y", bytes("2"), ANY)));
        assertEquals(2, store.get("y").orElseThrow().version());
        assertEquals("2", text(store.get("y")));
    }

    @Test
    void listGivesTheKeysOfAPrefixInOrder() throws Exception {
        store.commit(List.of(put("groups/b", bytes("b"), ABSENT), put("groups/a", bytes("a"), ABSENT),
                put("groups", bytes("g"), ABSENT), put("types/t", bytes("t"), ABSENT)));
        assertEquals(List.of("groups/a", "groups/b"), other.list("groups/").stream().map(StoreEntry::key).toList());
        assertEquals(List.of("groups", "groups/a", "groups/b", "types/t"),
                other.list("").stream().map(StoreEntry::key).toList());
        assertArrayEquals(bytes("a"), other.list("groups/a").get(0).value());
    }

    @Test
    void badKeysAreRefusedWithTheReason() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> store.commit(List.of(put("groups//x", bytes("v"), ANY))));
        assertTrue(bad.getMessage().startsWith("key \"groups//x\" is not valid: segment 2 is empty"), bad.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> store.commit(List.of(put("a", bytes("1"), ANY), delete("a", ANY))));
        assertEquals("key a appears twice in one commit (operations 1 and 2); expected each key at most once",
                twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.get("a:b"));
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        store.commit(List.of(put("counter", bytes("0"), ABSENT)));
        int perNode = 25;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (ClusterStore s : List.of(store, other)) {
                conflicts.add(pool.submit(() -> increment(s, perNode)));
            }
            int total = 0;
            for (Future<Integer> f : conflicts) {
                total += f.get();
            }
            StoreEntry counter = store.get("counter").orElseThrow();
            assertEquals(Integer.toString(2 * perNode), new String(counter.value(), StandardCharsets.UTF_8),
                    "every increment counted (" + total + " conflicts retried)");
            assertEquals(2 * perNode + 1, counter.version());
        } finally {
            pool.shutdownNow();
        }
    }

    private static int increment(ClusterStore s, int times) throws Exception {
        int conflicts = 0;
        for (int done = 0; done < times; ) {
            StoreEntry e = s.get("counter").orElseThrow();
            int value = Integer.parseInt(new String(e.value(), StandardCharsets.UTF_8));
            try {
                s.commit(List.of(put("counter", bytes(Integer.toString(value + 1)), e.version())));
                done++;
            } catch (StoreConflictException c) {
                conflicts++;
            }
        }
        return conflicts;
    }

    @Test
    void aFencedCommitNeedsTheCurrentEpoch() throws Exception {
        long epoch = (Long) events1.await(ClusterEvents.COORDINATOR,
                p -> (Long) p.get(ClusterEvents.EPOCH) > 0).get(ClusterEvents.EPOCH);
        store.commitFenced(epoch, List.of(put("placement/web-rg", bytes("node-1"), ABSENT)));
        StoreConflictException stale = assertThrows(StoreConflictException.class,
                () -> store.commitFenced(epoch - 1, List.of(put("placement/web-rg", bytes("node-2"), 1))));
        assertEquals(ClusterStore.EPOCH_KEY, stale.key());
        assertTrue(stale.getMessage().startsWith("coordinator epoch " + (epoch - 1) + " "), stale.getMessage());
        assertThrows(StoreConflictException.class,
                () -> store.commitFenced(epoch + 1, List.of(put("placement/web-rg", bytes("node-2"), 1))));
        assertEquals("node-1", text(store.get("placement/web-rg")));
    }
}
